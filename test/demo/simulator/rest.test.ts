import type { Octokit } from "@octokit/rest";
import { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { generateOrgState, makeEd25519PublicKey, startSimulator } from "../../../src/demo/simulator/index.js";
import type { SimState } from "../../../src/demo/simulator/index.js";
import { client, simulator } from "./sim-helpers.js";

function smallState(): SimState {
  return {
    users: {
      alice: {
        login: "alice",
        id: 1,
        name: "Alice",
        keys: [
          { id: 11, key: makeEd25519PublicKey("alice-1", "alice@laptop"), title: "laptop", createdAt: "2024-01-02T03:04:05Z", lastUsed: null },
          { id: 12, key: makeEd25519PublicKey("alice-2"), title: "old", createdAt: "2023-01-02T03:04:05Z", verified: false },
        ],
        signingKeys: [{ id: 13, key: makeEd25519PublicKey("alice-sign"), title: "signing", createdAt: "2024-02-02T03:04:05Z" }],
      },
      bob: { login: "bob", id: 2, keys: [], signingKeys: [] },
      carol: { login: "carol", id: 3, keys: [], signingKeys: [] },
    },
    orgs: {
      acme: {
        login: "acme",
        id: 100,
        members: [
          { login: "alice", role: "admin" },
          { login: "bob", role: "member" },
        ],
        outsideCollaborators: ["carol"],
        repos: [
          {
            name: "web",
            id: 1001,
            visibility: "private",
            deployKeys: [
              { id: 21, key: makeEd25519PublicKey("deploy-1"), title: "ci", createdAt: "2024-03-03T00:00:00Z", readOnly: false, addedBy: "alice", lastUsed: "2024-04-04T00:00:00Z", enabled: false },
            ],
          },
          { name: "api", id: 1002, archived: true, deployKeys: [] },
        ],
      },
    },
    tokens: { "alice-token": { login: "alice" }, "bob-token": { login: "bob" } },
  };
}

describe("REST routes", () => {
  it("pages 250 members with Link headers that octokit.paginate follows to the end", async () => {
    const sim = await simulator(generateOrgState({ org: "big", members: 250, repos: 3 }));
    const octokit = client(sim, "sim-token");

    const first = await octokit.rest.orgs.listMembers({ org: "big", per_page: 100 });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toBe(
      `<${sim.url}/orgs/big/members?per_page=100&page=2>; rel="next", <${sim.url}/orgs/big/members?per_page=100&page=3>; rel="last"`,
    );
    const last = await octokit.rest.orgs.listMembers({ org: "big", per_page: 100, page: 3 });
    expect(last.data).toHaveLength(50);
    expect(last.headers.link).toContain('rel="prev"');
    expect(last.headers.link).toContain('rel="first"');
    expect(last.headers.link).not.toContain('rel="next"');

    sim.resetCounts();
    const all = await octokit.paginate(octokit.rest.orgs.listMembers, { org: "big", per_page: 100 });
    expect(all.map((m) => m.login)).toEqual(Object.values(sim.state.orgs.big?.members ?? []).map((m) => m.login));
    expect(sim.counts.byRoute["GET /orgs/{org}/members"]).toBe(3);

    const defaults = await octokit.rest.orgs.listMembers({ org: "big" });
    expect(defaults.data).toHaveLength(30);
    const clamped = await octokit.rest.orgs.listMembers({ org: "big", per_page: 500 });
    expect(clamped.data).toHaveLength(100);
  });

  it("filters members by role and lists outside collaborators", async () => {
    const sim = await simulator(smallState());
    const octokit = client(sim, "alice-token");
    const admins = await octokit.rest.orgs.listMembers({ org: "acme", role: "admin" });
    expect(admins.data.map((u) => u.login)).toEqual(["alice"]);
    const plain = await octokit.rest.orgs.listMembers({ org: "acme", role: "member" });
    expect(plain.data.map((u) => u.login)).toEqual(["bob"]);
    const outside = await octokit.rest.orgs.listOutsideCollaborators({ org: "acme" });
    expect(outside.data.map((u) => [u.login, u.id])).toEqual([["carol", 3]]);
    const membership = await octokit.rest.orgs.getMembershipForUser({ org: "acme", username: "bob" });
    expect([membership.data.role, membership.data.state, membership.data.user?.login]).toEqual(["member", "active", "bob"]);
  });

  it("returns verified user keys, signing keys and deploy keys with GitHub's field names", async () => {
    const sim = await simulator(smallState());
    const octokit = client(sim, "alice-token");
    const keys = await octokit.rest.users.listPublicKeysForUser({ username: "alice" });
    // The unverified key is left out and comments never come back, as on GitHub.
    expect(keys.data).toEqual([
      { id: 11, key: makeEd25519PublicKey("alice-1"), created_at: "2024-01-02T03:04:05Z", last_used: null },
    ]);
    const signing = await octokit.rest.users.listSshSigningKeysForUser({ username: "alice" });
    expect(signing.data).toEqual([{ id: 13, key: makeEd25519PublicKey("alice-sign"), title: "signing", created_at: "2024-02-02T03:04:05Z" }]);
    const deploy = await octokit.rest.repos.listDeployKeys({ owner: "acme", repo: "web" });
    expect(deploy.data).toEqual([
      {
        id: 21,
        key: makeEd25519PublicKey("deploy-1"),
        url: `${sim.url}/repos/acme/web/keys/21`,
        title: "ci",
        verified: true,
        created_at: "2024-03-03T00:00:00Z",
        read_only: false,
        added_by: "alice",
        last_used: "2024-04-04T00:00:00Z",
        enabled: false,
      },
    ]);
  });

  it("lists org repositories with archived and visibility flags and sorts by full_name on request", async () => {
    const sim = await simulator(smallState());
    const octokit = client(sim, "alice-token");
    const byName = await octokit.rest.repos.listForOrg({ org: "acme", sort: "full_name" });
    expect(byName.data.map((r) => [r.full_name, r.archived, r.visibility, r.private])).toEqual([
      ["acme/api", true, "public", false],
      ["acme/web", false, "private", true],
    ]);
    const newestFirst = await octokit.rest.repos.listForOrg({ org: "acme" });
    expect(newestFirst.data.map((r) => r.name)).toEqual(["api", "web"]);
    const privateOnly = await octokit.rest.repos.listForOrg({ org: "acme", type: "private" });
    expect(privateOnly.data.map((r) => r.name)).toEqual(["web"]);
    const repo = await octokit.rest.repos.get({ owner: "acme", repo: "web" });
    expect([repo.data.id, repo.data.keys_url]).toEqual([1001, `${sim.url}/repos/acme/web/keys{/key_id}`]);
  });

  it("sees keys and members deleted from the live state between crawls", async () => {
    const sim = await simulator(generateOrgState({ org: "live", members: 40, repos: 4 }));
    const octokit = client(sim, "sim-token");
    const org = sim.state.orgs.live;
    const before = await octokit.paginate(octokit.rest.orgs.listMembers, { org: "live", per_page: 100 });
    org?.members.splice(5, 1);
    const user = sim.state.users["live-m00003"];
    user?.keys.pop();
    const after = await octokit.paginate(octokit.rest.orgs.listMembers, { org: "live", per_page: 100 });
    expect(after).toHaveLength(before.length - 1);
    expect(after.map((m) => m.login)).not.toContain("live-m00005");
    const keys = await octokit.rest.users.listPublicKeysForUser({ username: "live-m00003" });
    expect(keys.data).toHaveLength(2);
  });

  it("pages a 3,000-repository org from cached views, and rebuilds them when a repository is deleted", async () => {
    const sim = await simulator(generateOrgState({ org: "wide", members: 2, repos: 3000 }));
    const octokit = client(sim, "sim-token");
    const all = await octokit.paginate(octokit.rest.repos.listForOrg, { org: "wide", per_page: 100 });
    expect(all.map((r) => r.id)).toEqual([...(sim.state.orgs.wide?.repos ?? [])].map((r) => r.id).reverse());
    const byName = await octokit.paginate(octokit.rest.repos.listForOrg, { org: "wide", per_page: 100, sort: "full_name" });
    expect(byName.map((r) => r.name)).toEqual([...(sim.state.orgs.wide?.repos ?? [])].map((r) => r.name).sort());

    sim.state.orgs.wide?.repos.splice(0, 1);
    const after = await octokit.paginate(octokit.rest.repos.listForOrg, { org: "wide", per_page: 100, sort: "full_name" });
    expect(after).toHaveLength(2999);
    expect(after[0]?.name).toBe("repo-00001");
    const gone = (await octokit.rest.repos.listDeployKeys({ owner: "wide", repo: "repo-00000" }).catch((e: unknown) => e)) as RequestError;
    expect(gone.status).toBe(404);
  });

  it("sees an in-place role change in a small org", async () => {
    const sim = await simulator(smallState());
    const octokit = client(sim, "alice-token");
    const bob = sim.state.orgs.acme?.members.find((m) => m.login === "bob");
    if (bob) bob.role = "admin";
    const admins = await octokit.rest.orgs.listMembers({ org: "acme", role: "admin" });
    expect(admins.data.map((u) => u.login)).toEqual(["alice", "bob"]);
  });

  it("answers 404 with GitHub's error body for unknown orgs, users and repositories", async () => {
    const sim = await simulator(smallState());
    const octokit = client(sim, "alice-token");
    const calls = [
      () => octokit.rest.orgs.get({ org: "nope" }),
      () => octokit.rest.orgs.listMembers({ org: "nope" }),
      () => octokit.rest.users.listPublicKeysForUser({ username: "nobody" }),
      () => octokit.rest.repos.listDeployKeys({ owner: "acme", repo: "nope" }),
      () => octokit.rest.orgs.getMembershipForUser({ org: "acme", username: "carol" }),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestError);
      expect((error as RequestError).status).toBe(404);
      expect((error as RequestError).response?.data).toMatchObject({ message: "Not Found", documentation_url: expect.any(String) as string });
    }
  });

  it("answers 401 Bad credentials to an unknown or missing token", async () => {
    const sim = await simulator(smallState());
    for (const auth of ["wrong-token", undefined]) {
      const octokit = client(sim, auth);
      const error = (await octokit.rest.users.getAuthenticated().catch((e: unknown) => e)) as RequestError;
      expect(error.status).toBe(401);
      expect(error.response?.data).toMatchObject({ message: "Bad credentials" });
    }
    const octokit = client(sim, "alice-token");
    const me = await octokit.rest.users.getAuthenticated();
    expect([me.data.login, me.data.id]).toEqual(["alice", 1]);
  });

  it("sends ETags and answers a matching If-None-Match with a 304 that does not count", async () => {
    const sim = await simulator(smallState());
    const octokit = client(sim, "alice-token");
    const first = await octokit.rest.orgs.listMembers({ org: "acme" });
    const etag = first.headers.etag ?? "";
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    expect(first.headers["x-ratelimit-used"]).toBe("1");
    const error = (await octokit.rest.orgs
      .listMembers({ org: "acme", headers: { "if-none-match": etag } })
      .catch((e: unknown) => e)) as RequestError;
    expect(error.status).toBe(304);
    expect(sim.counts.notModified).toBe(1);
    expect(sim.rateLimitUsed("alice-token").core).toBe(1);

    sim.state.orgs.acme?.members.pop();
    const changed = await octokit.rest.orgs.listMembers({ org: "acme", headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(sim.rateLimitUsed("alice-token").core).toBe(2);
  });

  it("sends rate-limit headers in epoch seconds, keeps /rate_limit free and refuses with 403 once the budget is spent", async () => {
    const sim = await simulator(smallState(), { rateLimit: { core: 3 } });
    const octokit = client(sim, "alice-token");
    const answer = await octokit.rest.orgs.get({ org: "acme" });
    const reset = Number(answer.headers["x-ratelimit-reset"]);
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThan(Date.now() / 1000 + 3700);
    expect([answer.headers["x-ratelimit-limit"], answer.headers["x-ratelimit-remaining"], answer.headers["x-ratelimit-resource"]]).toEqual(["3", "2", "core"]);

    const limits = await octokit.rest.rateLimit.get();
    expect(limits.data.resources.core).toMatchObject({ limit: 3, used: 1, remaining: 2 });
    expect(sim.rateLimitUsed("alice-token")).toEqual({ core: 1, graphql: 0 });

    await octokit.rest.orgs.get({ org: "acme" });
    await octokit.rest.orgs.get({ org: "acme" });
    const error = (await octokit.rest.orgs.get({ org: "acme" }).catch((e: unknown) => e)) as RequestError;
    expect(error.status).toBe(403);
    expect(error.response?.headers["x-ratelimit-remaining"]).toBe("0");
    expect((error.response?.data as { message: string }).message).toMatch(/^API rate limit exceeded/);
    // Another token has its own budget.
    const bob = client(sim, "bob-token");
    expect((await bob.rest.orgs.get({ org: "acme" })).status).toBe(200);
  });

  it("counts every request by route template", async () => {
    const sim = await simulator(smallState());
    const octokit = client(sim, "alice-token");
    await octokit.rest.users.listPublicKeysForUser({ username: "alice" });
    await octokit.rest.users.listPublicKeysForUser({ username: "bob" });
    await octokit.rest.repos.listDeployKeys({ owner: "acme", repo: "web" });
    await octokit.rest.rateLimit.get();
    expect(sim.counts.rest).toBe(4);
    expect(sim.counts.byRoute).toEqual({
      "GET /users/{username}/keys": 2,
      "GET /repos/{owner}/{repo}/keys": 1,
      "GET /rate_limit": 1,
    });
    sim.resetCounts();
    expect(sim.counts).toEqual({ rest: 0, graphql: 0, graphqlPoints: 0, notModified: 0, faults: 0, byRoute: {} });
  });

  it("answers credential-authorizations with 404 for an org without SAML, 403 for a non-owner, the list for an owner", async () => {
    const state = smallState();
    const sim = await simulator(state);
    const alice = client(sim, "alice-token");
    const bob = client(sim, "bob-token");
    const list = (octokit: Octokit): Promise<unknown> =>
      octokit.request("GET /orgs/{org}/credential-authorizations", { org: "acme" }).catch((e: unknown) => e);
    expect(((await list(alice)) as RequestError).status).toBe(404);

    const acme = state.orgs.acme;
    if (acme) {
      acme.credentialAuthorizations = [
        { login: "alice", credentialId: 501, credentialType: "SSH key", authorizedAt: "2024-05-05T00:00:00Z", authorizedCredentialId: 11, fingerprint: "SHA256:abc", title: "laptop" },
        { login: "bob", credentialId: 502, credentialType: "personal access token", authorizedAt: "2024-05-06T00:00:00Z" },
      ];
    }
    expect(((await list(bob)) as RequestError).status).toBe(403);
    const answer = (await list(alice)) as { data: { login: string; credential_type: string; authorized_credential_id: number | null; fingerprint?: string }[] };
    expect(answer.data.map((c) => [c.login, c.credential_type, c.authorized_credential_id, c.fingerprint])).toEqual([
      ["alice", "SSH key", 11, "SHA256:abc"],
      ["bob", "personal access token", null, undefined],
    ]);
  });

  it("serves GHES paths under /api/v3 with site-admin-only /admin/keys", async () => {
    const state = smallState();
    const alice = state.users.alice;
    if (alice) alice.siteAdmin = true;
    const sim = await simulator(state, { ghes: true });
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    expect(sim.graphqlUrl).toBe(sim.url.replace(/\/v3$/, "/graphql"));
    const octokit = client(sim, "alice-token");
    const members = await octokit.rest.orgs.listMembers({ org: "acme" });
    expect(members.data.map((m) => m.url)).toEqual([`${sim.url}/users/alice`, `${sim.url}/users/bob`]);
    expect(members.headers["x-github-enterprise-version"]).toBe("3.19.0");

    const keys = await octokit.paginate("GET /admin/keys", { per_page: 1 });
    const rows = (keys as { id: number; user_id: number | null; repository_id: number | null }[]).map((k) => [k.id, k.user_id, k.repository_id]);
    expect(rows.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [11, 1, null],
      [12, 1, null],
      [21, null, 1001],
    ]);
    const bob = client(sim, "bob-token");
    expect(((await bob.request("GET /admin/keys").catch((e: unknown) => e)) as RequestError).status).toBe(403);
    // The GHEC-only endpoint does not exist on GHES, nor /admin/keys on github.com.
    expect(((await octokit.request("GET /orgs/{org}/credential-authorizations", { org: "acme" }).catch((e: unknown) => e)) as RequestError).status).toBe(404);
    const dotcom = await simulator(smallState());
    const plain = client(dotcom, "alice-token");
    expect(((await plain.request("GET /admin/keys").catch((e: unknown) => e)) as RequestError).status).toBe(404);
  });

  it("listens on loopback only", async () => {
    await expect(startSimulator({ state: smallState(), host: "0.0.0.0" })).rejects.toThrow(/loopback/);
  });
});
