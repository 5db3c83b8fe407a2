import { describe, expect, it } from "vitest";
import { generateOrgState, makeEd25519PublicKey, type FaultSpec, type SimState } from "../../src/demo/simulator/index.js";
import { crawlSim, registrations, startSim, storedFacts, tempStore } from "./crawl-helpers.js";

function org(): SimState {
  return generateOrgState({ org: "acme", members: 230, repos: 130, bigKeyAccounts: 1, deployKeyEvery: 4 });
}

async function cleanFacts(): Promise<unknown> {
  const sim = await startSim(org());
  const store = tempStore();
  const result = await crawlSim(store, sim);
  expect(result.complete).toBe(true);
  return storedFacts(store);
}

describe("crawl under faults", () => {
  it.each<[string, FaultSpec[]]>([
    ["5xx bursts", [
      { match: { graphql: "OrgMembersPublicKeys" }, kind: "status", status: 502, times: 2, afterRequests: 1 },
      { match: { graphql: "OrgReposDeployKeys" }, kind: "status", status: 503, times: 1 },
      { match: { path: /\/keys$/ }, kind: "status", status: 500, times: 3, afterRequests: 5 },
    ]],
    ["connection resets", [
      { match: { graphql: "UserPublicKeysPage" }, kind: "reset", times: 1 },
      { match: { path: /\/keys$/ }, kind: "reset", times: 2, afterRequests: 2 },
    ]],
    ["a secondary rate limit with retry-after", [
      { match: { graphql: true }, kind: "secondary-rate-limit", retryAfter: 2, times: 2, afterRequests: 1 },
      { match: { path: /\/keys$/ }, kind: "secondary-rate-limit", retryAfter: 1, times: 1 },
    ]],
    ["a spent primary limit that resets soon", [
      { match: { graphql: "OrgReposDeployKeys" }, kind: "primary-exhausted", retryAfter: 2, times: 1 },
    ]],
    ["a hanging request", [
      { match: { graphql: "OrgMembersPublicKeys" }, kind: "hang", times: 1, afterRequests: 1 },
      { match: { path: /\/keys$/ }, kind: "hang", times: 1, afterRequests: 3 },
    ]],
  ])("stores the same as a clean crawl after %s", async (_name, faults) => {
    const expected = await cleanFacts();
    const sim = await startSim(org());
    for (const fault of faults) sim.addFault(fault);
    const store = tempStore();
    const result = await crawlSim(store, sim, { requestTimeoutMs: 400 });
    expect(result.missing).toEqual([]);
    expect(result.complete).toBe(true);
    expect(sim.counts.faults).toBeGreaterThanOrEqual(faults.length);
    expect(storedFacts(store)).toEqual(expected);
  });

  it("marks nothing removed when deploy key details fail persistently, and names the repository", async () => {
    const state = org();
    const repo = state.orgs.acme!.repos.find((r) => r.name === "repo-00004")!;
    repo.deployKeys.push({ id: 4_000_001, key: makeEd25519PublicKey("second"), title: "second", createdAt: "2024-01-01T00:00:00Z" });
    const sim = await startSim(state);
    const store = tempStore();
    expect((await crawlSim(store, sim)).complete).toBe(true);
    // Remove one of repo-00004's two deploy keys and make its details fail: the repository concludes nothing.
    repo.deployKeys.pop();
    sim.addFault({ match: { path: "/repos/acme/repo-00004/keys" }, kind: "status", status: 502, times: Infinity });
    const result = await crawlSim(store, sim, { retry: { retries: 2, baseDelayMs: 1 } });
    expect(result.complete).toBe(false);
    expect(result.missing).toHaveLength(1);
    expect(result.missing[0]).toMatch(/^deploy key details of acme\/repo-00004 \(GitHub answered 502/);
    expect(result.removed.registrations).toBe(0);
    expect(registrations(store).filter((r) => r.removedAt !== null)).toEqual([]);
    const run = store.db.prepare("SELECT complete, missing FROM runs WHERE id = ?").get(result.runId) as { complete: number; missing: string };
    expect(run.complete).toBe(0);
    expect(JSON.parse(run.missing)).toEqual(result.missing);
  });

  it("marks nothing removed when a member page fails persistently", async () => {
    const state = org();
    const sim = await startSim(state);
    const store = tempStore();
    expect((await crawlSim(store, sim)).complete).toBe(true);
    // A member leaves, another deletes a key, a repository goes: then the second member page keeps failing.
    const acme = state.orgs.acme!;
    acme.members = acme.members.filter((m) => m.login !== "acme-m00007");
    state.users["acme-m00003"]!.keys.pop();
    acme.repos = acme.repos.filter((r) => r.name !== "repo-00001");
    sim.addFault({ match: { graphql: "OrgMembersPublicKeys" }, kind: "status", status: 500, times: Infinity, afterRequests: 1 });
    sim.addFault({ match: { graphql: "OrgReposDeployKeys" }, kind: "reset", times: Infinity, afterRequests: 1 });
    const result = await crawlSim(store, sim, { retry: { retries: 1, baseDelayMs: 1 } });
    expect(result.complete).toBe(false);
    expect(result.missing.some((m) => m.startsWith("members of acme (after 100)"))).toBe(true);
    expect(result.missing.some((m) => m.startsWith("repositories of acme (after 100)"))).toBe(true);
    // acme-m00003 was on the first page, complete: its deleted key IS concluded; nothing else is.
    expect(result.removed).toEqual({ registrations: 1, memberships: 0, repositories: 0 });
    const removed = registrations(store).filter((r) => r.removedAt !== null);
    expect(removed.map((r) => [r.owner, r.reason])).toEqual([["acme-m00003", "key-removed"]]);
    const memberships = store.db.prepare("SELECT COUNT(*) AS n FROM memberships WHERE removed_at IS NOT NULL").get() as { n: number };
    expect(memberships.n).toBe(0);
  });

  it("stops cleanly on a spent rate limit that resets too late, and says when to resume", async () => {
    const sim = await startSim(org());
    const store = tempStore();
    sim.addFault({ match: { graphql: "OrgReposDeployKeys" }, kind: "primary-exhausted", retryAfter: 3_000, times: Infinity });
    const result = await crawlSim(store, sim, { maxRateLimitWaitSeconds: 60 });
    expect(result.complete).toBe(false);
    expect(result.missing).toContain("repositories of acme (after 0) (rate limit)");
    expect(result.warnings.join("\n")).toMatch(/rate limit for this token is spent until \d{4}-\d\d-\d\dT.*run keyward crawl again after that/);
    expect(result.removed).toEqual({ registrations: 0, memberships: 0, repositories: 0 });
  });
});
