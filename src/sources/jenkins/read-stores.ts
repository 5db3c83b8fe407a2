import { isAbsolute, join } from "node:path";
import type { ScanWarning } from "../source.js";
import type { SecretKeys } from "./decrypt.js";
import { parseCredentialStore } from "./parse-credentials.js";
import type { XmlElement } from "./parse-xml.js";
import type { CredentialStore } from "./resolve-uses.js";
import type { CredentialFiles, KeyFileResult, ResolvedCredential } from "./transform-credential.js";
import { transformCredential } from "./transform-credential.js";
import { MAX_KEY_BYTES, readTextFileSync } from "./walk.js";

/** The private key files `UsersPrivateKeySource` tries, in the controller user's `~/.ssh` (ssh-credentials plugin). */
const USER_KEY_FILES = ["id_ecdsa", "id_ed25519", "id_rsa", "id_dsa", "identity"];

/** Reads key files for credentials that point at controller files. */
export function credentialFiles(home: string): CredentialFiles {
  let userKeys: Array<{ path: string; text: string }> | null = null;
  return {
    readKeyFile(path: string): KeyFileResult {
      const result = readTextFileSync(isAbsolute(path) ? path : join(home, path), MAX_KEY_BYTES);
      if ("text" in result) return result;
      if (result.error === "not-found") return { error: "not-found" };
      return { error: result.error === "too-large" ? "too-large" : "unreadable" };
    },
    controllerUserKeys() {
      // On a controller JENKINS_HOME is usually the jenkins user's home, so its ~/.ssh is JENKINS_HOME/.ssh.
      // The scanning user's own ~/.ssh is never read: its keys are not Jenkins'.
      if (userKeys === null) {
        userKeys = [];
        for (const name of USER_KEY_FILES) {
          const path = join(home, ".ssh", name);
          const result = readTextFileSync(path, MAX_KEY_BYTES);
          if ("text" in result) userKeys.push({ path, text: result.text });
        }
      }
      return userKeys;
    },
  };
}

const PROBLEMS: Readonly<Record<string, string>> = {
  "passphrase-required": "its private key is encrypted and the stored passphrase does not open it: the fingerprint is unknown",
  "invalid-key": "its stored private key is not a valid SSH private key",
  "decrypt-failed": "its private key does not decrypt with this home's secrets/ (copied from another controller?)",
  "file-not-found": "its privateKeyFile does not exist on this machine: copy the file here to resolve it",
  "file-unreadable": "its privateKeyFile cannot be read here (permissions or size)",
  "not-readable-here":
    "it uses the controller user's ~/.ssh keys, which are not readable here (looked in JENKINS_HOME/.ssh)",
  "no-key": "it holds no private key",
};

/**
 * Loads one store: resolves each SSH credential to its public keys and warns once per credential that cannot
 * be fingerprinted. `onNoSecrets` is called when a credential needs the missing secrets.
 */
export function loadCredentialStore(
  container: XmlElement,
  raw: string,
  label: string,
  relativePath: string,
  absolutePath: string,
  keys: SecretKeys,
  files: CredentialFiles,
  warn: (warning: ScanWarning) => void,
  onNoSecrets: () => void,
): CredentialStore {
  const parsed = parseCredentialStore(container, raw);
  const ssh = new Map<string, ResolvedCredential>();
  for (const entry of parsed.ssh) {
    if (ssh.has(entry.id)) {
      warn({ path: absolutePath, message: `credential "${entry.id}" is defined twice in the ${label} store; the first one is used` });
      continue;
    }
    const credential = transformCredential(entry, label, relativePath, keys, files);
    ssh.set(entry.id, credential);
    const reported = new Set<string>();
    for (const key of credential.keys) {
      if (key.status === "ok" || reported.has(key.status)) continue;
      reported.add(key.status);
      if (key.status === "no-secrets") {
        onNoSecrets();
        continue;
      }
      const problem = PROBLEMS[key.status] ?? key.status;
      warn({ path: absolutePath, message: `credential "${entry.id}" (${label} store, line ${entry.line}): ${problem}` });
    }
  }
  return { label, path: relativePath, ssh, others: parsed.others };
}
