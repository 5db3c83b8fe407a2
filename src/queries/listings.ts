import { InputError } from "../errors.js";
import { findAccount, listAccounts, listBindings, type AccountRow, type BindingRow, type Store } from "../store/index.js";
import { readFreshness, type Freshness } from "./freshness.js";
import type { RegistrationKind } from "./registrations.js";
import { allUses, type UseView } from "./uses.js";

export interface KeyListing {
  readonly fingerprint: string;
  readonly md5: string | null;
  readonly type: string | null;
  readonly bits: number | null;
  readonly kind: RegistrationKind | null;
  readonly account: string | null;
  readonly repository: string | null;
  readonly present: boolean | null;
  readonly removedAt: string | null;
  readonly title: string | null;
  readonly lastUsed: string | null;
  readonly pipelines: number;
}

/** Every stored key with each of its registrations (a key no crawl has seen is listed once, kind null). */
export function listKeys(store: Store, options: { account?: string }, now: string): { keys: KeyListing[]; freshness: Freshness } {
  let filter = "";
  const params: unknown[] = [];
  if (options.account !== undefined) {
    const account = findAccount(store, options.account);
    if (!account) throw new InputError(`no crawl has seen the account ${options.account}`);
    filter = "WHERE r.account_id = ?";
    params.push(account.id);
  }
  const rows = store
    .statement(
      `SELECT k.sha256 AS fingerprint, k.md5, k.type, k.bits, r.kind, a.login AS account, repo.full_name AS repository,
         CASE WHEN r.id IS NULL THEN NULL WHEN r.removed_at IS NULL THEN 1 ELSE 0 END AS present, r.removed_at AS removedAt,
         r.title, r.last_used AS lastUsed,
         (SELECT COUNT(DISTINCT u.pipeline_id) FROM resolved_uses u WHERE u.key_id = k.id) AS pipelines
       FROM keys k LEFT JOIN registrations r ON r.key_id = k.id
       LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN repositories repo ON repo.id = r.repository_id
       ${filter} ORDER BY a.login, repo.full_name, k.sha256`,
    )
    .all(...params) as (Omit<KeyListing, "present"> & { present: number | null })[];
  return {
    keys: rows.map((r) => ({ ...r, present: r.present === null ? null : r.present === 1 })),
    freshness: readFreshness(store, now),
  };
}

export interface PipelineListing {
  readonly system: string;
  readonly name: string;
  readonly source: string;
  readonly repository: string | null;
  readonly uses: readonly UseView[];
}

export function listPipelines(store: Store, now: string): { pipelines: PipelineListing[]; bindings: BindingRow[]; freshness: Freshness } {
  const byPipeline = new Map<string, PipelineListing & { uses: UseView[] }>();
  for (const use of allUses(store)) {
    const id = `${use.system}\0${use.name}`;
    let p = byPipeline.get(id);
    if (!p) {
      p = { system: use.system, name: use.name, source: use.source, repository: use.repository, uses: [] };
      byPipeline.set(id, p);
    }
    p.uses.push(use);
  }
  // Pipelines that use no key at all are still pipelines the scan saw.
  const bare = store
    .statement(
      `SELECT p.system, p.name, p.definition AS source, p.repository FROM pipelines p
       WHERE NOT EXISTS (SELECT 1 FROM key_uses ku WHERE ku.pipeline_id = p.id)`,
    )
    .all() as Omit<PipelineListing, "uses">[];
  for (const p of bare) byPipeline.set(`${p.system}\0${p.name}`, { ...p, uses: [] });
  return { pipelines: [...byPipeline.values()], bindings: listBindings(store), freshness: readFreshness(store, now) };
}

export function listMachineUsers(store: Store): AccountRow[] {
  return listAccounts(store, { machineUsersOnly: true });
}
