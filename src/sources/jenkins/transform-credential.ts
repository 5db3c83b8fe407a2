import { PassphraseRequiredError } from "../../errors.js";
import type { KeyInfo } from "../../keys/index.js";
import { parseKeyMaterial } from "../../keys/index.js";
import type { SecretKeys, SecretOutcome } from "./decrypt.js";
import { decryptSecret } from "./decrypt.js";
import type { PrivateKeySourceKind, SshCredentialEntry } from "./parse-credentials.js";

/**
 * A stored SSH credential → the public keys it holds. Decrypted private keys and passphrases exist only inside
 * `transformCredential` and are dropped once fingerprinted: nothing returned carries them.
 */

/** What became of one private key of a credential. */
export type KeyStatus =
  | "ok"
  | "passphrase-required"
  | "invalid-key"
  | "no-secrets"
  | "decrypt-failed"
  | "file-not-found"
  | "file-unreadable"
  | "not-readable-here"
  | "no-key";

/** The state of the credential's stored `privateKey` Secret. */
export type DecryptStatus = "decrypted" | "plaintext" | "no-secrets" | "failed" | "not-stored";

export interface CredentialKey {
  readonly key: KeyInfo | null;
  readonly status: KeyStatus;
  /** Controller path the key was read from (FileOnMaster / Users sources). */
  readonly keyFile?: string;
}

/** A credential as the scan reports it: where it is stored and the public keys found in it. */
export interface ResolvedCredential {
  readonly id: string;
  /** `system`, `folder:<full name>` or `user:<id>`. */
  readonly store: string;
  /** Store file relative to JENKINS_HOME and the line of the credential's id. */
  readonly storePath: string;
  readonly line: number;
  readonly domain: string | null;
  readonly username: string | null;
  readonly description: string | null;
  readonly sourceKind: PrivateKeySourceKind;
  readonly decrypt: DecryptStatus;
  /** State of the stored passphrase: `none` when the credential has none. */
  readonly passphrase: "none" | DecryptStatus;
  /** At least one entry: a credential without a usable key still yields one entry saying why. */
  readonly keys: readonly CredentialKey[];
}

/** How the read layer hands over controller files a credential points at. */
export type KeyFileResult = { readonly text: string } | { readonly error: "not-found" | "unreadable" | "too-large" };

export interface CredentialFiles {
  /** Reads a FileOnMaster `privateKeyFile` (absolute controller path), size-capped. */
  readKeyFile(path: string): KeyFileResult;
  /** The controller user's default keys that exist here (UsersPrivateKeySource), as `{ path, text }`. */
  controllerUserKeys(): ReadonlyArray<{ readonly path: string; readonly text: string }>;
}

function secretStatus(outcome: SecretOutcome): DecryptStatus {
  return outcome.status;
}

/** Splits a DirectEntry value into its keys: several keys are joined by form feeds. */
function splitKeys(value: string): string[] {
  return value
    .split("\f")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function fingerprint(text: string, passphrase: string | undefined, keyFile?: string): CredentialKey {
  const file = keyFile === undefined ? {} : { keyFile };
  try {
    const key = parseKeyMaterial(text, passphrase === undefined ? {} : { passphrase });
    return { key, status: "ok", ...file };
  } catch (error) {
    return { key: null, status: error instanceof PassphraseRequiredError ? "passphrase-required" : "invalid-key", ...file };
  }
}

/** Resolves one stored SSH credential to its public keys. */
export function transformCredential(
  entry: SshCredentialEntry,
  store: string,
  storePath: string,
  keys: SecretKeys,
  files: CredentialFiles,
): ResolvedCredential {
  let passphraseStatus: ResolvedCredential["passphrase"] = "none";
  let passphrase: string | undefined;
  if (entry.passphrase !== null && entry.passphrase.trim() !== "") {
    const outcome = decryptSecret(entry.passphrase, keys);
    passphraseStatus = secretStatus(outcome);
    if ((outcome.status === "decrypted" || outcome.status === "plaintext") && outcome.value !== "") passphrase = outcome.value;
  }

  let decrypt: DecryptStatus = "not-stored";
  const found: CredentialKey[] = [];
  if (entry.sourceKind === "file-on-master" && entry.privateKeyFile !== null && entry.privateKeyValues.length === 0) {
    const path = entry.privateKeyFile;
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(path)) {
      found.push(fingerprint(path, passphrase));
    } else {
      const file = files.readKeyFile(path);
      if ("text" in file) found.push(fingerprint(file.text, passphrase, path));
      else found.push({ key: null, status: file.error === "not-found" ? "file-not-found" : "file-unreadable", keyFile: path });
    }
  } else if (entry.sourceKind === "users" && entry.privateKeyValues.length === 0) {
    const userKeys = files.controllerUserKeys();
    for (const userKey of userKeys) found.push(fingerprint(userKey.text, passphrase, userKey.path));
    if (userKeys.length === 0) found.push({ key: null, status: "not-readable-here" });
  } else {
    const statuses: DecryptStatus[] = [];
    for (const value of entry.privateKeyValues) {
      const outcome = decryptSecret(value, keys);
      statuses.push(secretStatus(outcome));
      if (outcome.status === "decrypted" || outcome.status === "plaintext") {
        for (const text of splitKeys(outcome.value)) found.push(fingerprint(text, passphrase));
      } else {
        found.push({ key: null, status: outcome.status === "no-secrets" ? "no-secrets" : "decrypt-failed" });
      }
    }
    decrypt = statuses.find((s) => s !== "decrypted" && s !== "plaintext") ?? statuses[0] ?? "not-stored";
  }
  if (found.length === 0) found.push({ key: null, status: "no-key" });

  return {
    id: entry.id,
    store,
    storePath,
    line: entry.line,
    domain: entry.domain,
    username: entry.username,
    description: entry.description,
    sourceKind: entry.sourceKind,
    decrypt,
    passphrase: passphraseStatus,
    keys: found,
  };
}
