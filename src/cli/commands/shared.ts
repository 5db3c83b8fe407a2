import type { Freshness } from "../../queries/index.js";
import type { CommandContext } from "../context.js";

/** Every answer says what it rests on. */
export function freshnessNotes(f: Freshness): string[] {
  const crawled = f.lastCrawl ? `crawled ${f.lastCrawl.at}${f.lastCrawl.complete ? "" : " (incomplete)"}` : "never crawled";
  const scanned = f.lastScan ? `scanned ${f.lastScan.at}` : "never scanned";
  return [`data: ${crawled}; ${scanned}`];
}

/** Doubts about the data go to stderr, so that JSON consumers get them too without parsing stdout prose. */
export function warnFreshness(ctx: CommandContext, f: Freshness): void {
  for (const w of f.warnings) ctx.log.warn(w);
}
