import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, UsageError } from "../../../src/errors.js";
import { keyFilesSource } from "../../../src/sources/key-files/index.js";
import type { KeyUse } from "../../../src/sources/source.js";
import { exportPublic, generateKey } from "../../helpers/ssh-keygen.js";
import { tempDir, writeTree } from "../../helpers/temp-dir.js";
import { collect } from "../shared/collect.js";

function byFingerprint(uses: readonly KeyUse[]): Record<string, { evidence: string; detail: Readonly<Record<string, unknown>> }> {
  return Object.fromEntries(uses.map((u) => [u.key.kind === "key" ? u.key.key.sha256 : "not a key", { evidence: u.evidence, detail: u.detail ?? {} }]));
}

describe("keyFilesSource", () => {
  it("fingerprints every key in a home's .ssh exactly as ssh-keygen does, one use per key", async () => {
    const root = tempDir();
    const ssh = join(root, "home", "ci", ".ssh");
    mkdirSync(ssh, { recursive: true });
    mkdirSync(join(root, "scratch"));
    const ed = generateKey(ssh, "ed25519", { name: "id_ed25519" });
    const rsaPem = generateKey(ssh, "rsa", { name: "deploy", format: "PEM", bits: 2048 });
    const encOpenssh = generateKey(ssh, "ecdsa-256", { name: "enc_openssh", passphrase: "secret pass" });
    const encPkcs8 = generateKey(ssh, "rsa", { name: "enc_pkcs8", format: "PKCS8", passphrase: "pw-12345", bits: 2048 });
    const lonePub = generateKey(join(root, "scratch"), "ecdsa-384", { name: "lone" });
    const rfc = generateKey(join(root, "scratch"), "ed25519", { name: "rfc" });
    // A public key alone (no private half), one in RFC4716 armour under an odd name, and files that are not ours.
    renameSync(lonePub.publicPath, join(ssh, "published_key"));
    writeFileSync(join(ssh, "weird-name.txt"), exportPublic(rfc.publicPath, "RFC4716"));
    writeFileSync(join(ssh, "authorized_keys"), `${lonePub.publicLine}\n${rfc.publicLine}\n`);
    writeFileSync(join(ssh, "known_hosts"), "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
    writeFileSync(join(ssh, "notes.bin"), Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    // A certificate of the ed25519 key: the same key, so the same use.
    const ca = generateKey(join(root, "scratch"), "ed25519", { name: "ca" });
    execFileSync("ssh-keygen", ["-q", "-s", ca.privatePath, "-I", "ci", "-n", "ci", ed.publicPath], { stdio: "pipe" });

    const { pipelines, warnings } = await collect(keyFilesSource, "pipeline:ci-agent", { paths: [ssh], pipeline: "ci-agent" });
    expect(warnings).toEqual([]);
    expect(pipelines).toHaveLength(1);
    expect(pipelines[0]?.name).toBe("ci-agent");
    const uses = byFingerprint(pipelines[0]?.uses ?? []);
    expect(Object.keys(uses).sort()).toEqual([ed.sha256, rsaPem.sha256, encOpenssh.sha256, encPkcs8.sha256, lonePub.sha256, rfc.sha256].sort());
    expect(uses[ed.sha256]?.evidence).toBe(ed.privatePath);
    expect(uses[ed.sha256]?.detail["files"]).toEqual(expect.arrayContaining([ed.privatePath, ed.publicPath, `${ed.privatePath}-cert.pub`]));
    expect(uses[rsaPem.sha256]?.evidence).toBe(rsaPem.privatePath);
    expect(uses[encOpenssh.sha256]).toMatchObject({ evidence: encOpenssh.privatePath, detail: { encrypted: true } });
    expect(uses[encPkcs8.sha256]).toMatchObject({ evidence: encPkcs8.privatePath, detail: { encrypted: true, fingerprintFrom: "sidecar" } });
    expect(uses[lonePub.sha256]?.evidence).toBe(join(ssh, "published_key"));
    expect(uses[rfc.sha256]?.evidence).toBe(join(ssh, "weird-name.txt"));
    const edUse = pipelines[0]?.uses.find((u) => u.key.kind === "key" && u.key.key.sha256 === ed.sha256);
    expect(edUse?.key.kind === "key" && edUse.key.key.md5).toBe(ed.md5);
  });

  it("follows IdentityFile and Include in ssh configs, expanding ~ and %d against the scanned home", async () => {
    const root = tempDir();
    const home = join(root, "home", "builder");
    const ssh = join(home, ".ssh");
    const outside = join(root, "opt", "keys");
    mkdirSync(ssh, { recursive: true });
    mkdirSync(outside, { recursive: true });
    const inTree = generateKey(ssh, "ed25519", { name: "github_deploy" });
    const far = generateKey(outside, "rsa", { name: "far", bits: 2048 });
    const config = ["Host github.com", "  IdentityFile ~/.ssh/github_deploy", "Include config.d/*", ""].join("\n");
    const included = ["Host far.example.com", `  IdentityFile=${far.privatePath}`, "  IdentityFile %d/.ssh/missing_key", "  IdentityFile ~/.ssh/%h.key", "Include /etc/ssh/elsewhere.conf", ""].join("\n");
    writeTree(ssh, { config, "config.d": { "far.conf": included } });
    const { pipelines, warnings } = await collect(keyFilesSource, ssh, { pipeline: "builder" });
    const uses = byFingerprint(pipelines[0]?.uses ?? []);
    expect(Object.keys(uses).sort()).toEqual([inTree.sha256, far.sha256].sort());
    expect(uses[inTree.sha256]).toMatchObject({ evidence: inTree.privatePath, detail: { identityFile: [`${join(ssh, "config")}:2`], hosts: ["Host github.com"] } });
    const farConfig = join(ssh, "config.d", "far.conf");
    expect(uses[far.sha256]).toMatchObject({ evidence: `${farConfig}:2`, detail: { hosts: ["Host far.example.com"] } });
    expect(warnings.map((w) => w.message)).toEqual([
      `${farConfig}:3: IdentityFile ${join(home, ".ssh", "missing_key")} does not exist`,
      `${farConfig}:4: IdentityFile ~/.ssh/%h.key uses %h, which cannot be expanded offline: not read`,
      `${farConfig}:5: Include /etc/ssh/elsewhere.conf is outside the scanned paths: not followed`,
    ]);
  });

  it("warns about a symlink loop, a huge file, an unreadable key and an encrypted key without a .pub, and keeps the rest", async () => {
    const root = tempDir();
    const good = generateKey(root, "ed25519", { name: "good" });
    const lost = generateKey(root, "rsa", { name: "lost", format: "PEM", passphrase: "pw-12345", bits: 2048 });
    rmSync(lost.publicPath);
    mkdirSync(join(root, "sub"));
    symlinkSync("..", join(root, "sub", "loop"));
    symlinkSync("/", join(root, "sub", "slash"));
    symlinkSync("self", join(root, "self"));
    writeFileSync(join(root, "huge"), Buffer.alloc(1024 * 1024 + 1, 0x41));
    const locked = generateKey(root, "ecdsa-256", { name: "locked" });
    rmSync(locked.publicPath);
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(locked.privatePath, 0);
    const { pipelines, warnings } = await collect(keyFilesSource, root, { pipeline: "p" });
    if (!asRoot) chmodSync(locked.privatePath, 0o600);
    const found = Object.keys(byFingerprint(pipelines[0]?.uses ?? []));
    expect(found).toContain(good.sha256);
    expect(found).not.toContain(lost.sha256);
    const messages = Object.fromEntries(warnings.map((w) => [w.path.slice(root.length + 1), w.message]));
    expect(messages["sub/loop"]).toMatch(/symlink loop/);
    expect(messages["sub/slash"]).toMatch(/outside .*: not followed/);
    expect(Object.keys(messages).sort()).toEqual(["huge", "lost", "self", "sub/loop", "sub/slash", ...(asRoot ? [] : ["locked"])].sort());
    expect(messages["self"]).toMatch(/symlink loop/);
    expect(messages["huge"]).toMatch(/larger than/);
    expect(messages["lost"]).toMatch(/encrypted private key/);
    if (!asRoot) expect(messages["locked"]).toMatch(/cannot be read \(EACCES\)/);
    for (const w of warnings) expect(w.message).not.toMatch(/BEGIN|PRIVATE KEY-----/);
  });

  it("throws InputError for a path that does not exist and UsageError without a pipeline name", async () => {
    const root = tempDir();
    await expect(collect(keyFilesSource, "pipeline:x", { paths: [root, join(root, "absent")], pipeline: "x" })).rejects.toThrow(InputError);
    await expect(collect(keyFilesSource, "pipeline:x", { paths: [join(root, "absent")], pipeline: "x" })).rejects.toThrow(/absent/);
    await expect(collect(keyFilesSource, root, {})).rejects.toThrow(UsageError);
  });
});
