import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrgState, startSimulator, type Simulator } from "../../src/demo/simulator/index.js";
import { writeJenkinsHome, type JenkinsItemSpec } from "../helpers/jenkins-home.js";
import { generateKey, type GeneratedKey } from "../helpers/ssh-keygen.js";
import { integrityCheck, pipelineFacts, registrationFacts, startKeyward, withRawDb } from "./support.js";

/*
 * Two keyward processes writing the same database at once: both finish (SQLite's busy timeout makes one wait),
 * nothing is corrupted, and both results are there. Started on a database that does not exist yet, so that
 * creation and migration race too.
 */

const TOKEN = "ghp_hardeningConcurrent0123456789abcd";
let root = "";
let sim: Simulator;
let home = "";
let keyDir = "";
let jenkinsKey: GeneratedKey;
let agentKey: GeneratedKey;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "keyward-concurrent-"));
  keyDir = join(root, "agent-keys");
  mkdirSync(keyDir);
  agentKey = generateKey(keyDir, "ed25519");
  jenkinsKey = generateKey(root, "ecdsa-256");
  home = join(root, "jenkins");
  const items: JenkinsItemSpec[] = Array.from({ length: 60 }, (_, i) => ({
    type: "freestyle",
    name: `job-${i}`,
    git: { url: `git@github.com:acme/app-${i}.git`, credentialsId: "deploy" },
  }));
  writeJenkinsHome(home, { credentials: [{ id: "deploy", privateKeys: [readFileSync(jenkinsKey.privatePath, "utf8")] }], items });
  sim = await startSimulator({ state: generateOrgState({ org: "acme", members: 30, repos: 12, token: TOKEN }), latencyMs: 10 });
});

afterAll(async () => {
  await sim.close();
  rmSync(root, { recursive: true, force: true });
});

async function together(db: string, commands: readonly (readonly string[])[], env: Record<string, string> = {}): Promise<void> {
  const runs = await Promise.all(commands.map((args) => startKeyward([...args, "--db", db, "-q"], env).done));
  for (const [i, run] of runs.entries()) expect(run.code, `${commands[i]?.join(" ")}\n${run.stderr}`).toBe(0);
  expect(integrityCheck(db)).toBe("ok");
  expect(withRawDb(db, (d) => d.prepare("SELECT COUNT(*) AS n FROM runs WHERE finished_at IS NULL").get())).toEqual({ n: 0 });
}

describe.concurrent("two keyward processes writing one database", () => {
  it("runs two scans of different sources on a new database side by side, keeping both results", async () => {
    const db = join(root, "scans.db");
    await together(db, [
      ["scan", "jenkins", home],
      ["scan", "keys", keyDir, "--pipeline", "agent-1"],
    ]);
    const pipelines = pipelineFacts(db);
    expect(pipelines.filter((p) => p.startsWith("jenkins ") && p.endsWith(jenkinsKey.sha256))).toHaveLength(60);
    expect(pipelines.filter((p) => p.includes(" agent-1 ") && p.endsWith(agentKey.sha256))).toHaveLength(1);
  });

  it("runs a crawl and a scan on a new database side by side, keeping both results", async () => {
    const db = join(root, "crawl-and-scan.db");
    await together(
      db,
      [
        ["crawl", "--org", "acme", "--api-url", sim.url],
        ["scan", "jenkins", home],
      ],
      { GITHUB_TOKEN: TOKEN },
    );
    expect(registrationFacts(db).length).toBeGreaterThan(90);
    expect(pipelineFacts(db).filter((p) => p.startsWith("jenkins "))).toHaveLength(60);
  });
});
