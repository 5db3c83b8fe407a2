import type { KeySource, KeyUse, PipelineRecord, ScanWarning } from "../../../src/sources/source.js";

export interface Collected {
  readonly pipelines: PipelineRecord[];
  readonly warnings: ScanWarning[];
}

/** Runs an adapter to the end, keeping what it yields and warns. */
export async function collect(source: KeySource, location: string, options: Record<string, unknown> = {}): Promise<Collected> {
  const warnings: ScanWarning[] = [];
  const pipelines: PipelineRecord[] = [];
  for await (const pipeline of source.scan({ location, options, warn: (w) => warnings.push(w) })) pipelines.push(pipeline);
  return { pipelines, warnings };
}

/** A use as a short comparable string: `secret:NAME@file:line`, `key:SHA256:…@…`, `md5:…@…`. */
export function useLabel(use: KeyUse): string {
  const ref = use.key;
  const what =
    ref.kind === "key"
      ? `key:${ref.key.sha256}`
      : ref.kind === "fingerprint"
        ? ref.sha256
          ? `fp:${ref.sha256}`
          : `fp:${ref.md5 ?? ""}`
        : `${ref.referenceKind}:${ref.name}`;
  return `${what}@${use.evidence}`;
}

/** Pipeline name → sorted use labels. */
export function summary(pipelines: readonly PipelineRecord[]): Record<string, string[]> {
  return Object.fromEntries(pipelines.map((p) => [p.name, p.uses.map(useLabel).sort()]));
}

/** Line (1-based) of the first line of `text` containing `needle` after `after` (also a substring), for expected evidence. */
export function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split("\n");
  let start = 0;
  if (after !== undefined) start = lines.findIndex((line) => line.includes(after));
  const index = lines.findIndex((line, i) => i >= start && line.includes(needle));
  if (index === -1) throw new Error(`test fixture has no line with ${needle}`);
  return index + 1;
}
