import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrgState, startSimulator, type Simulator } from "../../src/demo/simulator/index.js";
import { generateKey } from "../helpers/ssh-keygen.js";
import { writeJenkinsHome, type JenkinsItemSpec } from "../helpers/jenkins-home.js";
import { integrityCheck, pipelineFacts, prng, registrationFacts, startKeyward, withRawDb } from "./support.js";

/*
 * kill -9 at random points (seeded) of a crawl and of a scan. After every kill the database must pass
 * PRAGMA integrity_check and hold a complete state: the last successful run's, or (when the kill came after the
 * final commit) the next one's — never a mixture, never a removal concluded by a run that did not finish. The
 * next run must succeed.
 */

const SEED = 20_240_601;
const KILLS = 10;
const TOKEN = "ghp_hardeningKill0123456789abcdefghij";

let root = "";
const sims: Simulator[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "keyward-kill-"));
});

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});

/** Runs keyward to the end and expects success. */
async function runOk(args: readonly string[], env: Record<string, string> = {}): Promise<void> {
  const run = await startKeyward(args, env).done;
  expect(run.code, `${args.join(" ")}\n${run.stderr}`).toBe(0);
}

/** Starts keyward, SIGKILLs it after `delayMs` (unless it finished first); the outcome for the log. */
async function killAfter(args: readonly string[], env: Record<string, string>, delayMs: number): Promise<string> {
  const running = startKeyward(args, env);
  const timer = setTimeout(() => running.child.kill("SIGKILL"), delayMs);
  const run = await running.done;
  clearTimeout(timer);
  if (run.signal === "SIGKILL") return "killed";
  expect(run.code, run.stderr).toBe(0);
  return "finished";
}

function unfinishedRuns(db: string): number {
  return withRawDb(db, (d) => (d.prepare("SELECT COUNT(*) AS n FROM runs WHERE finished_at IS NULL").get() as { n: number }).n);
}

describe.concurrent("kill -9 at random points", () => {
  it(`leaves a sound database holding a complete state after ${KILLS} crawls killed mid-way`, async () => {
    const state = generateOrgState({ org: "acme", members: 40, repos: 24, token: TOKEN });
    const sim = await startSimulator({ state, latencyMs: 25 });
    sims.push(sim);
    const db = join(root, "crawl.db");
    const args = ["crawl", "--org", "acme", "--api-url", sim.url, "--db", db, "--format", "json", "-q"];
    const env = { GITHUB_TOKEN: TOKEN };
    // A scanned pipeline that no crawl may touch.
    const keyDir = join(root, "crawl-keys");
    mkdirSync(keyDir);
    generateKey(keyDir, "ed25519");
    await runOk(["scan", "keys", keyDir, "--pipeline", "agent", "--db", db, "-q"]);
    const started = Date.now();
    await runOk(args, env);
    const duration = Date.now() - started;
    const before = registrationFacts(db);
    const pipelines = pipelineFacts(db);
    expect(before.length).toBeGreaterThan(100);
    expect(before.filter((f) => f.endsWith(" REMOVED"))).toEqual([]);

    // GitHub changes: keys deleted, a deploy key deleted. A complete crawl now concludes removals.
    const org = state.orgs["acme"];
    for (const login of (org?.members ?? []).slice(0, 10).map((m) => m.login)) state.users[login]?.keys.pop();
    const repo = org?.repos.find((r) => r.deployKeys.length > 0);
    repo?.deployKeys.pop();

    const r = prng(SEED);
    const snapshots: { delay: number; outcome: string; facts: string[] }[] = [];
    for (let i = 0; i < KILLS; i++) {
      const delay = r.between(150, Math.max(400, duration));
      const outcome = await killAfter(args, env, delay);
      const context = `kill ${i} after ${delay} ms (seed ${SEED}): ${outcome}`;
      expect(integrityCheck(db), context).toBe("ok");
      expect(pipelineFacts(db), context).toEqual(pipelines);
      snapshots.push({ delay, outcome, facts: registrationFacts(db) });
    }
    await runOk(args, env);
    const after = registrationFacts(db);
    expect(after.filter((f) => f.endsWith(" REMOVED"))).toHaveLength(11);
    expect(after.map((f) => f.replace(/ REMOVED$/, ""))).toEqual(before);
    for (const [i, s] of snapshots.entries()) {
      // The removals commit in one transaction: all of them or none.
      expect([before, after], `kill ${i} after ${s.delay} ms (seed ${SEED}): ${s.outcome}`).toContainEqual(s.facts);
    }
    expect(integrityCheck(db)).toBe("ok");
    expect(snapshots.some((s) => s.outcome === "killed")).toBe(true);
    // Killed runs stay visible as unfinished (a kill before the run row was written leaves none).
    expect(unfinishedRuns(db)).toBeLessThanOrEqual(snapshots.filter((s) => s.outcome === "killed").length);
  }, 150_000);

  it(`leaves a sound database holding a complete state after ${KILLS} Jenkins scans killed mid-way`, async () => {
    mkdirSync(join(root, "scan-keys"));
    const key = generateKey(join(root, "scan-keys"), "ed25519");
    const other = generateKey(join(root, "scan-keys"), "ecdsa-256");
    const home = join(root, "jenkins");
    const jobs = (prefix: string, n: number): JenkinsItemSpec[] =>
      Array.from({ length: n }, (_, i) => ({
        type: "freestyle",
        name: `${prefix}-${String(i).padStart(4, "0")}`,
        git: { url: `git@github.com:acme/${prefix}-${i}.git`, credentialsId: i % 2 === 0 ? "deploy" : "release" },
      }));
    const credentials = [
      { id: "deploy", privateKeys: [readFileSync(key.privatePath, "utf8")] },
      { id: "release", privateKeys: [readFileSync(other.privatePath, "utf8")] },
    ];
    writeJenkinsHome(home, { credentials, items: jobs("old", 160) });
    const db = join(root, "scan.db");
    const args = ["scan", "jenkins", home, "--db", db, "-q"];
    const started = Date.now();
    await runOk(args);
    const duration = Date.now() - started;
    const before = pipelineFacts(db);
    expect(before).toHaveLength(160);
    // The home changes: every old job deleted, new ones created. A complete rescan replaces the lot.
    rmSync(home, { recursive: true });
    writeJenkinsHome(home, { credentials, items: jobs("new", 120) });

    const r = prng(SEED + 1);
    const snapshots: { delay: number; outcome: string; facts: string[] }[] = [];
    for (let i = 0; i < KILLS; i++) {
      const delay = r.between(100, Math.max(300, duration));
      const outcome = await killAfter(args, {}, delay);
      const context = `kill ${i} after ${delay} ms (seed ${SEED + 1}): ${outcome}`;
      expect(integrityCheck(db), context).toBe("ok");
      snapshots.push({ delay, outcome, facts: pipelineFacts(db) });
    }
    await runOk(args);
    const after = pipelineFacts(db);
    expect(after).toHaveLength(120);
    for (const [i, s] of snapshots.entries()) {
      expect([before, after], `kill ${i} after ${s.delay} ms (seed ${SEED + 1}): ${s.outcome}`).toContainEqual(s.facts);
    }
    expect(integrityCheck(db)).toBe("ok");
    expect(snapshots.some((s) => s.outcome === "killed")).toBe(true);
  }, 150_000);
});
