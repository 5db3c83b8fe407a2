import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError, UsageError, messageOf } from "../../errors.js";
import { DEFAULT_CONCURRENCY, type CrawlOptions, type CrawlResult } from "../../github/crawl-defaults.js";
import { renderCrawlProgress } from "../../output/progress.js";
import { section, type Report } from "../../output/render.js";
import { parsePositiveInt, resolveApiUrl, tokenFromEnv } from "../config.js";
import type { CommandContext } from "../context.js";
import type { Runner } from "../program.js";

interface CrawlFlags {
  org: string[];
  user: string[];
  outsideCollaborators?: boolean;
  signingKeys?: boolean;
  deployKeyDetails: boolean;
  allKeys?: boolean;
  apiUrl?: string;
  appId?: string;
  installationId?: string;
  appKey?: string;
  concurrency: string;
  timeout: string;
  maxRateLimitWait: string;
  retries?: string;
}

function parseSeconds(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} expects a whole number of seconds, got "${value}"`);
  return Number(value);
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `--retries`, and KEYWARD_WAIT_UNIT_MS: milliseconds per second of every wait (backoff, retry-after). Only the
 * test suites set it, so that a crawl through the CLI can be driven through faults in milliseconds.
 */
function retryFrom(flags: CrawlFlags, env: Readonly<Record<string, string | undefined>>): NonNullable<CrawlOptions["retry"]> {
  const unit = env["KEYWARD_WAIT_UNIT_MS"];
  return {
    ...(flags.retries === undefined ? {} : { retries: parseSeconds(flags.retries, "--retries") }),
    ...(unit === undefined || unit === "" ? {} : { baseDelayMs: parsePositiveInt(unit, "KEYWARD_WAIT_UNIT_MS") }),
  };
}

const PLAIN_PROGRESS_EVERY_MS = 5_000;

/** Shown at most, on stderr; the JSON result carries all of them. */
const MAX_WARNINGS_SHOWN = 20;

/** Token from GITHUB_TOKEN / GH_TOKEN, else a GitHub App from the --app-* flags (the private key is read from a file). */
function authFrom(ctx: CommandContext, flags: CrawlFlags): CrawlOptions["auth"] {
  const appFlags = [flags.appId, flags.installationId, flags.appKey].filter((f) => f !== undefined).length;
  if (appFlags > 0) {
    if (appFlags < 3 || !flags.appId || !flags.installationId || !flags.appKey) {
      throw new UsageError("a GitHub App needs all of --app-id, --installation-id and --app-key <pem-file>");
    }
    const path = resolve(ctx.io.cwd, flags.appKey);
    let privateKey: string;
    try {
      privateKey = readFileSync(path, "utf8");
    } catch (error) {
      throw new InputError(`cannot read --app-key ${path}: ${messageOf(error)}`);
    }
    return { appId: flags.appId, installationId: flags.installationId, privateKey };
  }
  const token = tokenFromEnv(ctx.io.env);
  if (token === undefined) {
    throw new UsageError("no GitHub credentials: set GITHUB_TOKEN (or GH_TOKEN) to a token with read:org, or give --app-id, --installation-id and --app-key");
  }
  return { token };
}

function crawlReport(result: CrawlResult): Report<CrawlResult> {
  return {
    json: result,
    sections: [
      section({
        title: `Crawl of ${result.orgs.join(", ") || "the named accounts"}`,
        rows: [result],
        columns: [
          { header: "complete", value: (r) => r.complete },
          { header: "accounts", value: (r) => r.accounts },
          { header: "keys", value: (r) => r.keys },
          { header: "deploy keys", value: (r) => r.deployKeys },
          { header: "requests", value: (r) => r.requests },
          { header: "304s", value: (r) => r.notModified },
          { header: "GraphQL points", value: (r) => r.graphqlPoints },
          { header: "removed", value: (r) => r.removed.registrations },
        ],
      }),
      ...(result.missing.length > 0
        ? [section({ title: "Missing (nothing concluded for these)", rows: result.missing, columns: [{ header: "what", value: (m) => m }] })]
        : []),
    ],
    notes: [
      ...result.unavailable.map((u) => `unavailable: ${u}`),
      ...(result.complete ? [] : ["the crawl is incomplete: run it again to conclude what is missing"]),
    ],
  };
}

export function registerCrawl(program: Command, run: Runner): void {
  program
    .command("crawl")
    .description("crawl GitHub orgs for the SSH keys of their members, repositories and SSO authorizations")
    .option("--org <login>", "organization to crawl (repeatable)", collect, [])
    .option("--user <login>", "also crawl this account's keys (repeatable)", collect, [])
    .option("--outside-collaborators", "also crawl each org's outside collaborators")
    .option("--signing-keys", "also crawl SSH signing keys: one more request per account")
    .option("--no-deploy-key-details", "skip the REST deploy-key details (added by, last used)")
    .option("--all-keys", "GHES site admin: take every key from /admin/keys")
    .option("--api-url <url>", "GitHub API URL (env GITHUB_API_URL; GHES: https://host/api/v3)")
    .option("--app-id <id>", "authenticate as this GitHub App (instead of GITHUB_TOKEN)")
    .option("--installation-id <id>", "the App's installation on the org")
    .option("--app-key <pem-file>", "the App's private key file")
    .option("--concurrency <n>", "REST detail requests in flight at once (GitHub allows 100; the throttling plugin still paces them)", String(DEFAULT_CONCURRENCY))
    .option("--timeout <ms>", "per-request timeout", "30000")
    .option("--max-rate-limit-wait <seconds>", "wait for a spent rate limit at most this long, else stop", "900")
    .option("--retries <n>", "retries of a failed request (5xx, reset, timeout, secondary limit) before it counts as missing")
    .action(
      run(async (ctx, flags: CrawlFlags) => {
        if (flags.org.length === 0 && flags.user.length === 0 && !flags.allKeys) {
          throw new UsageError("crawl needs at least one --org <login> (or --user, or --all-keys)");
        }
        const tty = ctx.io.stderrIsTTY && !ctx.globals.quiet;
        let drewProgress = false;
        // Off a terminal (cron, CI logs) progress is plain lines, at most one every few seconds.
        let lastLine = 0;
        // Loaded when used: octokit and its plugins would slow every other command's start.
        const { crawl } = await import("../../github/index.js");
        const result = await crawl(ctx.openStore(), {
          orgs: flags.org,
          users: flags.user,
          outsideCollaborators: flags.outsideCollaborators ?? false,
          signingKeys: flags.signingKeys ?? false,
          deployKeyDetails: flags.deployKeyDetails,
          allKeys: flags.allKeys ?? false,
          apiUrl: resolveApiUrl(flags.apiUrl, ctx.io.env),
          auth: authFrom(ctx, flags),
          concurrency: parsePositiveInt(flags.concurrency, "--concurrency"),
          requestTimeoutMs: parsePositiveInt(flags.timeout, "--timeout"),
          maxRateLimitWaitSeconds: parseSeconds(flags.maxRateLimitWait, "--max-rate-limit-wait"),
          retry: retryFrom(flags, ctx.io.env),
          onProgress: (p) => {
            if (tty) {
              ctx.io.stderr(renderCrawlProgress(p, true));
              drewProgress = true;
            } else if (Date.now() - lastLine >= PLAIN_PROGRESS_EVERY_MS) {
              lastLine = Date.now();
              ctx.log.info(renderCrawlProgress(p, false).trimEnd());
            }
          },
          now: () => ctx.now(),
        });
        if (drewProgress) ctx.io.stderr("\n");
        for (const w of result.warnings.slice(0, MAX_WARNINGS_SHOWN)) ctx.log.warn(w);
        if (result.warnings.length > MAX_WARNINGS_SHOWN) {
          ctx.log.warn(`… and ${result.warnings.length - MAX_WARNINGS_SHOWN} more warnings (all in --format json)`);
        }
        ctx.log.info(
          `crawled ${result.accounts} account(s), ${result.keys} key(s), ${result.deployKeys} deploy key(s) in ${result.requests} request(s)` +
            (result.complete ? "" : `; incomplete: ${result.missing.length} part(s) missing`),
        );
        return { status: result.complete ? "clean" : "incomplete", report: crawlReport(result) };
      }),
    );
}
