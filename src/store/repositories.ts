import type { Store } from "./db.js";
import { recordEvent } from "./events.js";

export interface RepositoryInput {
  readonly fullName: string;
  readonly org?: string | null;
  readonly githubId?: number | null;
  readonly nodeId?: string | null;
  readonly archived?: boolean | null;
  readonly visibility?: string | null;
}

/** Inserts or refreshes a repository seen by a crawl; a deleted one that is back reappears in the history. */
export function saveRepository(store: Store, repo: RepositoryInput, runId: number | null, now: string): number {
  const existing = store
    .statement("SELECT id, removed_at AS removedAt FROM repositories WHERE full_name = ?")
    .get(repo.fullName) as { id: number; removedAt: string | null } | undefined;
  const archived = repo.archived === undefined || repo.archived === null ? null : repo.archived ? 1 : 0;
  if (!existing) {
    const info = store
      .statement(
        `INSERT INTO repositories (full_name, org, github_id, node_id, archived, visibility, first_seen, last_seen, last_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(repo.fullName, repo.org ?? null, repo.githubId ?? null, repo.nodeId ?? null, archived, repo.visibility ?? null, now, now, runId);
    const id = Number(info.lastInsertRowid);
    if (runId !== null) recordEvent(store, { entity: "repository", entityId: id, change: "added", runId }, now);
    return id;
  }
  store
    .statement(
      `UPDATE repositories SET org = COALESCE(?, org), github_id = COALESCE(?, github_id), node_id = COALESCE(?, node_id),
       archived = COALESCE(?, archived), visibility = COALESCE(?, visibility), last_seen = ?,
       last_run_id = COALESCE(?, last_run_id), removed_at = CASE WHEN ? IS NULL THEN removed_at ELSE NULL END,
       removal_reason = CASE WHEN ? IS NULL THEN removal_reason ELSE NULL END WHERE id = ?`,
    )
    .run(repo.org ?? null, repo.githubId ?? null, repo.nodeId ?? null, archived, repo.visibility ?? null, now, runId, runId, runId, existing.id);
  if (existing.removedAt !== null && runId !== null) {
    recordEvent(store, { entity: "repository", entityId: existing.id, change: "reappeared", runId }, now);
  }
  return existing.id;
}

/** Marks the org's repositories this run did not see as deleted. Call only after a complete repository list. */
export function removeUnseenRepositories(store: Store, scope: { org: string; runId: number }, now: string): number[] {
  const gone = store
    .statement(
      `SELECT id FROM repositories WHERE org = ? AND removed_at IS NULL AND (last_run_id IS NULL OR last_run_id != ?)`,
    )
    .all(scope.org, scope.runId) as { id: number }[];
  for (const r of gone) {
    store
      .statement("UPDATE repositories SET removed_at = ?, removal_reason = 'repository-deleted' WHERE id = ?")
      .run(now, r.id);
    recordEvent(store, { entity: "repository", entityId: r.id, change: "removed", reason: "repository-deleted", runId: scope.runId }, now);
  }
  return gone.map((r) => r.id);
}

export function findRepositoryId(store: Store, fullName: string): number | undefined {
  return (store.statement("SELECT id FROM repositories WHERE full_name = ?").get(fullName) as { id: number } | undefined)?.id;
}
