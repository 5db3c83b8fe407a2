import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrgState, startSimulator, type FaultSpec, type Simulator } from "../../src/demo/simulator/index.js";
import { parseJson, runKeyward, type CliRun } from "../helpers/cli.js";
import { allCells, crawlFacts, integrityCheck, stackLines, withRawDb } from "./support.js";

/*
 * GitHub's bad days, through the built CLI against the simulator: every fault that retries or waits can fix must
 * give a crawl identical to a clean one; a spent rate limit that resets too late stops the crawl with exit 3,
 * names what is missing and when to resume, and concludes nothing.
 *
 * Most faults fire once per request (a burst over several requests) and wait GitHub's real back-off; the
 * persistent-failure case sets KEYWARD_WAIT_UNIT_MS so that its retries take milliseconds.
 */

const TOKEN = "ghp_hardeningFaults0123456789abcdef";
const state = generateOrgState({ org: "acme", members: 12, repos: 9, token: TOKEN });
const DEPLOY_KEYS = /^\/repos\/acme\/[^/]+\/keys$/;
/** One fault per repository with deploy keys: a burst across concurrent requests, each retried once (1 s). */
const perRepo = (fault: Omit<FaultSpec, "match">): FaultSpec[] =>
  (state.orgs["acme"]?.repos ?? []).filter((r) => r.deployKeys.length > 0).map((r) => ({ ...fault, match: { path: `/repos/acme/${r.name}/keys` }, times: 1 }));

let root = "";
let cleanDb = "";
let clean: unknown;
const sims: Simulator[] = [];

async function sim(faults: readonly FaultSpec[]): Promise<Simulator> {
  const s = await startSimulator({ state });
  sims.push(s);
  for (const f of faults) s.addFault(f);
  return s;
}

function crawlCli(s: Simulator, db: string, extra: readonly string[] = []): Promise<CliRun> {
  return runKeyward(["crawl", "--org", "acme", "--api-url", s.url, "--db", db, "--format", "json", "--timeout", "3000", ...extra], {
    env: { GITHUB_TOKEN: TOKEN },
    timeoutMs: 50_000,
  });
}

function copyDb(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "keyward-faults-"));
  cleanDb = join(root, "clean.db");
  const run = await crawlCli(await sim([]), cleanDb);
  expect(run.code, run.stderr).toBe(0);
  clean = crawlFacts(cleanDb);
}, 60_000);

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});

describe.concurrent("a crawl through GitHub's faults", () => {
  const recoverable: ReadonlyArray<{ name: string; faults: FaultSpec[]; expectWarning?: RegExp }> = [
    {
      // Several faults per crawl: every crawl costs a process start and the 1 s GraphQL spacing.
      name: "a burst of 5xx answers and connection resets",
      faults: [
        { match: { graphql: "OrgMembersPublicKeys" }, kind: "status", status: 502, times: 1 },
        { match: { graphql: "OrgReposDeployKeys" }, kind: "reset", times: 1 },
        ...perRepo({ kind: "status", status: 500 }),
        { match: { path: "/orgs/acme/credential-authorizations" }, kind: "reset", times: 1 },
      ],
    },
    {
      name: "sockets that hang until the request timeout and secondary rate limits with retry-after",
      faults: [
        { match: { graphql: "OrgReposDeployKeys" }, kind: "hang", times: 1 },
        { match: { graphql: "OrgMembersPublicKeys" }, kind: "secondary-rate-limit", retryAfter: 1, times: 1 },
        ...perRepo({ kind: "hang" }),
        { match: { path: "/orgs/acme/credential-authorizations" }, kind: "secondary-rate-limit", retryAfter: 1, times: 1 },
      ],
    },
    {
      name: "the primary limit running out mid-crawl with its reset near",
      faults: [{ match: { graphql: true }, kind: "primary-exhausted", retryAfter: 2, times: 1, afterRequests: 1 }],
      expectWarning: /waited \d+ s for GitHub's primary rate limit/,
    },
  ];

  for (const c of recoverable) {
    it(`completes through ${c.name} with exactly the results of a clean crawl`, async () => {
      const s = await sim(c.faults);
      const db = join(root, `${c.name.replace(/\W+/g, "-")}.db`);
      const run = await crawlCli(s, db);
      const context = `stderr: ${run.stderr}`;
      expect(s.counts.faults, context).toBeGreaterThanOrEqual(c.faults.length);
      expect(run.code, context).toBe(0);
      const result = parseJson<{ complete: boolean; missing: string[] }>(run);
      expect(result.complete).toBe(true);
      expect(result.missing).toEqual([]);
      expect(crawlFacts(db)).toEqual(clean);
      expect(integrityCheck(db)).toBe("ok");
      expect(stackLines(run.stderr)).toEqual([]);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
      if (c.expectWarning) expect(run.stderr).toMatch(c.expectWarning);
    });
  }

  const stops: ReadonlyArray<{ name: string; fault: FaultSpec; missing: RegExp }> = [
    {
      name: "a GraphQL request",
      fault: { match: { graphql: true }, kind: "primary-exhausted", retryAfter: 3600, times: Infinity, afterRequests: 1 },
      missing: /rate limit/,
    },
    {
      name: "the REST deploy key details",
      fault: { match: { path: DEPLOY_KEYS }, kind: "primary-exhausted", retryAfter: 3600, times: Infinity },
      missing: /deploy key details.*rate limit/,
    },
  ];

  for (const c of stops) {
    it(`stops with exit 3 when the primary limit runs out on ${c.name} and resets too late, concluding nothing`, async () => {
      const db = join(root, `stop-${c.name.replace(/\W+/g, "-")}.db`);
      copyDb(cleanDb, db);
      const s = await sim([c.fault]);
      const run = await crawlCli(s, db, ["--max-rate-limit-wait", "60"]);
      const context = `stdout: ${run.stdout}\nstderr: ${run.stderr}`;
      expect(run.code, context).toBe(3);
      const result = parseJson<{ complete: boolean; missing: string[] }>(run);
      expect(result.complete).toBe(false);
      expect(result.missing.length, context).toBeGreaterThan(0);
      expect(result.missing.join("\n"), context).toMatch(c.missing);
      // When to resume: the reset time, on stderr.
      expect(run.stderr, context).toMatch(/rate limit[^\n]*until \d{4}-\d\d-\d\dT[^\n]*run keyward crawl again/);
      expect(run.stderr, context).toMatch(/incomplete/);
      expect(stackLines(run.stderr)).toEqual([]);
      // Nothing concluded: the earlier complete crawl's map is intact, nothing marked removed.
      expect(crawlFacts(db)).toEqual(clean);
      expect(integrityCheck(db)).toBe("ok");
      const last = withRawDb(db, (d) => d.prepare("SELECT complete, finished_at, missing FROM runs WHERE kind = 'crawl' ORDER BY id DESC LIMIT 1").get()) as {
        complete: number;
        finished_at: string | null;
        missing: string;
      };
      expect(last.complete).toBe(0);
      expect(last.finished_at).not.toBeNull();
      expect(JSON.parse(last.missing)).toEqual(result.missing);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
      expect(allCells(db).filter((cell) => cell.text.includes(TOKEN))).toEqual([]);
    });
  }

  it("lists what a persistent 5xx left missing, exits 3, and concludes nothing from it, though GitHub changed", async () => {
    const db = join(root, "persistent.db");
    copyDb(cleanDb, db);
    // GitHub really changed: a member left and a deploy key was deleted. The repository list cannot be fetched,
    // so only the member's departure may be concluded; the deploy key must stay present.
    const changed = structuredClone(state);
    const acme = changed.orgs["acme"]!;
    const leaver = acme.members.pop()!;
    const repo = acme.repos.find((r) => r.deployKeys.length > 0)!;
    repo.deployKeys = [];
    const s = await startSimulator({ state: changed });
    sims.push(s);
    s.addFault({ match: { graphql: "OrgReposDeployKeys" }, kind: "status", status: 502, times: Infinity });
    const run = await runKeyward(["crawl", "--org", "acme", "--api-url", s.url, "--db", db, "--format", "json", "--retries", "2"], {
      env: { GITHUB_TOKEN: TOKEN, KEYWARD_WAIT_UNIT_MS: "1" },
      timeoutMs: 50_000,
    });
    expect(run.code, run.stderr).toBe(3);
    const result = parseJson<{ complete: boolean; missing: string[] }>(run);
    expect(result.complete).toBe(false);
    expect(result.missing.join("\n")).toMatch(/repositor/i);
    expect(stackLines(run.stderr)).toEqual([]);
    const removed = withRawDb(db, (d) =>
      d.prepare(
        `SELECT r.kind, r.removal_reason AS reason, a.login, repo.full_name AS repo FROM registrations r
         LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN repositories repo ON repo.id = r.repository_id
         WHERE r.removed_at IS NOT NULL`,
      ).all(),
    ) as { kind: string; reason: string; login: string | null; repo: string | null }[];
    expect(removed.filter((r) => r.kind === "deploy_key")).toEqual([]);
    expect(removed.filter((r) => r.login === leaver.login).map((r) => r.reason)).toContain("account-left-org");
    expect(integrityCheck(db)).toBe("ok");
  });
});
