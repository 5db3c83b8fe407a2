import type { Store } from "./db.js";

export interface BindingRow {
  readonly system: string;
  readonly pipeline: string;
  readonly reference: string;
  readonly sha256: string;
  readonly createdAt: string;
}

/** An operator's statement that `reference` (a secret name, credential id …) in `pipeline` is this key. */
export function saveBinding(
  store: Store,
  binding: { system?: string; pipeline: string; reference: string; keyId: number },
  now: string,
): void {
  store
    .statement(
      `INSERT INTO bindings (system, pipeline, reference, key_id, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (system, pipeline, reference) DO UPDATE SET key_id = excluded.key_id, created_at = excluded.created_at`,
    )
    .run(binding.system ?? "", binding.pipeline, binding.reference, binding.keyId, now);
}

export function removeBinding(store: Store, binding: { system?: string; pipeline: string; reference: string }): boolean {
  return (
    store
      .statement("DELETE FROM bindings WHERE system = ? AND pipeline = ? AND reference = ?")
      .run(binding.system ?? "", binding.pipeline, binding.reference).changes > 0
  );
}

export function listBindings(store: Store): BindingRow[] {
  return store
    .statement(
      `SELECT b.system, b.pipeline, b.reference, k.sha256, b.created_at AS createdAt
       FROM bindings b JOIN keys k ON k.id = b.key_id ORDER BY b.pipeline, b.reference`,
    )
    .all() as BindingRow[];
}
