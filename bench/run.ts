import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseBenchArgs, USAGE, type BenchOptions } from "./args.js";
import { NOOP_MAIN, ROOT, runKeyward, runNodeChild, tailOf, type ChildRun } from "./child-process.js";
import { timeCommand } from "./measure-queries.js";
import { buildMillionStore, syntheticKey, timeWhoUsesInProcess } from "./million-store.js";
import { renderMarkdown } from "./render-markdown.js";
import type { BenchResults, MillionResult, SizeResult, StartupTiming } from "./results.js";
import { runSize } from "./run-size.js";
import { createRandom, median } from "./stats.js";
import { judgeTargets } from "./targets.js";

/*
 * `npm run bench`: drives the BUILT keyward CLI against the in-process GitHub simulator and prints a markdown
 * table (stdout) of requests, rate budget, time and memory per org size, side by side with a naive crawler,
 * plus the answers' latency; the same figures go to bench/results/ as JSON. Progress goes to stderr.
 * Exit 1 when a target fails, 2 when the benchmark itself cannot run.
 */

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

async function runMillion(options: BenchOptions, workDir: string): Promise<MillionResult> {
  const db = join(workDir, "million.db");
  log(`big store: writing ${options.million} registrations`);
  const store = buildMillionStore(db, { registrations: options.million, pipelines: 10_000, seed: 3 });
  log(`big store: built in ${(store.buildMs / 1000).toFixed(1)} s; timing whoUses() in process (${options.lookups} lookups)`);
  const inProcess = timeWhoUsesInProcess(db, { lookups: options.lookups, registrations: options.million, seed: 5 });
  const random = createRandom(9);
  const keys = Array.from({ length: options.runs }, () => syntheticKey(Math.floor(random() * options.million)).sha256);
  log(`big store: timing keyward who-uses end to end (${options.runs} runs)`);
  const cli = await timeCommand("who-uses", db, options.runs, (i) => ["who-uses", keys[i] ?? keys[0] ?? ""]);
  return { store, inProcess, cli };
}

/** Median of `runs` starts (after one warm-up) of a child. */
async function timeStartup(start: () => Promise<ChildRun>, runs: number): Promise<StartupTiming> {
  await start();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const run = await start();
    wall.push(run.wallMs);
    if (run.cpuMs !== null) cpu.push(run.cpuMs);
  }
  return { medianMs: median(wall), medianCpuMs: median(cpu) };
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const help = await runKeyward(["crawl", "--help"]);
  if (help.code !== 0) {
    process.stderr.write(`bench: the built CLI has no working "crawl" command (exit ${help.code ?? help.signal}): ${tailOf(help)}; run npm run build\n`);
    return 2;
  }
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  const workDir = mkdtempSync(join(tmpdir(), "keyward-bench-"));
  log("timing process start: node with an empty program, keyward --version");
  const startup = {
    node: await timeStartup(() => runNodeChild(NOOP_MAIN, []), options.runs),
    keywardVersion: await timeStartup(() => runKeyward(["--version"]), options.runs),
  };
  const sizes: SizeResult[] = [];
  let million: MillionResult | null = null;
  try {
    for (const size of options.sizes) sizes.push(await runSize(size, options, workDir, log));
    if (options.million > 0) million = await runMillion(options, workDir);
  } finally {
    if (options.keep) log(`databases kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  const targets = judgeTargets(sizes, million);
  const results: BenchResults = {
    startedAt,
    finishedAt: new Date().toISOString(),
    node: process.versions.node,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    loadAverage: { start: loadAtStart, end: loadavg() },
    startup,
    options: { ...options, sizes: options.sizes.map((s) => s.name) },
    sizes,
    million,
    targets,
  };
  const markdown = renderMarkdown(results);
  const outDir = options.outDir ?? join(ROOT, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  const stamp = startedAt.replace(/[:.]/g, "-");
  writeFileSync(join(outDir, `bench-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, "latest.md"), markdown);
  process.stdout.write(markdown);
  log(`results written to ${join(outDir, `bench-${stamp}.json`)}`);
  return targets.some((t) => t.pass === false) ? 1 : 0;
}

process.exitCode = await main();
