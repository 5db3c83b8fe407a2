import { isAbsolute, resolve } from "node:path";
import type { PipelineRecord } from "../sources/source.js";
import type { Store } from "./db.js";
import { findKeysByMd5, saveKey } from "./keys.js";

export interface ReplaceSourceInput {
  readonly system: string;
  readonly location: string;
  readonly runId: number;
  readonly pipelines: readonly PipelineRecord[];
  /**
   * Absolute paths this scan could not read (its warnings). A pipeline defined in one of them keeps its earlier
   * results: a file that failed to parse is not a job that was deleted.
   */
  readonly unreadable?: readonly string[];
}

/**
 * Replaces everything a source said before with what this scan found, in one transaction: a job deleted from
 * Jenkins disappears from the map at the next scan, and a scan killed halfway changes nothing.
 * Only public key facts are written; adapters never hand over private material.
 */
export function replaceSource(
  store: Store,
  input: ReplaceSourceInput,
  now: string,
): { pipelines: number; uses: number; kept: number } {
  return store.transaction(() => {
    const source = store
      .statement(
        `INSERT INTO sources (system, location, last_run_id, scanned_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (system, location) DO UPDATE SET last_run_id = excluded.last_run_id, scanned_at = excluded.scanned_at
         RETURNING id`,
      )
      .get(input.system, input.location, input.runId, now) as { id: number };
    const unreadable = new Set(input.unreadable ?? []);
    const earlier = store.statement("SELECT id, name, definition FROM pipelines WHERE source_id = ?").all(source.id) as {
      id: number;
      name: string;
      definition: string;
    }[];
    const seen = new Map<string, number>();
    for (const p of earlier) {
      if (unreadable.has(isAbsolute(p.definition) ? p.definition : resolve(input.location, p.definition))) seen.set(p.name, p.id);
      else store.statement("DELETE FROM pipelines WHERE id = ?").run(p.id);
    }
    const kept = seen.size;
    const insertPipeline = store.statement(
      "INSERT INTO pipelines (source_id, system, name, definition, repository) VALUES (?, ?, ?, ?, ?) RETURNING id",
    );
    const insertUse = store.statement(
      `INSERT INTO key_uses (pipeline_id, key_id, reference_kind, reference, target, evidence, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    let uses = 0;
    for (const pipeline of input.pipelines) {
      // Two adapters' records for the same name (e.g. config and usage log) merge into one pipeline.
      let pipelineId = seen.get(pipeline.name);
      if (pipelineId === undefined) {
        pipelineId = (
          insertPipeline.get(source.id, input.system, pipeline.name, pipeline.source, pipeline.repository ?? null) as { id: number }
        ).id;
        seen.set(pipeline.name, pipelineId);
      }
      for (const use of pipeline.uses) {
        let keyId: number | null = null;
        let referenceKind: string | null = null;
        let reference: string | null = null;
        const ref = use.key;
        if (ref.kind === "key") {
          keyId = saveKey(store, ref.key, now);
        } else if (ref.kind === "fingerprint") {
          if (ref.sha256) keyId = saveKey(store, { sha256: ref.sha256, md5: ref.md5 ?? null }, now);
          else if (ref.md5) {
            // An MD5 fingerprint resolves when exactly one known key has it; otherwise it waits for a crawl.
            const known = findKeysByMd5(store, ref.md5);
            if (known.length === 1 && known[0]) keyId = known[0].id;
            else {
              referenceKind = "md5";
              reference = ref.md5;
            }
          }
        } else {
          referenceKind = ref.referenceKind;
          reference = ref.name;
        }
        if (keyId === null && reference === null) continue;
        insertUse.run(pipelineId, keyId, referenceKind, reference, use.target ?? null, use.evidence, JSON.stringify(use.detail ?? {}));
        uses++;
      }
    }
    return { pipelines: seen.size, uses, kept };
  });
}
