import { join } from "node:path";
import { generateOrgState, startSimulator } from "../src/demo/simulator/index.js";
import type { BenchOptions } from "./args.js";
import { measureCrawl, type CrawlMeasure } from "./measure-crawl.js";
import { measureNaive, type NaiveMeasure } from "./measure-naive.js";
import { timeAnswers, type QueryLatencies } from "./measure-queries.js";
import type { SizeResult } from "./results.js";
import { seedPipelines, type SeededPipelines } from "./seed-pipelines.js";
import { expectationOf, type BenchSize } from "./sizes.js";

const TOKEN = "keyward-bench-token";

/*
 * The simulator's primary limits are lifted far above GitHub's 5,000/h: the naive baseline needs ~40,000
 * requests at the large size, and the benchmark counts what each client spends rather than watching it wait
 * for a reset. Budgets are read from the same x-ratelimit-used counters all the same.
 */
const UNLIMITED = { core: 100_000_000, graphql: 100_000_000 };

/**
 * One size: a generated org served by the simulator; crawl it, crawl it again unchanged, crawl it without
 * deploy-key details into a fresh store, run the naive crawler; then seed pipelines into the crawled store and
 * time who-uses, offboard and review end to end.
 */
export async function runSize(size: BenchSize, options: BenchOptions, workDir: string, log: (m: string) => void): Promise<SizeResult> {
  const org = `bench-${size.name}`;
  log(`${size.name}: generating ${size.members} members / ${size.repos} repositories`);
  const state = generateOrgState({
    org,
    members: size.members,
    repos: size.repos,
    keysPerMember: size.keysPerMember,
    deployKeyEvery: size.deployKeyEvery,
    bigKeyAccounts: size.bigKeyAccounts,
    seed: 1,
    token: TOKEN,
  });
  const expect = expectationOf(state, org);
  const errors: string[] = [];
  const db = join(workDir, `${size.name}.db`);
  const sim = await startSimulator({ state, latencyMs: options.latencyMs, rateLimit: UNLIMITED });
  let first: CrawlMeasure;
  let second: CrawlMeasure | null = null;
  let noDetails: CrawlMeasure;
  let naive: NaiveMeasure | null = null;
  const noteError = (m: CrawlMeasure | NaiveMeasure): void => {
    if (m.error !== undefined) errors.push(`${"label" in m ? m.label : "naive"}: ${m.error}`);
  };
  try {
    log(`${size.name}: first crawl`);
    first = await measureCrawl(sim, { label: "first crawl", org, db, token: TOKEN });
    noteError(first);
    log(`${size.name}: first crawl ${first.requests} requests in ${(first.wallMs / 1000).toFixed(1)} s`);
    if (first.report !== null) {
      log(`${size.name}: second crawl (unchanged org)`);
      second = await measureCrawl(sim, { label: "second crawl", org, db, token: TOKEN });
      noteError(second);
    }
    log(`${size.name}: crawl --no-deploy-key-details`);
    noDetails = await measureCrawl(sim, {
      label: "--no-deploy-key-details",
      org,
      db: join(workDir, `${size.name}-no-details.db`),
      token: TOKEN,
      extraArgs: ["--no-deploy-key-details"],
    });
    noteError(noDetails);
    if (!options.skipNaive) {
      log(`${size.name}: naive crawler (concurrency ${options.naiveConcurrency})`);
      naive = await measureNaive(sim, { org, token: TOKEN, concurrency: options.naiveConcurrency });
      noteError(naive);
      log(`${size.name}: naive ${naive.requests} requests in ${(naive.wallMs / 1000).toFixed(1)} s`);
    }
  } finally {
    await sim.close();
  }
  let seeded: SeededPipelines | null = null;
  let queries: QueryLatencies | null = null;
  if (first.stored && first.stored.userKeys > 0 && first.stored.deployKeys > 0) {
    try {
      seeded = seedPipelines(db, { count: options.pipelines, seed: 7 });
      log(`${size.name}: timing who-uses, offboard, review (${options.runs} runs each)`);
      queries = await timeAnswers(db, { runs: options.runs, keys: seeded.whoUsesKeys, login: seeded.offboardLogin, seed: 11 });
      for (const q of [queries.whoUses, queries.offboard, queries.review]) if (q.error) errors.push(q.error);
    } catch (error) {
      errors.push(`answers: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    errors.push("answers not timed: the first crawl stored no keys");
  }
  return { size, latencyMs: options.latencyMs, expect, first, second, noDetails, naive, seeded, queries, errors };
}
