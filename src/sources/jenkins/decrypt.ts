import { createDecipheriv, createHash } from "node:crypto";
import { InputError } from "../../errors.js";

/**
 * Jenkins secret decryption, exactly as the controller does it (jenkinsci/jenkins:
 * core/src/main/java/jenkins/security/{DefaultConfidentialStore,CryptoConfidentialKey}.java,
 * core/src/main/java/hudson/util/{Secret,HistoricalSecrets}.java, hudson/Util.java `toAes128Key`).
 * Pure: callers read the files and hand over their contents. Decrypted values never leave memory.
 */

/** Suffix Jenkins appends to a plaintext before encrypting it, to recognise a right key. */
export const MAGIC = "::::MAGIC::::";

/** The keys that decrypt `hudson.util.Secret` values of one Jenkins home. */
export interface SecretKeys {
  /** First 16 bytes of the decrypted `secrets/hudson.util.Secret`, or null when the home lacks its secrets. */
  readonly key: Buffer | null;
  /** `SHA-256(trim(secret.key))[0:16]`, the key of Jenkins before 1.498, where the home still has it. */
  readonly legacyKey?: Buffer | null;
}

/** How a stored Secret turned out. `value` exists only for the decrypted and plaintext outcomes. */
export type SecretOutcome =
  | { readonly status: "decrypted"; readonly value: string }
  | { readonly status: "plaintext"; readonly value: string }
  /** Looks encrypted, and this home has no `secrets/` to decrypt it with. */
  | { readonly status: "no-secrets" }
  /** Encrypted with a key other than this home's (or corrupt). */
  | { readonly status: "failed" };

/** `Util.toAes128Key`: the first 16 bytes of SHA-256 over the UTF-8 text. */
export function toAes128Key(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest().subarray(0, 16);
}

/** Java's `String.trim()`: strips code points <= U+0020 at both ends (not Unicode whitespace). */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** Km: the key that encrypts every file of `secrets/`, from the trimmed text of `secrets/master.key`. */
export function deriveMasterKey(masterKeyText: string): Buffer {
  return toAes128Key(javaTrim(masterKeyText));
}

/** The legacy key from the trimmed text of `secret.key` (HistoricalSecrets' fallback). */
export function deriveLegacyKey(secretKeyText: string): Buffer {
  return toAes128Key(javaTrim(secretKeyText));
}

function aesEcbDecrypt(key: Buffer, data: Uint8Array): Buffer | null {
  try {
    const decipher = createDecipheriv("aes-128-ecb", key, null);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return null;
  }
}

/**
 * Decrypts `secrets/hudson.util.Secret` with the master key and returns K, the key of every `Secret` value.
 * Like `DefaultConfidentialStore.verifyMagic`, the plaintext must END with MAGIC.
 * @throws InputError when the file does not decrypt with this master.key (files from two different homes).
 */
export function loadConfidentialKey(masterKeyText: string, hudsonUtilSecret: Uint8Array): Buffer {
  const plain = aesEcbDecrypt(deriveMasterKey(masterKeyText), hudsonUtilSecret);
  const magic = Buffer.from(MAGIC, "utf8");
  if (plain === null || plain.length < magic.length + 16 || !plain.subarray(plain.length - magic.length).equals(magic)) {
    throw new InputError(
      "secrets/hudson.util.Secret does not decrypt with secrets/master.key: copy both files from the same Jenkins home",
    );
  }
  return Buffer.from(plain.subarray(0, 16));
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeBase64(text: string): Buffer | null {
  if (!BASE64.test(text)) return null;
  return Buffer.from(text, "base64");
}

/** `Secret.decrypt` for the `{…}` payload (format version 1: IV length, data length, IV, AES-128-CBC data). */
function decryptPayload(payload: Buffer, key: Buffer): string | null {
  if (payload.length < 9 || payload[0] !== 1) return null;
  const ivLength = payload.readUInt32BE(1);
  const dataLength = payload.readUInt32BE(5);
  if (payload.length !== 9 + ivLength + dataLength || ivLength !== 16) return null;
  const iv = payload.subarray(9, 9 + ivLength);
  try {
    const decipher = createDecipheriv("aes-128-cbc", key, iv);
    return Buffer.concat([decipher.update(payload.subarray(9 + ivLength)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** `HistoricalSecrets.tryDecrypt`: AES-128-ECB, and the plaintext must end with MAGIC. */
function decryptHistorical(data: Buffer, key: Buffer): string | null {
  const plain = aesEcbDecrypt(key, data);
  if (plain === null) return null;
  const text = plain.toString("utf8");
  return text.endsWith(MAGIC) ? text.slice(0, -MAGIC.length) : null;
}

/**
 * `Secret.fromString`: a `{…}` value is the current format, an unbraced base64 value may be the pre-2.x format
 * (tried with K, then the legacy key), anything else is plain text as old plugins stored it.
 */
export function decryptSecret(stored: string, keys: SecretKeys): SecretOutcome {
  const text = javaTrim(stored);
  if (text.length >= 2 && text.startsWith("{") && text.endsWith("}")) {
    const payload = decodeBase64(text.slice(1, -1));
    if (payload !== null && payload[0] === 1) {
      if (keys.key === null) return { status: "no-secrets" };
      const value = decryptPayload(payload, keys.key);
      return value === null ? { status: "failed" } : { status: "decrypted", value };
    }
    return { status: "plaintext", value: stored };
  }
  const data = decodeBase64(text);
  if (data !== null && data.length >= 16 && data.length % 16 === 0) {
    for (const key of [keys.key, keys.legacyKey ?? null]) {
      if (key === null) continue;
      const value = decryptHistorical(data, key);
      if (value !== null) return { status: "decrypted", value };
    }
    // Without any key a short base64 value is most likely an old-format secret, not a real plaintext.
    if (keys.key === null && (keys.legacyKey ?? null) === null) return { status: "no-secrets" };
  }
  return { status: "plaintext", value: stored };
}
