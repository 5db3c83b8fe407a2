import { join } from "node:path";
import type { SecretKeys } from "./decrypt.js";
import { deriveLegacyKey, loadConfidentialKey } from "./decrypt.js";
import { readBytes, readTextFile } from "./walk.js";

/** This home's secret keys, and why they are missing (naming the file) when they are. */
export interface HomeSecrets {
  readonly keys: SecretKeys;
  /** Relative path of the missing or unusable file, and why; null when K was loaded. */
  readonly problem: { readonly file: string; readonly reason: string } | null;
}

/**
 * Loads K from `secrets/master.key` + `secrets/hudson.util.Secret`, and the pre-1.498 key from `secret.key`
 * where present. A missing or mismatched file is not fatal: credentials then stay unresolved.
 */
export async function readHomeSecrets(home: string): Promise<HomeSecrets> {
  const legacy = await readTextFile(join(home, "secret.key"), 4096);
  const legacyKey = "text" in legacy && legacy.text.trim() !== "" ? deriveLegacyKey(legacy.text) : null;
  const masterKey = await readTextFile(join(home, "secrets", "master.key"), 4096);
  if (!("text" in masterKey)) {
    return { keys: { key: null, legacyKey }, problem: { file: "secrets/master.key", reason: masterKey.reason } };
  }
  const secret = await readBytes(join(home, "secrets", "hudson.util.Secret"), 4096);
  if (!("data" in secret)) {
    return { keys: { key: null, legacyKey }, problem: { file: "secrets/hudson.util.Secret", reason: secret.reason } };
  }
  try {
    return { keys: { key: loadConfidentialKey(masterKey.text, secret.data), legacyKey }, problem: null };
  } catch {
    return {
      keys: { key: null, legacyKey },
      problem: { file: "secrets/hudson.util.Secret", reason: "does not decrypt with secrets/master.key (files from different homes?)" },
    };
  }
}
