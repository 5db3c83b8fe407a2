import { InputError } from "../../errors.js";
import { parseKeyMaterial, parsePublicKeyLines } from "../../keys/index.js";
import type { KeyInfo } from "../../keys/index.js";

/** Key material written into a CI file: a leak to fingerprint and report, never to echo. */
export interface InlineKey {
  readonly kind: "private" | "public";
  /** Offset of the material within the text searched. */
  readonly offset: number;
  /** The key, or null when it could not be fingerprinted (e.g. an encrypted PEM key). */
  readonly key: KeyInfo | null;
  /** Why `key` is null; names no key bytes. */
  readonly problem?: string;
}

const PRIVATE_BLOCK = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
const PUBLIC_LINE =
  /(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)(?:-cert-v01@openssh\.com)? AAAA[A-Za-z0-9+/]+=*/g;

/**
 * Finds private key blocks and public key lines in a CI value or script. Public keys on a line mentioning
 * `known_hosts`, or right after a host name (`github.com ssh-ed25519 …`), are host keys and are ignored. Pure.
 */
export function findInlineKeys(text: string): InlineKey[] {
  const found: InlineKey[] = [];
  for (const match of text.matchAll(PRIVATE_BLOCK)) {
    const offset = match.index ?? 0;
    try {
      found.push({ kind: "private", offset, key: parseKeyMaterial(match[0]) });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      found.push({ kind: "private", offset, key: null, problem: "it cannot be fingerprinted without its passphrase or public half" });
    }
  }
  for (const match of text.matchAll(PUBLIC_LINE)) {
    const offset = match.index ?? 0;
    const lineStart = text.lastIndexOf("\n", offset) + 1;
    const lineEnd = text.indexOf("\n", offset);
    const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
    if (/known_hosts/i.test(line)) continue;
    const before = text.slice(lineStart, offset).trimEnd();
    const previous = /[^\s"'=:]+$/.exec(before)?.[0] ?? "";
    if (/[.,[\]*]/.test(previous)) continue; // a known_hosts host pattern
    const { keys } = parsePublicKeyLines(match[0]);
    const key = keys[0];
    if (key) found.push({ kind: "public", offset, key });
  }
  return found;
}
