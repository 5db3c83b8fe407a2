import type { Simulator } from "../src/demo/simulator/index.js";
import { NAIVE_MAIN, runNodeChild, tailOf } from "./child-process.js";
import type { NaiveCrawlResult } from "./naive-crawler.js";

export interface NaiveMeasure {
  readonly concurrency: number;
  readonly result: NaiveCrawlResult | null;
  /** Requests the simulator received. */
  readonly requests: number;
  readonly wallMs: number;
  readonly cpuMs: number | null;
  /** CPU time of the benchmark process meanwhile: mostly the simulator answering. */
  readonly simulatorCpuMs: number;
  readonly maxRssMb: number | null;
  readonly byRoute: Record<string, number>;
  readonly error?: string;
}

/** Runs the naive @octokit/rest crawler (bench/naive-crawler.ts) in a child process against the same simulator. */
export async function measureNaive(
  sim: Simulator,
  options: { org: string; token: string; concurrency: number; timeoutMs?: number },
): Promise<NaiveMeasure> {
  sim.resetCounts();
  const cpuBefore = process.cpuUsage();
  const run = await runNodeChild(NAIVE_MAIN, [options.org, sim.url, String(options.concurrency)], {
    env: { GITHUB_TOKEN: options.token },
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  });
  const cpuSpent = process.cpuUsage(cpuBefore);
  const byRoute = { ...sim.counts.byRoute };
  const requests = sim.counts.rest + sim.counts.graphql;
  let result: NaiveCrawlResult | null = null;
  let error: string | undefined;
  try {
    result = JSON.parse(run.stdout) as NaiveCrawlResult;
  } catch {
    error = `naive crawler failed (exit ${run.code ?? run.signal}): ${tailOf(run)}`;
  }
  return {
    concurrency: options.concurrency,
    result,
    requests,
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    simulatorCpuMs: (cpuSpent.user + cpuSpent.system) / 1000,
    maxRssMb: run.maxRssMb,
    byRoute,
    ...(error !== undefined && { error }),
  };
}
