import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, sign } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDemoKeyPair } from "../../src/demo/key-pair.js";
import { oracle } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * An SSHSIG signature (openssh PROTOCOL.sshsig) made with node:crypto, so that `ssh-keygen -Y verify` can tell
 * whether the public line belongs to the private key: ssh-keygen cannot read PKCS#8 ed25519 keys itself.
 */
function sshsig(privateKeyPem: string, publicLine: string, namespace: string, message: Buffer): string {
  const blob = Buffer.from(publicLine.split(" ")[1] ?? "", "base64");
  const hash = createHash("sha512").update(message).digest();
  const signed = Buffer.concat([Buffer.from("SSHSIG"), sshString(namespace), sshString(""), sshString("sha512"), sshString(hash)]);
  const raw = sign(null, signed, createPrivateKey(privateKeyPem));
  const signature = Buffer.concat([sshString("ssh-ed25519"), sshString(raw)]);
  const version = Buffer.alloc(4);
  version.writeUInt32BE(1);
  const body = Buffer.concat([Buffer.from("SSHSIG"), version, sshString(blob), sshString(namespace), sshString(""), sshString("sha512"), sshString(signature)]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return `-----BEGIN SSH SIGNATURE-----\n${lines.join("\n")}\n-----END SSH SIGNATURE-----\n`;
}

describe("generateDemoKeyPair", () => {
  it("gives a public line whose SHA256 fingerprint is the one ssh-keygen computes", () => {
    const dir = tempDir();
    const pair = generateDemoKeyPair("dan@laptop");
    writeFileSync(join(dir, "k.pub"), `${pair.publicKeyLine}\n`);
    expect(pair.publicKeyLine).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} dan@laptop$/);
    expect(pair.sha256).toBe(oracle(join(dir, "k.pub")).sha256);
  });

  it("gives a PKCS#8 private key that ssh-keygen -Y verify accepts as the owner of the public line", () => {
    const dir = tempDir();
    const pair = generateDemoKeyPair("dan@laptop");
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const message = Buffer.from("the deploy key belongs to dan\n");
    writeFileSync(join(dir, "message"), message);
    writeFileSync(join(dir, "message.sig"), sshsig(pair.privateKeyPem, pair.publicKeyLine, "file", message));
    writeFileSync(join(dir, "allowed"), `dan ${pair.publicKeyLine}\n`);
    const verified = execFileSync(
      "ssh-keygen",
      ["-Y", "verify", "-f", join(dir, "allowed"), "-I", "dan", "-n", "file", "-s", join(dir, "message.sig")],
      { input: message, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] },
    );
    expect(verified).toContain('Good "file" signature for dan');

    // The oracle can fail: another pair's public line is rejected.
    const other = generateDemoKeyPair("someone-else");
    writeFileSync(join(dir, "allowed"), `dan ${other.publicKeyLine}\n`);
    expect(() =>
      execFileSync("ssh-keygen", ["-Y", "verify", "-f", join(dir, "allowed"), "-I", "dan", "-n", "file", "-s", join(dir, "message.sig")], {
        input: message,
        stdio: ["pipe", "pipe", "pipe"],
      }),
    ).toThrow();
  });

  it("makes a different key pair on every call", () => {
    expect(generateDemoKeyPair("a").sha256).not.toBe(generateDemoKeyPair("a").sha256);
  });
});
