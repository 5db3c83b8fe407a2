import { createHash } from "node:crypto";

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l -E sha256` prints (sshkey.c `fingerprint_b64`). */
export function sha256Fingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** `MD5:aa:bb:…`, as `ssh-keygen -l -E md5` prints. */
export function md5Fingerprint(blob: Uint8Array): string {
  const hex = createHash("md5").update(blob).digest("hex");
  return `MD5:${hex.match(/../g)?.join(":") ?? ""}`;
}
