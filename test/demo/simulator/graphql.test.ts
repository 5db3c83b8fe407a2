import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { graphql, GraphqlResponseError } from "@octokit/graphql";
import { describe, expect, it } from "vitest";
import { generateOrgState, makeEd25519PublicKey } from "../../../src/demo/simulator/index.js";
import type { SimState } from "../../../src/demo/simulator/index.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { client, simulator } from "./sim-helpers.js";

// The crawler's queries, copied from github-api.md §5 (validated there against the same SDL).
const orgMembersPublicKeys = `query OrgMembersPublicKeys($org: String!, $pageSize: Int = 50, $after: String, $keysPageSize: Int = 100) {
  rateLimit { cost limit remaining used resetAt nodeCount }
  organization(login: $org) {
    id
    databaseId
    login
    membersWithRole(first: $pageSize, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        role
        hasTwoFactorEnabled
        node {
          id
          databaseId
          login
          name
          publicKeys(first: $keysPageSize) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes { id key fingerprint createdAt updatedAt accessedAt isReadOnly }
          }
        }
      }
    }
  }
}`;

const userPublicKeysPage = `query UserPublicKeysPage($login: String!, $after: String, $keysPageSize: Int = 100) { user(login: $login) { login
publicKeys(first: $keysPageSize, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id key
fingerprint createdAt updatedAt accessedAt isReadOnly } } } }`;

const orgReposDeployKeys = `query OrgReposDeployKeys($org: String!, $pageSize: Int = 50, $after: String, $keysPageSize: Int = 100) {
  rateLimit { cost limit remaining used resetAt nodeCount }
  organization(login: $org) {
    login
    repositories(first: $pageSize, after: $after, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        databaseId
        name
        nameWithOwner
        visibility
        isArchived
        isFork
        isDisabled
        isEmpty
        deployKeys(first: $keysPageSize) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { id key title readOnly verified enabled createdAt }
        }
      }
    }
  }
}`;

const repoDeployKeysPage = `query RepoDeployKeysPage($owner: String!, $name: String!, $after: String, $keysPageSize: Int = 100) {
repository(owner: $owner, name: $name) { nameWithOwner deployKeys(first: $keysPageSize, after: $after) { totalCount
pageInfo { hasNextPage endCursor } nodes { id key title readOnly verified enabled createdAt } } } }`;

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
interface KeyNode {
  id: string;
  key: string;
  fingerprint: string;
  createdAt: string | null;
  updatedAt: string | null;
  accessedAt: string | null;
  isReadOnly: boolean | null;
}
interface KeysConnection {
  totalCount: number;
  pageInfo: PageInfo;
  nodes: KeyNode[];
}
interface MembersPage {
  rateLimit: { cost: number; limit: number; remaining: number; used: number; resetAt: string; nodeCount: number };
  organization: {
    id: string;
    databaseId: number;
    login: string;
    membersWithRole: {
      totalCount: number;
      pageInfo: PageInfo;
      edges: { role: string; hasTwoFactorEnabled: boolean | null; node: { login: string; databaseId: number; publicKeys: KeysConnection } }[];
    };
  };
}
interface DeployKeyNode {
  id: string;
  key: string;
  title: string;
  readOnly: boolean;
  verified: boolean;
  enabled: boolean;
  createdAt: string;
}
interface ReposPage {
  rateLimit: { cost: number };
  organization: {
    repositories: {
      totalCount: number;
      pageInfo: PageInfo;
      nodes: { name: string; databaseId: number; visibility: string; isArchived: boolean; isFork: boolean; deployKeys: { totalCount: number; pageInfo: PageInfo; nodes: DeployKeyNode[] } }[];
    };
  };
}

function withManyDeployKeys(state: SimState, org: string, repo: string, count: number): void {
  const target = state.orgs[org]?.repos.find((r) => r.name === repo);
  if (!target) throw new Error(`no repo ${org}/${repo}`);
  for (let i = 0; i < count; i += 1) {
    target.deployKeys.push({ id: 70_000_000 + i, key: makeEd25519PublicKey(`many-${i}`), title: `many ${i}`, createdAt: "2024-06-01T00:00:00Z" });
  }
}

interface ErrorAnswer {
  readonly data: unknown;
  readonly errors: readonly { message: string; type?: string; path?: readonly (string | number)[] }[];
}

/** The `{data, errors}` of a GraphQL answer that octokit turned into a GraphqlResponseError. */
async function graphqlError(promise: Promise<unknown>): Promise<ErrorAnswer> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GraphqlResponseError);
  const { data, errors } = error as GraphqlResponseError<unknown>;
  return { data, errors: errors ?? [] };
}

describe("GraphQL endpoint", () => {
  it("runs the org-members query page by page, with the follow-up query for a member with 150 keys", async () => {
    const state = generateOrgState({ org: "acme", members: 120, repos: 3, bigKeyAccounts: 2 });
    const sim = await simulator(state);
    const gql = graphql.defaults({ baseUrl: sim.url, headers: { authorization: "token sim-token" } });

    const seen: MembersPage["organization"]["membersWithRole"]["edges"] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: MembersPage = await gql<MembersPage>(orgMembersPublicKeys, { org: "acme", after });
      expect(page.rateLimit.cost).toBe(1);
      expect(page.rateLimit.nodeCount).toBe(50 + 50 * 100);
      seen.push(...page.organization.membersWithRole.edges);
      expect(page.organization.membersWithRole.totalCount).toBe(120);
      after = page.organization.membersWithRole.pageInfo.hasNextPage ? page.organization.membersWithRole.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen.map((e) => e.node.login)).toEqual(state.orgs.acme?.members.map((m) => m.login));
    expect(seen.filter((e) => e.role === "ADMIN").map((e) => e.node.login)).toEqual(
      state.orgs.acme?.members.filter((m) => m.role === "admin").map((m) => m.login),
    );

    // The viewer (first member) sees its own key dates; other members' keys only id, key and fingerprint.
    const own = seen[0]?.node.publicKeys.nodes[0];
    expect(own?.createdAt).toBe(state.users["acme-m00000"]?.keys[0]?.createdAt);
    expect(own?.isReadOnly).toBe(false);
    const other = seen[5]?.node.publicKeys.nodes[0];
    expect([other?.createdAt, other?.updatedAt, other?.accessedAt, other?.isReadOnly]).toEqual([null, null, null, null]);

    const big = seen[1]?.node;
    expect([big?.publicKeys.totalCount, big?.publicKeys.nodes.length, big?.publicKeys.pageInfo.hasNextPage]).toEqual([150, 100, true]);
    const rest = await gql<{ user: { login: string; publicKeys: KeysConnection } }>(userPublicKeysPage, {
      login: big?.login,
      after: big?.publicKeys.pageInfo.endCursor,
    });
    expect(rest.user.publicKeys.nodes).toHaveLength(50);
    expect(rest.user.publicKeys.pageInfo.hasNextPage).toBe(false);
    const allKeys = [...(big?.publicKeys.nodes ?? []), ...rest.user.publicKeys.nodes].map((n) => n.key);
    expect(allKeys).toEqual(state.users[big?.login ?? ""]?.keys.map((k) => k.key.split(" ").slice(0, 2).join(" ")));

    expect(sim.counts.graphql).toBe(4);
    expect(sim.counts.graphqlPoints).toBe(4);
    expect(sim.counts.byRoute).toEqual({ "graphql OrgMembersPublicKeys": 3, "graphql UserPublicKeysPage": 1 });
    expect(sim.rateLimitUsed("sim-token")).toEqual({ core: 0, graphql: 4 });
  });

  it("gives each public key the SHA256 fingerprint ssh-keygen prints for it", async () => {
    const state = generateOrgState({ org: "fp", members: 3, repos: 1, keysPerMember: 2 });
    const sim = await simulator(state);
    const octokit = client(sim, "sim-token");
    const page = await octokit.graphql<MembersPage>(orgMembersPublicKeys, { org: "fp" });
    const dir = tempDir();
    const nodes = page.organization.membersWithRole.edges.flatMap((e) => e.node.publicKeys.nodes);
    expect(nodes).toHaveLength(6);
    for (const [i, node] of nodes.entries()) {
      const file = join(dir, `k${i}.pub`);
      writeFileSync(file, `${node.key}\n`);
      const printed = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", file], { encoding: "utf8" }).split(/\s+/)[1];
      expect(node.fingerprint).toBe(printed);
    }
  });

  it("runs the repositories query in name order and pages a repository's deploy keys with the follow-up query", async () => {
    const state = generateOrgState({ org: "acme", members: 2, repos: 70, deployKeyEvery: 2 });
    withManyDeployKeys(state, "acme", "repo-00004", 130);
    const sim = await simulator(state);
    const octokit = client(sim, "sim-token");
    const first = await octokit.graphql<ReposPage>(orgReposDeployKeys, { org: "acme" });
    const repos = first.organization.repositories;
    expect([repos.totalCount, repos.nodes.length, repos.pageInfo.hasNextPage]).toEqual([70, 50, true]);
    expect(repos.nodes.map((r) => r.name)).toEqual([...(state.orgs.acme?.repos ?? [])].map((r) => r.name).sort().slice(0, 50));
    const second = await octokit.graphql<ReposPage>(orgReposDeployKeys, { org: "acme", after: repos.pageInfo.endCursor });
    expect(second.organization.repositories.nodes).toHaveLength(20);
    expect(second.organization.repositories.pageInfo.hasNextPage).toBe(false);

    const repo2 = repos.nodes[2];
    const source = state.orgs.acme?.repos[2];
    expect(repo2?.deployKeys.nodes).toEqual([
      {
        id: expect.any(String) as string,
        key: source?.deployKeys[0]?.key.split(" ").slice(0, 2).join(" "),
        title: source?.deployKeys[0]?.title,
        readOnly: source?.deployKeys[0]?.readOnly,
        verified: true,
        enabled: source?.deployKeys[0]?.enabled,
        createdAt: source?.deployKeys[0]?.createdAt,
      },
    ]);
    expect([repo2?.visibility, repo2?.databaseId]).toEqual([source?.visibility?.toUpperCase(), source?.id]);

    const many = repos.nodes[4]?.deployKeys;
    expect([many?.totalCount, many?.nodes.length, many?.pageInfo.hasNextPage]).toEqual([131, 100, true]);
    const more = await octokit.graphql<{ repository: { nameWithOwner: string; deployKeys: { nodes: DeployKeyNode[]; pageInfo: PageInfo } } }>(
      repoDeployKeysPage,
      { owner: "acme", name: "repo-00004", after: many?.pageInfo.endCursor },
    );
    expect(more.repository.nameWithOwner).toBe("acme/repo-00004");
    expect(more.repository.deployKeys.nodes.map((n) => n.title)).toEqual(
      state.orgs.acme?.repos[4]?.deployKeys.slice(100).map((k) => k.title),
    );
  });

  it("rejects fields the schema does not have, like PublicKey.title, DeployKey.lastUsed and DeployKey.addedBy", async () => {
    const sim = await simulator(generateOrgState({ org: "acme", members: 1, repos: 1 }));
    const octokit = client(sim, "sim-token");
    const error = await graphqlError(
      octokit.graphql(`query {
        user(login: "acme-m00000") { publicKeys(first: 1) { nodes { title } } }
        repository(owner: "acme", name: "repo-00000") { deployKeys(first: 1) { nodes { lastUsed addedBy } } }
      }`),
    );
    expect(error.errors.map((e) => e.message)).toEqual([
      'Cannot query field "title" on type "PublicKey".',
      'Cannot query field "lastUsed" on type "DeployKey".',
      'Cannot query field "addedBy" on type "DeployKey".',
    ]);
    expect(sim.counts.graphqlPoints).toBe(0);
  });

  it("enforces first/last between 1 and 100 on every connection, literal or variable", async () => {
    const sim = await simulator(generateOrgState({ org: "acme", members: 1, repos: 1 }));
    const octokit = client(sim, "sim-token");
    const literal = await graphqlError(octokit.graphql(`query { organization(login: "acme") { membersWithRole(first: 101) { totalCount } } }`));
    expect(literal.errors[0]?.message).toBe("Requesting 101 records on the `membersWithRole` connection exceeds the `first` limit of 100 records.");
    const variable = await graphqlError(octokit.graphql(orgMembersPublicKeys, { org: "acme", pageSize: 101 }));
    expect(variable.errors[0]?.message).toMatch(/Requesting 101 records on the `membersWithRole` connection/);
    const missing = await graphqlError(octokit.graphql(`query { organization(login: "acme") { membersWithRole { totalCount } } }`));
    expect(missing.errors[0]?.message).toBe("You must provide a `first` or `last` value to properly paginate the `membersWithRole` connection.");
    const zero = await graphqlError(octokit.graphql(`query { organization(login: "acme") { repositories(last: 0) { totalCount } } }`));
    expect(zero.errors[0]?.message).toMatch(/`last` on the `repositories` connection cannot be less than 1/);
    const ok = await octokit.graphql<{ organization: { membersWithRole: { totalCount: number } } }>(
      `query { organization(login: "acme") { membersWithRole(last: 100) { totalCount } } }`,
    );
    expect(ok.organization.membersWithRole.totalCount).toBe(1);
  });

  it("prices a query by GitHub's formula and refuses more than 500,000 nodes", async () => {
    const sim = await simulator(generateOrgState({ org: "acme", members: 3, repos: 3 }));
    const octokit = client(sim, "sim-token");
    const priced = await octokit.graphql<{ rateLimit: { cost: number; nodeCount: number; used: number } }>(`query {
      rateLimit { cost nodeCount used }
      organization(login: "acme") {
        repositories(first: 100) { nodes { deployKeys(first: 100) { totalCount } } }
        membersWithRole(first: 100) { nodes { publicKeys(first: 100) { totalCount } } }
      }
    }`);
    // (1 + 100) + (1 + 100) requests → 2.02 → 2 points; 2 × (100 + 100 × 100) nodes.
    expect(priced.rateLimit).toEqual({ cost: 2, nodeCount: 20_200, used: 2 });
    expect(sim.counts.graphqlPoints).toBe(2);

    const huge = await graphqlError(
      octokit.graphql(`query { organization(login: "acme") { membersWithRole(first: 100) { nodes {
        repositories(first: 100) { nodes { deployKeys(first: 100) { totalCount } } } } } } }`),
    );
    expect(huge.errors[0]?.message).toMatch(/requesting up to 1,010,100 possible nodes which exceeds the maximum limit of 500,000/);
  });

  it("prices a query without running or charging it when rateLimit(dryRun: true) is asked", async () => {
    const sim = await simulator(generateOrgState({ org: "acme", members: 2, repos: 1 }));
    const octokit = client(sim, "sim-token");
    const dry = await octokit.graphql<{ rateLimit: { cost: number; used: number }; organization: unknown }>(`query {
      rateLimit(dryRun: true) { cost used }
      organization(login: "acme") { membersWithRole(first: 100) { nodes { publicKeys(first: 100) { totalCount } } } }
    }`);
    expect(dry).toEqual({ rateLimit: { cost: 1, used: 0 }, organization: null });
    expect(sim.rateLimitUsed("sim-token").graphql).toBe(0);
  });

  it("answers an unknown organization with null and a NOT_FOUND error", async () => {
    const sim = await simulator(generateOrgState({ org: "acme", members: 1, repos: 1 }));
    const octokit = client(sim, "sim-token");
    const error = await graphqlError(octokit.graphql(orgMembersPublicKeys, { org: "ghost" }));
    expect(error.data).toMatchObject({ organization: null });
    expect(error.errors).toEqual([
      expect.objectContaining({ type: "NOT_FOUND", path: ["organization"], message: "Could not resolve to an Organization with the login of 'ghost'." }),
    ]);
  });

  it("resolves unimplemented nullable fields to null and fails clearly on unimplemented non-null ones", async () => {
    const sim = await simulator(generateOrgState({ org: "acme", members: 1, repos: 1 }));
    const octokit = client(sim, "sim-token");
    const nullable = await octokit.graphql<{ organization: { description: string | null }; viewer: { login: string } }>(
      `query { viewer { login } organization(login: "acme") { description } }`,
    );
    expect(nullable).toEqual({ viewer: { login: "acme-m00000" }, organization: { description: null } });
    const error = await graphqlError(octokit.graphql(`query { organization(login: "acme") { viewerCanAdminister } }`));
    expect(error.errors[0]?.message).toBe("The keyward GitHub simulator does not implement Organization.viewerCanAdminister.");
  });

  it("answers rateLimit with an ISO resetAt and graphql rate headers", async () => {
    const sim = await simulator(generateOrgState({ org: "acme", members: 1, repos: 1 }), { rateLimit: { graphql: 3 } });
    const octokit = client(sim, "sim-token");
    const answer = await octokit.request("POST /graphql", { query: "query { rateLimit { cost limit remaining used resetAt } }" });
    const data = (answer.data as { data: { rateLimit: { cost: number; limit: number; remaining: number; used: number; resetAt: string } } }).data;
    expect(data.rateLimit).toMatchObject({ cost: 1, limit: 3, remaining: 2, used: 1 });
    expect(Date.parse(data.rateLimit.resetAt) / 1000).toBe(Number(answer.headers["x-ratelimit-reset"]));
    expect(data.rateLimit.resetAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect([answer.headers["x-ratelimit-resource"], answer.headers["x-ratelimit-used"]]).toEqual(["graphql", "1"]);
    await octokit.graphql("query { viewer { login } }");
    await octokit.graphql("query { viewer { login } }");
    const exhausted = await graphqlError(octokit.graphql("query { viewer { login } }"));
    expect(exhausted.errors[0]).toMatchObject({ type: "RATE_LIMITED" });
  });

  it("answers 401 to a bad token and serves GHES at /api/graphql", async () => {
    const sim = await simulator(generateOrgState({ org: "acme", members: 2, repos: 1 }), { ghes: true });
    const bad = await client(sim, "nope").graphql("query { viewer { login } }").catch((e: unknown) => e);
    expect((bad as { status?: number }).status).toBe(401);
    const octokit = client(sim, "sim-token");
    const page = await octokit.graphql<MembersPage>(orgMembersPublicKeys, { org: "acme" });
    expect(page.organization.membersWithRole.totalCount).toBe(2);
    expect(sim.counts.byRoute).toEqual({ "graphql (anonymous)": 1, "graphql OrgMembersPublicKeys": 1 });
  });
});
