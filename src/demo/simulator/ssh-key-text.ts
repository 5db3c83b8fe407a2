import { createHash } from "node:crypto";

/** `ssh-ed25519 AAAA…` without a comment: GitHub never returns key comments. */
export function keyWithoutComment(line: string): string {
  return line.trim().split(/\s+/).slice(0, 2).join(" ");
}

/** `SHA256:<base64 without padding>` of the key blob, as ssh-keygen prints it. */
export function sha256Fingerprint(line: string): string {
  const blob = Buffer.from(line.trim().split(/\s+/)[1] ?? "", "base64");
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}
