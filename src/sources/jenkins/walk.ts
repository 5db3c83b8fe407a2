import { closeSync, constants, openSync, readSync, statSync } from "node:fs";
import { open, readdir, realpath, stat } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { join } from "node:path";

/**
 * File system access for the Jenkins scan: size-capped reads that never block on FIFOs or devices, directory
 * listings that follow symlinked job directories, and loop detection by real path.
 */

/** Config files (config.xml, credentials.xml, build.xml, fingerprints). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** Key files a credential points at. */
export const MAX_KEY_BYTES = 1024 * 1024;

export type ReadFailure = "not-found" | "unreadable" | "too-large" | "not-a-file";
export type ReadResult = { readonly text: string } | { readonly error: ReadFailure; readonly reason: string };
export type BytesResult = { readonly data: Buffer } | { readonly error: ReadFailure; readonly reason: string };

function failure(error: unknown): { error: ReadFailure; reason: string } {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return { error: "not-found", reason: "does not exist" };
  return { error: "unreadable", reason: `cannot be read (${code ?? "error"})` };
}

function tooLarge(maxBytes: number): { error: ReadFailure; reason: string } {
  return { error: "too-large", reason: `is larger than ${Math.round(maxBytes / 1024)} KiB (skipped)` };
}

/** Reads a regular file as UTF-8, at most `maxBytes` (larger files are refused, not truncated). */
export async function readTextFile(path: string, maxBytes: number): Promise<ReadResult> {
  const result = await readBytes(path, maxBytes);
  return "data" in result ? { text: result.data.toString("utf8") } : result;
}

/** Reads a regular file, at most `maxBytes` (larger files are refused, not truncated). */
export async function readBytes(path: string, maxBytes: number): Promise<BytesResult> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { error: "not-a-file", reason: "is not a regular file" };
    if (info.size > maxBytes) return tooLarge(maxBytes);
    // O_NONBLOCK: a file swapped for a FIFO between stat and open must not hang the scan.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(maxBytes + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > maxBytes) return tooLarge(maxBytes);
      }
      return { data: buffer.subarray(0, length) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return failure(error);
  }
}

/** Synchronous twin of `readTextFile`, for key files read while resolving a credential. */
export function readTextFileSync(path: string, maxBytes: number): ReadResult {
  try {
    const info = statSync(path);
    if (!info.isFile()) return { error: "not-a-file", reason: "is not a regular file" };
    if (info.size > maxBytes) return tooLarge(maxBytes);
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(maxBytes + 1);
      let length = 0;
      for (;;) {
        const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > maxBytes) return tooLarge(maxBytes);
      }
      return { text: buffer.subarray(0, length).toString("utf8") };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return failure(error);
  }
}

export type ListResult = { readonly names: readonly string[] } | { readonly error: ReadFailure; readonly reason: string };

/** The entries of `dir`; a missing `dir` is an empty listing, any other failure is returned as one. */
async function readEntries(dir: string): Promise<Dirent[] | ListResult> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const result = failure(error);
    return result.error === "not-found" ? { names: [] } : result;
  }
}

/** Names of the directories in `dir` (symlinks to directories included), sorted; missing `dir` → empty list. */
export async function listDirectories(dir: string): Promise<ListResult> {
  const entries = await readEntries(dir);
  if (!Array.isArray(entries)) return entries;
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) names.push(entry.name);
    else if (entry.isSymbolicLink()) {
      try {
        if ((await stat(join(dir, entry.name))).isDirectory()) names.push(entry.name);
      } catch {
        // A dangling link is not a job directory.
      }
    }
  }
  return { names: names.sort() };
}

/** Names of the regular files (or links to them) in `dir`, sorted; missing `dir` → empty list. */
export async function listFiles(dir: string): Promise<ListResult> {
  const entries = await readEntries(dir);
  if (!Array.isArray(entries)) return entries;
  return { names: entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name).sort() };
}

/** Real path of `path`, or null when it cannot be resolved. */
export async function realPathOf(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
}

/** True when `path` exists and is a directory. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
