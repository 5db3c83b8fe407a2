import { InputError } from "../errors.js";
import { armoredBody, findPem } from "./armor.js";
import { keyInfoFromBlob, KEY_TYPES } from "./key-blob.js";
import type { KeyInfo } from "./key-info.js";
import { parseOpenSshPrivateKey } from "./parse-openssh-private.js";
import { PEM_PRIVATE_LABELS, PEM_PUBLIC_LABELS, parsePemPrivateKey, parsePemPublicKey } from "./parse-pem.js";
import { parsePpk } from "./parse-ppk.js";
import { parsePublicKeyLine, parseRfc4716 } from "./parse-public.js";

/** No key file comes near this; larger input is refused before any parsing. */
export const MAX_KEY_MATERIAL_BYTES = 1024 * 1024;

/** What a piece of key material turned out to be. */
export interface ParsedKeyMaterial {
  readonly info: KeyInfo;
  readonly kind: "public" | "private";
  readonly encrypted: boolean;
  /** openssh, pem, pkcs8, ppk-v2, ppk-v3, public-line, rfc4716, pkcs1-public, pkcs8-public, ssh-blob */
  readonly format: string;
}

// Armour lines are assembled from their label so that no source file carries a complete private-key marker
// (the repository's check for committed keys looks for exactly that).
const OPENSSH_LABEL = "OPENSSH PRIVATE KEY";
const OPENSSH_BEGIN = `-----BEGIN ${OPENSSH_LABEL}-----`;
const OPENSSH_END = `-----END ${OPENSSH_LABEL}-----`;
const SSH_COM_PRIVATE = "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----";

/** True when `text` holds private key armour (any `BEGIN … PRIVATE KEY`) or a PuTTY key file header. */
export function isPrivateKeyText(text: string): boolean {
  return (
    /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/.test(text) ||
    text.includes("PuTTY-User-Key-File-") ||
    text.includes(SSH_COM_PRIVATE)
  );
}

/** A raw wire-format blob: uint32 length then a known key type name. */
function looksLikeBlob(data: Uint8Array): boolean {
  if (data.length < 8) return false;
  const length = ((data[0] ?? 0) << 24) | ((data[1] ?? 0) << 16) | ((data[2] ?? 0) << 8) | (data[3] ?? 0);
  if (length < 7 || length > 64 || 4 + length > data.length) return false;
  return KEY_TYPES.has(Buffer.from(data.subarray(4, 4 + length)).toString("latin1"));
}

/** Like `parseKeyMaterial`, also telling what kind of material it was. */
export function parseKeyMaterialDetailed(
  data: string | Uint8Array,
  options: { passphrase?: string | undefined; name?: string | undefined } = {},
): ParsedKeyMaterial {
  const what = options.name ?? "the key material";
  if (data.length > MAX_KEY_MATERIAL_BYTES) {
    throw new InputError(`${what} is larger than 1 MiB, too large to be an SSH key`);
  }
  if (typeof data !== "string" && looksLikeBlob(data)) {
    return { info: keyInfoFromBlob(data), kind: "public", encrypted: false, format: "ssh-blob" };
  }
  const text = (typeof data === "string" ? data : Buffer.from(data).toString("utf8")).replace(/^\uFEFF/, "");

  const openssh = armoredBody(text, OPENSSH_BEGIN, OPENSSH_END);
  if (openssh !== undefined) {
    const { info, encrypted } = parseOpenSshPrivateKey(openssh, what, { passphrase: options.passphrase, text });
    return { info, kind: "private", encrypted, format: "openssh" };
  }
  if (text.includes("PuTTY-User-Key-File-")) return { ...parsePpk(text, what), kind: "private" };
  if (text.includes(SSH_COM_PRIVATE)) {
    throw new InputError(`${what} is an ssh.com (SECSH) private key; convert it with "ssh-keygen -i -f" first`);
  }
  if (armoredBody(text, "---- BEGIN SSH2 PUBLIC KEY ----", "---- END SSH2 PUBLIC KEY ----") !== undefined) {
    return { info: parseRfc4716(text, what), kind: "public", encrypted: false, format: "rfc4716" };
  }
  const privatePem = findPem(text, PEM_PRIVATE_LABELS);
  if (privatePem) return { ...parsePemPrivateKey(privatePem, what, options.passphrase), kind: "private" };
  const publicPem = findPem(text, PEM_PUBLIC_LABELS);
  if (publicPem) return { ...parsePemPublicKey(publicPem, what), kind: "public", encrypted: false };
  const label = /-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(text)?.[1];
  if (label !== undefined) {
    const known = label === "OPENSSH PRIVATE KEY" || PEM_PRIVATE_LABELS.has(label) || PEM_PUBLIC_LABELS.has(label);
    throw new InputError(
      known
        ? `${what} has a "BEGIN ${label}" line but no matching END line; the key looks truncated`
        : `${what} holds a "${label}" block, which is not an SSH key`,
    );
  }
  if (text.includes("---- BEGIN SSH2 PUBLIC KEY ----")) {
    throw new InputError(`${what} has a "BEGIN SSH2 PUBLIC KEY" line but no matching END line; the key looks truncated`);
  }

  const lines = text.split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
  if (lines.length !== 1) {
    throw new InputError(
      lines.length === 0
        ? `${what} holds no SSH key`
        : `${what} holds ${lines.length} lines; give a single public key line or a key file`,
    );
  }
  return { info: parsePublicKeyLine(lines[0] ?? "", what), kind: "public", encrypted: false, format: "public-line" };
}

/**
 * Any key material: a public key line (options allowed), RFC4716/PEM/PKCS8 public key, or a private key of any
 * supported format. `name` (a file path or label) is used in error messages.
 * @throws InputError when the material is not a usable SSH key; PassphraseRequiredError (a subclass) when it is
 *   an encrypted PEM/PKCS#8 key and the passphrase is missing or wrong.
 */
export function parseKeyMaterial(
  data: string | Uint8Array,
  options: { passphrase?: string; name?: string } = {},
): KeyInfo {
  return parseKeyMaterialDetailed(data, options).info;
}
