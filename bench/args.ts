import { parseArgs } from "node:util";
import { SIZES, type BenchSize } from "./sizes.js";

export interface BenchOptions {
  readonly sizes: BenchSize[];
  readonly latencyMs: number;
  /** End-to-end runs per CLI command (median reported). */
  readonly runs: number;
  /** In-process whoUses lookups on the big store. */
  readonly lookups: number;
  /** Registrations in the big who-uses store; 0 skips it. */
  readonly million: number;
  readonly naiveConcurrency: number;
  readonly skipNaive: boolean;
  readonly pipelines: number;
  readonly keep: boolean;
  readonly outDir: string | null;
  readonly help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --sizes <list>            small,medium,large (default: all three; small = 100 members / 300 repos)
  --latency-ms <n>          simulated latency per request (default 2)
  --runs <n>                end-to-end runs per answer command, median reported (default 7)
  --lookups <n>             in-process whoUses() lookups on the big store (default 2000)
  --million <n>             registrations in the big who-uses store, 0 to skip (default 1000000)
  --naive-concurrency <n>   requests in flight for the naive crawler (default 8, keyward's default)
  --skip-naive              do not run the naive baseline
  --pipelines <n>           pipelines seeded into each crawled store (default 500)
  --out <dir>               where the JSON and markdown go (default bench/results)
  --keep                    keep the temporary databases
`;

function whole(value: string | undefined, flag: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new RangeError(`${flag} expects a whole number ≥ ${min}, got "${value}"`);
  return Number(value);
}

/** Parses the bench's command line (after `npm run bench --`). @throws RangeError on a bad value. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: "string" },
      "latency-ms": { type: "string" },
      runs: { type: "string" },
      lookups: { type: "string" },
      million: { type: "string" },
      "naive-concurrency": { type: "string" },
      "skip-naive": { type: "boolean" },
      pipelines: { type: "string" },
      out: { type: "string" },
      keep: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  const names = (values.sizes ?? SIZES.map((s) => s.name).join(",")).split(",").map((s) => s.trim()).filter(Boolean);
  const sizes = names.map((name) => {
    const size = SIZES.find((s) => s.name === name);
    if (!size) throw new RangeError(`--sizes: unknown size "${name}" (known: ${SIZES.map((s) => s.name).join(", ")})`);
    return size;
  });
  return {
    sizes,
    latencyMs: whole(values["latency-ms"], "--latency-ms", 2),
    runs: whole(values.runs, "--runs", 7, 1),
    lookups: whole(values.lookups, "--lookups", 2000, 1),
    million: whole(values.million, "--million", 1_000_000),
    naiveConcurrency: whole(values["naive-concurrency"], "--naive-concurrency", 8, 1),
    skipNaive: values["skip-naive"] ?? false,
    pipelines: whole(values.pipelines, "--pipelines", 500, 10),
    keep: values.keep ?? false,
    outDir: values.out ?? null,
    help: values.help ?? false,
  };
}
