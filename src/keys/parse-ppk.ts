import { InputError } from "../errors.js";
import { decodeBase64 } from "./base64.js";
import { keyInfoFromParsed, parseKeyBlob } from "./key-blob.js";
import type { KeyInfo } from "./key-info.js";
import { SshReader } from "./ssh-buffer.js";

/** No real key needs more: a 16384-bit RSA blob is about 2 KiB, 64 base64 characters a line. */
const MAX_PUBLIC_LINES = 200;

/**
 * A PuTTY private key, versions 2 and 3 (PuTTY manual appendix C). The public blob and the comment are in clear
 * in both versions whatever the `Encryption:` header says, so no passphrase is ever needed.
 */
export function parsePpk(text: string, what: string): { info: KeyInfo; encrypted: boolean; format: string } {
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  const start = lines.findIndex((line) => line.startsWith("PuTTY-User-Key-File-"));
  const header = /^PuTTY-User-Key-File-(\d+): *(\S+)\s*$/.exec(lines[start] ?? "");
  const version = header?.[1];
  const algorithm = header?.[2];
  if (version === undefined || algorithm === undefined) {
    throw new InputError(`${what} has no valid "PuTTY-User-Key-File-<version>: <algorithm>" header`);
  }
  if (version !== "2" && version !== "3") {
    throw new InputError(`${what} is a PuTTY key file of version ${version}; convert it with puttygen to a version 2 or 3 file`);
  }
  const fields = new Map<string, string>();
  let publicData: string | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const colon = line.indexOf(": ");
    if (colon < 0) continue;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 2);
    if (fields.has(name)) continue;
    fields.set(name, value);
    if (name === "Public-Lines") {
      const count = /^\d{1,4}$/.test(value) ? Number(value) : -1;
      if (count < 1 || count > MAX_PUBLIC_LINES || i + count >= lines.length) {
        throw new InputError(`${what} has an invalid Public-Lines count`);
      }
      publicData = lines.slice(i + 1, i + 1 + count).join("");
      i += count;
    }
  }
  if (publicData === undefined) throw new InputError(`${what} has no Public-Lines section`);
  const blob = decodeBase64(publicData, what);
  if (new SshReader(blob, what).name() !== algorithm) {
    throw new InputError(`${what} names key type ${algorithm} but its public key is of another type`);
  }
  const info = keyInfoFromParsed(parseKeyBlob(blob, what), fields.get("Comment") ?? null);
  const encryption = fields.get("Encryption") ?? "none";
  return { info, encrypted: encryption !== "none", format: `ppk-v${version}` };
}
