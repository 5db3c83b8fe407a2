import { writeFileSync } from "node:fs";

/*
 * Loaded with `node --import` into every child the benchmark starts. At exit it writes the process's own peak
 * resident set (getrusage ru_maxrss, kilobytes on Linux) and its CPU time (microseconds) as JSON to the file
 * named by KEYWARD_BENCH_RSS_FILE. The kernel keeps that high-water mark for us, so nothing is missed between
 * polls, and it covers the whole process: V8 heap, SQLite's page cache, native buffers. CPU time is reported
 * beside wall time because it moves much less when other work shares the machine.
 */
const target = process.env["KEYWARD_BENCH_RSS_FILE"];
if (target) {
  delete process.env["KEYWARD_BENCH_RSS_FILE"];
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime }));
  });
}
