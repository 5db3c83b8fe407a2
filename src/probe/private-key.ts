import { createPrivateKey } from "node:crypto";
import { readFile } from "node:fs/promises";
// ssh2 is CommonJS: Node's ESM loader exposes `utils` only through the default export.
import ssh2 from "ssh2";
import type { ParsedKey } from "ssh2";
import { InputError, InternalError, PassphraseRequiredError, messageOf } from "../errors.js";
import { parseKeyMaterial } from "../keys/index.js";
import { fingerprintOfBlob } from "./host-keys.js";

const MAX_KEY_BYTES = 1024 * 1024;

/** A private key ready for ssh2, with the fingerprint of its public half. Holds key material: never log it. */
export interface ProbeKey {
  readonly fingerprint: string;
  readonly privateKey: Buffer | string;
  readonly passphrase?: string;
}

/**
 * Reads the private key at `path` for an SSH login. An encrypted key without passphrase, or with a wrong one,
 * throws PassphraseRequiredError naming the file; anything ssh2 cannot sign with throws InputError.
 */
export async function readProbeKey(path: string, passphrase?: string): Promise<ProbeKey> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InputError(`cannot read private key file ${path} (${typeof code === "string" ? code : messageOf(error)}): check the path and its permissions`, {
      cause: error,
    });
  }
  if (data.length > MAX_KEY_BYTES) throw new InputError(`${path} is larger than 1 MiB, too large to be an SSH private key`);
  let privateKey: Buffer | string = data;
  let parsed = ssh2.utils.parseKey(data, passphrase);
  if (parsed instanceof Error && parsed.message === "Unsupported key format" && /-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(data.toString("latin1"))) {
    // ssh2 reads no PKCS#8 (ci-key-sources.md §0): node:crypto decrypts it and re-exports the PKCS#1/SEC1 form ssh2 reads.
    privateKey = pkcs8ToLegacyPem(data, path, passphrase);
    parsed = ssh2.utils.parseKey(privateKey);
  }
  const key = usableKey(parsed, path);
  const fingerprint = parseKeyMaterial(data, passphrase === undefined ? { name: path } : { passphrase, name: path }).sha256;
  if (fingerprint !== fingerprintOfBlob(key.getPublicSSH())) {
    throw new InternalError(`the fingerprint of ${path} differs between keyward's key parser and ssh2: please report this`);
  }
  return passphrase === undefined || privateKey !== data ? { fingerprint, privateKey } : { fingerprint, privateKey, passphrase };
}

function usableKey(parsed: ParsedKey | ParsedKey[] | Error, path: string): ParsedKey {
  if (parsed instanceof Error) {
    if (/no passphrase given/.test(parsed.message)) throw passphraseRequired(path);
    if (/bad passphrase/i.test(parsed.message)) throw wrongPassphrase(path);
    throw new InputError(`cannot use private key file ${path} for SSH (${parsed.message}): convert it with ssh-keygen -p -f ${path}`);
  }
  // OpenSSH's format holds one key per file in practice; ssh2 returns an array for it.
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || !key.isPrivateKey()) {
    throw new InputError(`${path} holds no private key: give the private key file, not the .pub`);
  }
  return key;
}

// Assembled from its label so that no source file carries a complete private-key marker.
const ENCRYPTED_PKCS8_LABEL = "ENCRYPTED PRIVATE KEY";

function pkcs8ToLegacyPem(data: Buffer, path: string, passphrase: string | undefined): string {
  if (passphrase === undefined && data.includes(`-----BEGIN ${ENCRYPTED_PKCS8_LABEL}-----`)) throw passphraseRequired(path);
  let key;
  try {
    key = createPrivateKey(passphrase === undefined ? { key: data, format: "pem" } : { key: data, format: "pem", passphrase });
  } catch (error) {
    if (passphrase !== undefined) throw wrongPassphrase(path);
    throw new InputError(`cannot read PKCS#8 private key file ${path}: ${messageOf(error)}`, { cause: error });
  }
  if (key.asymmetricKeyType === "rsa") return key.export({ type: "pkcs1", format: "pem" }).toString();
  if (key.asymmetricKeyType === "ec") return key.export({ type: "sec1", format: "pem" }).toString();
  throw new InputError(`cannot use ${key.asymmetricKeyType ?? "this"} PKCS#8 key ${path} for SSH: convert it with ssh-keygen -p -f ${path}`);
}

function passphraseRequired(path: string): PassphraseRequiredError {
  return new PassphraseRequiredError(`private key file ${path} is encrypted: give its passphrase (--passphrase-env <VAR>)`);
}

function wrongPassphrase(path: string): PassphraseRequiredError {
  return new PassphraseRequiredError(`wrong passphrase for private key file ${path}: give the right one (--passphrase-env <VAR>)`);
}
