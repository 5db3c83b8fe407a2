import { describe, expect, it } from "vitest";
import {
  finishRun,
  removeRegistrationsOf,
  removeUnseenRegistrations,
  saveAccount,
  saveKey,
  saveRegistration,
  startRun,
} from "../../src/store/index.js";
import { tempStore } from "../helpers/store.js";

const KEY = { sha256: "SHA256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", md5: "MD5:00:11", type: "ssh-ed25519", bits: 256, publicKey: "ssh-ed25519 AAAA" };

function events(store: ReturnType<typeof tempStore>): string[] {
  return (store.db.prepare("SELECT change || ':' || IFNULL(reason, '') AS e FROM events WHERE entity = 'registration' ORDER BY id").all() as { e: string }[]).map((r) => r.e);
}

describe("registration history", () => {
  it("keeps first_seen, refreshes last_seen, and records removal and reappearance as events", () => {
    const store = tempStore();
    const run1 = startRun(store, "crawl", {}, "2026-01-01T00:00:00Z");
    const alice = saveAccount(store, { login: "alice", githubId: 1 }, run1, "2026-01-01T00:00:00Z");
    const keyId = saveKey(store, KEY, "2026-01-01T00:00:00Z");
    saveRegistration(store, { keyId, kind: "user_key", accountId: alice, githubId: 7 }, run1, "2026-01-01T00:00:00Z");
    finishRun(store, run1, { complete: true }, "2026-01-01T00:01:00Z");

    const run2 = startRun(store, "crawl", {}, "2026-01-02T00:00:00Z");
    // Run 2 fetched alice's keys completely and did not see the key.
    expect(removeUnseenRegistrations(store, { accountId: alice, kinds: ["user_key"], runId: run2, reason: "key-removed" }, "2026-01-02T00:00:00Z")).toBe(1);
    let row = store.db.prepare("SELECT first_seen, removed_at, removal_reason FROM registrations").get();
    expect(row).toEqual({ first_seen: "2026-01-01T00:00:00Z", removed_at: "2026-01-02T00:00:00Z", removal_reason: "key-removed" });

    const run3 = startRun(store, "crawl", {}, "2026-01-03T00:00:00Z");
    saveRegistration(store, { keyId, kind: "user_key", accountId: alice }, run3, "2026-01-03T00:00:00Z");
    row = store.db.prepare("SELECT first_seen, last_seen, removed_at, github_id FROM registrations").get();
    expect(row).toEqual({ first_seen: "2026-01-01T00:00:00Z", last_seen: "2026-01-03T00:00:00Z", removed_at: null, github_id: "7" });
    expect(events(store)).toEqual(["added:", "removed:key-removed", "reappeared:"]);
  });

  it("does not remove what the current run saw, and removes nothing for another owner", () => {
    const store = tempStore();
    const run = startRun(store, "crawl", {}, "t1");
    const alice = saveAccount(store, { login: "alice" }, run, "t1");
    const bob = saveAccount(store, { login: "bob" }, run, "t1");
    const k1 = saveKey(store, { ...KEY, sha256: "SHA256:1" }, "t1");
    const k2 = saveKey(store, { ...KEY, sha256: "SHA256:2" }, "t1");
    saveRegistration(store, { keyId: k1, kind: "user_key", accountId: alice }, run, "t1");
    saveRegistration(store, { keyId: k2, kind: "user_key", accountId: bob }, run, "t1");
    expect(removeUnseenRegistrations(store, { accountId: alice, kinds: ["user_key"], runId: run, reason: "key-removed" }, "t1")).toBe(0);
    const run2 = startRun(store, "crawl", {}, "t2");
    saveRegistration(store, { keyId: k1, kind: "user_key", accountId: alice }, run2, "t2");
    expect(removeUnseenRegistrations(store, { accountId: alice, kinds: ["user_key"], runId: run2, reason: "key-removed" }, "t2")).toBe(0);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM registrations WHERE removed_at IS NOT NULL").get()).toEqual({ n: 0 });
  });

  it("records a deploy key disabled by policy and enabled again", () => {
    const store = tempStore();
    const run = startRun(store, "crawl", {}, "t1");
    const repo = store.db.prepare("INSERT INTO repositories (full_name, first_seen, last_seen) VALUES ('acme/api', 't1', 't1') RETURNING id").get() as { id: number };
    const k = saveKey(store, KEY, "t1");
    saveRegistration(store, { keyId: k, kind: "deploy_key", repositoryId: repo.id, enabled: true }, run, "t1");
    saveRegistration(store, { keyId: k, kind: "deploy_key", repositoryId: repo.id, enabled: false }, run, "t2");
    saveRegistration(store, { keyId: k, kind: "deploy_key", repositoryId: repo.id, enabled: true }, run, "t3");
    expect(events(store)).toEqual(["added:", "disabled:deploy-key-disabled", "enabled:"]);
  });

  it("removes an owner's registrations with a reason when the account leaves", () => {
    const store = tempStore();
    const run = startRun(store, "crawl", {}, "t1");
    const alice = saveAccount(store, { login: "alice" }, run, "t1");
    const k = saveKey(store, KEY, "t1");
    saveRegistration(store, { keyId: k, kind: "user_key", accountId: alice }, run, "t1");
    expect(removeRegistrationsOf(store, { accountId: alice, kinds: ["user_key"], runId: run, reason: "account-left-org" }, "t2")).toBe(1);
    expect(store.db.prepare("SELECT removal_reason FROM registrations").get()).toEqual({ removal_reason: "account-left-org" });
  });

  it("stores SQL-looking input as data", () => {
    const store = tempStore();
    const login = "x'); DROP TABLE accounts; --";
    saveAccount(store, { login, name: "Robert'); DROP TABLE keys;--" }, null, "t1");
    expect(store.db.prepare("SELECT login, name FROM accounts").get()).toEqual({ login, name: "Robert'); DROP TABLE keys;--" });
  });
});
