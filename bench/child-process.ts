import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** dist/bench → the repository root. */
export const ROOT = join(here, "..", "..");
/** The built CLI, found as tools outside the project find it (package.json bin). */
export const CLI = join(ROOT, "dist", "src", "cli", "main.js");
export const NAIVE_MAIN = join(here, "naive-main.js");
export const NOOP_MAIN = join(here, "noop-main.js");
const PRELOAD = pathToFileURL(join(here, "preload-max-rss.js")).href;

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit: process start, module loading and store opening included. */
  readonly wallMs: number;
  /** The child's own peak resident set in MiB, or null when it died before writing it. */
  readonly maxRssMb: number | null;
  /** The child's user + system CPU time, or null when it died before writing it. */
  readonly cpuMs: number | null;
}

/**
 * Runs `node --import <preload> <script> ...args` with a clean environment plus `env`, and measures its wall
 * time and peak memory. A child still running after `timeoutMs` is killed (by its own pid) and reported.
 */
export function runNodeChild(
  script: string,
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ChildRun> {
  const rssDir = mkdtempSync(join(tmpdir(), "keyward-bench-rss-"));
  const rssFile = join(rssDir, "max-rss");
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, options.env ?? {}, { KEYWARD_BENCH_RSS_FILE: rssFile, NO_COLOR: "1" });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", PRELOAD, script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30 * 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      rmSync(rssDir, { recursive: true, force: true });
      reject(error);
    });
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      let maxRssMb: number | null = null;
      let cpuMs: number | null = null;
      try {
        const usage = JSON.parse(readFileSync(rssFile, "utf8")) as { maxRssKb: number; cpuMicros: number };
        maxRssMb = usage.maxRssKb / 1024;
        cpuMs = usage.cpuMicros / 1000;
      } catch {
        // Killed or crashed before its exit handler ran: no figure rather than a wrong one.
      }
      rmSync(rssDir, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, wallMs, maxRssMb, cpuMs });
    });
  });
}

/** Runs the built keyward CLI under measurement. */
export function runKeyward(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ChildRun> {
  return runNodeChild(CLI, args, options);
}

/** One line of a child's stderr tail, for error messages. Tokens never reach a child's output (the CLI redacts them). */
export function tailOf(run: ChildRun, lines = 5): string {
  return run.stderr.trim().split("\n").slice(-lines).join(" | ");
}
