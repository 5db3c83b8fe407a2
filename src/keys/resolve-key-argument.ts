import type { KeyInfo } from "./key-info.js";
import { looksLikeFingerprint, parseFingerprint } from "./parse-fingerprint.js";
import { parseKeyMaterial } from "./parse-material.js";
import { looksLikePublicKeyLine } from "./parse-public.js";
import { readKeyFile } from "./read-key-file.js";

/**
 * The CLI's `<key>` argument: a fingerprint, a public key line, or a path to a public/private key file.
 * @throws InputError naming the argument or the file when none of these fits.
 */
export async function resolveKeyArgument(arg: string): Promise<{ sha256?: string; md5?: string; key?: KeyInfo }> {
  if (looksLikeFingerprint(arg)) return parseFingerprint(arg);
  if (looksLikePublicKeyLine(arg)) {
    const key = parseKeyMaterial(arg, { name: "the key argument" });
    return { sha256: key.sha256, md5: key.md5, key };
  }
  const { source: _source, encrypted: _encrypted, format: _format, ...key } = await readKeyFile(arg);
  return { sha256: key.sha256, md5: key.md5, key };
}
