import { generateKeyPairSync, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** SSH wire string, written independently of src/keys so the tests do not check the code against itself. */
export function wireString(value: Uint8Array | string): Buffer {
  const bytes = Buffer.from(value);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** The wire blob of a `.pub` line (its base64 field). */
export function blobOf(publicLine: string): Buffer {
  return Buffer.from(publicLine.trim().split(/\s+/)[1] ?? "", "base64");
}

/**
 * Security-key public lines cannot be generated without a token, so we build their blobs by hand
 * (PROTOCOL.u2f: type, key, application "ssh:") and let ssh-keygen judge them.
 */
export function skPublicLines(): { ed25519: string; ecdsa: string } {
  const ed = Buffer.concat([wireString("sk-ssh-ed25519@openssh.com"), wireString(randomBytes(32)), wireString("ssh:")]);
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? "", "base64url"), Buffer.from(jwk.y ?? "", "base64url")]);
  const ec = Buffer.concat([
    wireString("sk-ecdsa-sha2-nistp256@openssh.com"),
    wireString("nistp256"),
    wireString(point),
    wireString("ssh:"),
  ]);
  return {
    ed25519: `sk-ssh-ed25519@openssh.com ${ed.toString("base64")} yubikey ed`,
    ecdsa: `sk-ecdsa-sha2-nistp256@openssh.com ${ec.toString("base64")} yubikey ec`,
  };
}

/** Signs `publicPath` with the CA at `caPath`; returns the certificate path ssh-keygen wrote. */
export function signCertificate(caPath: string, publicPath: string): string {
  execFileSync("ssh-keygen", ["-q", "-s", caPath, "-I", "key-id", "-n", "deploy", publicPath], { stdio: "pipe" });
  return publicPath.replace(/\.pub$/, "-cert.pub");
}

/**
 * A PuTTY key file (PuTTY manual appendix C) around a real public blob. The private lines are dummies: the
 * fingerprint and comment come from the clear public part only.
 */
export function writePpk(
  dir: string,
  name: string,
  publicLine: string,
  options: { version: 2 | 3; comment: string; encrypted?: boolean },
): string {
  const type = publicLine.split(/\s+/)[0] ?? "";
  const publicB64 = blobOf(publicLine).toString("base64");
  const publicLines = publicB64.match(/.{1,64}/g) ?? [];
  const lines = [
    `PuTTY-User-Key-File-${options.version}: ${type}`,
    `Encryption: ${options.encrypted ? "aes256-cbc" : "none"}`,
    `Comment: ${options.comment}`,
    `Public-Lines: ${publicLines.length}`,
    ...publicLines,
  ];
  if (options.version === 3 && options.encrypted) {
    lines.push("Key-Derivation: Argon2id", "Argon2-Memory: 8192", "Argon2-Passes: 13", "Argon2-Parallelism: 1");
    lines.push(`Argon2-Salt: ${"ab".repeat(16)}`);
  }
  lines.push("Private-Lines: 1", randomBytes(48).toString("base64"), `Private-MAC: ${"00".repeat(32)}`, "");
  const path = join(dir, name);
  writeFileSync(path, lines.join("\r\n"));
  return path;
}
