import { InputError } from "../errors.js";

const BARE_MD5 = /^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i;

function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

/**
 * Normalises a fingerprint given by a user or a CI config: "SHA256:…" (with or without base64 padding),
 * "MD5:aa:…", or bare "aa:bb:…" (16 colon-separated hex bytes, the old ssh-keygen and CircleCI form).
 * @throws InputError naming the text when it is not a fingerprint or its length is wrong.
 */
export function parseFingerprint(text: string): { sha256: string } | { md5: string } {
  const value = text.trim();
  if (/^sha256:/i.test(value)) {
    const digest = value.slice("sha256:".length).replace(/=+$/, "");
    const canonical = Buffer.from(digest, "base64").toString("base64").replace(/=+$/, "");
    if (!/^[A-Za-z0-9+/]{43}$/.test(digest) || canonical !== digest) {
      throw new InputError(
        `${quote(text)} is not a SHA256 fingerprint: expected "SHA256:" and 43 base64 characters, as "ssh-keygen -l" prints`,
      );
    }
    return { sha256: `SHA256:${digest}` };
  }
  const hex = /^md5:/i.test(value) ? value.slice("md5:".length) : value;
  if (hex !== value || BARE_MD5.test(hex)) {
    if (!BARE_MD5.test(hex) || hex.length !== 16 * 3 - 1) {
      throw new InputError(
        `${quote(text)} is not an MD5 fingerprint: expected 16 colon-separated hex bytes, as "ssh-keygen -l -E md5" prints`,
      );
    }
    return { md5: `MD5:${hex.toLowerCase()}` };
  }
  throw new InputError(`${quote(text)} is not a fingerprint: expected "SHA256:…" or "MD5:aa:bb:…"`);
}

/** True when `text` looks like a fingerprint (well-formed or not) rather than a path or a key line. */
export function looksLikeFingerprint(text: string): boolean {
  const value = text.trim();
  return /^(?:sha256|md5):/i.test(value) || BARE_MD5.test(value);
}
