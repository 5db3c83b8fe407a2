import type { Store } from "./db.js";
import { recordEvent } from "./events.js";

export type RegistrationKind = "user_key" | "deploy_key" | "signing_key" | "sso_credential";

export interface RegistrationInput {
  readonly keyId: number;
  readonly kind: RegistrationKind;
  readonly accountId?: number | null;
  readonly repositoryId?: number | null;
  /** crawl | admin-keys | probe */
  readonly source?: string;
  readonly githubId?: string | number | null;
  readonly title?: string | null;
  readonly readOnly?: boolean | null;
  readonly enabled?: boolean | null;
  readonly verified?: boolean | null;
  readonly createdAt?: string | null;
  readonly lastUsed?: string | null;
  readonly addedBy?: string | null;
}

const bool = (v: boolean | null | undefined): number | null => (v === undefined || v === null ? null : v ? 1 : 0);

/**
 * Records that GitHub shows this registration now. New → `added`; one that had been removed → `reappeared`;
 * a deploy key turned off or on by policy → `disabled` / `enabled`. Known details are never blanked by a
 * source that lacks them (GraphQL has no added_by; REST has it).
 */
export function saveRegistration(store: Store, reg: RegistrationInput, runId: number | null, now: string): number {
  const accountId = reg.accountId ?? null;
  const repositoryId = reg.repositoryId ?? null;
  const existing = store
    .statement(
      `SELECT id, removed_at AS removedAt, enabled FROM registrations
       WHERE key_id = ? AND kind = ? AND IFNULL(account_id, 0) = IFNULL(?, 0) AND IFNULL(repository_id, 0) = IFNULL(?, 0)`,
    )
    .get(reg.keyId, reg.kind, accountId, repositoryId) as { id: number; removedAt: string | null; enabled: number | null } | undefined;
  const values = [
    reg.githubId === undefined || reg.githubId === null ? null : String(reg.githubId),
    reg.title ?? null,
    bool(reg.readOnly),
    bool(reg.enabled),
    bool(reg.verified),
    reg.createdAt ?? null,
    reg.lastUsed ?? null,
    reg.addedBy ?? null,
  ] as const;
  if (!existing) {
    const info = store
      .statement(
        `INSERT INTO registrations (key_id, kind, account_id, repository_id, source, github_id, title, read_only, enabled,
         verified, created_at, last_used, added_by, first_seen, last_seen, last_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(reg.keyId, reg.kind, accountId, repositoryId, reg.source ?? "crawl", ...values, now, now, runId);
    const id = Number(info.lastInsertRowid);
    recordEvent(store, { entity: "registration", entityId: id, change: "added", runId }, now);
    if (reg.enabled === false) recordEvent(store, { entity: "registration", entityId: id, change: "disabled", runId }, now);
    return id;
  }
  store
    .statement(
      `UPDATE registrations SET github_id = COALESCE(?, github_id), title = COALESCE(?, title),
       read_only = COALESCE(?, read_only), enabled = COALESCE(?, enabled), verified = COALESCE(?, verified),
       created_at = COALESCE(?, created_at), last_used = COALESCE(?, last_used), added_by = COALESCE(?, added_by),
       last_seen = ?, last_run_id = COALESCE(?, last_run_id), removed_at = NULL, removal_reason = NULL,
       source = CASE WHEN ? = 'crawl' THEN 'crawl' ELSE source END WHERE id = ?`,
    )
    // A crawl's sighting outranks a probe's: from then on only a crawl may conclude the key is gone.
    .run(...values, now, runId, reg.source ?? "crawl", existing.id);
  if (existing.removedAt !== null) recordEvent(store, { entity: "registration", entityId: existing.id, change: "reappeared", runId }, now);
  if (reg.enabled === false && existing.enabled !== 0) {
    recordEvent(store, { entity: "registration", entityId: existing.id, change: "disabled", reason: "deploy-key-disabled", runId }, now);
  } else if (reg.enabled === true && existing.enabled === 0) {
    recordEvent(store, { entity: "registration", entityId: existing.id, change: "enabled", runId }, now);
  }
  return existing.id;
}

/**
 * Marks as removed the registrations in a scope that this run did not see. Call only after a COMPLETE fetch
 * of that scope: an account's keys, a repository's deploy keys. Missing data never concludes "removed".
 * Returns how many were removed.
 */
export function removeUnseenRegistrations(
  store: Store,
  scope: { accountId?: number; repositoryId?: number; kinds: readonly RegistrationKind[]; runId: number; reason: string; source?: string },
  now: string,
): number {
  const owner = scope.accountId !== undefined ? "account_id = ?" : "repository_id = ?";
  const ownerId = scope.accountId ?? scope.repositoryId;
  const kinds = scope.kinds.map(() => "?").join(", ");
  const gone = store
    .statement(
      `SELECT id FROM registrations WHERE ${owner} AND kind IN (${kinds}) AND source = ? AND removed_at IS NULL
       AND (last_run_id IS NULL OR last_run_id != ?)`,
    )
    .all(ownerId, ...scope.kinds, scope.source ?? "crawl", scope.runId) as { id: number }[];
  for (const r of gone) markRegistrationRemoved(store, r.id, scope.reason, scope.runId, now);
  return gone.length;
}

/** Removes every present registration of an owner, e.g. when the account left the org or the repository was deleted. */
export function removeRegistrationsOf(
  store: Store,
  scope: { accountId?: number; repositoryId?: number; kinds: readonly RegistrationKind[]; runId: number; reason: string },
  now: string,
): number {
  const owner = scope.accountId !== undefined ? "account_id = ?" : "repository_id = ?";
  const kinds = scope.kinds.map(() => "?").join(", ");
  const present = store
    .statement(`SELECT id FROM registrations WHERE ${owner} AND kind IN (${kinds}) AND removed_at IS NULL`)
    .all(scope.accountId ?? scope.repositoryId, ...scope.kinds) as { id: number }[];
  for (const r of present) markRegistrationRemoved(store, r.id, scope.reason, scope.runId, now);
  return present.length;
}

function markRegistrationRemoved(store: Store, id: number, reason: string, runId: number, now: string): void {
  store.statement("UPDATE registrations SET removed_at = ?, removal_reason = ? WHERE id = ?").run(now, reason, id);
  recordEvent(store, { entity: "registration", entityId: id, change: "removed", reason, runId }, now);
}
