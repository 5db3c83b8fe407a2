import { describe, expect, it } from "vitest";
import { check, offboard, review, whoUses } from "../../src/queries/index.js";
import {
  finishRun,
  removeUnseenRegistrations,
  replaceSource,
  saveAccount,
  saveBinding,
  saveKey,
  saveRegistration,
  saveRepository,
  setMachineUser,
  startRun,
  type Store,
} from "../../src/store/index.js";
import type { PipelineRecord } from "../../src/sources/source.js";
import { tempStore } from "../helpers/store.js";

const key = (n: number) => ({
  sha256: `SHA256:key${n}`,
  md5: `MD5:00:${String(n).padStart(2, "0")}`,
  type: "ssh-ed25519",
  bits: 256,
  publicKey: `ssh-ed25519 AAAA${n}`,
  comment: null,
});

/** A small world: alice (person) key1, deploy-bot (machine user) key2, deploy key key3 on acme/api, key4 unknown. */
function world(): { store: Store; runId: number } {
  const store = tempStore();
  const t = "2026-11-01T00:00:00.000Z";
  const runId = startRun(store, "crawl", { orgs: ["acme"] }, t);
  const alice = saveAccount(store, { login: "alice" }, runId, t);
  const bot = saveAccount(store, { login: "deploy-bot" }, runId, t);
  setMachineUser(store, ["deploy-bot"], true, t);
  const repo = saveRepository(store, { fullName: "acme/api", org: "acme" }, runId, t);
  saveRegistration(store, { keyId: saveKey(store, key(1), t), kind: "user_key", accountId: alice }, runId, t);
  saveRegistration(store, { keyId: saveKey(store, key(2), t), kind: "user_key", accountId: bot }, runId, t);
  saveRegistration(store, { keyId: saveKey(store, key(3), t), kind: "deploy_key", repositoryId: repo, addedBy: "alice" }, runId, t);
  finishRun(store, runId, { complete: true }, t);
  const scan = startRun(store, "scan", {}, t);
  const use = (name: string, ref: PipelineRecord["uses"][number]["key"]): PipelineRecord => ({
    name,
    source: `/jenkins/jobs/${name}/config.xml`,
    repository: "acme/api",
    uses: [{ key: ref, evidence: `jobs/${name}/config.xml:12` }],
  });
  replaceSource(
    store,
    {
      system: "jenkins",
      location: "/jenkins",
      runId: scan,
      pipelines: [
        use("deploy-prod", { kind: "key", key: key(1) }),
        use("release/deploy-prod", { kind: "key", key: key(1) }),
        use("nightly", { kind: "key", key: key(2) }),
        use("docs", { kind: "fingerprint", md5: key(3).md5 }),
        use("adhoc", { kind: "key", key: key(4) }),
        use("mystery", { kind: "reference", referenceKind: "credential", name: "old-cred" }),
      ],
    },
    t,
  );
  finishRun(store, scan, { complete: true }, t);
  return { store, runId };
}

const NOW = "2026-11-02T00:00:00.000Z";

describe("the answers", () => {
  it("who-uses names the owner and both pipelines of a personal key", () => {
    const { store } = world();
    const r = whoUses(store, { sha256: "SHA256:key1" }, NOW);
    expect(r.registrations.map((x) => [x.kind, x.account, x.personal, x.present])).toEqual([["user_key", "alice", true, true]]);
    expect(r.pipelines.map((p) => p.name).sort()).toEqual(["deploy-prod", "release/deploy-prod"]);
  });

  it("who-uses resolves a pipeline that named the key by MD5 before any crawl had seen the key", () => {
    const { store } = world();
    const scan = startRun(store, "scan", {}, NOW);
    replaceSource(
      store,
      { system: "circleci", location: "/co", runId: scan, pipelines: [{ name: "co:build", source: "/co/.circleci/config.yml", uses: [{ key: { kind: "fingerprint", md5: key(5).md5 }, evidence: "config.yml:9" }] }] },
      NOW,
    );
    expect(whoUses(store, { md5: key(5).md5 }, NOW).known).toBe(false);
    saveKey(store, key(5), NOW); // a later crawl meets the key
    const r = whoUses(store, { md5: key(5).md5 }, NOW);
    expect(r.fingerprint).toBe("SHA256:key5");
    expect(r.pipelines.map((p) => [p.name, p.resolvedBy])).toEqual([["co:build", "md5"]]);
  });

  it("who-uses says an unseen key is unknown", () => {
    const { store } = world();
    expect(whoUses(store, { sha256: "SHA256:nope" }, NOW)).toMatchObject({ known: false, registrations: [], pipelines: [] });
  });

  it("review flags the personal key twice, the unknown key and the unresolved credential, not the machine user or deploy key", () => {
    const { store } = world();
    const r = review(store, "personal", NOW);
    expect(r.findings.map((f) => [f.reason, f.pipeline.name, f.account]).sort()).toEqual(
      [
        ["personal-key", "deploy-prod", "alice"],
        ["personal-key", "release/deploy-prod", "alice"],
        ["unknown-key", "adhoc", null],
        ["unresolved-reference", "mystery", null],
      ].sort(),
    );
    expect(r.failed).toBe(true);
    expect(review(store, "none", NOW).failed).toBe(false);
  });

  it("a binding turns an unresolved reference into a judged key", () => {
    const { store } = world();
    saveBinding(store, { pipeline: "mystery", reference: "old-cred", keyId: saveKey(store, key(2), NOW) }, NOW);
    expect(review(store, "any", NOW).findings.find((f) => f.pipeline.name === "mystery")).toBeUndefined();
    expect(whoUses(store, { sha256: "SHA256:key2" }, NOW).pipelines.map((p) => p.name).sort()).toEqual(["mystery", "nightly"]);
  });

  it("check names the pipelines whose key a later complete crawl no longer sees, with reason and time", () => {
    const { store } = world();
    expect(check(store, NOW).broken).toEqual([]);
    const run2 = startRun(store, "crawl", {}, "2026-11-03T00:00:00.000Z");
    const alice = (store.db.prepare("SELECT id FROM accounts WHERE login = 'alice'").get() as { id: number }).id;
    removeUnseenRegistrations(store, { accountId: alice, kinds: ["user_key"], runId: run2, reason: "key-removed" }, "2026-11-03T00:00:00.000Z");
    finishRun(store, run2, { complete: true }, "2026-11-03T00:00:00.000Z");
    const broken = check(store, NOW).broken;
    expect(broken.map((b) => [b.pipeline.name, b.account, b.reason, b.removedAt]).sort()).toEqual([
      ["deploy-prod", "alice", "key-removed", "2026-11-03T00:00:00.000Z"],
      ["release/deploy-prod", "alice", "key-removed", "2026-11-03T00:00:00.000Z"],
    ]);
    expect(review(store, "personal", NOW).findings.filter((f) => f.reason === "removed-key")).toHaveLength(2);
  });

  it("offboard lists the person's keys, the pipelines on them and the deploy keys they added", () => {
    const { store } = world();
    const r = offboard(store, "alice", NOW);
    expect(r.keys.map((k) => k.fingerprint)).toEqual(["SHA256:key1"]);
    expect(r.pipelines.map((p) => [p.name, p.via]).sort()).toEqual([
      ["deploy-prod", "account-key"],
      ["docs", "added-deploy-key"],
      ["release/deploy-prod", "account-key"],
    ]);
    expect(r.deployKeysAdded.map((d) => d.repository)).toEqual(["acme/api"]);
    expect(r.repositories).toEqual(["acme/api"]);
    expect(offboard(store, "deploy-bot", NOW).machineUser).toBe(true);
    expect(() => offboard(store, "nobody", NOW)).toThrow(/no crawl has seen the account nobody/);
  });

  it("a rescan replaces the source's pipelines", () => {
    const { store } = world();
    const scan = startRun(store, "scan", {}, NOW);
    replaceSource(store, { system: "jenkins", location: "/jenkins", runId: scan, pipelines: [] }, NOW);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM pipelines").get()).toEqual({ n: 0 });
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM key_uses").get()).toEqual({ n: 0 });
  });
});
