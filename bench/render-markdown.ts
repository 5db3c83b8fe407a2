import { formatBytes, formatInt, formatMb, formatMs, formatRatio } from "./format.js";
import type { CrawlMeasure } from "./measure-crawl.js";
import type { CommandLatency } from "./measure-queries.js";
import type { BenchResults, SizeResult } from "./results.js";

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (cell: string): string => cell.replace(/\|/g, "\\|");
  const lines = [`| ${header.map(escape).join(" | ")} |`, `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`];
  for (const row of rows) lines.push(`| ${row.map(escape).join(" | ")} |`);
  return lines.join("\n");
}

const crawlRequests = (m: CrawlMeasure | null): string =>
  m ? `${formatInt(m.requests)} (${formatInt(m.rest)} REST + ${formatInt(m.graphql)} GraphQL)${m.error ? " ⚠" : ""}` : "–";

/** The metrics per size, one column per size. */
function renderMetrics(sizes: readonly SizeResult[]): string {
  const rows: [string, (r: SizeResult) => string][] = [
    ["members / repositories", (r) => `${formatInt(r.expect.members)} / ${formatInt(r.expect.repos)}`],
    ["member keys / deploy keys (repos with deploy keys)", (r) => `${formatInt(r.expect.userKeys)} / ${formatInt(r.expect.deployKeys)} (${formatInt(r.expect.reposWithDeployKeys)})`],
    ["P = member pages + repo pages + extra key pages", (r) => `${formatInt(r.expect.pages)} (${r.expect.memberPages} + ${r.expect.repoPages} + ${r.expect.extraKeyPages})`],
    ["simulated latency per request", (r) => `${r.latencyMs} ms`],
    ["**first crawl**: requests", (r) => crawlRequests(r.first)],
    ["first crawl: GraphQL points", (r) => formatInt(r.first.graphqlPoints)],
    ["first crawl: rate budget (REST used + points)", (r) => formatInt(r.first.budget.total)],
    ["first crawl: wall time (CPU of keyward; of the simulator)", (r) => `${formatMs(r.first.wallMs)} (${formatMs(r.first.cpuMs)}; ${formatMs(r.first.simulatorCpuMs)})`],
    ["first crawl: peak RSS of keyward", (r) => formatMb(r.first.maxRssMb)],
    ["first crawl: database size", (r) => formatBytes(r.first.dbBytes)],
    ["first crawl: stored member keys / deploy keys", (r) => (r.first.stored ? `${formatInt(r.first.stored.userKeys)} / ${formatInt(r.first.stored.deployKeys)}` : "–")],
    ["**second crawl** (unchanged org): requests", (r) => crawlRequests(r.second)],
    ["second crawl: of which 304 Not Modified", (r) => formatInt(r.second?.notModified)],
    ["second crawl: rate budget spent (REST used + points)", (r) => (r.second ? `${formatInt(r.second.budget.total)} (${formatInt(r.second.budget.core)} + ${formatInt(r.second.budget.graphql)})` : "–")],
    ["second crawl: wall time", (r) => formatMs(r.second?.wallMs)],
    ["**crawl --no-deploy-key-details**: requests", (r) => crawlRequests(r.noDetails)],
    ["--no-deploy-key-details: GraphQL points", (r) => formatInt(r.noDetails?.graphqlPoints)],
    ["--no-deploy-key-details: wall time (CPU of keyward; of the simulator)", (r) => (r.noDetails ? `${formatMs(r.noDetails.wallMs)} (${formatMs(r.noDetails.cpuMs)}; ${formatMs(r.noDetails.simulatorCpuMs)})` : "–")],
    ["--no-deploy-key-details: peak RSS", (r) => formatMb(r.noDetails?.maxRssMb)],
    ["**naive @octokit/rest crawler**: requests", (r) => (r.naive ? `${formatInt(r.naive.requests)}${r.naive.error ? " ⚠" : ""}` : "–")],
    ["naive: wall time (CPU of the crawler; of the simulator; concurrency)", (r) => (r.naive ? `${formatMs(r.naive.wallMs)} (${formatMs(r.naive.cpuMs)}; ${formatMs(r.naive.simulatorCpuMs)}; ${r.naive.concurrency})` : "–")],
    ["naive: peak RSS", (r) => formatMb(r.naive?.maxRssMb)],
    ["naive ÷ first crawl: requests / wall time", (r) => ratios(r, r.first)],
    ["naive ÷ --no-deploy-key-details: requests / wall time", (r) => ratios(r, r.noDetails)],
    ["pipelines seeded (uses)", (r) => (r.seeded ? `${formatInt(r.seeded.pipelines)} (${formatInt(r.seeded.uses)})` : "–")],
    ["`who-uses` end to end, median wall (CPU)", (r) => latency(r.queries?.whoUses)],
    ["`offboard` end to end, median wall (CPU)", (r) => latency(r.queries?.offboard)],
    ["`review` end to end, median wall (CPU)", (r) => latency(r.queries?.review)],
  ];
  return table(
    ["", ...sizes.map((r) => r.size.name)],
    rows.map(([label, cell]) => [label, ...sizes.map(cell)]),
  );
}

function ratios(r: SizeResult, m: CrawlMeasure | null): string {
  if (!r.naive || !m) return "–";
  return `${formatRatio(r.naive.requests / Math.max(1, m.requests))} / ${formatRatio(r.naive.wallMs / m.wallMs)}`;
}

function latency(l: CommandLatency | undefined): string {
  if (!l) return "–";
  if (l.error) return `failed: ${l.error}`;
  return `${formatMs(l.medianMs)} (${formatMs(l.medianCpuMs)}; n=${l.runs})`;
}

/** Where each crawl's requests went (simulator route → count): the first place to look when a target fails. */
function renderRoutes(sizes: readonly SizeResult[]): string {
  const crawls = sizes.flatMap((r) =>
    [r.first, r.second, r.noDetails].filter((m): m is CrawlMeasure => m !== null).map((m) => ({ size: r.size.name, m })),
  );
  const routes = [...new Set(crawls.flatMap(({ m }) => Object.keys(m.byRoute)))].sort();
  return table(
    ["route", ...crawls.map(({ size, m }) => `${size}: ${m.label}`)],
    routes.map((route) => [route, ...crawls.map(({ m }) => formatInt(m.byRoute[route] ?? 0))]),
  );
}

/** The whole report: metrics, targets with PASS/FAIL, the million-registration store, requests by route. */
export function renderMarkdown(results: BenchResults): string {
  const load = (l: readonly number[]): string => l.map((x) => x.toFixed(1)).join(" ");
  const parts: string[] = [
    `## keyward bench (${results.finishedAt}, Node ${results.node}, ${results.cpus} CPUs, load average ${load(results.loadAverage.start)} → ${load(results.loadAverage.end)})`,
  ];
  const st = results.startup;
  parts.push(
    `Process start on this machine (median wall, CPU in brackets): empty Node.js program ${formatMs(st.node.medianMs)} (${formatMs(st.node.medianCpuMs)}), ` +
      `\`keyward --version\` ${formatMs(st.keywardVersion.medianMs)} (${formatMs(st.keywardVersion.medianCpuMs)}).`,
  );
  if (results.sizes.length > 0) parts.push(renderMetrics(results.sizes));
  parts.push(
    "### Targets",
    table(
      ["target", "size", "measured", "limit", "result"],
      results.targets.map((t) => [t.target, t.size, t.measured, t.limit, t.pass === null ? "info" : t.pass ? "PASS" : "**FAIL**"]),
    ),
  );
  const m = results.million;
  if (m) {
    parts.push(
      "### who-uses on a store of many registrations",
      table(
        ["", "value"],
        [
          ["registrations (user keys / deploy keys)", `${formatInt(m.store.registrations)} (${formatInt(m.store.userKeyRegistrations)} / ${formatInt(m.store.deployKeyRegistrations)})`],
          ["accounts / repositories / pipelines", `${formatInt(m.store.accounts)} / ${formatInt(m.store.repositories)} / ${formatInt(m.store.pipelines)}`],
          ["build time (one transaction) / database size", `${formatMs(m.store.buildMs)} / ${formatBytes(m.store.dbBytes)}`],
          ["`whoUses()` in process: median / p95 / max", `${formatMs(m.inProcess.medianMs)} / ${formatMs(m.inProcess.p95Ms)} / ${formatMs(m.inProcess.maxMs)} (n=${formatInt(m.inProcess.lookups)}, found ${formatInt(m.inProcess.found)})`],
          ["`keyward who-uses` end to end: median wall (min–max); median CPU", m.cli.error ? `failed: ${m.cli.error}` : `${formatMs(m.cli.medianMs)} (${formatMs(m.cli.minMs)}–${formatMs(m.cli.maxMs)}, n=${m.cli.runs}); ${formatMs(m.cli.medianCpuMs)}`],
        ],
      ),
    );
  }
  if (results.sizes.length > 0) parts.push("### Requests by route (simulator counts)", renderRoutes(results.sizes));
  const errors = results.sizes.flatMap((r) => r.errors.map((e) => `- ${r.size.name}: ${e}`));
  if (errors.length > 0) parts.push("### Errors", errors.join("\n"));
  return `${parts.join("\n\n")}\n`;
}
