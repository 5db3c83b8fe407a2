import { runKeyward, tailOf } from "./child-process.js";
import { createRandom, median, pick } from "./stats.js";

/** End-to-end latency of one command: process start, store open, query, rendering, exit. */
export interface CommandLatency {
  readonly command: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Median user + system CPU time of the process: what the command costs, less skewed by a busy machine. */
  readonly medianCpuMs: number;
  readonly maxRssMb: number | null;
  readonly error?: string;
}

/**
 * Times `keyward <args(i)> --db <db> --format json` `runs` times after one unmeasured warm-up (which loads the
 * files into the page cache, as on a machine where keyward ran before). `okCodes`: exit codes that mean it
 * answered (1 = findings for offboard and review).
 */
export async function timeCommand(
  command: string,
  db: string,
  runs: number,
  argsOf: (i: number) => string[],
  okCodes: readonly number[] = [0],
): Promise<CommandLatency> {
  const times: number[] = [];
  const cpu: number[] = [];
  let maxRssMb: number | null = null;
  let error: string | undefined;
  for (let i = -1; i < runs; i += 1) {
    const run = await runKeyward([...argsOf(Math.max(0, i)), "--db", db, "--format", "json"]);
    if (run.code === null || !okCodes.includes(run.code)) {
      error = `${command} exit ${run.code ?? run.signal}: ${tailOf(run)}`;
      break;
    }
    if (i < 0) continue;
    times.push(run.wallMs);
    if (run.cpuMs !== null) cpu.push(run.cpuMs);
    if (run.maxRssMb !== null) maxRssMb = Math.max(maxRssMb ?? 0, run.maxRssMb);
  }
  return {
    command,
    runs: times.length,
    medianMs: median(times),
    minMs: times.length ? Math.min(...times) : Number.NaN,
    maxMs: times.length ? Math.max(...times) : Number.NaN,
    medianCpuMs: median(cpu),
    maxRssMb,
    ...(error !== undefined && { error }),
  };
}

export interface QueryLatencies {
  readonly whoUses: CommandLatency;
  readonly offboard: CommandLatency;
  readonly review: CommandLatency;
}

/** who-uses (random keys from `keys`), offboard `<login>` and review on one database. */
export async function timeAnswers(db: string, options: { runs: number; keys: readonly string[]; login: string; seed: number }): Promise<QueryLatencies> {
  const random = createRandom(options.seed);
  const keys = Array.from({ length: options.runs }, () => pick(random, options.keys));
  return {
    whoUses: await timeCommand("who-uses", db, options.runs, (i) => ["who-uses", keys[i] ?? (options.keys[0] as string)]),
    offboard: await timeCommand("offboard", db, options.runs, () => ["offboard", options.login], [0, 1]),
    review: await timeCommand("review", db, options.runs, () => ["review"], [0, 1]),
  };
}
