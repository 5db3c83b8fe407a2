import { existsSync, statSync } from "node:fs";
import type { Simulator } from "../src/demo/simulator/index.js";
import { openStore } from "../src/store/index.js";
import { runKeyward, tailOf } from "./child-process.js";

/** What `keyward crawl --format json` printed (contract fields plus the ones the crawler adds). */
export interface CrawlReport {
  readonly complete?: boolean;
  readonly accounts?: number;
  readonly keys?: number;
  readonly deployKeys?: number;
  readonly requests?: number;
  readonly missing?: string[];
}

/** One crawl as the simulator and the operating system saw it. */
export interface CrawlMeasure {
  readonly label: string;
  readonly args: string[];
  readonly exitCode: number | null;
  readonly report: CrawlReport | null;
  /** Requests the simulator received (conditional ones answered 304 included). */
  readonly rest: number;
  readonly graphql: number;
  readonly requests: number;
  readonly notModified: number;
  readonly graphqlPoints: number;
  /** Rate budget spent: the `x-ratelimit-used` delta of the REST bucket, plus the GraphQL points. */
  readonly budget: { readonly core: number; readonly graphql: number; readonly total: number };
  readonly wallMs: number;
  readonly cpuMs: number | null;
  /** CPU time of the benchmark process meanwhile: mostly the simulator answering. */
  readonly simulatorCpuMs: number;
  readonly maxRssMb: number | null;
  /** Database file plus WAL and shared-memory files after the crawl. */
  readonly dbBytes: number;
  /** Present registrations in the store after the crawl, by kind; and accounts. */
  readonly stored: { readonly accounts: number; readonly userKeys: number; readonly deployKeys: number } | null;
  readonly byRoute: Record<string, number>;
  readonly error?: string;
}

/** Size of a SQLite database with its WAL and shm files. */
export function databaseBytes(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) total += statSync(file).size;
  return total;
}

function readStored(db: string): CrawlMeasure["stored"] {
  const store = openStore(db);
  try {
    const count = (sql: string): number => (store.statement(sql).get() as { n: number }).n;
    return {
      accounts: count("SELECT COUNT(*) AS n FROM memberships WHERE removed_at IS NULL AND relation = 'member'"),
      userKeys: count("SELECT COUNT(*) AS n FROM registrations WHERE removed_at IS NULL AND kind = 'user_key'"),
      deployKeys: count("SELECT COUNT(*) AS n FROM registrations WHERE removed_at IS NULL AND kind = 'deploy_key'"),
    };
  } finally {
    store.close();
  }
}

/**
 * Runs the built `keyward crawl` once against the simulator and measures it. Errors are recorded, not thrown,
 * so one failing crawl still leaves a table to read.
 */
export async function measureCrawl(
  sim: Simulator,
  options: { label: string; org: string; db: string; token: string; extraArgs?: readonly string[]; timeoutMs?: number },
): Promise<CrawlMeasure> {
  const args = ["crawl", "--org", options.org, "--api-url", sim.url, "--db", options.db, "--format", "json", ...(options.extraArgs ?? [])];
  sim.resetCounts();
  const before = sim.rateLimitUsed(options.token);
  const cpuBefore = process.cpuUsage();
  const run = await runKeyward(args, { env: { GITHUB_TOKEN: options.token }, ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }) });
  const cpuSpent = process.cpuUsage(cpuBefore);
  const after = sim.rateLimitUsed(options.token);
  const counts = { ...sim.counts, byRoute: { ...sim.counts.byRoute } };
  const dbBytes = databaseBytes(options.db);
  let report: CrawlReport | null = null;
  let error: string | undefined;
  try {
    report = JSON.parse(run.stdout) as CrawlReport;
  } catch {
    error = `crawl printed no JSON (exit ${run.code ?? run.signal}): ${tailOf(run)}`;
  }
  if (!error && run.code !== 0) error = `crawl exit ${run.code ?? run.signal}: ${(report?.missing ?? []).slice(0, 3).join("; ") || tailOf(run)}`;
  let stored: CrawlMeasure["stored"] = null;
  try {
    if (existsSync(options.db)) stored = readStored(options.db);
  } catch (e) {
    error ??= `cannot read the crawled store: ${e instanceof Error ? e.message : String(e)}`;
  }
  const core = after.core - before.core;
  const graphql = after.graphql - before.graphql;
  return {
    label: options.label,
    args: args.map((a) => (a === sim.url ? "<sim.url>" : a === options.db ? "<db>" : a)),
    exitCode: run.code,
    report,
    rest: counts.rest,
    graphql: counts.graphql,
    requests: counts.rest + counts.graphql,
    notModified: counts.notModified,
    graphqlPoints: counts.graphqlPoints,
    budget: { core, graphql, total: core + graphql },
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    simulatorCpuMs: (cpuSpent.user + cpuSpent.system) / 1000,
    maxRssMb: run.maxRssMb,
    dbBytes,
    stored,
    byRoute: counts.byRoute,
    ...(error !== undefined && { error }),
  };
}
