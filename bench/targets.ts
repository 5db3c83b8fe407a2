import { formatInt, formatMb, formatMs, formatRatio } from "./format.js";
import type { CrawlMeasure } from "./measure-crawl.js";
import type { MillionResult, SizeResult, TargetCheck } from "./results.js";

/** A crawl that failed (no JSON, exit other than 0) fails every target it is measured for. */
const ok = (m: CrawlMeasure | null): boolean => m !== null && m.error === undefined;

function crawlTarget(size: string, target: string, m: CrawlMeasure | null, value: (m: CrawlMeasure) => number, limit: number): TargetCheck {
  if (!m) return { target, size, measured: "not run", limit: `≤ ${formatInt(limit)}`, pass: false };
  const v = value(m);
  const measured = ok(m) ? formatInt(v) : `${formatInt(v)} (${m.error ?? "failed"})`;
  return { target, size, measured, limit: `≤ ${formatInt(limit)}`, pass: ok(m) && v <= limit };
}

/** The targets (P = member pages + repository pages + extra key pages), judged on what was measured. */
export function judgeTargets(sizes: readonly SizeResult[], million: MillionResult | null): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const r of sizes) {
    const name = r.size.name;
    const P = r.expect.pages;
    const D = r.expect.reposWithDeployKeys;
    checks.push(crawlTarget(name, "first crawl: requests ≤ P + repos with deploy keys + 5", r.first, (m) => m.requests, P + D + 5));
    checks.push(crawlTarget(name, "first crawl --no-deploy-key-details: requests ≤ P + 5", r.noDetails, (m) => m.requests, P + 5));
    checks.push(crawlTarget(name, "second crawl, unchanged org: rate budget ≤ P + 5", r.second, (m) => m.budget.total, P + 5));
    const stored = r.first.stored;
    checks.push({
      target: "first crawl stored every member key and deploy key (sanity)",
      size: name,
      measured: stored ? `${formatInt(stored.userKeys)} / ${formatInt(stored.deployKeys)}` : "–",
      limit: `${formatInt(r.expect.userKeys)} / ${formatInt(r.expect.deployKeys)}`,
      pass: stored !== null && stored.userKeys === r.expect.userKeys && stored.deployKeys === r.expect.deployKeys,
    });
    if (name === "medium") {
      const naive = r.naive;
      const nd = r.noDetails;
      const usable = naive !== null && naive.error === undefined && nd !== null && nd.error === undefined;
      const reqRatio = usable ? naive.requests / Math.max(1, nd.requests) : Number.NaN;
      const wallRatio = usable ? naive.wallMs / nd.wallMs : Number.NaN;
      checks.push({ target: "--no-deploy-key-details vs naive: fewer requests", size: name, measured: formatRatio(reqRatio), limit: "≥ 50×", pass: usable && reqRatio >= 50 });
      checks.push({ target: "--no-deploy-key-details vs naive: less wall time", size: name, measured: formatRatio(wallRatio), limit: "≥ 20×", pass: usable && wallRatio >= 20 });
    }
    if (name === "large") {
      checks.push({
        target: `first crawl wall time (${r.latencyMs} ms latency)`,
        size: name,
        measured: formatMs(r.first.wallMs),
        limit: "< 60 s",
        pass: ok(r.first) && r.first.wallMs < 60_000 && r.latencyMs >= 2,
      });
      checks.push({
        target: "first crawl peak resident memory",
        size: name,
        measured: formatMb(r.first.maxRssMb),
        limit: "< 300 MB",
        pass: ok(r.first) && r.first.maxRssMb !== null && r.first.maxRssMb < 300,
      });
      const w = r.queries?.whoUses;
      checks.push({
        target: "who-uses end to end (median)",
        size: name,
        measured: w ? formatMs(w.medianMs) : "not run",
        limit: "< 150 ms",
        pass: w !== undefined && w.error === undefined && w.medianMs < 150,
      });
    }
  }
  if (million) {
    const size = `${formatInt(million.store.registrations)} registrations`;
    checks.push({
      target: "whoUses() query in process (median)",
      size,
      measured: `${formatMs(million.inProcess.medianMs)} (p95 ${formatMs(million.inProcess.p95Ms)})`,
      limit: "< 5 ms",
      pass: million.store.registrations >= 1_000_000 && million.inProcess.found === million.inProcess.lookups && million.inProcess.medianMs < 5,
    });
    checks.push({
      target: "who-uses end to end (median; reference)",
      size,
      measured: formatMs(million.cli.medianMs),
      limit: "(150 ms at large)",
      pass: null,
    });
  }
  return checks;
}
