import { createRequire } from "node:module";
import type { utils as Ssh2Utils } from "ssh2";
import { decodeBase64 } from "./base64.js";
import { keyInfoFromParsed, parseKeyBlob } from "./key-blob.js";
import type { KeyInfo } from "./key-info.js";
import { SshReader } from "./ssh-buffer.js";

const MAGIC = "openssh-key-v1\0";

/**
 * Fields after the key type in the private section, per type (sshkey.c `sshkey_private_serialize_opt`):
 * "s" a string or mpint, "b" a byte. Types missing here still fingerprint; they just give no comment.
 */
const PRIVATE_FIELDS: Readonly<Record<string, string>> = {
  "ssh-rsa": "ssssss",
  "ssh-dss": "sssss",
  "ecdsa-sha2-nistp256": "sss",
  "ecdsa-sha2-nistp384": "sss",
  "ecdsa-sha2-nistp521": "sss",
  "ssh-ed25519": "ss",
  "sk-ecdsa-sha2-nistp256@openssh.com": "sssbss",
  "sk-ssh-ed25519@openssh.com": "ssbss",
  "ssh-rsa-cert-v01@openssh.com": "sssss",
  "ssh-dss-cert-v01@openssh.com": "ss",
  "ecdsa-sha2-nistp256-cert-v01@openssh.com": "ss",
  "ecdsa-sha2-nistp384-cert-v01@openssh.com": "ss",
  "ecdsa-sha2-nistp521-cert-v01@openssh.com": "ss",
  "ssh-ed25519-cert-v01@openssh.com": "sss",
};

/** The comment at the end of a cleartext private section, or null when the layout is not one we know. */
function readComment(section: Uint8Array, what: string): string | null {
  const reader = new SshReader(section, what);
  if (reader.uint32() !== reader.uint32()) reader.fail("the private section's check bytes differ");
  const fields = PRIVATE_FIELDS[reader.name()];
  if (fields === undefined) return null;
  for (const field of fields) {
    if (field === "b") reader.uint8();
    else reader.string();
  }
  return Buffer.from(reader.string()).toString("utf8");
}

/**
 * Decrypting only buys the comment, and bcrypt_pbkdf's cost grows with the rounds the FILE asks for: a key asking
 * for 2^31 rounds would hang the scan. ssh-keygen writes 16 by default; a key asking for more than this keeps a
 * null comment.
 */
const MAX_BCRYPT_ROUNDS = 64;

/** The bcrypt rounds in the KDF options (string salt, uint32 rounds); Infinity when unreadable or not bcrypt. */
function bcryptRounds(kdf: string, kdfOptions: Uint8Array, what: string): number {
  if (kdf !== "bcrypt") return Number.POSITIVE_INFINITY;
  try {
    const reader = new SshReader(kdfOptions, what);
    reader.string();
    return reader.uint32();
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The comment of an encrypted key, through ssh2's decryptor (bcrypt_pbkdf); null when it cannot decrypt. */
function decryptComment(text: string, passphrase: string): string | null {
  const require = createRequire(import.meta.url);
  // Loaded lazily: only encrypted keys given a passphrase need ssh2 (bcrypt_pbkdf and the ciphers).
  const { utils } = require("ssh2") as { utils: typeof Ssh2Utils };
  try {
    const parsed = utils.parseKey(text, passphrase);
    const key = Array.isArray(parsed) ? (parsed as unknown[])[0] : parsed;
    if (key instanceof Error || typeof key !== "object" || key === null) return null;
    const comment = (key as { comment?: unknown }).comment;
    return typeof comment === "string" ? comment : null;
  } catch {
    return null;
  }
}

/**
 * An OpenSSH private key (`BEGIN OPENSSH PRIVATE KEY`, PROTOCOL.key). The public key is stored in clear, so
 * encrypted keys fingerprint without their passphrase; their comment is then null. With a passphrase we decrypt
 * only to read the comment: a wrong one leaves the comment null instead of failing, since the fingerprint
 * is known anyway.
 */
export function parseOpenSshPrivateKey(
  body: string,
  what: string,
  options: { passphrase?: string | undefined; text: string },
): { info: KeyInfo; encrypted: boolean } {
  const data = decodeBase64(body, what);
  const reader = new SshReader(data, what);
  if (Buffer.from(reader.bytes(Math.min(MAGIC.length, data.length))).toString("latin1") !== MAGIC) {
    reader.fail("the OpenSSH private key header is missing");
  }
  const cipher = reader.name();
  const kdf = reader.name();
  const kdfOptions = reader.string();
  // OpenSSH itself only reads files holding exactly one key (sshkey_parse_private2).
  if (reader.uint32() !== 1) reader.fail("the file does not hold exactly one key");
  const parsed = parseKeyBlob(reader.string(), what);
  const section = reader.string();
  const encrypted = cipher !== "none";
  let comment: string | null = null;
  if (!encrypted) comment = readComment(section, what);
  else if (options.passphrase && bcryptRounds(kdf, kdfOptions, what) <= MAX_BCRYPT_ROUNDS) comment = decryptComment(options.text, options.passphrase);
  return { info: keyInfoFromParsed(parsed, comment), encrypted };
}
