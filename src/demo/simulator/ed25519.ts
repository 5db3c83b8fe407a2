import { createHash, createPrivateKey, createPublicKey } from "node:crypto";

/*
 * Deterministic, real ed25519 public keys without ssh-keygen: the 32-byte private seed is SHA-256 of the caller's
 * seed, node:crypto derives the public point, and the OpenSSH line wraps it as `string "ssh-ed25519" || string pk`
 * (RFC 8709). Importing a JWK with only `d` meaningful is ~10× faster than a PKCS#8 DER import; node derives the
 * public half from `d` and ignores the placeholder `x`.
 */
const placeholderX = Buffer.alloc(32).toString("base64url");

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** The raw 32-byte public key for a seed. */
export function ed25519PublicBytes(seed: number | string): Buffer {
  const d = createHash("sha256").update(`keyward-simulator:${seed}`).digest().toString("base64url");
  const privateKey = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d, x: placeholderX }, format: "jwk" });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  return Buffer.from(jwk.x ?? "", "base64url");
}

/** The OpenSSH line of a raw 32-byte ed25519 public key. */
export function ed25519Line(publicBytes: Buffer, comment?: string): string {
  const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(publicBytes)]);
  const line = `ssh-ed25519 ${blob.toString("base64")}`;
  return comment ? `${line} ${comment}` : line;
}

/** `"ssh-ed25519 AAAA… comment"`, deterministic from `seed`. */
export function makeEd25519PublicKey(seed: number | string, comment?: string): string {
  return ed25519Line(ed25519PublicBytes(seed), comment);
}
