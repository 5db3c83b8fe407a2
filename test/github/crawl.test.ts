import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOrgState, makeEd25519PublicKey, type SimKey, type SimState } from "../../src/demo/simulator/index.js";
import { generateKey, type GeneratedKey } from "../helpers/ssh-keygen.js";
import type { CrawlProgress } from "../../src/github/index.js";
import { tempDir } from "../helpers/temp-dir.js";
import { crawlSim, registrations, startSim, tempStore } from "./crawl-helpers.js";

let nextId = 1;
function simKey(line: string, extra: Partial<SimKey> = {}): SimKey {
  const id = 70_000 + nextId++;
  return { id, key: line, title: `key ${id}`, createdAt: "2024-01-02T03:04:05Z", verified: true, ...extra };
}

/** ssh-keygen's fingerprints of every key line in a file (it reads authorized_keys-style files line by line). */
function oracleOfLines(dir: string, lines: readonly string[]): string[] {
  const file = join(dir, "lines.pub");
  writeFileSync(file, lines.map((l) => `${l}\n`).join(""));
  const out = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", file], { encoding: "utf8" });
  return out
    .trim()
    .split("\n")
    .map((l) => l.split(/\s+/)[1] ?? "");
}

interface Fixture {
  state: SimState;
  rsa: GeneratedKey;
  ed25519: GeneratedKey;
  ecdsa: GeneratedKey;
  deploy: GeneratedKey;
  manyKeys: string[];
}

/** acme: m-zero (0 keys), m-one (1 ssh-keygen key), m-many (150 keys, two from ssh-keygen); three repos. */
function fixture(): Fixture {
  const dir = tempDir();
  const ed25519 = generateKey(dir, "ed25519", { name: "one" });
  const rsa = generateKey(dir, "rsa", { name: "many-rsa", bits: 2048 });
  const ecdsa = generateKey(dir, "ecdsa-384", { name: "many-ecdsa" });
  const deploy = generateKey(dir, "ed25519", { name: "deploy" });
  const manyKeys = [rsa.publicLine, ecdsa.publicLine, ...Array.from({ length: 148 }, (_, i) => makeEd25519PublicKey(`many-${i}`))];
  const state: SimState = {
    users: {
      "m-zero": { login: "m-zero", id: 1, keys: [], signingKeys: [] },
      "m-one": { login: "m-one", id: 2, keys: [simKey(ed25519.publicLine)], signingKeys: [] },
      "m-many": { login: "m-many", id: 3, keys: manyKeys.map((l) => simKey(l)), signingKeys: [] },
    },
    orgs: {
      acme: {
        login: "acme",
        id: 100,
        members: [
          { login: "m-zero", role: "admin" },
          { login: "m-one", role: "member" },
          { login: "m-many", role: "member" },
        ],
        outsideCollaborators: [],
        repos: [
          { name: "with-key", id: 501, deployKeys: [simKey(deploy.publicLine, { readOnly: true, addedBy: "m-zero" })] },
          { name: "without-key", id: 502, archived: true, deployKeys: [] },
          {
            name: "many-deploy-keys",
            id: 504,
            deployKeys: Array.from({ length: 150 }, (_, i) => simKey(makeEd25519PublicKey(`deploy-many-${i}`), { addedBy: "m-one" })),
          },
          {
            name: "two-keys",
            id: 503,
            visibility: "private",
            deployKeys: [simKey(makeEd25519PublicKey("deploy-2")), simKey(makeEd25519PublicKey("deploy-3"), { enabled: false })],
          },
        ],
      },
    },
    tokens: { "sim-token": { login: "m-zero" } },
  };
  return { state, rsa, ed25519, ecdsa, deploy, manyKeys };
}

describe("crawl", () => {
  it("stores every key with ssh-keygen's fingerprint and the right owner", async () => {
    const f = fixture();
    const sim = await startSim(f.state);
    const store = tempStore();
    const result = await crawlSim(store, sim);
    expect(result.complete).toBe(true);
    expect(result.missing).toEqual([]);
    const regs = registrations(store);
    const of = (kind: string, owner: string): string[] => regs.filter((r) => r.kind === kind && r.owner === owner).map((r) => r.sha256).sort();

    expect(of("user_key", "m-zero")).toEqual([]);
    expect(of("user_key", "m-one")).toEqual([f.ed25519.sha256]);
    const many = of("user_key", "m-many");
    expect(many).toHaveLength(150);
    expect(many).toEqual(oracleOfLines(tempDir(), f.manyKeys).sort());
    expect(many).toContain(f.rsa.sha256);
    expect(many).toContain(f.ecdsa.sha256);
    expect(of("deploy_key", "acme/with-key")).toEqual([f.deploy.sha256]);
    expect(of("deploy_key", "acme/without-key")).toEqual([]);
    expect(of("deploy_key", "acme/two-keys")).toHaveLength(2);
    // 150 deploy keys: one more GraphQL page (b′), and two REST detail pages whose added_by reaches every key.
    expect(of("deploy_key", "acme/many-deploy-keys")).toHaveLength(150);
    expect(regs.filter((r) => r.owner === "acme/many-deploy-keys").every((r) => r.addedBy === "m-one")).toBe(true);
    expect(sim.counts.byRoute["graphql RepoDeployKeysPage"]).toBe(1);
    expect(sim.counts.byRoute["GET /repos/{owner}/{repo}/keys"]).toBe(2 + 2);

    const md5 = store.db.prepare("SELECT md5, bits FROM keys WHERE sha256 = ?").get(f.rsa.sha256) as { md5: string; bits: number };
    expect(md5).toEqual({ md5: f.rsa.md5, bits: f.rsa.bits });
    const deployRow = regs.find((r) => r.owner === "acme/with-key");
    expect(deployRow).toMatchObject({ addedBy: "m-zero", enabled: 1, removedAt: null });
    expect(regs.filter((r) => r.owner === "acme/two-keys").map((r) => r.enabled).sort()).toEqual([0, 1]);

    const roles = store.db
      .prepare("SELECT a.login, m.role FROM memberships m JOIN accounts a ON a.id = m.account_id ORDER BY a.login")
      .all();
    expect(roles).toEqual([
      { login: "m-many", role: "member" },
      { login: "m-one", role: "member" },
      { login: "m-zero", role: "admin" },
    ]);
    const archived = store.db.prepare("SELECT archived, visibility FROM repositories WHERE full_name = 'acme/without-key'").get();
    expect(archived).toEqual({ archived: 1, visibility: "public" });
    expect(result).toMatchObject({ accounts: 3, keys: 151, deployKeys: 153 });
    const run = store.db.prepare("SELECT kind, complete, finished_at IS NOT NULL AS finished FROM runs WHERE id = ?").get(result.runId);
    expect(run).toEqual({ kind: "crawl", complete: 1, finished: 1 });
  });

  it("sends exactly the pages needed, and a second crawl of an unchanged org gets 304s for the REST details", async () => {
    const members = 250;
    const repos = 120;
    const bigKeyAccounts = 2;
    const deployKeyEvery = 3;
    const state = generateOrgState({ org: "acme", members, repos, bigKeyAccounts, deployKeyEvery });
    const sim = await startSim(state);
    const store = tempStore();

    // ceil(members/100) + ceil(repos/100) + extra key pages (150 keys: one more page each)
    //   + repos with deploy keys (one REST details page each) + fixed overhead (GET /orgs/{org}, SSO authorizations)
    const reposWithDeployKeys = Math.ceil(repos / deployKeyEvery);
    const graphqlPages = Math.ceil(members / 100) + Math.ceil(repos / 100) + bigKeyAccounts * (Math.ceil(150 / 100) - 1);
    const overhead = 2;
    const expected = graphqlPages + reposWithDeployKeys + overhead;

    const progress: CrawlProgress[] = [];
    const first = await crawlSim(store, sim, { onProgress: (p) => progress.push(p) });
    expect(first.complete).toBe(true);
    expect(first.requests).toBe(expected);
    const last = (phase: string): CrawlProgress | undefined => progress.filter((p) => p.phase === phase).at(-1);
    expect(last("members")).toMatchObject({ org: "acme", membersDone: members, membersTotal: members });
    expect(last("repositories")).toMatchObject({ reposDone: repos, reposTotal: repos });
    expect(progress.at(-1)?.rateRemaining).toEqual(expect.any(Number));
    expect(first.graphqlRequests).toBe(graphqlPages);
    expect(sim.counts.rest + sim.counts.graphql).toBe(expected);
    expect(sim.counts.byRoute["GET /repos/{owner}/{repo}/keys"]).toBe(reposWithDeployKeys);

    const before = sim.rateLimitUsed("sim-token");
    sim.resetCounts();
    const second = await crawlSim(store, sim);
    const after = sim.rateLimitUsed("sim-token");
    expect(second.complete).toBe(true);
    expect(second.requests).toBe(expected);
    expect(sim.counts.notModified).toBe(reposWithDeployKeys);
    expect(second.notModified).toBe(reposWithDeployKeys);
    const spent = after.core - before.core + (after.graphql - before.graphql);
    expect(spent).toBeLessThanOrEqual(graphqlPages + 5);
    expect(second.graphqlPoints).toBe(after.graphql - before.graphql);
    // Nothing changed: nothing removed, the same rows as after the first crawl.
    expect(second.removed).toEqual({ registrations: 0, memberships: 0, repositories: 0 });
  });

  it("sends no REST deploy-key requests with deployKeyDetails false", async () => {
    const state = generateOrgState({ org: "acme", members: 30, repos: 30 });
    const sim = await startSim(state);
    const store = tempStore();
    const result = await crawlSim(store, sim, { deployKeyDetails: false });
    expect(result.complete).toBe(true);
    expect(sim.counts.byRoute["GET /repos/{owner}/{repo}/keys"]).toBeUndefined();
    expect(result.requests).toBe(1 + 1 + 2);
    expect(result.deployKeys).toBe(10);
    // GraphQL alone still tells which deploy keys are disabled.
    const disabled = store.db.prepare("SELECT COUNT(*) AS n FROM registrations WHERE kind = 'deploy_key' AND enabled = 0").get() as { n: number };
    const expectedDisabled = state.orgs.acme?.repos.filter((r) => r.deployKeys.some((k) => k.enabled === false)).length;
    expect(disabled.n).toBe(expectedDisabled);
  });

  it("runs the member and repository streams concurrently with the same stored result", async () => {
    const state = generateOrgState({ org: "acme", members: 150, repos: 150, bigKeyAccounts: 1 });
    const sim = await startSim(state);
    const serial = tempStore();
    const parallel = tempStore();
    await crawlSim(serial, sim, { concurrency: 1 });
    await crawlSim(parallel, sim, { concurrency: 8 });
    expect(registrations(parallel)).toEqual(registrations(serial));
  });
});
