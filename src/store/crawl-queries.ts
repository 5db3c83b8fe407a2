import type { Store } from "./db.js";
import type { RegistrationKind } from "./registrations.js";
import { removeUnseenRegistrations } from "./registrations.js";

/* Statements only the GitHub crawl needs: lookups by GitHub's ids and the run-scoped checks of its cleanup. */

export function findAccountIdByGithubId(store: Store, githubId: number): number | undefined {
  return (store.statement("SELECT id FROM accounts WHERE github_id = ? ORDER BY id LIMIT 1").get(githubId) as { id: number } | undefined)?.id;
}

export function findRepositoryIdByGithubId(store: Store, githubId: number): number | undefined {
  return (store.statement("SELECT id FROM repositories WHERE github_id = ? ORDER BY id LIMIT 1").get(githubId) as { id: number } | undefined)
    ?.id;
}

/** The key behind an account's registration with this GitHub id (SSO authorizations name keys by id only). */
export function findKeyIdOfRegistration(store: Store, accountId: number, kind: RegistrationKind, githubId: string): number | undefined {
  return (
    store
      .statement("SELECT key_id AS keyId FROM registrations WHERE account_id = ? AND kind = ? AND github_id = ? ORDER BY id DESC LIMIT 1")
      .get(accountId, kind, githubId) as { keyId: number } | undefined
  )?.keyId;
}

/** True when this run saved the account (through any org, collaborator list or --user). */
export function isAccountSeenInRun(store: Store, accountId: number, runId: number): boolean {
  return store.statement("SELECT 1 FROM accounts WHERE id = ? AND last_run_id = ?").get(accountId, runId) !== undefined;
}

/** True when the account still holds a membership (any relation) that no crawl has ended, other than in `org`. */
export function hasActiveMembershipElsewhere(store: Store, accountId: number, org: string): boolean {
  return (
    store
      .statement("SELECT 1 FROM memberships WHERE account_id = ? AND removed_at IS NULL AND org != ? LIMIT 1")
      .get(accountId, org) !== undefined
  );
}

/** Accounts with a present membership (member or outside collaborator) in `org`. */
export function listActiveMemberAccountIds(store: Store, org: string): number[] {
  return (
    store.statement("SELECT DISTINCT account_id AS accountId FROM memberships WHERE org = ? AND removed_at IS NULL").all(org) as {
      accountId: number;
    }[]
  ).map((r) => r.accountId);
}

/**
 * After a complete GHES `/admin/keys` listing: marks the `admin-keys` registrations this run did not see as
 * removed. Returns how many were.
 */
export function removeUnseenAdminKeyRegistrations(store: Store, runId: number, now: string): number {
  const owners = store
    .statement(
      `SELECT DISTINCT account_id AS accountId, repository_id AS repositoryId, kind FROM registrations
       WHERE source = 'admin-keys' AND removed_at IS NULL AND (last_run_id IS NULL OR last_run_id != ?)`,
    )
    .all(runId) as { accountId: number | null; repositoryId: number | null; kind: RegistrationKind }[];
  let removed = 0;
  for (const owner of owners) {
    const reason = owner.kind === "deploy_key" ? "deploy-key-removed" : "key-removed";
    const scope =
      owner.accountId !== null
        ? { accountId: owner.accountId, kinds: [owner.kind], runId, reason, source: "admin-keys" }
        : { repositoryId: owner.repositoryId ?? 0, kinds: [owner.kind], runId, reason, source: "admin-keys" };
    removed += removeUnseenRegistrations(store, scope, now);
  }
  return removed;
}
