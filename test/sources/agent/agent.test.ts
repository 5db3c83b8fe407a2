import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { InputError, UsageError } from "../../../src/errors.js";
import { agentSource } from "../../../src/sources/agent/index.js";
import { generateKey } from "../../helpers/ssh-keygen.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { collect } from "../shared/collect.js";

/** Starts a real ssh-agent on a socket in `dir`, stopped (by its pid) when the test ends. */
async function startAgent(dir: string): Promise<string> {
  const socket = join(dir, "agent.sock");
  const agent: ChildProcess = spawn("ssh-agent", ["-D", "-a", socket], { stdio: "ignore" });
  onTestFinished(() => {
    agent.kill();
  });
  for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 25));
  if (!existsSync(socket)) throw new Error("ssh-agent did not create its socket");
  return socket;
}

/** A fake agent answering every request with `reply` (or never, when null). */
async function fakeAgent(dir: string, reply: Buffer | null): Promise<string> {
  const socket = join(dir, "fake.sock");
  const server: Server = createServer((connection) => {
    connection.on("data", () => {
      if (reply) connection.end(reply);
    });
    connection.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen(socket, r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return socket;
}

function sshString(data: Buffer | string): Buffer {
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

describe("agentSource", () => {
  it("lists every identity of a real ssh-agent, certificates included, with ssh-keygen's and ssh-add's fingerprints", async () => {
    const dir = tempDir();
    const socket = await startAgent(dir);
    const keys = [
      generateKey(dir, "ed25519", { name: "ed" }),
      generateKey(dir, "rsa", { name: "rsa", bits: 2048 }),
      generateKey(dir, "ecdsa-256", { name: "p256" }),
      generateKey(dir, "ecdsa-521", { name: "p521", format: "PEM" }),
    ];
    const ca = generateKey(dir, "ed25519", { name: "ca" });
    const certified = generateKey(dir, "ecdsa-384", { name: "certified", comment: "certified key" });
    execFileSync("ssh-keygen", ["-q", "-s", ca.privatePath, "-I", "deploy-bot", "-n", "deploy", certified.publicPath], { stdio: "pipe" });
    const env = { ...process.env, SSH_AUTH_SOCK: socket };
    for (const key of [...keys, certified]) execFileSync("ssh-add", ["-q", key.privatePath], { env, stdio: "pipe" });

    const { pipelines, warnings } = await collect(agentSource, "pipeline:runner-7", { pipeline: "runner-7", socket });
    expect(warnings).toEqual([]);
    expect(pipelines).toHaveLength(1);
    const uses = pipelines[0]?.uses ?? [];
    // Second oracle: ssh-add's own listing, one line per identity (the certificate is listed as its own identity).
    const listed = execFileSync("ssh-add", ["-l", "-E", "sha256"], { env, encoding: "utf8" }).trim().split("\n");
    expect(uses).toHaveLength(listed.length);
    expect(listed.length).toBe(keys.length + 2);
    const fingerprints = uses.map((u) => (u.key.kind === "key" ? u.key.key.sha256 : ""));
    expect(fingerprints).toEqual(listed.map((line) => line.split(" ")[1]));
    expect(new Set(fingerprints)).toEqual(new Set([...keys, certified].map((k) => k.sha256)));
    const certificates = uses.filter((u) => u.detail?.["certificate"] === true);
    expect(certificates.map((u) => (u.key.kind === "key" ? u.key.key.sha256 : ""))).toEqual([certified.sha256]);
    uses.forEach((use, index) => expect(use.evidence).toMatch(new RegExp(`^ssh-agent ${socket.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: identity ${index + 1} \\(.+\\)$`)));
    expect(uses[0]?.evidence).toBe(`ssh-agent ${socket}: identity 1 (ed@keyward-test)`);
  });

  it("records a blob it cannot parse by its raw fingerprint and warns, never dropping it", async () => {
    const dir = tempDir();
    const good = generateKey(dir, "ed25519", { name: "good" });
    const goodBlob = Buffer.from(good.publicLine.split(" ")[1] ?? "", "base64");
    const oddBlob = Buffer.concat([sshString("ssh-future-algo@example.com"), sshString(Buffer.from([1, 2, 3]))]);
    const body = Buffer.concat([Buffer.from([12, 0, 0, 0, 2]), sshString(goodBlob), sshString("good"), sshString(oddBlob), sshString("odd")]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const socket = await fakeAgent(dir, Buffer.concat([length, body]));
    const { pipelines, warnings } = await collect(agentSource, "pipeline:p", { pipeline: "p", socket });
    const uses = pipelines[0]?.uses ?? [];
    expect(uses).toHaveLength(2);
    expect(uses[0]?.key.kind === "key" && uses[0].key.key.sha256).toBe(good.sha256);
    expect(uses[1]?.key).toMatchObject({ kind: "fingerprint", sha256: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/) as unknown });
    expect(uses[1]?.evidence).toBe(`ssh-agent ${socket}: identity 2 (odd)`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/identity 2 \(odd\) is a ssh-future-algo@example.com blob/);
  });

  it("refuses an oversized reply, a silent agent, a missing socket and a missing pipeline name", async () => {
    const dir = tempDir();
    const huge = Buffer.alloc(8);
    huge.writeUInt32BE(64 * 1024 * 1024);
    const bigSocket = await fakeAgent(dir, huge);
    await expect(collect(agentSource, "pipeline:p", { pipeline: "p", socket: bigSocket })).rejects.toThrow(/over the 1048576-byte limit/);
    const quietDir = tempDir();
    const quiet = await fakeAgent(quietDir, null);
    await expect(collect(agentSource, "pipeline:p", { pipeline: "p", socket: quiet, timeoutMs: 200 })).rejects.toThrow(/did not answer/);
    const missing = join(dir, "no.sock");
    await expect(collect(agentSource, "pipeline:p", { pipeline: "p", socket: missing })).rejects.toThrow(InputError);
    await expect(collect(agentSource, "pipeline:p", { pipeline: "p", socket: missing })).rejects.toThrow(/SSH_AUTH_SOCK/);
    await expect(collect(agentSource, "pipeline:p", { socket: missing })).rejects.toThrow(UsageError);
  });
});
