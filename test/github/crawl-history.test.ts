import { describe, expect, it } from "vitest";
import { generateOrgState } from "../../src/demo/simulator/index.js";
import { crawlSim, events, registrations, startSim, tempStore, type RegistrationView } from "./crawl-helpers.js";

describe("crawl history", () => {
  it("records removals with their reasons, a disabled deploy key, and a key that comes back", async () => {
    const state = generateOrgState({ org: "acme", members: 20, repos: 12, keysPerMember: 2, deployKeyEvery: 3 });
    const acme = state.orgs.acme!;
    const sim = await startSim(state);
    const store = tempStore();
    const times = ["2025-01-01T00:00:00.000Z", "2025-02-01T00:00:00.000Z", "2025-03-01T00:00:00.000Z"];
    let crawlNo = 0;
    const now = (): string => times[crawlNo] ?? "";

    const first = await crawlSim(store, sim, { now });
    expect(first.complete).toBe(true);
    expect(registrations(store).every((r) => r.removedAt === null)).toBe(true);

    const m1 = state.users["acme-m00001"]!;
    const deletedKey = m1.keys.pop()!;
    acme.members = acme.members.filter((m) => m.login !== "acme-m00002");
    acme.repos.find((r) => r.name === "repo-00003")!.deployKeys = [];
    acme.repos.find((r) => r.name === "repo-00006")!.deployKeys[0]!.enabled = false;
    acme.repos = acme.repos.filter((r) => r.name !== "repo-00009");

    crawlNo = 1;
    const second = await crawlSim(store, sim, { now });
    expect(second.complete).toBe(true);
    // m1: one key; m2: two keys (left the org); repo-00003: one; repo-00009: one (deleted).
    expect(second.removed).toEqual({ registrations: 5, memberships: 1, repositories: 1 });

    const removed = (r: RegistrationView): [string, string, string | null, string | null] => [r.kind, r.owner, r.reason, r.removedAt];
    const gone = registrations(store).filter((r) => r.removedAt !== null).map(removed);
    expect(gone).toEqual(
      expect.arrayContaining([
        ["user_key", "acme-m00001", "key-removed", times[1]],
        ["user_key", "acme-m00002", "account-left-org", times[1]],
        ["deploy_key", "acme/repo-00003", "deploy-key-removed", times[1]],
        ["deploy_key", "acme/repo-00009", "repository-deleted", times[1]],
      ]),
    );
    expect(gone).toHaveLength(5);
    const m1Keys = registrations(store).filter((r) => r.owner === "acme-m00001");
    expect(m1Keys.filter((r) => r.removedAt === null)).toHaveLength(1);

    const disabled = registrations(store).find((r) => r.owner === "acme/repo-00006")!;
    expect(disabled).toMatchObject({ enabled: 0, removedAt: null });

    const membership = store.db
      .prepare("SELECT m.removed_at AS removedAt, m.removal_reason AS reason FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE a.login = 'acme-m00002'")
      .get();
    expect(membership).toEqual({ removedAt: times[1], reason: "left-org" });
    const repo = store.db.prepare("SELECT removed_at AS removedAt, removal_reason AS reason FROM repositories WHERE full_name = 'acme/repo-00009'").get();
    expect(repo).toEqual({ removedAt: times[1], reason: "repository-deleted" });

    const secondEvents = events(store);
    expect(secondEvents).toEqual(
      expect.arrayContaining([
        { entity: "registration", change: "removed", reason: "key-removed", n: 1 },
        { entity: "registration", change: "removed", reason: "account-left-org", n: 2 },
        { entity: "registration", change: "removed", reason: "deploy-key-removed", n: 1 },
        { entity: "registration", change: "removed", reason: "repository-deleted", n: 1 },
        { entity: "registration", change: "disabled", reason: "deploy-key-disabled", n: 1 },
        { entity: "membership", change: "removed", reason: "left-org", n: 1 },
        { entity: "repository", change: "removed", reason: "repository-deleted", n: 1 },
      ]),
    );

    // The key is added again: the registration reappears, its earlier removal stays in the events.
    m1.keys.push(deletedKey);
    crawlNo = 2;
    const third = await crawlSim(store, sim, { now });
    expect(third.complete).toBe(true);
    expect(third.removed).toEqual({ registrations: 0, memberships: 0, repositories: 0 });
    expect(registrations(store).filter((r) => r.owner === "acme-m00001").every((r) => r.removedAt === null)).toBe(true);
    expect(events(store)).toEqual(
      expect.arrayContaining([
        { entity: "registration", change: "reappeared", reason: null, n: 1 },
        { entity: "registration", change: "removed", reason: "key-removed", n: 1 },
      ]),
    );
    // Three runs, each complete.
    const runs = store.db.prepare("SELECT complete FROM runs ORDER BY id").all();
    expect(runs).toEqual([{ complete: 1 }, { complete: 1 }, { complete: 1 }]);
  });

  it("keeps the keys of an account that left one org but was seen through another", async () => {
    const state = generateOrgState({ org: "acme", members: 5, repos: 0, keysPerMember: 1 });
    const other = generateOrgState({ org: "beta", members: 0, repos: 0 });
    state.orgs.beta = { ...other.orgs.beta!, members: [{ login: "acme-m00004", role: "member" }] };
    const sim = await startSim(state);
    const store = tempStore();
    expect((await crawlSim(store, sim, { orgs: ["acme", "beta"] })).complete).toBe(true);
    state.orgs.acme!.members = state.orgs.acme!.members.filter((m) => m.login !== "acme-m00004");
    const second = await crawlSim(store, sim, { orgs: ["acme", "beta"] });
    expect(second.removed).toEqual({ registrations: 0, memberships: 1, repositories: 0 });
    expect(registrations(store).find((r) => r.owner === "acme-m00004")).toMatchObject({ removedAt: null });
  });
});
