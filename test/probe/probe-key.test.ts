import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError, GitHubApiError, InputError, PassphraseRequiredError } from "../../src/errors.js";
import { probeKey } from "../../src/probe/index.js";
import { startFakeGitHubSsh, startSilentServer } from "../helpers/fake-github-ssh.js";
import type { FakeGitHubSsh } from "../helpers/fake-github-ssh.js";
import { generateKey } from "../helpers/ssh-keygen.js";
import type { GeneratedKey, KeygenOptions, KeygenType } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";

const GREETING_END = "! You've successfully authenticated, but GitHub does not provide shell access.";

let dir: string;
let hostKey: GeneratedKey;
let alice: GeneratedKey;
let deploy: GeneratedKey;
let stranger: GeneratedKey;
let carol: GeneratedKey;
let server: FakeGitHubSsh;
let knownHosts: string;
const formats: [label: string, type: KeygenType, options: KeygenOptions][] = [
  ["rsa, PEM", "rsa", { format: "PEM", bits: 2048 }],
  ["rsa, PKCS#8", "rsa", { format: "PKCS8", bits: 2048 }],
  ["ecdsa-256, OpenSSH", "ecdsa-256", {}],
  ["ecdsa-384, PKCS#8 encrypted", "ecdsa-384", { format: "PKCS8", passphrase: "pkcs8 pass" }],
  ["ecdsa-521, PEM encrypted", "ecdsa-521", { format: "PEM", passphrase: "pem pass" }],
];
const formatKeys = new Map<string, GeneratedKey>();

beforeAll(async () => {
  dir = tempDir("keyward-probe-", { keep: true });
  hostKey = generateKey(dir, "ed25519", { name: "host_key" });
  alice = generateKey(dir, "ed25519", { name: "alice" });
  deploy = generateKey(dir, "rsa", { name: "deploy", bits: 2048 });
  stranger = generateKey(dir, "ed25519", { name: "stranger" });
  carol = generateKey(dir, "ed25519", { name: "carol", passphrase: "correct horse" });
  for (const [label, type, options] of formats) formatKeys.set(label, generateKey(dir, type, { ...options, name: label.replace(/\W+/g, "_") }));
  server = await startFakeGitHubSsh({
    hostKeyPath: hostKey.privatePath,
    registrations: [
      { publicKey: alice.publicLine, account: "alice" },
      { publicKey: deploy.publicLine, repository: "acme/api" },
      { publicKey: carol.publicLine, account: "carol" },
      ...[...formatKeys.values()].map((key) => ({ publicKey: key.publicLine, account: "formats" })),
    ],
  });
  knownHosts = join(dir, "known_hosts");
  writeFileSync(knownHosts, `[${server.host}]:${server.port} ${hostKey.publicLine}\n`);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function target(extra: { knownHostsPath?: string } = {}) {
  return { host: server.host, port: server.port, knownHostsPath: knownHosts, timeoutMs: 10_000, ...extra };
}

describe("probeKey", () => {
  it("names the account of a user key, with ssh-keygen's fingerprints of the key and the host key", async () => {
    const result = await probeKey({ privateKeyPath: alice.privatePath, ...target() });
    expect(result).toEqual({
      fingerprint: alice.sha256,
      authenticated: true,
      account: "alice",
      repository: null,
      greeting: `Hi alice${GREETING_END}`,
      host: "127.0.0.1",
      port: server.port,
      hostKeyFingerprint: hostKey.sha256,
    });
    const privateBody = readFileSync(alice.privatePath, "utf8").split("\n")[1] ?? "";
    expect(privateBody.length).toBeGreaterThan(20);
    expect(JSON.stringify(result)).not.toContain(privateBody);
  });

  it("names the repository of a deploy key", async () => {
    const result = await probeKey({ privateKeyPath: deploy.privatePath, ...target() });
    expect(result).toMatchObject({ fingerprint: deploy.sha256, authenticated: true, account: null, repository: "acme/api" });
  });

  it("reports a key the server refuses as not authenticated rather than failing", async () => {
    const result = await probeKey({ privateKeyPath: stranger.privatePath, ...target() });
    expect(result).toEqual({
      fingerprint: stranger.sha256,
      authenticated: false,
      account: null,
      repository: null,
      greeting: null,
      host: "127.0.0.1",
      port: server.port,
      hostKeyFingerprint: hostKey.sha256,
    });
  });

  it.each(formats.map(([label]) => [label]))("logs in with a %s key and reports ssh-keygen's fingerprint", async (label) => {
    const key = formatKeys.get(label);
    const passphrase = formats.find(([l]) => l === label)?.[2].passphrase;
    if (key === undefined) throw new Error(`no key for ${label}`);
    const result = await probeKey({ privateKeyPath: key.privatePath, ...(passphrase === undefined ? {} : { passphrase }), ...target() });
    expect(result).toMatchObject({ fingerprint: key.sha256, authenticated: true, account: "formats" });
  });

  it("asks for the passphrase of an encrypted key, naming the file, and works once given", async () => {
    await expect(probeKey({ privateKeyPath: carol.privatePath, ...target() })).rejects.toThrow(
      new PassphraseRequiredError(`private key file ${carol.privatePath} is encrypted: give its passphrase (--passphrase-env <VAR>)`),
    );
    await expect(probeKey({ privateKeyPath: carol.privatePath, passphrase: "wrong", ...target() })).rejects.toBeInstanceOf(
      PassphraseRequiredError,
    );
    const result = await probeKey({ privateKeyPath: carol.privatePath, passphrase: "correct horse", ...target() });
    expect(result).toMatchObject({ fingerprint: carol.sha256, authenticated: true, account: "carol" });
  });

  it("asks for the passphrase of an encrypted PKCS#8 key", async () => {
    const key = formatKeys.get("ecdsa-384, PKCS#8 encrypted");
    if (key === undefined) throw new Error("no PKCS#8 key");
    await expect(probeKey({ privateKeyPath: key.privatePath, ...target() })).rejects.toBeInstanceOf(PassphraseRequiredError);
  });

  it("refuses a public key file in place of the private key", async () => {
    await expect(probeKey({ privateKeyPath: alice.publicPath, ...target() })).rejects.toThrow(
      new InputError(`${alice.publicPath} holds no private key: give the private key file, not the .pub`),
    );
  });

  it("stops before authenticating when known_hosts lists another key for the server", async () => {
    const other = generateKey(tempDir(), "ed25519", { name: "other_host" });
    const path = join(tempDir(), "known_hosts");
    writeFileSync(path, `[127.0.0.1]:${server.port} ${other.publicLine}\n`);
    const attempts = server.authAttempts;
    const connections = server.connections;
    await expect(probeKey({ privateKeyPath: alice.privatePath, ...target({ knownHostsPath: path }) })).rejects.toThrow(
      new AuthError(
        `host key of 127.0.0.1:${server.port} does not match: received ${hostKey.sha256}, expected one of ${other.sha256} from known_hosts file ${path}; check the host or update the known_hosts file`,
      ),
    );
    expect(server.connections).toBe(connections + 1);
    expect(server.authAttempts).toBe(attempts);
  });

  it("stops before authenticating when known_hosts marks the server's key @revoked", async () => {
    const path = join(tempDir(), "known_hosts");
    writeFileSync(path, `[127.0.0.1]:${server.port} ${hostKey.publicLine}\n@revoked * ${hostKey.publicLine}\n`);
    const attempts = server.authAttempts;
    await expect(probeKey({ privateKeyPath: alice.privatePath, ...target({ knownHostsPath: path }) })).rejects.toThrow(
      /is marked @revoked in known_hosts file/,
    );
    expect(server.authAttempts).toBe(attempts);
  });

  it("accepts the server through a hashed known_hosts entry made by ssh-keygen -H", async () => {
    const path = join(tempDir(), "known_hosts");
    writeFileSync(path, `[127.0.0.1]:${server.port} ${hostKey.publicLine}\n`);
    execFileSync("ssh-keygen", ["-H", "-f", path], { stdio: "pipe" });
    expect(readFileSync(path, "utf8")).not.toContain("127.0.0.1");
    const result = await probeKey({ privateKeyPath: alice.privatePath, ...target({ knownHostsPath: path }) });
    expect(result).toMatchObject({ authenticated: true, account: "alice" });
  });

  it("does not take a port-less known_hosts entry for a server on another port, like ssh", async () => {
    const path = join(tempDir(), "known_hosts");
    writeFileSync(path, `127.0.0.1 ${hostKey.publicLine}\n`);
    const connections = server.connections;
    await expect(probeKey({ privateKeyPath: alice.privatePath, ...target({ knownHostsPath: path }) })).rejects.toThrow(
      new InputError(
        `known_hosts file ${path} lists no host key for [127.0.0.1]:${server.port}: add the server's key (ssh-keyscan -p ${server.port} 127.0.0.1)`,
      ),
    );
    expect(server.connections).toBe(connections);
  });

  it("refuses a host other than github.com without a known_hosts file, before connecting", async () => {
    const connections = server.connections;
    const { knownHostsPath: _unused, ...withoutKnownHosts } = target();
    await expect(probeKey({ privateKeyPath: alice.privatePath, ...withoutKnownHosts })).rejects.toThrow(
      new InputError(`no known host key for 127.0.0.1:${server.port}: pass --known-hosts <file> listing the server's host key`),
    );
    expect(server.connections).toBe(connections);
  });

  it("takes the greeting of a server that keeps the channel open afterwards, without waiting for the timeout", { timeout: 15_000 }, async () => {
    const lingering = await startFakeGitHubSsh({
      hostKeyPath: hostKey.privatePath,
      registrations: [{ publicKey: alice.publicLine, account: "alice" }],
      holdOpen: true,
    });
    try {
      const path = join(tempDir(), "known_hosts");
      writeFileSync(path, `[127.0.0.1]:${lingering.port} ${hostKey.publicLine}\n`);
      const result = await probeKey({ privateKeyPath: alice.privatePath, host: lingering.host, port: lingering.port, knownHostsPath: path, timeoutMs: 60_000 });
      expect(result).toMatchObject({ authenticated: true, account: "alice", greeting: `Hi alice${GREETING_END}` });
    } finally {
      await lingering.close();
    }
  });

  it("gives up on a server that accepts the connection and never answers", async () => {
    const silent = await startSilentServer();
    try {
      const path = join(tempDir(), "known_hosts");
      writeFileSync(path, `[127.0.0.1]:${silent.port} ${hostKey.publicLine}\n`);
      const probe = probeKey({ privateKeyPath: alice.privatePath, host: silent.host, port: silent.port, knownHostsPath: path, timeoutMs: 500 });
      await expect(probe).rejects.toThrow(
        new GitHubApiError(`timed out after 500 ms connecting to 127.0.0.1:${silent.port}: check the host, port and network`, null),
      );
      await expect(probe).rejects.toBeInstanceOf(GitHubApiError);
    } finally {
      await silent.close();
    }
  });

  it("reports a port where nothing listens as unreachable", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const path = join(tempDir(), "known_hosts");
    writeFileSync(path, `[127.0.0.1]:${port} ${hostKey.publicLine}\n`);
    await expect(probeKey({ privateKeyPath: alice.privatePath, host: "127.0.0.1", port, knownHostsPath: path })).rejects.toThrow(
      new RegExp(`^cannot reach 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*; check the host, port and network$`),
    );
  });
});
