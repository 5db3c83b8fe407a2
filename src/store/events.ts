import type { Store } from "./db.js";

export type EventEntity = "registration" | "membership" | "repository" | "account";
export type EventChange = "added" | "removed" | "reappeared" | "disabled" | "enabled";

/** Appends one line of history. */
export function recordEvent(
  store: Store,
  event: { entity: EventEntity; entityId: number; change: EventChange; reason?: string | null; runId: number | null },
  now: string,
): void {
  store
    .statement("INSERT INTO events (run_id, at, entity, entity_id, change, reason) VALUES (?, ?, ?, ?, ?, ?)")
    .run(event.runId, now, event.entity, event.entityId, event.change, event.reason ?? null);
}
