import type { Store } from "./db.js";

export type RunKind = "crawl" | "scan" | "probe";

export interface RunRow {
  readonly id: number;
  readonly kind: RunKind;
  readonly scope: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly complete: boolean | null;
  readonly missing: string[];
  readonly stats: Record<string, unknown>;
}

/** Records the start of a run; its row stays unfinished if the process dies, which is how a killed run shows. */
export function startRun(store: Store, kind: RunKind, scope: unknown, now: string): number {
  const info = store
    .statement("INSERT INTO runs (kind, scope, started_at) VALUES (?, ?, ?)")
    .run(kind, JSON.stringify(scope), now);
  return Number(info.lastInsertRowid);
}

export function finishRun(
  store: Store,
  runId: number,
  outcome: { complete: boolean; missing?: readonly string[]; stats?: Record<string, unknown> },
  now: string,
): void {
  store
    .statement("UPDATE runs SET finished_at = ?, complete = ?, missing = ?, stats = ? WHERE id = ?")
    .run(now, outcome.complete ? 1 : 0, JSON.stringify(outcome.missing ?? []), JSON.stringify(outcome.stats ?? {}), runId);
}

interface RawRun {
  id: number;
  kind: RunKind;
  scope: string;
  started_at: string;
  finished_at: string | null;
  complete: number | null;
  missing: string;
  stats: string;
}

function toRun(raw: RawRun): RunRow {
  return {
    id: raw.id,
    kind: raw.kind,
    scope: raw.scope,
    startedAt: raw.started_at,
    finishedAt: raw.finished_at,
    complete: raw.complete === null ? null : raw.complete === 1,
    missing: JSON.parse(raw.missing) as string[],
    stats: JSON.parse(raw.stats) as Record<string, unknown>,
  };
}

/** The newest finished run of a kind, or undefined when there has been none. */
export function latestRun(store: Store, kind: RunKind): RunRow | undefined {
  const raw = store
    .statement("SELECT * FROM runs WHERE kind = ? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1")
    .get(kind) as RawRun | undefined;
  return raw && toRun(raw);
}

export function listRuns(store: Store, limit = 50): RunRow[] {
  return (store.statement("SELECT * FROM runs ORDER BY id DESC LIMIT ?").all(limit) as RawRun[]).map(toRun);
}
