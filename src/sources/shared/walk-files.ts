import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import type { ScanWarning } from "../source.js";
import { MAX_WALK_DEPTH, MAX_WALK_ENTRIES } from "./limits.js";

export interface WalkOptions {
  readonly warn: (warning: ScanWarning) => void;
  /** Directory names never entered (e.g. ".git"). */
  readonly skipDirectories?: ReadonlySet<string>;
  readonly maxDepth?: number;
  readonly maxEntries?: number;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : String(error);
}

/**
 * Yields every regular file below `root` (or `root` itself when it is a file), following symlinks: to files
 * anywhere, to directories only inside `root` (a link to `/` must not turn a key scan into a disk scan). A directory
 * reached again through a symlink is entered once: when it is one of its own ancestors that is a symlink loop
 * and is warned about; broken links, unreadable directories and files that are not regular are warned and skipped.
 * Paths are yielded as reached (not resolved), in sorted order so scans are deterministic.
 */
export async function* walkFiles(root: string, options: WalkOptions): AsyncGenerator<string> {
  const maxDepth = options.maxDepth ?? MAX_WALK_DEPTH;
  let budget = options.maxEntries ?? MAX_WALK_ENTRIES;
  const visited = new Set<string>();
  let realRoot: string | null = null;
  try {
    realRoot = await realpath(root);
  } catch {
    // reported by the first stat below
  }

  async function* visit(path: string, depth: number, ancestors: readonly string[]): AsyncGenerator<string> {
    if (--budget < 0) {
      if (budget === -1) options.warn({ path, message: `more than ${options.maxEntries ?? MAX_WALK_ENTRIES} entries: the rest of ${root} was not scanned` });
      return;
    }
    let stats;
    try {
      stats = await stat(path);
    } catch (error) {
      const code = codeOf(error);
      options.warn({
        path,
        message: code === "ELOOP" ? "symlink loop: skipped" : code === "ENOENT" ? "broken symlink: skipped" : `cannot be read (${code}): skipped`,
      });
      return;
    }
    if (stats.isFile()) {
      yield path;
      return;
    }
    if (!stats.isDirectory()) return; // sockets, FIFOs, devices: never key files
    if (depth > 0 && realRoot !== null && (await lstat(path)).isSymbolicLink()) {
      const target = await realpath(path).catch(() => null);
      if (target !== null && target !== realRoot && !target.startsWith(realRoot + sep)) {
        if (ancestors.length > 0 && target !== realRoot && realRoot.startsWith(target + sep)) {
          options.warn({ path, message: "symlink loop (a directory links to one of its ancestors): skipped" });
        } else {
          options.warn({ path, message: `symlink to a directory outside ${root}: not followed` });
        }
        return;
      }
    }
    const id = `${stats.dev}:${stats.ino}`;
    if (ancestors.includes(id)) {
      options.warn({ path, message: "symlink loop (a directory links to one of its ancestors): skipped" });
      return;
    }
    if (visited.has(id)) return;
    visited.add(id);
    if (depth >= maxDepth) {
      options.warn({ path, message: `deeper than ${maxDepth} directories: skipped` });
      return;
    }
    let names: string[];
    try {
      names = await readdir(path);
    } catch (error) {
      options.warn({ path, message: `directory cannot be read (${codeOf(error)}): skipped` });
      return;
    }
    names.sort();
    for (const name of names) {
      if (options.skipDirectories?.has(name)) continue;
      yield* visit(join(path, name), depth + 1, [...ancestors, id]);
    }
  }

  yield* visit(root, 0, []);
}
