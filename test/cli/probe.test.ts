import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHubSsh, type FakeGitHubSsh } from "../helpers/fake-github-ssh.js";
import { parseJson, runKeyward } from "../helpers/cli.js";
import { generateKey, type GeneratedKey } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";

let dir: string;
let server: FakeGitHubSsh;
let knownHosts: string;
let alice: GeneratedKey;
let deploy: GeneratedKey;
let stranger: GeneratedKey;

beforeAll(async () => {
  dir = tempDir("keyward-cli-probe-", { keep: true });
  const hostKey = generateKey(dir, "ed25519", { name: "host_key" });
  mkdirSync(join(dir, "agent"));
  alice = generateKey(join(dir, "agent"), "ed25519", { name: "id_alice" });
  deploy = generateKey(join(dir, "agent"), "ecdsa-256", { name: "id_deploy" });
  stranger = generateKey(dir, "ed25519", { name: "stranger" });
  server = await startFakeGitHubSsh({
    hostKeyPath: hostKey.privatePath,
    registrations: [
      { publicKey: alice.publicLine, account: "alice" },
      { publicKey: deploy.publicLine, repository: "acme/api" },
    ],
  });
  knownHosts = join(dir, "known_hosts");
  writeFileSync(knownHosts, `[${server.host}]:${server.port} ${hostKey.publicLine}\n`);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const target = (): string[] => ["--host", server.host, "--port", String(server.port), "--known-hosts", knownHosts];

describe("keyward probe", () => {
  it("reports the account, records it, and who-uses then knows the key", async () => {
    const db = join(dir, "probe.db");
    const run = await runKeyward(["probe", alice.privatePath, ...target(), "--db", db, "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(parseJson(run)).toMatchObject({ fingerprint: alice.sha256, authenticated: true, account: "alice", repository: null });
    expect(run.stdout + run.stderr).not.toMatch(/PRIVATE KEY/);
    const who = parseJson<{ registrations: { kind: string; account: string; source: string }[] }>(
      await runKeyward(["who-uses", alice.publicPath, "--db", db, "--format", "json"]),
    );
    expect(who.registrations).toMatchObject([{ kind: "user_key", account: "alice", source: "probe" }]);
  });

  it("says GitHub does not accept an unknown key, exit 0", async () => {
    const run = await runKeyward(["probe", stranger.privatePath, ...target(), "--db", join(dir, "s.db"), "--format", "json"]);
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({ fingerprint: stranger.sha256, authenticated: false, account: null, repository: null });
  });

  it("refuses a host whose key is not in known_hosts, exit 2 with one line", async () => {
    const other = join(dir, "other_known_hosts");
    writeFileSync(other, `[${server.host}]:${server.port} ${stranger.publicLine}\n`);
    const run = await runKeyward(["probe", alice.privatePath, "--host", server.host, "--port", String(server.port), "--known-hosts", other, "--db", join(dir, "m.db")]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/host key/i);
  });

  it("scan keys --probe probes every private key found and records the answers", async () => {
    const db = join(dir, "scan.db");
    const run = await runKeyward(["scan", "keys", join(dir, "agent"), "--pipeline", "agent-1", "--probe", ...target(), "--db", db, "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const json = parseJson<{ probes: { fingerprint: string; account: string | null; repository: string | null }[] }>(run);
    expect(json.probes.map((p) => [p.fingerprint, p.account, p.repository]).sort()).toEqual(
      [
        [alice.sha256, "alice", null],
        [deploy.sha256, null, "acme/api"],
      ].sort(),
    );
    const review = parseJson<{ findings: { reason: string; account: string | null }[] }>(
      await runKeyward(["review", "--db", db, "--format", "json"]),
    );
    expect(review.findings).toEqual([expect.objectContaining({ reason: "personal-key", account: "alice" })]);
  });
});
