import type { Store } from "./db.js";
import { recordEvent } from "./events.js";

export interface AccountInput {
  readonly login: string;
  readonly githubId?: number | null;
  readonly nodeId?: string | null;
  readonly type?: string | null;
  readonly name?: string | null;
}

export interface AccountRow {
  readonly id: number;
  readonly login: string;
  readonly githubId: number | null;
  readonly type: string | null;
  readonly name: string | null;
  readonly machineUser: boolean;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

const SELECT = `SELECT id, login, github_id AS githubId, type, name, machine_user AS machineUser,
  first_seen AS firstSeen, last_seen AS lastSeen FROM accounts`;

function toAccount(raw: (Omit<AccountRow, "machineUser"> & { machineUser: number }) | undefined): AccountRow | undefined {
  return raw && { ...raw, machineUser: raw.machineUser === 1 };
}

/** Inserts or refreshes an account seen on GitHub; returns its id. The machine-user flag is the operator's. */
export function saveAccount(store: Store, account: AccountInput, runId: number | null, now: string): number {
  const row = store
    .statement(
      `INSERT INTO accounts (login, github_id, node_id, type, name, first_seen, last_seen, last_run_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (login) DO UPDATE SET
         github_id = COALESCE(excluded.github_id, accounts.github_id), node_id = COALESCE(excluded.node_id, accounts.node_id),
         type = COALESCE(excluded.type, accounts.type), name = COALESCE(excluded.name, accounts.name),
         last_seen = excluded.last_seen, last_run_id = COALESCE(excluded.last_run_id, accounts.last_run_id)
       RETURNING id`,
    )
    .get(
      account.login,
      account.githubId ?? null,
      account.nodeId ?? null,
      account.type ?? null,
      account.name ?? null,
      now,
      now,
      runId,
    ) as { id: number };
  return row.id;
}

export function findAccount(store: Store, login: string): AccountRow | undefined {
  return toAccount(store.statement(`${SELECT} WHERE login = ?`).get(login) as never);
}

export function listAccounts(store: Store, options: { machineUsersOnly?: boolean } = {}): AccountRow[] {
  const sql = options.machineUsersOnly ? `${SELECT} WHERE machine_user = 1 ORDER BY login` : `${SELECT} ORDER BY login`;
  return (store.statement(sql).all() as never[]).map((raw) => toAccount(raw) as AccountRow);
}

/** Marks or unmarks logins as machine users (accounts not yet crawled are created so the flag waits for them). */
export function setMachineUser(store: Store, logins: readonly string[], machineUser: boolean, now: string): void {
  store.transaction(() => {
    for (const login of logins) {
      saveAccount(store, { login }, null, now);
      store.statement("UPDATE accounts SET machine_user = ? WHERE login = ?").run(machineUser ? 1 : 0, login);
    }
  });
}

export type Relation = "member" | "outside_collaborator";

/** Records that an account is (still) in an org; a membership that had ended reappears in the history. */
export function saveMembership(
  store: Store,
  membership: { accountId: number; org: string; relation: Relation; role?: string | null },
  runId: number,
  now: string,
): number {
  const existing = store
    .statement("SELECT id, removed_at AS removedAt FROM memberships WHERE account_id = ? AND org = ? AND relation = ?")
    .get(membership.accountId, membership.org, membership.relation) as { id: number; removedAt: string | null } | undefined;
  if (!existing) {
    const info = store
      .statement(
        `INSERT INTO memberships (account_id, org, relation, role, first_seen, last_seen, last_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(membership.accountId, membership.org, membership.relation, membership.role ?? null, now, now, runId);
    const id = Number(info.lastInsertRowid);
    recordEvent(store, { entity: "membership", entityId: id, change: "added", runId }, now);
    return id;
  }
  store
    .statement(
      `UPDATE memberships SET role = COALESCE(?, role), last_seen = ?, last_run_id = ?, removed_at = NULL,
       removal_reason = NULL WHERE id = ?`,
    )
    .run(membership.role ?? null, now, runId, existing.id);
  if (existing.removedAt !== null) {
    recordEvent(store, { entity: "membership", entityId: existing.id, change: "reappeared", runId }, now);
  }
  return existing.id;
}

/**
 * Ends the memberships of `org` (of one relation) that this run did not see. Call only after a complete
 * fetch of that list. Returns the account ids whose membership ended.
 */
export function removeUnseenMemberships(
  store: Store,
  scope: { org: string; relation: Relation; runId: number; reason: string },
  now: string,
): number[] {
  const gone = store
    .statement(
      `SELECT id, account_id AS accountId FROM memberships
       WHERE org = ? AND relation = ? AND removed_at IS NULL AND (last_run_id IS NULL OR last_run_id != ?)`,
    )
    .all(scope.org, scope.relation, scope.runId) as { id: number; accountId: number }[];
  for (const m of gone) {
    store
      .statement("UPDATE memberships SET removed_at = ?, removal_reason = ? WHERE id = ?")
      .run(now, scope.reason, m.id);
    recordEvent(store, { entity: "membership", entityId: m.id, change: "removed", reason: scope.reason, runId: scope.runId }, now);
  }
  return gone.map((m) => m.accountId);
}

/** Current memberships of an account (for offboard and the listings). */
export function listMemberships(
  store: Store,
  accountId: number,
): { org: string; relation: Relation; role: string | null; removedAt: string | null }[] {
  return store
    .statement(
      `SELECT org, relation, role, removed_at AS removedAt FROM memberships WHERE account_id = ? ORDER BY org, relation`,
    )
    .all(accountId) as { org: string; relation: Relation; role: string | null; removedAt: string | null }[];
}
