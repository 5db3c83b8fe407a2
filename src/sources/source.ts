import type { KeyInfo } from "../keys/key-info.js";

/**
 * How a pipeline names the key it uses. A scanner resolves what it can itself (it read the key, or a
 * fingerprint); the rest stays a reference that the answers report as unresolved until an operator binds it.
 */
export type KeyRef =
  | { readonly kind: "key"; readonly key: KeyInfo }
  | { readonly kind: "fingerprint"; readonly sha256?: string; readonly md5?: string }
  | {
      readonly kind: "reference";
      /** What the name is: a CI secret, a CI variable, a Jenkins credential id, a key file path, … */
      readonly referenceKind: "secret" | "variable" | "credential" | "file" | "dynamic";
      readonly name: string;
    };

/** One use of one key by one pipeline, with the evidence that shows it. */
export interface KeyUse {
  readonly key: KeyRef;
  /** `file:line`, or a short description where there is no line. Never key material. */
  readonly evidence: string;
  /** The repository URL or host the key reaches, where the configuration says. */
  readonly target?: string | null;
  /** Extra JSON-safe facts (credential id, store, step name …). Never secrets. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A pipeline (Jenkins job, workflow, CI job, agent …) and every key use found for it. */
export interface PipelineRecord {
  /** Stable name within its source: Jenkins full name `folder/job`, `owner/repo:.github/workflows/x.yml#job`, … */
  readonly name: string;
  /** Path or URL of the pipeline's definition. */
  readonly source: string;
  /** `owner/name` of the repository the pipeline reaches, where known. */
  readonly repository?: string | null;
  readonly uses: readonly KeyUse[];
}

/** A problem with one item of a source: reported, skipped, never fatal for the scan. */
export interface ScanWarning {
  readonly path: string;
  readonly message: string;
}

export interface ScanContext {
  /** What the user named: a directory, a file list joined by the adapter, … (absolute). */
  readonly location: string;
  /** Adapter-specific options from the CLI (`--repo`, `--pipeline`, …). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Report a skipped item. */
  warn(warning: ScanWarning): void;
}

/**
 * One CI system. `scan` yields the pipelines of a source; it throws an InputError only when the source itself
 * cannot be read (exit 2). Adapters never touch the store: `run-scan.ts` writes what they yield.
 */
export interface KeySource {
  readonly system: string;
  scan(ctx: ScanContext): AsyncIterable<PipelineRecord>;
}
