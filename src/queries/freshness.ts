import { latestRun, type Store } from "../store/index.js";

export interface Freshness {
  readonly lastCrawl: { readonly at: string; readonly complete: boolean; readonly scope: unknown } | null;
  readonly lastScan: { readonly at: string } | null;
  readonly warnings: readonly string[];
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** When the data an answer rests on was crawled and scanned, and what a careful reader should doubt. */
export function readFreshness(store: Store, now: string): Freshness {
  const crawl = latestRun(store, "crawl");
  const scan = latestRun(store, "scan");
  const warnings: string[] = [];
  const nowMs = Date.parse(now);
  if (!crawl) warnings.push("no GitHub crawl yet: no key can be attributed to an account (run keyward crawl --org <org>)");
  else {
    if (crawl.complete === false) {
      warnings.push(`the latest crawl (${crawl.finishedAt ?? crawl.startedAt}) was incomplete: missing ${crawl.missing.slice(0, 3).join("; ")}`);
    }
    if (nowMs - Date.parse(crawl.finishedAt ?? crawl.startedAt) > WEEK_MS) {
      warnings.push(`the latest crawl is older than a week (${crawl.finishedAt ?? crawl.startedAt}): crawl again`);
    }
  }
  if (!scan) warnings.push("no CI source scanned yet: no pipeline is known (run keyward scan …)");
  else if (nowMs - Date.parse(scan.finishedAt ?? scan.startedAt) > WEEK_MS) {
    warnings.push(`the latest scan is older than a week (${scan.finishedAt ?? scan.startedAt}): scan again`);
  }
  return {
    lastCrawl: crawl ? { at: crawl.finishedAt ?? crawl.startedAt, complete: crawl.complete === true, scope: JSON.parse(crawl.scope) as unknown } : null,
    lastScan: scan ? { at: scan.finishedAt ?? scan.startedAt } : null,
    warnings,
  };
}
