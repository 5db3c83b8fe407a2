import { resolve } from "node:path";
import { finishRun, replaceSource, startRun, type Store } from "../store/index.js";
import { messageOf } from "../errors.js";
import type { KeySource, PipelineRecord, ScanWarning } from "./source.js";

export interface ScanSummary {
  readonly system: string;
  readonly location: string;
  readonly runId: number;
  readonly pipelines: number;
  readonly uses: number;
  /** Distinct fingerprints the scan resolved itself. */
  readonly keys: number;
  /** Uses still naming a secret, variable or credential rather than a key. */
  readonly unresolved: number;
  /** Pipelines kept from the previous scan because their definition could not be read this time. */
  readonly kept: number;
  readonly warnings: readonly ScanWarning[];
}

/**
 * Drives one adapter over one source and replaces that source's stored results in one transaction. An adapter
 * that cannot read the source at all throws (exit 2) and the stored map is left as it was.
 */
export async function runScan(
  store: Store,
  source: KeySource,
  target: { location: string; options?: Readonly<Record<string, unknown>>; onWarning?: (w: ScanWarning) => void },
  now: () => string,
): Promise<{ summary: ScanSummary; pipelines: readonly PipelineRecord[] }> {
  const runId = startRun(store, "scan", { system: source.system, location: target.location }, now());
  const warnings: ScanWarning[] = [];
  const pipelines: PipelineRecord[] = [];
  try {
    const ctx = {
      location: target.location,
      options: target.options ?? {},
      warn: (w: ScanWarning) => {
        warnings.push(w);
        target.onWarning?.(w);
      },
    };
    for await (const pipeline of source.scan(ctx)) pipelines.push(pipeline);
  } catch (error) {
    finishRun(store, runId, { complete: false, missing: [messageOf(error)] }, now());
    throw error;
  }
  const written = replaceSource(
    store,
    { system: source.system, location: target.location, runId, pipelines, unreadable: warnings.map((w) => resolve(w.path)) },
    now(),
  );
  const fingerprints = new Set<string>();
  let unresolved = 0;
  for (const p of pipelines) {
    for (const u of p.uses) {
      if (u.key.kind === "key") fingerprints.add(u.key.key.sha256);
      else if (u.key.kind === "fingerprint") fingerprints.add(u.key.sha256 ?? u.key.md5 ?? "");
      else unresolved++;
    }
  }
  const summary = {
    system: source.system,
    location: target.location,
    runId,
    pipelines: written.pipelines,
    uses: written.uses,
    keys: fingerprints.size,
    unresolved,
    kept: written.kept,
    warnings,
  };
  finishRun(
    store,
    runId,
    { complete: true, missing: warnings.map((w) => `${w.path}: ${w.message}`), stats: { pipelines: summary.pipelines, uses: summary.uses, keys: summary.keys, unresolved } },
    now(),
  );
  return { summary, pipelines };
}
