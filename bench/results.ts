import type { CrawlMeasure } from "./measure-crawl.js";
import type { NaiveMeasure } from "./measure-naive.js";
import type { CommandLatency, QueryLatencies } from "./measure-queries.js";
import type { InProcessTiming, MillionStore } from "./million-store.js";
import type { SeededPipelines } from "./seed-pipelines.js";
import type { BenchSize, Expectation } from "./sizes.js";

/** Everything measured for one org size (the JSON written to bench/results/ holds these as they are). */
export interface SizeResult {
  readonly size: BenchSize;
  readonly latencyMs: number;
  readonly expect: Expectation;
  readonly first: CrawlMeasure;
  readonly second: CrawlMeasure | null;
  readonly noDetails: CrawlMeasure | null;
  readonly naive: NaiveMeasure | null;
  readonly seeded: SeededPipelines | null;
  readonly queries: QueryLatencies | null;
  readonly errors: string[];
}

export interface MillionResult {
  readonly store: MillionStore;
  readonly inProcess: InProcessTiming;
  readonly cli: CommandLatency;
}

export interface StartupTiming {
  readonly medianMs: number;
  readonly medianCpuMs: number;
}

/** One target of the issue, judged: pass null = a figure shown for reference, not a stated target. */
export interface TargetCheck {
  readonly target: string;
  readonly size: string;
  readonly measured: string;
  readonly limit: string;
  readonly pass: boolean | null;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  /** os.loadavg() (1, 5, 15 min) when the run started and ended: other work on the machine skews every time. */
  readonly loadAverage: { readonly start: number[]; readonly end: number[] };
  readonly options: Record<string, unknown>;
  /** Median wall (CPU) time of starting Node.js with an empty program, and of `keyward --version`. */
  readonly startup: { readonly node: StartupTiming; readonly keywardVersion: StartupTiming };
  readonly sizes: SizeResult[];
  readonly million: MillionResult | null;
  readonly targets: TargetCheck[];
}
