import { InputError } from "../errors.js";

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Strict base64 (whitespace removed first): node's decoder silently skips junk, which would hide bad input. */
export function decodeBase64(text: string, what: string): Buffer {
  const compact = text.replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    throw new InputError(`${what} is not valid base64; check that the key was copied whole`);
  }
  return Buffer.from(compact, "base64");
}
