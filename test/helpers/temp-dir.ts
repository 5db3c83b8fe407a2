import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { onTestFinished } from "vitest";

/** A file tree as an object literal: a string or Buffer is a file, an object is a directory. */
export interface FileTree {
  readonly [name: string]: string | Buffer | FileTree;
}

/**
 * Makes a fresh temporary directory that is deleted when the current test finishes. Call it inside a test
 * (or a beforeEach); outside one, pass `keep: true` and delete it yourself.
 */
export function tempDir(prefix = "keyward-test-", options: { keep?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (!options.keep) onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `tree` below `root` (created if needed) and returns root. */
export function writeTree(root: string, tree: FileTree): string {
  mkdirSync(root, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    const path = join(root, name);
    if (typeof value === "string" || Buffer.isBuffer(value)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, value);
    } else {
      writeTree(path, value);
    }
  }
  return root;
}

/** A temp dir holding `tree`, deleted after the test. */
export function testDir(tree: FileTree = {}): string {
  return writeTree(tempDir(), tree);
}

/** Makes a path unreadable for the duration of the test (root ignores modes: callers check `process.getuid`). */
export function makeUnreadable(path: string): void {
  chmodSync(path, 0o000);
  onTestFinished(() => chmodSync(path, 0o700));
}
