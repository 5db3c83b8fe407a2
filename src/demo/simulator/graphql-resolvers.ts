import { GraphQLError, isNonNullType } from "graphql";
import type { GraphQLFieldResolver, GraphQLTypeResolver } from "graphql";
import { nodeId, syntheticDate, type Bases } from "./payloads.js";
import { keyWithoutComment, sha256Fingerprint } from "./ssh-key-text.js";
import { cachedView, compareNames, findOrg, findRepo, findUser, userOrPlaceholder } from "./state.js";
import type { SimKey, SimOrg, SimRepo, SimState, SimUser } from "./types.js";

/** What every resolver sees. */
export interface GraphQLContext {
  readonly state: SimState;
  /** The token's user (for an installation token: a stand-in bot). */
  readonly viewer: SimUser;
  readonly bases: Bases;
  readonly rateLimit: {
    readonly cost: number;
    readonly limit: number;
    readonly remaining: number;
    readonly used: number;
    readonly resetAt: string;
    readonly nodeCount: number;
  };
  /** `rateLimit(dryRun: true)` asked: compute the cost, resolve nothing else. */
  readonly dryRun: boolean;
}

/** A resolver error carrying GitHub's top-level `type` (e.g. NOT_FOUND). */
export class TypedResolverError extends Error {
  override name = "TypedResolverError";
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

// Models: what a resolver returns for an object type. `__typename` lets interfaces resolve to the right type.
interface OrgModel {
  readonly __typename: "Organization";
  readonly org: SimOrg;
}
interface UserModel {
  readonly __typename: "User";
  readonly user: SimUser;
}
interface RepoModel {
  readonly __typename: "Repository";
  readonly org: SimOrg;
  readonly repo: SimRepo;
}
interface PublicKeyModel {
  readonly __typename: "PublicKey";
  readonly key: SimKey;
  readonly owner: SimUser;
}
interface DeployKeyModel {
  readonly __typename: "DeployKey";
  readonly key: SimKey;
}

const orgModel = (org: SimOrg): OrgModel => ({ __typename: "Organization", org });
const userModel = (user: SimUser): UserModel => ({ __typename: "User", user });
const repoModel = (org: SimOrg, repo: SimRepo): RepoModel => ({ __typename: "Repository", org, repo });

interface ConnectionArgs {
  readonly first?: number | null;
  readonly last?: number | null;
  readonly after?: string | null;
  readonly before?: string | null;
}

/** Opaque cursors, like GitHub's `Y3Vyc29yOnYyOp…` (base64 of `cursor:v2:` + position). */
export function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString("base64");
}

function decodeCursor(cursor: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  if (!match) throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(match[1]);
}

/** A connection page over `all`; only the page is turned into nodes. */
function connection<T>(
  all: readonly T[],
  args: ConnectionArgs,
  toNode: (item: T) => unknown,
  edgeExtra?: (item: T) => Record<string, unknown>,
  extra?: Record<string, unknown>,
): Record<string, unknown> {
  let start = args.after ? decodeCursor(args.after) + 1 : 0;
  let end = args.before ? Math.min(decodeCursor(args.before), all.length) : all.length;
  start = Math.min(start, all.length);
  end = Math.max(start, end);
  if (typeof args.first === "number") end = Math.min(end, start + args.first);
  else if (typeof args.last === "number") start = Math.max(start, end - args.last);
  const edges: Record<string, unknown>[] = [];
  const nodes: unknown[] = [];
  for (let i = start; i < end; i += 1) {
    const item = all[i] as T;
    const node = toNode(item);
    nodes.push(node);
    edges.push({ cursor: encodeCursor(i), node, ...edgeExtra?.(item) });
  }
  return {
    totalCount: all.length,
    pageInfo: {
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      startCursor: end > start ? encodeCursor(start) : null,
      endCursor: end > start ? encodeCursor(end - 1) : null,
    },
    edges,
    nodes,
    ...extra,
  };
}

type Resolver = (source: never, args: Record<string, unknown>, context: GraphQLContext) => unknown;

function repositoriesView(org: SimOrg, args: Record<string, unknown>): readonly SimRepo[] {
  const orderBy = (args.orderBy ?? {}) as { field?: string; direction?: string };
  const archived = args.isArchived as boolean | null | undefined;
  const fork = args.isFork as boolean | null | undefined;
  const privacy = (args.privacy as string | null | undefined) ?? null;
  const visibility = (args.visibility as string | null | undefined) ?? null;
  if (privacy && visibility) throw new GraphQLError("The `privacy` and `visibility` arguments cannot be used together.");
  const field = orderBy.field ?? "CREATED_AT";
  const direction = orderBy.direction ?? "ASC";
  const key = `gql-repos:${String(archived)}:${String(fork)}:${privacy}:${visibility}:${field}:${direction}`;
  return cachedView(org.repos, key, (repos) => {
    const kept = repos.filter((r) => {
      const vis = (r.visibility ?? "public").toUpperCase();
      if (archived !== null && archived !== undefined && (r.archived ?? false) !== archived) return false;
      if (fork !== null && fork !== undefined && (r.fork ?? false) !== fork) return false;
      if (privacy && (privacy === "PUBLIC") !== (vis === "PUBLIC")) return false;
      if (visibility && visibility !== vis) return false;
      return true;
    });
    if (field === "NAME") kept.sort((a, b) => compareNames(a.name, b.name));
    else kept.sort((a, b) => a.id - b.id);
    if (direction === "DESC") kept.reverse();
    return kept;
  });
}

const resolvers: Record<string, Record<string, Resolver>> = {
  Query: {
    organization: (_s, args, ctx) => {
      if (ctx.dryRun) return null;
      const login = String(args.login);
      const org = findOrg(ctx.state, login);
      if (!org) throw new TypedResolverError(`Could not resolve to an Organization with the login of '${login}'.`, "NOT_FOUND");
      return orgModel(org);
    },
    user: (_s, args, ctx) => {
      if (ctx.dryRun) return null;
      const login = String(args.login);
      const user = findUser(ctx.state, login);
      if (!user) throw new TypedResolverError(`Could not resolve to a User with the login of '${login}'.`, "NOT_FOUND");
      return userModel(user);
    },
    repository: (_s, args, ctx) => {
      if (ctx.dryRun) return null;
      const owner = String(args.owner);
      const name = String(args.name);
      const org = findOrg(ctx.state, owner);
      const repo = org && findRepo(org, name);
      if (!org || !repo) throw new TypedResolverError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, "NOT_FOUND");
      return repoModel(org, repo);
    },
    repositoryOwner: (_s, args, ctx) => {
      if (ctx.dryRun) return null;
      const login = String(args.login);
      const org = findOrg(ctx.state, login);
      if (org) return orgModel(org);
      const user = findUser(ctx.state, login);
      return user ? userModel(user) : null;
    },
    viewer: (_s, _a, ctx) => userModel(ctx.viewer),
    rateLimit: (_s, _a, ctx) => ctx.rateLimit,
  },
  Organization: {
    id: (s: OrgModel) => nodeId("Organization", s.org.id),
    databaseId: (s: OrgModel) => s.org.id,
    login: (s: OrgModel) => s.org.login,
    name: (s: OrgModel) => s.org.login,
    url: (s: OrgModel, _a, ctx) => `${ctx.bases.html}/${s.org.login}`,
    resourcePath: (s: OrgModel) => `/${s.org.login}`,
    createdAt: (s: OrgModel) => syntheticDate(s.org.id),
    updatedAt: (s: OrgModel) => syntheticDate(s.org.id),
    membersWithRole: (s: OrgModel, args, ctx) =>
      connection(
        s.org.members,
        args,
        (m) => userModel(userOrPlaceholder(ctx.state, m.login)),
        // 2FA state is not modelled: GitHub answers null when it is not visible to the viewer.
        (m) => ({ role: m.role.toUpperCase(), hasTwoFactorEnabled: null }),
      ),
    repositories: (s: OrgModel, args) =>
      connection(repositoriesView(s.org, args), args, (repo) => repoModel(s.org, repo), undefined, { totalDiskUsage: 0 }),
  },
  User: {
    id: (s: UserModel) => nodeId(s.user.type === "Bot" ? "Bot" : "User", s.user.id),
    databaseId: (s: UserModel) => s.user.id,
    login: (s: UserModel) => s.user.login,
    name: (s: UserModel) => s.user.name ?? null,
    email: () => "",
    isSiteAdmin: (s: UserModel) => s.user.siteAdmin ?? false,
    url: (s: UserModel, _a, ctx) => `${ctx.bases.html}/${s.user.login}`,
    resourcePath: (s: UserModel) => `/${s.user.login}`,
    createdAt: (s: UserModel) => syntheticDate(s.user.id),
    updatedAt: (s: UserModel) => syntheticDate(s.user.id),
    publicKeys: (s: UserModel, args) =>
      connection(s.user.keys, args, (key): PublicKeyModel => ({ __typename: "PublicKey", key, owner: s.user })),
  },
  Repository: {
    id: (s: RepoModel) => nodeId("Repository", s.repo.id),
    databaseId: (s: RepoModel) => s.repo.id,
    name: (s: RepoModel) => s.repo.name,
    nameWithOwner: (s: RepoModel) => `${s.org.login}/${s.repo.name}`,
    owner: (s: RepoModel) => orgModel(s.org),
    url: (s: RepoModel, _a, ctx) => `${ctx.bases.html}/${s.org.login}/${s.repo.name}`,
    resourcePath: (s: RepoModel) => `/${s.org.login}/${s.repo.name}`,
    visibility: (s: RepoModel) => (s.repo.visibility ?? "public").toUpperCase(),
    isPrivate: (s: RepoModel) => (s.repo.visibility ?? "public") !== "public",
    isArchived: (s: RepoModel) => s.repo.archived ?? false,
    isFork: (s: RepoModel) => s.repo.fork ?? false,
    isDisabled: () => false,
    isEmpty: () => false,
    isLocked: () => false,
    isMirror: () => false,
    isTemplate: () => false,
    createdAt: (s: RepoModel) => syntheticDate(s.repo.id),
    updatedAt: (s: RepoModel) => syntheticDate(s.repo.id),
    pushedAt: (s: RepoModel) => syntheticDate(s.repo.id),
    deployKeys: (s: RepoModel, args) =>
      connection(s.repo.deployKeys, args, (key): DeployKeyModel => ({ __typename: "DeployKey", key })),
  },
  PublicKey: {
    id: (s: PublicKeyModel) => nodeId("PublicKey", s.key.id),
    key: (s: PublicKeyModel) => keyWithoutComment(s.key.key),
    fingerprint: (s: PublicKeyModel) => sha256Fingerprint(s.key.key),
    // GitHub shows these only to the key's owner.
    createdAt: (s: PublicKeyModel, _a, ctx) => (ownsKey(s, ctx) ? s.key.createdAt : null),
    updatedAt: (s: PublicKeyModel, _a, ctx) => (ownsKey(s, ctx) ? s.key.createdAt : null),
    accessedAt: (s: PublicKeyModel, _a, ctx) => (ownsKey(s, ctx) ? (s.key.lastUsed ?? null) : null),
    isReadOnly: (s: PublicKeyModel, _a, ctx) => (ownsKey(s, ctx) ? (s.key.readOnly ?? false) : null),
  },
  DeployKey: {
    id: (s: DeployKeyModel) => nodeId("DeployKey", s.key.id),
    key: (s: DeployKeyModel) => keyWithoutComment(s.key.key),
    title: (s: DeployKeyModel) => s.key.title,
    readOnly: (s: DeployKeyModel) => s.key.readOnly ?? true,
    verified: (s: DeployKeyModel) => s.key.verified ?? true,
    enabled: (s: DeployKeyModel) => s.key.enabled ?? true,
    createdAt: (s: DeployKeyModel) => s.key.createdAt,
  },
};

function ownsKey(model: PublicKeyModel, ctx: GraphQLContext): boolean {
  return model.owner.login.toLowerCase() === ctx.viewer.login.toLowerCase();
}

/**
 * Dispatches to the tables above; types without a table (connections, edges, PageInfo, RateLimit) read plain
 * properties. Anything else resolves to null, or fails clearly when the schema forbids null.
 */
export const fieldResolver: GraphQLFieldResolver<unknown, GraphQLContext> = (source, args, context, info) => {
  const table = resolvers[info.parentType.name];
  const resolve = table?.[info.fieldName];
  if (resolve) return resolve(source as never, args as Record<string, unknown>, context);
  if (!table && typeof source === "object" && source !== null && Object.hasOwn(source, info.fieldName)) {
    return (source as Record<string, unknown>)[info.fieldName];
  }
  if (isNonNullType(info.returnType)) {
    throw new GraphQLError(`The keyward GitHub simulator does not implement ${info.parentType.name}.${info.fieldName}.`);
  }
  return null;
};

export const typeResolver: GraphQLTypeResolver<unknown, GraphQLContext> = (value) =>
  typeof value === "object" && value !== null && "__typename" in value ? String(value.__typename) : undefined;
