import { AuthError, GitHubApiError, UsageError, messageOf } from "../errors.js";
import { DEFAULT_CONCURRENCY } from "./crawl-defaults.js";
import {
  finishRun,
  findAccount,
  readCachedResponse,
  removeRegistrationsOf,
  removeUnseenMemberships,
  removeUnseenRegistrations,
  removeUnseenRepositories,
  saveAccount,
  saveCachedResponse,
  saveKey,
  saveMembership,
  saveRegistration,
  saveRepository,
  startRun,
  type AccountInput,
  type RegistrationKind,
  type Relation,
  type Store,
} from "../store/index.js";
import {
  findAccountIdByGithubId,
  findKeyIdOfRegistration,
  findRepositoryIdByGithubId,
  hasActiveMembershipElsewhere,
  isAccountSeenInRun,
  listActiveMemberAccountIds,
  removeUnseenAdminKeyRegistrations,
} from "../store/crawl-queries.js";
import { RateLimitStopError, createGitHubClient, type GitHubAuth, type GitHubClient } from "./client.js";
import { fetchAccountBatches, fetchOutsideCollaboratorPages } from "./fetch-accounts.js";
import { fetchAdminKeyPages, fetchRepositoryById, fetchUserById } from "./fetch-admin-keys.js";
import { fetchDeployKeyDetailPages } from "./fetch-deploy-key-details.js";
import { fetchAllPublicKeys, fetchMemberPages } from "./fetch-members.js";
import { fetchAllDeployKeys, fetchRepositoryPages } from "./fetch-repositories.js";
import { fetchSigningKeyPages } from "./fetch-signing-keys.js";
import { fetchCredentialAuthorizationPages } from "./fetch-sso.js";
import type { DeployKeyNode, PublicKeyNode, RestAdminKey, RestDeployKey, RestSigningKey, UserNode } from "./payload-types.js";
import { TaskPool } from "./task-pool.js";
import {
  transformAdminKey,
  transformCredentialAuthorization,
  transformDeployKeyNode,
  transformMemberEdge,
  transformPublicKey,
  transformRepositoryNode,
  transformRestDeployKey,
  transformSigningKey,
  transformUserNode,
  type TransformedKey,
} from "./transform.js";

/*
 * The crawl: per scope fetch (fetch-*.ts), transform (transform.ts), write one transaction per page, and note
 * which scopes were fetched COMPLETELY. Removals are concluded only at the end, in one transaction, and only
 * for complete scopes: a crawl that dies halfway, or a request that failed after retries, never marks
 * anything removed.
 */

export interface CrawlOptions {
  readonly orgs: readonly string[];
  /** Extra accounts to crawl (their public keys), outside any org. */
  readonly users?: readonly string[];
  /** Also crawl each org's outside collaborators and their keys. */
  readonly outsideCollaborators?: boolean;
  /** SSH signing keys: REST only, one request per account (a 10,000-member org costs 10,000 more requests). */
  readonly signingKeys?: boolean;
  /** REST details of deploy keys (added_by, last_used, numeric id); default true. Unchanged repos cost a 304. */
  readonly deployKeyDetails?: boolean;
  /** GHES site admin: every key from `GET /admin/keys` instead of per-account and per-repository key lists. */
  readonly allKeys?: boolean;
  /** Default https://api.github.com; GHES `https://host/api/v3` (GraphQL then at `/api/graphql`). */
  readonly apiUrl?: string;
  readonly auth: GitHubAuth;
  /** Concurrent REST detail requests (and concurrent member/repository streams); default 4. */
  readonly concurrency?: number;
  readonly requestTimeoutMs?: number;
  /** Wait out a spent primary rate limit when it resets within this many seconds (default 900), else stop. */
  readonly maxRateLimitWaitSeconds?: number;
  /** `baseDelayMs` = milliseconds per second of any wait (retry-after, backoff): tests use 1. */
  readonly retry?: { readonly retries?: number; readonly baseDelayMs?: number };
  /** Minimum spacing of GraphQL requests (default 1000 ms, plugin-throttling's choice); the simulator can take 0. */
  readonly graphqlIntervalMs?: number;
  readonly onProgress?: (progress: CrawlProgress) => void;
  readonly now?: () => string;
}

export interface CrawlProgress {
  readonly org: string;
  readonly phase: string;
  readonly membersDone: number;
  readonly membersTotal: number | null;
  readonly reposDone: number;
  readonly reposTotal: number | null;
  readonly requests: number;
  readonly rateRemaining: number | null;
}

export interface CrawlResult {
  readonly complete: boolean;
  readonly orgs: string[];
  /** Distinct accounts saved by this run. */
  readonly accounts: number;
  /** Distinct account keys (user, signing, SSO) saved by this run. */
  readonly keys: number;
  /** Distinct deploy keys (per repository) saved by this run. */
  readonly deployKeys: number;
  /** Requests sent, retries and token exchanges included. */
  readonly requests: number;
  readonly restRequests: number;
  readonly graphqlRequests: number;
  readonly graphqlPoints: number;
  readonly notModified: number;
  /** What could not be fetched: its scope concluded nothing. Non-empty ⇔ complete is false. */
  readonly missing: string[];
  /** Features GitHub does not offer this org or token (e.g. SAML SSO authorizations): not an incomplete crawl. */
  readonly unavailable: string[];
  readonly removed: { registrations: number; memberships: number; repositories: number };
  readonly rateRemaining: number | null;
  readonly runId: number;
  readonly warnings: string[];
}

/** Everything one run tracks: what it saw, which scopes were complete, what failed. Ids only, never payloads. */
class CrawlState {
  readonly missing: string[] = [];
  readonly unavailable: string[] = [];
  readonly warnings: string[] = [];
  readonly accounts = new Set<number>();
  readonly keyRegistrations = new Set<number>();
  readonly deployKeyRegistrations = new Set<number>();
  /** Accounts whose complete public-key list this run saved. */
  readonly completeAccountKeys = new Set<number>();
  readonly completeSigningKeys = new Set<number>();
  readonly completeRepoKeys = new Set<number>();
  /** Repositories where some deploy-key fetch failed: nothing is concluded for them. */
  readonly failedRepoKeys = new Set<number>();
  readonly completeMemberLists: string[] = [];
  readonly completeCollaboratorLists: string[] = [];
  readonly completeRepoLists: string[] = [];
  readonly completeSsoLists: string[] = [];
  adminKeysComplete = false;
  /** Requests skipped because the rate limit stopped the crawl, per kind: reported as one line each. */
  readonly skipped = new Map<string, number>();
  progress: CrawlProgress;

  constructor(org: string) {
    this.progress = { org, phase: "start", membersDone: 0, membersTotal: null, reposDone: 0, reposTotal: null, requests: 0, rateRemaining: null };
  }
}

interface Context {
  readonly store: Store;
  readonly client: GitHubClient;
  readonly options: CrawlOptions;
  readonly runId: number;
  readonly state: CrawlState;
  readonly pool: TaskPool;
  readonly now: () => string;
}

/**
 * Crawls the orgs (members, their keys, repositories, deploy keys, SSO authorizations) and accounts named in
 * `options` into `store` as one run, then concludes removals for the scopes fetched completely.
 * @throws AuthError when GitHub rejects the credentials; GitHubApiError when an org does not exist or cannot be
 * seen; UsageError when there is nothing to crawl. Failures of single requests after retries do not throw:
 * they end up in `missing` and `complete` is false.
 */
export async function crawl(store: Store, options: CrawlOptions): Promise<CrawlResult> {
  const orgs = [...new Set(options.orgs)];
  const users = [...new Set(options.users ?? [])];
  if (orgs.length === 0 && users.length === 0 && !options.allKeys) {
    throw new UsageError("nothing to crawl: give at least one --org (or --user, or --all-keys)");
  }
  const now = options.now ?? (() => new Date().toISOString());
  const client = createGitHubClient({
    apiUrl: options.apiUrl ?? "https://api.github.com",
    auth: options.auth,
    ...(options.requestTimeoutMs !== undefined && { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.maxRateLimitWaitSeconds !== undefined && { maxRateLimitWaitSeconds: options.maxRateLimitWaitSeconds }),
    ...(options.retry?.retries !== undefined && { retries: options.retry.retries }),
    ...(options.retry?.baseDelayMs !== undefined && { baseDelayMs: options.retry.baseDelayMs }),
    ...(options.graphqlIntervalMs !== undefined && { graphqlIntervalMs: options.graphqlIntervalMs }),
  });

  // Before any run is recorded: a bad token or a mistyped org fails here, with nothing written.
  for (const org of orgs) await checkOrg(client, org);

  const runId = startRun(store, "crawl", { orgs, users, ...(options.allKeys && { allKeys: true }) }, now());
  const state = new CrawlState(orgs[0] ?? "");
  const ctx: Context = { store, client, options, runId, state, pool: new TaskPool(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY)), now };
  const removed = { registrations: 0, memberships: 0, repositories: 0 };
  try {
    for (const org of orgs) await crawlOrg(ctx, org);
    if (users.length > 0) await crawlNamedAccounts(ctx, users, "accounts", null);
    await ctx.pool.drain();
    if (options.allKeys) await crawlAdminKeys(ctx);
    await ctx.pool.drain();
    for (const [what, count] of state.skipped) state.missing.push(`${what}: ${count} not sent (rate limit)`);
    if (client.stopped) state.warnings.push(client.stopped.message);
    store.transaction(() => Object.assign(removed, concludeRemovals(ctx)));
  } catch (error) {
    // Let started requests settle so that nothing writes to the store after the run is closed.
    await ctx.pool.drain().catch(() => undefined);
    finishRun(store, runId, { complete: false, missing: [...state.missing, `the crawl stopped: ${messageOf(error)}`], stats: stats(ctx, removed) }, now());
    throw error;
  }
  state.warnings.push(...client.stats.waits);
  const complete = state.missing.length === 0;
  finishRun(store, runId, { complete, missing: state.missing, stats: stats(ctx, removed) }, now());
  return {
    complete,
    orgs,
    accounts: state.accounts.size,
    keys: state.keyRegistrations.size,
    deployKeys: state.deployKeyRegistrations.size,
    requests: client.stats.restRequests + client.stats.graphqlRequests,
    restRequests: client.stats.restRequests,
    graphqlRequests: client.stats.graphqlRequests,
    graphqlPoints: client.stats.graphqlPoints,
    notModified: client.stats.notModified,
    missing: state.missing,
    unavailable: state.unavailable,
    removed,
    rateRemaining: rateRemaining(client),
    runId,
    warnings: state.warnings,
  };
}

function rateRemaining(client: GitHubClient): number | null {
  const values = [client.stats.coreRemaining, client.stats.graphqlRemaining].filter((v): v is number => v !== null);
  return values.length > 0 ? Math.min(...values) : null;
}

function stats(ctx: Context, removed: CrawlResult["removed"]): Record<string, unknown> {
  const s = ctx.client.stats;
  return {
    requests: s.restRequests + s.graphqlRequests,
    restRequests: s.restRequests,
    graphqlRequests: s.graphqlRequests,
    graphqlPoints: s.graphqlPoints,
    notModified: s.notModified,
    accounts: ctx.state.accounts.size,
    keys: ctx.state.keyRegistrations.size,
    deployKeys: ctx.state.deployKeyRegistrations.size,
    removed,
    // Unavailable features (no SAML SSO, not an owner) do not make a crawl incomplete.
    unavailable: ctx.state.unavailable,
    warnings: ctx.state.warnings.length,
  };
}

/** The org exists and the credentials work: one REST request per org. */
async function checkOrg(client: GitHubClient, org: string): Promise<void> {
  try {
    await client.get(`/orgs/${encodeURIComponent(org)}`);
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404) {
      throw new GitHubApiError(`GitHub organization "${org}" not found, or the credentials cannot see it: check --org ${org}`, 404, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Records a scope that could not be fetched. Only GitHub's answers are scope failures; credentials rejected
 * mid-crawl, store errors and bugs stop the whole crawl.
 */
function fail(ctx: Context, what: string, error: unknown): void {
  if (error instanceof AuthError || !(error instanceof GitHubApiError)) throw error;
  if (error instanceof RateLimitStopError) {
    ctx.state.missing.push(`${what} (rate limit)`);
    return;
  }
  ctx.state.missing.push(`${what} (${error.message})`);
}

function report(ctx: Context, change: Partial<CrawlProgress>): void {
  const state = ctx.state;
  state.progress = {
    ...state.progress,
    ...change,
    requests: ctx.client.stats.restRequests + ctx.client.stats.graphqlRequests,
    rateRemaining: rateRemaining(ctx.client),
  };
  ctx.options.onProgress?.(state.progress);
}

/** Runs a per-account or per-repository REST task in the pool, or counts it as skipped once the rate limit stopped us. */
async function submit(ctx: Context, kind: string, task: () => Promise<void>): Promise<void> {
  if (ctx.client.stopped) {
    ctx.state.skipped.set(kind, (ctx.state.skipped.get(kind) ?? 0) + 1);
    return;
  }
  await ctx.pool.submit(task);
}

async function crawlOrg(ctx: Context, org: string): Promise<void> {
  report(ctx, { org, phase: "members", membersDone: 0, membersTotal: null, reposDone: 0, reposTotal: null });
  // The member and repository walks share nothing but the client: run them side by side.
  // allSettled: a fatal error in one stream must not leave the other writing after the run is closed.
  const streams = await Promise.allSettled([crawlMembers(ctx, org), crawlRepositories(ctx, org)]);
  for (const stream of streams) if (stream.status === "rejected") throw stream.reason;
  if (ctx.options.outsideCollaborators) await crawlOutsideCollaborators(ctx, org);
  // SSO authorizations name keys by id: match them after this org's keys are stored.
  await ctx.pool.drain();
  await crawlSso(ctx, org);
}

// ---------------------------------------------------------------------------------------------- keys of accounts

interface AccountEntry {
  readonly account: AccountInput;
  readonly role: "admin" | "member" | null;
  /** Null when the keys were not asked for (--all-keys). */
  readonly keys: readonly PublicKeyNode[] | null;
  readonly keysComplete: boolean;
}

/** The account's keys: the page that came with it plus, past 100 keys, the rest (a′). A failure keeps what came. */
async function collectAccountKeys(ctx: Context, user: UserNode): Promise<{ keys: PublicKeyNode[] | null; complete: boolean }> {
  const first = user.publicKeys;
  if (!first) return { keys: null, complete: false };
  try {
    return { keys: await fetchAllPublicKeys(ctx.client, user.login, first), complete: true };
  } catch (error) {
    fail(ctx, `public keys of ${user.login}`, error);
    return { keys: first.nodes.filter((n): n is PublicKeyNode => n !== null), complete: false };
  }
}

/** One page of accounts in one transaction: accounts, memberships, keys, registrations. Returns the account ids. */
function saveAccountPage(
  ctx: Context,
  entries: readonly AccountEntry[],
  membership: { org: string; relation: Relation } | null,
): number[] {
  const { store, runId, state } = ctx;
  const at = ctx.now();
  return store.transaction(() =>
    entries.map((entry) => {
      const accountId = saveAccount(store, entry.account, runId, at);
      state.accounts.add(accountId);
      if (membership) saveMembership(store, { accountId, org: membership.org, relation: membership.relation, role: entry.role }, runId, at);
      if (entry.keys) {
        for (const node of entry.keys) saveKeyRegistration(ctx, transformPublicKey(node, entry.account.login), "user_key", { accountId }, at);
        if (entry.keysComplete) state.completeAccountKeys.add(accountId);
      }
      return accountId;
    }),
  );
}

function saveKeyRegistration(
  ctx: Context,
  transformed: TransformedKey,
  kind: RegistrationKind,
  owner: { accountId: number } | { repositoryId: number },
  at: string,
  source = "crawl",
): number | null {
  if (!transformed.ok) {
    ctx.state.warnings.push(transformed.warning);
    return null;
  }
  const { key, ...fields } = transformed.row;
  const keyId = saveKey(ctx.store, key, at);
  const id = saveRegistration(ctx.store, { keyId, kind, ...owner, source, ...fields }, ctx.runId, at);
  (kind === "deploy_key" ? ctx.state.deployKeyRegistrations : ctx.state.keyRegistrations).add(id);
  return id;
}

async function crawlMembers(ctx: Context, org: string): Promise<void> {
  const withKeys = !ctx.options.allKeys;
  let done = 0;
  try {
    for await (const page of fetchMemberPages(ctx.client, org, { withKeys })) {
      const entries: AccountEntry[] = [];
      for (const edge of page.edges) {
        const member = transformMemberEdge(edge);
        if (!member || !edge.node) continue;
        const { keys, complete } = withKeys ? await collectAccountKeys(ctx, edge.node) : { keys: null, complete: false };
        entries.push({ ...member, keys, keysComplete: complete });
      }
      const ids = saveAccountPage(ctx, entries, { org, relation: "member" });
      done += entries.length;
      report(ctx, { org, phase: "members", membersDone: done, membersTotal: page.totalCount });
      if (ctx.options.signingKeys) {
        for (const [i, id] of ids.entries()) await submitSigningKeys(ctx, entries[i]?.account.login ?? "", id);
      }
    }
    ctx.state.completeMemberLists.push(org);
  } catch (error) {
    fail(ctx, `members of ${org} (after ${done})`, error);
  }
}

async function submitSigningKeys(ctx: Context, login: string, accountId: number): Promise<void> {
  await submit(ctx, "signing keys of accounts", async () => {
    const keys: RestSigningKey[] = [];
    try {
      for await (const page of fetchSigningKeyPages(ctx.client, login)) keys.push(...page.items);
    } catch (error) {
      fail(ctx, `signing keys of ${login}`, error);
      return;
    }
    const at = ctx.now();
    ctx.store.transaction(() => {
      for (const key of keys) saveKeyRegistration(ctx, transformSigningKey(key, login), "signing_key", { accountId }, at);
    });
    ctx.state.completeSigningKeys.add(accountId);
  });
}

/**
 * Accounts known by login only (outside collaborators, --user): their keys in aliased batches of 50 per
 * GraphQL request. Returns true when every account was fetched completely.
 */
async function crawlNamedAccounts(
  ctx: Context,
  logins: readonly string[],
  what: string,
  membership: { org: string; relation: Relation } | null,
): Promise<boolean> {
  let allFetched = true;
  try {
    for await (const batch of fetchAccountBatches(ctx.client, logins)) {
      const entries: AccountEntry[] = [];
      for (const { login, user } of batch) {
        if (!user) {
          ctx.state.missing.push(`account ${login} (GitHub knows no such user)`);
          allFetched = false;
          continue;
        }
        const { keys, complete } = await collectAccountKeys(ctx, user);
        if (!complete) allFetched = false;
        entries.push({ account: transformUserNode(user), role: null, keys, keysComplete: complete });
      }
      const ids = saveAccountPage(ctx, entries, membership);
      if (ctx.options.signingKeys) {
        for (const [i, id] of ids.entries()) await submitSigningKeys(ctx, entries[i]?.account.login ?? "", id);
      }
    }
  } catch (error) {
    fail(ctx, `public keys of ${what}`, error);
    return false;
  }
  return allFetched;
}

async function crawlOutsideCollaborators(ctx: Context, org: string): Promise<void> {
  report(ctx, { org, phase: "outside-collaborators" });
  let complete = true;
  try {
    for await (const page of fetchOutsideCollaboratorPages(ctx.client, org)) {
      const logins = page.items.map((u) => u.login);
      const fetched = await crawlNamedAccounts(ctx, logins, `outside collaborators of ${org}`, { org, relation: "outside_collaborator" });
      if (!fetched) complete = false;
    }
  } catch (error) {
    fail(ctx, `outside collaborators of ${org}`, error);
    return;
  }
  if (complete) ctx.state.completeCollaboratorLists.push(org);
}

// -------------------------------------------------------------------------------------------------- repositories

async function crawlRepositories(ctx: Context, org: string): Promise<void> {
  const withKeys = !ctx.options.allKeys;
  const details = withKeys && ctx.options.deployKeyDetails !== false;
  let done = 0;
  try {
    for await (const page of fetchRepositoryPages(ctx.client, org, { withKeys })) {
      const entries: { node: (typeof page.repositories)[number]; keys: DeployKeyNode[] | null; complete: boolean }[] = [];
      for (const node of page.repositories) {
        if (!node.deployKeys) {
          entries.push({ node, keys: null, complete: false });
          continue;
        }
        try {
          entries.push({ node, keys: await fetchAllDeployKeys(ctx.client, node.nameWithOwner, node.deployKeys), complete: true });
        } catch (error) {
          fail(ctx, `deploy keys of ${node.nameWithOwner}`, error);
          entries.push({ node, keys: node.deployKeys.nodes.filter((n): n is DeployKeyNode => n !== null), complete: false });
        }
      }
      const at = ctx.now();
      const ids = ctx.store.transaction(() =>
        entries.map(({ node, keys, complete }) => {
          const repositoryId = saveRepository(ctx.store, transformRepositoryNode(node, org), ctx.runId, at);
          for (const key of keys ?? []) {
            saveKeyRegistration(ctx, transformDeployKeyNode(key, node.nameWithOwner, !details), "deploy_key", { repositoryId }, at);
          }
          if (keys && complete) ctx.state.completeRepoKeys.add(repositoryId);
          return repositoryId;
        }),
      );
      done += entries.length;
      report(ctx, { org, phase: "repositories", reposDone: done, reposTotal: page.totalCount });
      if (details) {
        for (const [i, { node }] of entries.entries()) {
          const repositoryId = ids[i];
          if (repositoryId !== undefined && (node.deployKeys?.totalCount ?? 0) > 0) {
            await submitDeployKeyDetails(ctx, node.nameWithOwner, repositoryId);
          }
        }
      }
    }
    ctx.state.completeRepoLists.push(org);
  } catch (error) {
    fail(ctx, `repositories of ${org} (after ${done})`, error);
  }
}

async function submitDeployKeyDetails(ctx: Context, fullName: string, repositoryId: number): Promise<void> {
  // Details that will not be fetched leave the repository's deploy keys unconcluded.
  if (ctx.client.stopped) ctx.state.failedRepoKeys.add(repositoryId);
  await submit(ctx, "deploy key details of repositories", async () => {
    const keys: RestDeployKey[] = [];
    const cacheEntries: { url: string; etag: string; body: string }[] = [];
    try {
      for await (const page of fetchDeployKeyDetailPages(ctx.client, fullName, (url) => readCachedResponse(ctx.store, url))) {
        keys.push(...page.keys);
        if (page.cacheEntry) cacheEntries.push(page.cacheEntry);
      }
    } catch (error) {
      ctx.state.failedRepoKeys.add(repositoryId);
      fail(ctx, `deploy key details of ${fullName}`, error);
      return;
    }
    const at = ctx.now();
    ctx.store.transaction(() => {
      for (const key of keys) saveKeyRegistration(ctx, transformRestDeployKey(key, fullName), "deploy_key", { repositoryId }, at);
      for (const entry of cacheEntries) saveCachedResponse(ctx.store, entry, at);
    });
  });
}

// ----------------------------------------------------------------------------------------------------------- SSO

async function crawlSso(ctx: Context, org: string): Promise<void> {
  report(ctx, { org, phase: "sso" });
  if (ctx.client.stopped) {
    ctx.state.missing.push(`SSO credential authorizations of ${org} (not sent: rate limit)`);
    return;
  }
  try {
    for await (const page of fetchCredentialAuthorizationPages(ctx.client, org)) {
      const at = ctx.now();
      ctx.store.transaction(() => {
        for (const item of page.items) saveSsoAuthorization(ctx, item, at);
      });
    }
    ctx.state.completeSsoLists.push(org);
  } catch (error) {
    if (error instanceof GitHubApiError && (error.status === 403 || error.status === 404) && !(error instanceof RateLimitStopError)) {
      ctx.state.unavailable.push(`SSO credential authorizations of ${org} (HTTP ${error.status}: no SAML SSO, or the credentials are not an org owner's)`);
      return;
    }
    fail(ctx, `SSO credential authorizations of ${org}`, error);
  }
}

function saveSsoAuthorization(ctx: Context, item: Parameters<typeof transformCredentialAuthorization>[0], at: string): void {
  const auth = transformCredentialAuthorization(item);
  if (!auth) return;
  const { store } = ctx;
  // Not a sighting of the account by this run: only the member and account walks decide that.
  const accountId = findAccount(store, auth.login)?.id ?? saveAccount(store, { login: auth.login }, null, at);
  let keyId = auth.keyGithubId !== null ? findKeyIdOfRegistration(store, accountId, "user_key", auth.keyGithubId) : undefined;
  if (keyId === undefined && auth.sha256 !== null) keyId = saveKey(store, { sha256: auth.sha256 }, at);
  if (keyId === undefined) {
    ctx.state.warnings.push(
      `SSO authorization ${auth.credentialId} of ${auth.login} names key ${auth.keyGithubId ?? "(none)"}, which no crawl has seen: not recorded`,
    );
    return;
  }
  const id = saveRegistration(
    store,
    {
      keyId,
      kind: "sso_credential",
      accountId,
      githubId: auth.credentialId,
      title: auth.title,
      createdAt: auth.authorizedAt,
      lastUsed: auth.accessedAt,
    },
    ctx.runId,
    at,
  );
  ctx.state.keyRegistrations.add(id);
}

// ------------------------------------------------------------------------------------------------ GHES admin keys

async function crawlAdminKeys(ctx: Context): Promise<void> {
  report(ctx, { phase: "admin-keys" });
  const { store, client } = ctx;
  try {
    for await (const page of fetchAdminKeyPages(client)) {
      // Resolve owners GitHub names by id only, before the page's transaction.
      const accounts = new Map<number, AccountInput>();
      const repos = new Map<number, { fullName: string; org: string | null; nodeId: string | null; archived: boolean | null; visibility: string | null }>();
      for (const key of page.items) {
        if (key.user_id !== null && !accounts.has(key.user_id) && findAccountIdByGithubId(store, key.user_id) === undefined) {
          const user = await fetchUserById(client, key.user_id);
          accounts.set(key.user_id, { login: user.login, githubId: user.id, nodeId: user.node_id ?? null, type: user.type ?? null, name: user.name ?? null });
        } else if (key.user_id === null && key.repository_id !== null && !repos.has(key.repository_id) && findRepositoryIdByGithubId(store, key.repository_id) === undefined) {
          const repo = await fetchRepositoryById(client, key.repository_id);
          repos.set(key.repository_id, {
            fullName: repo.full_name,
            org: repo.owner?.login ?? null,
            nodeId: repo.node_id ?? null,
            archived: repo.archived ?? null,
            visibility: repo.visibility ?? null,
          });
        }
      }
      const at = ctx.now();
      store.transaction(() => {
        for (const account of accounts.values()) ctx.state.accounts.add(saveAccount(store, account, ctx.runId, at));
        for (const [githubId, repo] of repos) saveRepository(store, { ...repo, githubId }, null, at);
        for (const key of page.items) saveAdminKey(ctx, key, at);
      });
    }
    ctx.state.adminKeysComplete = true;
  } catch (error) {
    fail(ctx, "GHES /admin/keys", error);
  }
}

function saveAdminKey(ctx: Context, key: RestAdminKey, at: string): void {
  const transformed = transformAdminKey(key);
  if (key.user_id !== null) {
    const accountId = findAccountIdByGithubId(ctx.store, key.user_id);
    if (accountId !== undefined) saveKeyRegistration(ctx, transformed, "user_key", { accountId }, at, "admin-keys");
  } else if (key.repository_id !== null) {
    const repositoryId = findRepositoryIdByGithubId(ctx.store, key.repository_id);
    if (repositoryId !== undefined) saveKeyRegistration(ctx, transformed, "deploy_key", { repositoryId }, at, "admin-keys");
  }
}

// ------------------------------------------------------------------------------------------------------ removals

/** The end of the run, in one transaction: what complete scopes no longer show is marked removed. */
function concludeRemovals(ctx: Context): CrawlResult["removed"] {
  const { store, runId, state } = ctx;
  const at = ctx.now();
  const removed = { registrations: 0, memberships: 0, repositories: 0 };
  for (const accountId of state.completeAccountKeys) {
    removed.registrations += removeUnseenRegistrations(store, { accountId, kinds: ["user_key"], runId, reason: "key-removed" }, at);
  }
  for (const accountId of state.completeSigningKeys) {
    removed.registrations += removeUnseenRegistrations(store, { accountId, kinds: ["signing_key"], runId, reason: "key-removed" }, at);
  }
  for (const repositoryId of state.completeRepoKeys) {
    if (state.failedRepoKeys.has(repositoryId)) continue;
    removed.registrations += removeUnseenRegistrations(store, { repositoryId, kinds: ["deploy_key"], runId, reason: "deploy-key-removed" }, at);
  }
  for (const org of state.completeRepoLists) {
    for (const repositoryId of removeUnseenRepositories(store, { org, runId }, at)) {
      removed.repositories += 1;
      removed.registrations += removeRegistrationsOf(store, { repositoryId, kinds: ["deploy_key"], runId, reason: "repository-deleted" }, at);
    }
  }
  const endMemberships = (org: string, relation: Relation, reason: string): void => {
    for (const accountId of removeUnseenMemberships(store, { org, relation, runId, reason }, at)) {
      removed.memberships += 1;
      // Still seen by this run elsewhere, or still in another org: its keys are that scope's business.
      if (isAccountSeenInRun(store, accountId, runId) || hasActiveMembershipElsewhere(store, accountId, org)) continue;
      const kinds: RegistrationKind[] = ["user_key", "signing_key", "sso_credential"];
      for (const source of ["crawl", "admin-keys"]) {
        removed.registrations += removeUnseenRegistrations(store, { accountId, kinds, runId, reason: "account-left-org", source }, at);
      }
    }
  };
  for (const org of state.completeMemberLists) endMemberships(org, "member", "left-org");
  for (const org of state.completeCollaboratorLists) endMemberships(org, "outside_collaborator", "collaborator-removed");
  for (const org of state.completeSsoLists) {
    for (const accountId of listActiveMemberAccountIds(store, org)) {
      removed.registrations += removeUnseenRegistrations(
        store,
        { accountId, kinds: ["sso_credential"], runId, reason: "sso-authorization-revoked" },
        at,
      );
    }
  }
  if (state.adminKeysComplete) removed.registrations += removeUnseenAdminKeyRegistrations(store, runId, at);
  return removed;
}
