import { describe, expect, it } from "vitest";
import { generateOrgState, makeEd25519PublicKey, type SimState } from "../../src/demo/simulator/index.js";
import { generateKey } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";
import { crawlSim, events, registrations, startSim, tempStore } from "./crawl-helpers.js";

function withCollaborators(count: number): SimState {
  const state = generateOrgState({ org: "acme", members: 5, repos: 0 });
  const acme = state.orgs.acme!;
  acme.outsideCollaborators = [];
  for (let i = 0; i < count; i += 1) {
    const login = `oc-${i}`;
    state.users[login] = {
      login,
      id: 300_000 + i,
      keys: [{ id: 800_000 + i, key: makeEd25519PublicKey(`oc-${i}`), title: "k", createdAt: "2024-01-01T00:00:00Z" }],
      signingKeys: [],
    };
    acme.outsideCollaborators.push(login);
  }
  return state;
}

describe("crawl of accounts outside the member list", () => {
  it("fetches outside collaborators' keys in aliased batches, never one request per account", async () => {
    const sim = await startSim(withCollaborators(120));
    const store = tempStore();
    const result = await crawlSim(store, sim, { outsideCollaborators: true });
    expect(result.complete).toBe(true);
    // Two REST pages of collaborators (100 + 20); batches of at most 50 logins: 2 for the first page, 1 for the second.
    expect(sim.counts.byRoute["GET /orgs/{org}/outside_collaborators"]).toBe(2);
    expect(sim.counts.byRoute["graphql AccountsPublicKeys"]).toBe(3);
    expect(sim.counts.byRoute["GET /users/{username}/keys"]).toBeUndefined();
    const collaborators = store.db.prepare("SELECT COUNT(*) AS n FROM memberships WHERE relation = 'outside_collaborator'").get();
    expect(collaborators).toEqual({ n: 120 });
    expect(registrations(store).filter((r) => r.owner.startsWith("oc-"))).toHaveLength(120);
  });

  it("ends a collaborator's membership and keys once a complete list no longer shows them", async () => {
    const state = withCollaborators(3);
    const sim = await startSim(state);
    const store = tempStore();
    await crawlSim(store, sim, { outsideCollaborators: true });
    state.orgs.acme!.outsideCollaborators = ["oc-0", "oc-2"];
    const second = await crawlSim(store, sim, { outsideCollaborators: true });
    expect(second.removed).toEqual({ registrations: 1, memberships: 1, repositories: 0 });
    expect(registrations(store).find((r) => r.owner === "oc-1")).toMatchObject({ reason: "account-left-org" });
  });

  it("crawls --user accounts in one batch and lists an unknown login as missing", async () => {
    const state = withCollaborators(4);
    const sim = await startSim(state);
    const store = tempStore();
    const result = await crawlSim(store, sim, { orgs: [], users: ["oc-0", "oc-1", "no-such-user", "oc-3"] });
    expect(sim.counts.byRoute["graphql AccountsPublicKeys"]).toBe(1);
    expect(result.complete).toBe(false);
    expect(result.missing).toEqual(["account no-such-user (GitHub knows no such user)"]);
    expect(registrations(store).map((r) => r.owner)).toEqual(["oc-0", "oc-1", "oc-3"]);
  });

  it("warns about a key it cannot read and stores the others", async () => {
    const state = generateOrgState({ org: "acme", members: 3, repos: 0, keysPerMember: 2 });
    state.users["acme-m00001"]!.keys.push({ id: 99, key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBROKEN", title: "bad", createdAt: "2024-01-01T00:00:00Z" });
    const sim = await startSim(state);
    const store = tempStore();
    const result = await crawlSim(store, sim);
    expect(result.complete).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/^public key \S+ of acme-m00001 cannot be read \(.*\): skipped$/)]);
    expect(registrations(store).filter((r) => r.owner === "acme-m00001")).toHaveLength(2);
  });

  it("fetches signing keys only when asked, one request per account", async () => {
    const state = generateOrgState({ org: "acme", members: 30, repos: 0 });
    const sim = await startSim(state);
    const store = tempStore();
    await crawlSim(store, sim);
    expect(sim.counts.byRoute["GET /users/{username}/ssh_signing_keys"]).toBeUndefined();
    const result = await crawlSim(store, sim, { signingKeys: true });
    expect(sim.counts.byRoute["GET /users/{username}/ssh_signing_keys"]).toBe(30);
    expect(registrations(store).filter((r) => r.kind === "signing_key")).toHaveLength(3);
    expect(result.complete).toBe(true);
    state.users["acme-m00010"]!.signingKeys = [];
    const third = await crawlSim(store, sim, { signingKeys: true });
    expect(third.removed.registrations).toBe(1);
    expect(registrations(store).find((r) => r.kind === "signing_key" && r.owner === "acme-m00010")).toMatchObject({ reason: "key-removed" });
  });
});

describe("crawl of SAML SSO credential authorizations", () => {
  it("records SSH-key authorizations matched by key id or SHA256 fingerprint, and their revocation", async () => {
    const state = generateOrgState({ org: "acme", members: 4, repos: 0, keysPerMember: 1 });
    const elsewhere = generateKey(tempDir(), "ed25519", { name: "sso-only" });
    const m1 = state.users["acme-m00001"]!;
    state.orgs.acme!.credentialAuthorizations = [
      { login: "acme-m00001", credentialId: 9001, credentialType: "SSH key", authorizedAt: "2024-03-01T00:00:00Z", authorizedCredentialId: m1.keys[0]!.id, title: "laptop" },
      { login: "acme-m00002", credentialId: 9002, credentialType: "SSH key", authorizedAt: "2024-03-02T00:00:00Z", authorizedCredentialId: null, fingerprint: elsewhere.sha256 },
      { login: "acme-m00003", credentialId: 9003, credentialType: "personal access token", authorizedAt: "2024-03-03T00:00:00Z" },
    ];
    const sim = await startSim(state);
    const store = tempStore();
    const result = await crawlSim(store, sim);
    expect(result.complete).toBe(true);
    expect(result.unavailable).toEqual([]);
    const sso = registrations(store).filter((r) => r.kind === "sso_credential");
    expect(sso.map((r) => [r.owner, r.title])).toEqual([
      ["acme-m00001", "laptop"],
      ["acme-m00002", null],
    ]);
    const m1Key = registrations(store).find((r) => r.kind === "user_key" && r.owner === "acme-m00001")!;
    expect(sso[0]!.sha256).toBe(m1Key.sha256);
    expect(sso[1]!.sha256).toBe(elsewhere.sha256);

    state.orgs.acme!.credentialAuthorizations = state.orgs.acme!.credentialAuthorizations.slice(1);
    const second = await crawlSim(store, sim);
    expect(second.removed.registrations).toBe(1);
    expect(registrations(store).find((r) => r.kind === "sso_credential" && r.owner === "acme-m00001")).toMatchObject({
      reason: "sso-authorization-revoked",
    });
    expect(events(store)).toContainEqual({ entity: "registration", change: "removed", reason: "sso-authorization-revoked", n: 1 });
  });

  it.each([
    ["404 (no SAML SSO)", null, "admin", 404],
    ["403 (not an org owner)", [], "member", 403],
  ] as const)("records the authorizations as unavailable on %s, and the crawl as complete", async (_name, authorizations, role, status) => {
    const state = generateOrgState({ org: "acme", members: 3, repos: 1 });
    state.orgs.acme!.credentialAuthorizations = authorizations === null ? null : [...authorizations];
    state.orgs.acme!.members[0]!.role = role;
    state.orgs.acme!.members = [...state.orgs.acme!.members];
    const sim = await startSim(state);
    const store = tempStore();
    const result = await crawlSim(store, sim);
    expect(result.complete).toBe(true);
    expect(result.missing).toEqual([]);
    expect(result.unavailable).toEqual([expect.stringContaining(`SSO credential authorizations of acme (HTTP ${status}`)]);
    const stats = JSON.parse((store.db.prepare("SELECT stats FROM runs WHERE id = ?").get(result.runId) as { stats: string }).stats) as {
      unavailable: string[];
    };
    expect(stats.unavailable).toEqual(result.unavailable);
  });
});

describe("crawl --all-keys (GHES site admin)", () => {
  it("takes every key from /admin/keys instead of the per-account and per-repository lists", async () => {
    const state = generateOrgState({ org: "acme", members: 12, repos: 9, keysPerMember: 2, deployKeyEvery: 3 });
    state.users["acme-m00000"]!.siteAdmin = true;
    // Only org members' and repositories' keys: the owners are known from the org walk, so no GET /user/{id}.
    for (const login of state.orgs.acme!.outsideCollaborators) delete state.users[login];
    state.orgs.acme!.outsideCollaborators = [];
    const sim = await startSim(state, { ghes: true });
    const store = tempStore();
    const result = await crawlSim(store, sim, { allKeys: true });
    expect(result.missing).toEqual([]);
    expect(sim.counts.byRoute["graphql UserPublicKeysPage"]).toBeUndefined();
    expect(sim.counts.byRoute["GET /repos/{owner}/{repo}/keys"]).toBeUndefined();
    expect(sim.counts.byRoute["GET /admin/keys"]).toBe(1);
    const regs = registrations(store);
    expect(regs.filter((r) => r.kind === "user_key")).toHaveLength(24);
    expect(regs.filter((r) => r.kind === "deploy_key")).toHaveLength(3);

    state.users["acme-m00004"]!.keys.pop();
    const second = await crawlSim(store, sim, { allKeys: true });
    expect(second.removed.registrations).toBe(1);
    expect(registrations(store).filter((r) => r.removedAt !== null).map((r) => [r.owner, r.reason])).toEqual([["acme-m00004", "key-removed"]]);
  });
});
