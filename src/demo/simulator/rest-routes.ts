import { verifyAppJwt } from "./app-auth.js";
import { errorResponse, notFound } from "./http-types.js";
import type { Principal, RestContext, SimResponse } from "./http-types.js";
import { paginate } from "./pagination.js";
import * as payload from "./payloads.js";
import { cachedView, compareNames, findMembership, findOrg, findRepo, findUser, userOrPlaceholder } from "./state.js";
import type { SimKey, SimOrg, SimRepo, SimState, SimUser } from "./types.js";

/** How a route authenticates: an ordinary token, or (app endpoints) a JWT signed by the app's private key. */
export type RouteAuth = "token" | "jwt";

export interface RestRoute {
  readonly method: "GET" | "POST";
  /** Route template as GitHub's OpenAPI writes it; also the key in `counts.byRoute`. */
  readonly template: string;
  readonly auth: RouteAuth;
  /** False for `/rate_limit`, which does not count against the limit. */
  readonly counted: boolean;
  readonly ghes?: "only" | "never";
  readonly handle: (ctx: RestContext) => SimResponse;
}

const listOk = <T>(ctx: RestContext, all: readonly T[], map: (item: T) => unknown): SimResponse => {
  const page = paginate(all, ctx.url);
  return { status: 200, body: page.items.map(map), ...(page.link ? { headers: { link: page.link } } : {}) };
};

const param = (ctx: RestContext, name: string): string => ctx.params[name] ?? "";

function withOrg(ctx: RestContext, docs: string, then: (org: SimOrg) => SimResponse): SimResponse {
  const org = findOrg(ctx.state, param(ctx, "org"));
  return org ? then(org) : notFound(docs);
}

function withUser(ctx: RestContext, docs: string, then: (user: SimUser) => SimResponse): SimResponse {
  const user = findUser(ctx.state, param(ctx, "username"));
  return user ? then(user) : notFound(docs);
}

function withRepo(ctx: RestContext, docs: string, then: (org: SimOrg, repo: SimRepo) => SimResponse): SimResponse {
  const org = findOrg(ctx.state, param(ctx, "owner"));
  const repo = org && findRepo(org, param(ctx, "repo"));
  return org && repo ? then(org, repo) : notFound(docs);
}

function isOrgMember(org: SimOrg, principal: Principal | null, role?: "admin"): boolean {
  if (!principal) return false;
  if (principal.kind === "installation") return true;
  const membership = findMembership(org, principal.user.login);
  return membership !== undefined && (role === undefined || membership.role === role);
}

/** Org members, optionally only one role; views cached per members array. */
function membersView(org: SimOrg, role: string | null): readonly string[] {
  const wanted = role === "admin" || role === "member" ? role : "all";
  return cachedView(org.members, `members:${wanted}`, (members) =>
    members.filter((m) => wanted === "all" || m.role === wanted).map((m) => m.login),
  );
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Org repos for `type`, `sort`, `direction` as GitHub defines them (creation order stands in for dates). */
function reposView(org: SimOrg, url: URL): readonly SimRepo[] {
  // Normalised to the documented values, so the view cache holds a bounded number of views.
  const type = oneOf(url.searchParams.get("type"), ["all", "public", "private", "forks", "sources", "member"], "all");
  const sort = oneOf(url.searchParams.get("sort"), ["created", "updated", "pushed", "full_name"], "created");
  const direction = oneOf(url.searchParams.get("direction"), ["asc", "desc"], sort === "full_name" ? "asc" : "desc");
  return cachedView(org.repos, `repos:${type}:${sort}:${direction}`, (repos) => {
    const kept = repos.filter((r) => {
      switch (type) {
        case "public":
          return (r.visibility ?? "public") === "public";
        case "private":
          return (r.visibility ?? "public") !== "public";
        case "forks":
          return r.fork === true;
        case "sources":
          return r.fork !== true;
        default:
          return true;
      }
    });
    if (sort === "full_name") kept.sort((a, b) => compareNames(a.name, b.name));
    else kept.sort((a, b) => a.id - b.id);
    if (direction === "desc") kept.reverse();
    return kept;
  });
}

function usersOf(ctx: RestContext, logins: readonly string[]): SimResponse {
  return listOk(ctx, logins, (login) => payload.simpleUser(ctx.bases, userOrPlaceholder(ctx.state, login)));
}

/** Every user key and deploy key, for GHES `/admin/keys`; rebuilt when the number of keys changes. */
let adminKeysCache: { state: SimState; signature: string; rows: AdminRow[] } | undefined;
type AdminRow = { key: SimKey } & ({ user: SimUser } | { org: SimOrg; repo: SimRepo });

function adminKeys(state: SimState): AdminRow[] {
  const users = Object.values(state.users);
  const orgs = Object.values(state.orgs);
  let count = users.length;
  for (const user of users) count += user.keys.length;
  for (const org of orgs) for (const repo of org.repos) count += repo.deployKeys.length + 1;
  const signature = `${users.length}:${orgs.length}:${count}`;
  if (adminKeysCache?.state === state && adminKeysCache.signature === signature) return adminKeysCache.rows;
  const rows: AdminRow[] = [];
  for (const user of users) for (const key of user.keys) rows.push({ key, user });
  for (const org of orgs) for (const repo of org.repos) for (const key of repo.deployKeys) rows.push({ key, org, repo });
  adminKeysCache = { state, signature, rows };
  return rows;
}

function listAdminKeys(ctx: RestContext): SimResponse {
  const principal = ctx.principal;
  if (principal?.kind !== "user" || principal.user.siteAdmin !== true) {
    return errorResponse(403, "Must have admin rights to Repository.", "/enterprise-admin/users#list-public-keys");
  }
  const sort = oneOf(ctx.url.searchParams.get("sort"), ["created", "updated", "accessed"], "created");
  const direction = oneOf(ctx.url.searchParams.get("direction"), ["asc", "desc"], "desc");
  const since = ctx.url.searchParams.get("since");
  const all = adminKeys(ctx.state);
  const field = (row: AdminRow): string =>
    sort === "accessed" ? (row.key.lastUsed ?? "") : row.key.createdAt;
  const sorted = cachedView(all, `admin:${sort}:${direction}`, (rows) => {
    const copy = [...rows].sort((a, b) => (field(a) < field(b) ? -1 : field(a) > field(b) ? 1 : a.key.id - b.key.id));
    return direction === "asc" ? copy : copy.reverse();
  });
  const view = since ? sorted.filter((row) => (row.key.lastUsed ?? "") >= since) : sorted;
  return listOk(ctx, view, (row) => payload.adminKey(ctx.bases, row.key, "user" in row ? { user: row.user } : row));
}

function createInstallationToken(ctx: RestContext): SimResponse {
  const check = verifyAppJwt(ctx.state, ctx.bearer ?? "");
  if (!check.ok) return errorResponse(401, check.reason, "/apps/apps#create-an-installation-access-token-for-an-app");
  const installation = check.app.installations[param(ctx, "installation_id")];
  if (!installation) return notFound("/apps/apps#create-an-installation-access-token-for-an-app");
  return {
    status: 201,
    body: {
      token: installation.token,
      expires_at: payload.isoSeconds(Date.now() + 3600_000),
      permissions: {},
      repository_selection: "all",
    },
  };
}

function getInstallation(ctx: RestContext): SimResponse {
  const check = verifyAppJwt(ctx.state, ctx.bearer ?? "");
  if (!check.ok) return errorResponse(401, check.reason, "/apps/apps#get-an-installation-for-the-authenticated-app");
  const id = param(ctx, "installation_id");
  if (!check.app.installations[id] || !/^\d+$/.test(id)) return notFound("/apps/apps#get-an-installation-for-the-authenticated-app");
  const date = payload.syntheticDate(Number(id));
  return {
    status: 200,
    body: {
      id: Number(id),
      account: null,
      repository_selection: "all",
      access_tokens_url: `${ctx.bases.api}/app/installations/${id}/access_tokens`,
      repositories_url: `${ctx.bases.api}/installation/repositories`,
      html_url: `${ctx.bases.html}/settings/installations/${id}`,
      app_id: Number(check.appId) || 0,
      app_slug: `app-${check.appId}`,
      target_id: Number(id),
      target_type: "Organization",
      permissions: {},
      events: [],
      created_at: date,
      updated_at: date,
      single_file_name: null,
      suspended_by: null,
      suspended_at: null,
    },
  };
}

function rateLimitOverview(): SimResponse {
  // The server fills the body: it owns the buckets. This handler only reserves the route.
  return { status: 200 };
}

/** The REST routes the simulator serves. */
export const restRoutes: readonly RestRoute[] = [
  {
    method: "GET",
    template: "/user",
    auth: "token",
    counted: true,
    handle: (ctx) =>
      ctx.principal?.kind === "user"
        ? { status: 200, body: payload.fullUser(ctx.bases, ctx.principal.user) }
        : errorResponse(403, "Resource not accessible by integration", "/users/users#get-the-authenticated-user"),
  },
  {
    method: "GET",
    template: "/users/{username}",
    auth: "token",
    counted: true,
    handle: (ctx) => withUser(ctx, "/users/users#get-a-user", (user) => ({ status: 200, body: payload.fullUser(ctx.bases, user) })),
  },
  {
    method: "GET",
    template: "/users/{username}/keys",
    auth: "token",
    counted: true,
    // GitHub lists verified keys only.
    handle: (ctx) =>
      withUser(ctx, "/users/keys#list-public-keys-for-a-user", (user) =>
        listOk(ctx, user.keys.filter((k) => k.verified !== false), payload.keySimple),
      ),
  },
  {
    method: "GET",
    template: "/users/{username}/ssh_signing_keys",
    auth: "token",
    counted: true,
    handle: (ctx) =>
      withUser(ctx, "/users/ssh-signing-keys#list-ssh-signing-keys-for-a-user", (user) =>
        listOk(ctx, user.signingKeys, payload.sshSigningKey),
      ),
  },
  {
    method: "GET",
    template: "/orgs/{org}",
    auth: "token",
    counted: true,
    handle: (ctx) => withOrg(ctx, "/orgs/orgs#get-an-organization", (org) => ({ status: 200, body: payload.fullOrg(ctx.bases, org) })),
  },
  {
    method: "GET",
    template: "/orgs/{org}/members",
    auth: "token",
    counted: true,
    handle: (ctx) =>
      withOrg(ctx, "/orgs/members#list-organization-members", (org) => {
        // The simulator models no 2FA state: nobody has it disabled or insecure.
        const filter = ctx.url.searchParams.get("filter") ?? "all";
        if (filter === "2fa_disabled" || filter === "2fa_insecure") return listOk(ctx, [], () => null);
        return usersOf(ctx, membersView(org, ctx.url.searchParams.get("role")));
      }),
  },
  {
    method: "GET",
    template: "/orgs/{org}/public_members",
    auth: "token",
    counted: true,
    // Every membership is public in the simulator.
    handle: (ctx) => withOrg(ctx, "/orgs/members#list-public-organization-members", (org) => usersOf(ctx, membersView(org, null))),
  },
  {
    method: "GET",
    template: "/orgs/{org}/outside_collaborators",
    auth: "token",
    counted: true,
    handle: (ctx) =>
      withOrg(ctx, "/orgs/outside-collaborators#list-outside-collaborators-for-an-organization", (org) =>
        usersOf(ctx, org.outsideCollaborators),
      ),
  },
  {
    method: "GET",
    template: "/orgs/{org}/memberships/{username}",
    auth: "token",
    counted: true,
    handle: (ctx) =>
      withOrg(ctx, "/orgs/members#get-organization-membership-for-a-user", (org) => {
        const login = param(ctx, "username");
        const self = ctx.principal?.kind === "user" && ctx.principal.user.login.toLowerCase() === login.toLowerCase();
        if (!self && !isOrgMember(org, ctx.principal)) {
          return errorResponse(
            403,
            `You must be a member of ${org.login} to see membership information for ${login}.`,
            "/orgs/members#get-organization-membership-for-a-user",
          );
        }
        const member = findMembership(org, login);
        if (!member) return notFound("/orgs/members#get-organization-membership-for-a-user");
        return { status: 200, body: payload.membership(ctx.bases, org, userOrPlaceholder(ctx.state, member.login), member.role) };
      }),
  },
  {
    method: "GET",
    template: "/orgs/{org}/repos",
    auth: "token",
    counted: true,
    handle: (ctx) =>
      withOrg(ctx, "/repos/repos#list-organization-repositories", (org) =>
        listOk(ctx, reposView(org, ctx.url), (repo) => payload.minimalRepo(ctx.bases, org, repo)),
      ),
  },
  {
    method: "GET",
    template: "/orgs/{org}/credential-authorizations",
    auth: "token",
    counted: true,
    ghes: "never",
    handle: (ctx) =>
      withOrg(ctx, "/orgs/orgs#list-saml-sso-authorizations-for-an-organization", (org) => {
        const docs = "/orgs/orgs#list-saml-sso-authorizations-for-an-organization";
        if (!org.credentialAuthorizations) return notFound(docs);
        if (!isOrgMember(org, ctx.principal, "admin")) return errorResponse(403, "You must be an organization owner.", docs);
        const login = ctx.url.searchParams.get("login");
        const all = login
          ? org.credentialAuthorizations.filter((c) => c.login.toLowerCase() === login.toLowerCase())
          : org.credentialAuthorizations;
        return listOk(ctx, all, payload.credentialAuthorization);
      }),
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}",
    auth: "token",
    counted: true,
    handle: (ctx) =>
      withRepo(ctx, "/repos/repos#get-a-repository", (org, repo) => ({ status: 200, body: payload.fullRepo(ctx.bases, org, repo) })),
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/keys",
    auth: "token",
    counted: true,
    handle: (ctx) =>
      withRepo(ctx, "/deploy-keys/deploy-keys#list-deploy-keys", (org, repo) =>
        listOk(ctx, repo.deployKeys, (key) => payload.deployKey(ctx.bases, org, repo, key)),
      ),
  },
  { method: "GET", template: "/admin/keys", auth: "token", counted: true, ghes: "only", handle: listAdminKeys },
  { method: "GET", template: "/rate_limit", auth: "token", counted: false, handle: rateLimitOverview },
  {
    method: "POST",
    template: "/app/installations/{installation_id}/access_tokens",
    auth: "jwt",
    counted: false,
    handle: createInstallationToken,
  },
  { method: "GET", template: "/app/installations/{installation_id}", auth: "jwt", counted: false, handle: getInstallation },
];

interface CompiledRoute {
  readonly route: RestRoute;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

const compiled: readonly CompiledRoute[] = restRoutes.map((route) => {
  const names: string[] = [];
  const source = route.template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${source}/?$`), names };
});

/** The route serving `method path` in this mode, with its decoded path parameters. */
export function matchRestRoute(
  method: string,
  path: string,
  ghes: boolean,
): { route: RestRoute; params: Record<string, string> } | undefined {
  for (const { route, pattern, names } of compiled) {
    if (route.method !== method) continue;
    if ((route.ghes === "only" && !ghes) || (route.ghes === "never" && ghes)) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1] ?? "");
    });
    return { route, params };
  }
  return undefined;
}
