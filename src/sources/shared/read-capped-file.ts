import { open, stat } from "node:fs/promises";
import { MAX_FILE_BYTES } from "./limits.js";

/** A file's text, or why it could not be used. `reason` is one line fit for a ScanWarning (no content). */
export type CappedRead =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly code: "missing" | "not-file" | "too-large" | "unreadable"; readonly reason: string };

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
}

/**
 * Reads a regular file of at most `maxBytes` (following symlinks). Never throws for the file's own faults: a
 * missing, special (FIFO, device), oversized or unreadable file comes back as `ok: false` with a reason.
 * Reads at most `maxBytes + 1` bytes even when the file grows while being read.
 */
export async function readCappedFile(path: string, maxBytes = MAX_FILE_BYTES): Promise<CappedRead> {
  let size: number;
  try {
    // stat before open: opening a FIFO for reading would block until a writer appears.
    const stats = await stat(path);
    if (!stats.isFile()) return { ok: false, code: "not-file", reason: "not a regular file: skipped" };
    size = stats.size;
  } catch (error) {
    const code = codeOf(error);
    if (code === "ENOENT") return { ok: false, code: "missing", reason: "does not exist" };
    if (code === "ELOOP") return { ok: false, code: "unreadable", reason: "symlink loop: skipped" };
    return { ok: false, code: "unreadable", reason: `cannot be read (${code}): skipped` };
  }
  const tooLarge = { ok: false, code: "too-large", reason: `larger than ${maxBytes} bytes: skipped` } as const;
  if (size > maxBytes) return tooLarge;
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(maxBytes + 1);
      let total = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
        if (bytesRead === 0) break;
        total += bytesRead;
        if (total > maxBytes) return tooLarge;
      }
      return { ok: true, bytes: buffer.subarray(0, total) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { ok: false, code: "unreadable", reason: `cannot be read (${codeOf(error)}): skipped` };
  }
}

/** Strict UTF-8 decoding (a leading BOM is dropped); null when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Reads a text file for a scanner: `{ text }` or `{ problem }`, a one-line reason naming no content.
 */
export async function readTextFile(path: string, maxBytes = MAX_FILE_BYTES): Promise<{ text: string } | { problem: string }> {
  const read = await readCappedFile(path, maxBytes);
  if (!read.ok) return { problem: read.reason };
  const text = decodeUtf8(read.bytes);
  if (text === null) return { problem: "not valid UTF-8: skipped" };
  return { text };
}
