import type { Store } from "../store/index.js";

/** One use of a key by a pipeline, as the answers show it (contract: system, name, source, evidence). */
export interface UseView {
  readonly system: string;
  readonly name: string;
  /** Path or URL of the pipeline's definition. */
  readonly source: string;
  readonly evidence: string;
  readonly target: string | null;
  readonly repository: string | null;
  /** The fingerprint the use resolves to, or null while it is an unresolved reference. */
  readonly fingerprint: string | null;
  readonly keyId: number | null;
  readonly referenceKind: string | null;
  readonly reference: string | null;
  /** direct | md5 | binding | null (unresolved) */
  readonly resolvedBy: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

interface Raw {
  system: string;
  pipeline: string;
  definition: string;
  evidence: string;
  target: string | null;
  repository: string | null;
  fingerprint: string | null;
  key_id: number | null;
  reference_kind: string | null;
  reference: string | null;
  resolved_by: string | null;
  detail: string;
}

const COLUMNS = `u.system, u.pipeline, u.definition, u.evidence, u.target, u.repository, k.sha256 AS fingerprint, u.key_id,
  u.reference_kind, u.reference, u.resolved_by, u.detail`;

function toView(raw: Raw): UseView {
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(raw.detail) as Record<string, unknown>;
  } catch {
    // A detail that is not JSON is shown as empty rather than failing the answer.
  }
  return {
    system: raw.system,
    name: raw.pipeline,
    source: raw.definition,
    evidence: raw.evidence,
    target: raw.target,
    repository: raw.repository,
    fingerprint: raw.fingerprint,
    keyId: raw.key_id,
    referenceKind: raw.reference_kind,
    reference: raw.reference,
    resolvedBy: raw.resolved_by,
    detail,
  };
}

/**
 * Every use of one key. Three indexed lookups rather than a scan of the view: direct uses, uses that named the
 * key by its MD5 fingerprint, and references an operator bound to it.
 */
export function usesOfKey(store: Store, keyId: number): UseView[] {
  const rows = store
    .statement(
      `SELECT ${COLUMNS} FROM resolved_uses u LEFT JOIN keys k ON k.id = u.key_id
       WHERE u.use_id IN (
         SELECT id FROM key_uses WHERE key_id = @key
         UNION SELECT ku.id FROM key_uses ku JOIN keys km ON km.id = @key
           WHERE ku.key_id IS NULL AND ku.reference_kind = 'md5' AND ku.reference = km.md5
         UNION SELECT ku.id FROM bindings b JOIN pipelines p ON p.name = b.pipeline AND b.system IN ('', p.system)
           JOIN key_uses ku ON ku.pipeline_id = p.id AND ku.key_id IS NULL AND ku.reference = b.reference
           WHERE b.key_id = @key)
       AND u.key_id = @key
       ORDER BY u.system, u.pipeline, u.evidence`,
    )
    .all({ key: keyId }) as Raw[];
  return rows.map(toView);
}

/** Every use of every key, resolved where possible (for review, check and the listings). */
export function allUses(store: Store): UseView[] {
  return (
    store
      .statement(`SELECT ${COLUMNS} FROM resolved_uses u LEFT JOIN keys k ON k.id = u.key_id ORDER BY u.system, u.pipeline, u.evidence`)
      .all() as Raw[]
  ).map(toView);
}
