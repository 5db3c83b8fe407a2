import { createHash, generateKeyPairSync } from "node:crypto";

/** A fresh ed25519 key pair in the two forms the demo writes: what Jenkins holds and what GitHub lists. */
export interface DemoKeyPair {
  /** PKCS#8 PEM (`BEGIN PRIVATE KEY`): Jenkins and keyward both read it, and it needs no ssh-keygen. */
  readonly privateKeyPem: string;
  /** `ssh-ed25519 AAAA… comment`, as `ssh-keygen -y` would print it. */
  readonly publicKeyLine: string;
  /** `SHA256:<base64 without padding>` of the public key blob. */
  readonly sha256: string;
}

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/**
 * Generates a new ed25519 key pair with node:crypto. The OpenSSH public key is the RFC 8709 blob
 * `string "ssh-ed25519" || string pk` built from the raw 32-byte public point.
 */
export function generateDemoKeyPair(comment: string): DemoKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url");
  const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(raw)]);
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyLine: `ssh-ed25519 ${blob.toString("base64")} ${comment}`,
    sha256: `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`,
  };
}
