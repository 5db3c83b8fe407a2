import { InputError } from "../errors.js";
import { decodeBase64 } from "./base64.js";
import { KEY_TYPES, keyInfoFromParsed, parseKeyBlob } from "./key-blob.js";
import type { KeyInfo } from "./key-info.js";
import { armoredBody } from "./armor.js";
import { SshReader } from "./ssh-buffer.js";

/** OpenSSH reads authorized_keys lines of up to 16 KiB (SSH_MAX_PUBKEY_BYTES); we allow more, but not unbounded. */
const MAX_LINE = 64 * 1024;

/**
 * Index where the key type starts in an authorized_keys line, skipping any options in front
 * (sshd(8) AUTHORIZED_KEYS FILE FORMAT: options are comma-separated, spaces only inside double quotes).
 */
function keyStart(line: string): number {
  const first = /^\S+/.exec(line)?.[0] ?? "";
  if (KEY_TYPES.has(first)) return 0;
  let quoted = false;
  let i = 0;
  for (; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === "\\" && line[i + 1] === '"') i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === " " || ch === "\t")) break;
  }
  while (i < line.length && (line[i] === " " || line[i] === "\t")) i++;
  return i;
}

/**
 * Parses one public key line: `[options] <type> <base64> [comment]`.
 * @throws InputError naming `what` when it is not a valid key line.
 */
export function parsePublicKeyLine(text: string, what = "the public key line"): KeyInfo {
  const line = text.replace(/\r$/, "").trim();
  if (line.length > MAX_LINE) throw new InputError(`${what} is too long to be a public key line`);
  const rest = line.slice(keyStart(line));
  const match = /^(\S+)[ \t]+(\S+)(?:[ \t]+([\s\S]*))?$/.exec(rest);
  const type = match?.[1];
  const encoded = match?.[2];
  if (type === undefined || encoded === undefined || !KEY_TYPES.has(type)) {
    throw new InputError(`${what} is not a public key line ("<type> <base64> [comment]" with a known SSH key type)`);
  }
  const blob = decodeBase64(encoded, what);
  const parsed = parseKeyBlob(blob, what);
  if (new SshReader(blob, what).name() !== type) {
    throw new InputError(`${what} names key type ${type} but its key data is of another type`);
  }
  return keyInfoFromParsed(parsed, match?.[3]?.trim() || null);
}

/** Every key line of an authorized_keys-style text; bad lines are reported, not thrown. */
export function parsePublicKeyLines(text: string): {
  keys: KeyInfo[];
  errors: { line: number; message: string }[];
} {
  const keys: KeyInfo[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    try {
      keys.push(parsePublicKeyLine(line, `line ${index + 1}`));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push({ line: index + 1, message: error.message });
    }
  });
  return { keys, errors };
}

/** True when `text` has the shape of a public key line (possibly with options), without validating the key. */
export function looksLikePublicKeyLine(text: string): boolean {
  const line = text.trim();
  if (line.length > MAX_LINE || line.includes("\n")) return false;
  const type = /^\S+/.exec(line.slice(keyStart(line)))?.[0];
  return type !== undefined && KEY_TYPES.has(type);
}

/** Parses an RFC 4716 public key (`ssh-keygen -e`); the `Comment:` header becomes the comment. */
export function parseRfc4716(text: string, what: string): KeyInfo {
  const body = armoredBody(text, "---- BEGIN SSH2 PUBLIC KEY ----", "---- END SSH2 PUBLIC KEY ----");
  if (body === undefined) throw new InputError(`${what} has no complete "---- BEGIN SSH2 PUBLIC KEY ----" block`);
  const lines = body.split("\n").map((l) => l.trim());
  let comment: string | null = null;
  const data: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? "";
    if (!line.includes(":")) {
      data.push(line);
      continue;
    }
    // RFC 4716 §3.3: a header ending in a backslash continues on the next line.
    while (line.endsWith("\\") && i + 1 < lines.length) line = line.slice(0, -1) + (lines[++i] ?? "");
    const colon = line.indexOf(":");
    if (line.slice(0, colon).trim().toLowerCase() === "comment") {
      comment = line.slice(colon + 1).trim().replace(/^"(.*)"$/, "$1");
    }
  }
  return keyInfoFromParsed(parseKeyBlob(decodeBase64(data.join(""), what), what), comment);
}
