import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimKey, type SimState, type Simulator } from "../../src/demo/simulator/index.js";
import { parseJson, runKeyward, type CliRun } from "../helpers/cli.js";
import { writeJenkinsHome } from "../helpers/jenkins-home.js";
import { generateKey, type GeneratedKey } from "../helpers/ssh-keygen.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

/**
 * The answers end to end: the built CLI in child processes, a simulated org, a Jenkins home written the way
 * Jenkins writes it, a workflow checkout and an agent key folder. The cast:
 * - alice: a person whose key two Jenkins jobs use (personal key);
 * - deploy-bot: a machine user whose key the nightly job uses;
 * - a deploy key on acme/docs (added by alice) used by docs-publish;
 * - a key on a build agent that no crawl has seen (unknown);
 * - a workflow secret keyward cannot read (unresolved);
 * - carol, who deletes the key her job uses between crawls;
 * - bob, who leaves the org between crawls.
 */
const TOKEN = "ghp_answersTestToken0000000000000000000";
let dir: string;
let db: string;
let sim: Simulator;
const k: Record<string, GeneratedKey> = {};

const simKey = (id: number, key: GeneratedKey, extra: Partial<SimKey> = {}): SimKey => ({
  id,
  key: key.publicLine.split(" ").slice(0, 2).join(" "),
  title: `key ${id}`,
  createdAt: "2026-01-01T00:00:00Z",
  ...extra,
});

function keyward(args: string[], format = "json"): Promise<CliRun> {
  return runKeyward([...args, "--db", db, "--format", format], { env: { GITHUB_TOKEN: TOKEN } });
}

async function crawl(): Promise<CliRun> {
  const run = await keyward(["crawl", "--org", "acme", "--api-url", sim.url]);
  expect(run.code, run.stderr).toBe(0);
  return run;
}

beforeAll(async () => {
  dir = tempDir("keyward-answers-", { keep: true });
  db = join(dir, "keyward.db");
  for (const name of ["alice", "bot", "deploy", "stranger", "bob", "carol"]) k[name] = generateKey(dir, "ed25519", { name: `id_${name}` });
  const state: SimState = {
    users: {
      alice: { login: "alice", id: 1, keys: [simKey(11, k["alice"]!)], signingKeys: [] },
      "deploy-bot": { login: "deploy-bot", id: 2, keys: [simKey(12, k["bot"]!)], signingKeys: [] },
      bob: { login: "bob", id: 3, keys: [simKey(13, k["bob"]!)], signingKeys: [] },
      carol: { login: "carol", id: 4, keys: [simKey(14, k["carol"]!)], signingKeys: [] },
    },
    orgs: {
      acme: {
        login: "acme",
        id: 100,
        members: [
          { login: "alice", role: "admin" },
          { login: "deploy-bot", role: "member" },
          { login: "bob", role: "member" },
          { login: "carol", role: "member" },
        ],
        outsideCollaborators: [],
        repos: [
          { name: "production", id: 200, deployKeys: [] },
          { name: "docs", id: 201, deployKeys: [simKey(21, k["deploy"]!, { addedBy: "alice", readOnly: false })] },
        ],
      },
    },
    tokens: { [TOKEN]: { login: "alice" } },
  };
  sim = await startSimulator({ state });
  const pem = (name: string): string => readFileSync(k[name]!.privatePath, "utf8");
  const jenkins = join(dir, "jenkins");
  writeJenkinsHome(jenkins, {
    credentials: ["alice", "bot", "deploy", "bob", "carol"].map((name) => ({ id: `${name}-key`, username: "git", privateKeys: [pem(name)] })),
    items: [
      {
        type: "folder",
        name: "release",
        items: [{ type: "pipeline", name: "deploy-prod", script: "node { sshagent(['alice-key']) { sh 'git push git@github.com:acme/production.git HEAD:main' } }" }],
      },
      { type: "freestyle", name: "hotfix-deploy", git: { url: "git@github.com:acme/production.git", credentialsId: "alice-key" } },
      { type: "pipeline", name: "nightly", script: "node { sshagent(['bot-key']) { sh 'git fetch' } }" },
      { type: "freestyle", name: "docs-publish", git: { url: "git@github.com:acme/docs.git", credentialsId: "deploy-key" } },
      { type: "pipeline", name: "bob-sync", script: "node { sshagent(credentials: ['bob-key']) { sh 'git push' } }" },
      { type: "pipeline", name: "carol-mirror", script: "node { sshagent(['carol-key']) { sh 'git push --mirror' } }" },
    ],
  });
  const checkout = writeTree(join(dir, "api"), {
    ".github": {
      workflows: {
        "deploy.yml": [
          "on: push",
          "jobs:",
          "  deploy:",
          "    runs-on: ubuntu-latest",
          "    steps:",
          "      - uses: webfactory/ssh-agent@v0.9.0",
          "        with:",
          "          ssh-private-key: ${{ secrets.DEPLOY_KEY }}",
          "      - run: git push git@github.com:acme/production.git",
          "",
        ].join("\n"),
      },
    },
  });
  const agentDir = join(dir, "agent");
  writeTree(agentDir, { ".ssh": { id_ed25519: readFileSync(k["stranger"]!.privatePath) } });

  await crawl();
  for (const args of [["scan", "jenkins", jenkins], ["scan", "workflows", checkout, "--repo", "acme/api"], ["scan", "keys", agentDir, "--pipeline", "agent-7"], ["machine-user", "add", "deploy-bot"]]) {
    const run = await keyward(args);
    expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  await sim.close();
});

interface Review {
  findings: { reason: string; pipeline: { name: string; system: string }; fingerprint: string | null; account: string | null; remediation: string }[];
}

describe("the answers, end to end", () => {
  it("review flags the personal keys, the unknown key and the unresolved secret, exit 1", async () => {
    const run = await keyward(["review"]);
    expect(run.code).toBe(1);
    const findings = parseJson<Review>(run).findings.map((f) => [f.reason, f.pipeline.name, f.account]);
    expect(findings.sort()).toEqual(
      [
        ["personal-key", "release/deploy-prod", "alice"],
        ["personal-key", "hotfix-deploy", "alice"],
        ["personal-key", "bob-sync", "bob"],
        ["personal-key", "carol-mirror", "carol"],
        ["unknown-key", "agent-7", null],
        ["unresolved-reference", "acme/api:.github/workflows/deploy.yml#deploy", null],
      ].sort(),
    );
    expect(parseJson<Review>(run).findings.every((f) => f.remediation.length > 20)).toBe(true);
  });

  it("review --fail-on none reports but exits 0", async () => {
    expect((await keyward(["review", "--fail-on", "none"])).code).toBe(0);
  });

  it("who-uses names alice and both Jenkins jobs using her personal key", async () => {
    const run = await keyward(["who-uses", k["alice"]!.publicPath]);
    expect(run.code).toBe(0);
    const json = parseJson<{ fingerprint: string; registrations: unknown[]; pipelines: { name: string; system: string; evidence: string }[] }>(run);
    expect(json.fingerprint).toBe(k["alice"]!.sha256);
    expect(json.registrations).toMatchObject([{ kind: "user_key", account: "alice", repository: null, personal: true, present: true, removedAt: null }]);
    expect(json.pipelines.map((p) => [p.system, p.name]).sort()).toEqual([
      ["jenkins", "hotfix-deploy"],
      ["jenkins", "release/deploy-prod"],
    ]);
    expect(json.pipelines.every((p) => p.evidence.length > 0)).toBe(true);
  });

  it("who-uses says the machine user's key is not personal", async () => {
    const json = parseJson<{ registrations: { account: string; personal: boolean }[] }>(await keyward(["who-uses", k["bot"]!.sha256]));
    expect(json.registrations).toMatchObject([{ account: "deploy-bot", personal: false }]);
  });

  it("who-uses shows a deploy key with its repository and who added it", async () => {
    const json = parseJson<{ registrations: unknown[]; pipelines: { name: string }[] }>(await keyward(["who-uses", k["deploy"]!.md5]));
    expect(json.registrations).toMatchObject([{ kind: "deploy_key", account: null, repository: "acme/docs", personal: false, present: true, addedBy: "alice" }]);
    expect(json.pipelines.map((p) => p.name)).toEqual(["docs-publish"]);
  });

  it("who-uses of the agent's key shows no registration and its pipeline, exit 0", async () => {
    const run = await keyward(["who-uses", k["stranger"]!.privatePath]);
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({ fingerprint: k["stranger"]!.sha256, registrations: [], pipelines: [{ system: "keys", name: "agent-7" }] });
  });

  it("offboard alice lists her key, both jobs and the deploy key she added, exit 1", async () => {
    const run = await keyward(["offboard", "alice"]);
    expect(run.code).toBe(1);
    const json = parseJson<{ login: string; keys: { fingerprint: string; kind: string }[]; pipelines: { name: string; system: string; fingerprint: string }[] }>(run);
    expect(json.login).toBe("alice");
    expect(json.keys).toMatchObject([{ fingerprint: k["alice"]!.sha256, kind: "user_key" }]);
    expect(json.pipelines.map((p) => [p.name, p.fingerprint]).sort()).toEqual(
      [
        ["docs-publish", k["deploy"]!.sha256],
        ["hotfix-deploy", k["alice"]!.sha256],
        ["release/deploy-prod", k["alice"]!.sha256],
      ].sort(),
    );
  });

  it("offboard of an account no crawl has seen is an error, not a clean bill", async () => {
    const run = await keyward(["offboard", "nobody-here"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nobody-here/);
  });

  it("check finds nothing broken before anything changed", async () => {
    const run = await keyward(["check"]);
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({ broken: [] });
  });

  it.each(["table", "json", "csv", "markdown"])("every command renders as %s with the same exit code", async (format) => {
    const cases: [string[], number][] = [
      [["keys"], 0],
      [["keys", "--account", "alice"], 0],
      [["pipelines"], 0],
      [["machine-user", "list"], 0],
      [["who-uses", k["alice"]!.sha256], 0],
      [["offboard", "alice"], 1],
      [["review"], 1],
      [["check"], 0],
    ];
    for (const [args, code] of cases) {
      const run = await keyward(args, format);
      expect(run.code, `${args.join(" ")} --format ${format}: ${run.stderr}`).toBe(code);
      expect(run.stdout.length).toBeGreaterThan(0);
      if (format === "json") JSON.parse(run.stdout);
      if (format === "csv") expect(run.stdout).toMatch(/\r\n$/);
      if (format === "markdown") expect(run.stdout).toMatch(/^(\||###)/m);
      expect(run.stdout.includes("\u001b[")).toBe(false); // no colour off a terminal
    }
  });
});

describe("after carol deletes her key and bob leaves the org", () => {
  beforeAll(async () => {
    sim.state.users["carol"]!.keys = [];
    sim.state.orgs["acme"]!.members = sim.state.orgs["acme"]!.members.filter((m) => m.login !== "bob");
    await crawl();
  }, 60_000);

  it("check names both pipelines as broken, with the reason and the time, exit 1", async () => {
    const run = await keyward(["check"]);
    expect(run.code).toBe(1);
    const broken = parseJson<{ broken: { pipeline: { name: string }; fingerprint: string; account: string; reason: string; removedAt: string }[] }>(run).broken;
    expect(broken.map((b) => [b.pipeline.name, b.fingerprint, b.account, b.reason]).sort()).toEqual(
      [
        ["bob-sync", k["bob"]!.sha256, "bob", "account-left-org"],
        ["carol-mirror", k["carol"]!.sha256, "carol", "key-removed"],
      ].sort(),
    );
    for (const b of broken) expect(Date.parse(b.removedAt)).toBeGreaterThan(Date.parse("2026-01-01"));
    const table = await keyward(["check"], "table");
    expect(table.stdout).toMatch(/carol-mirror.*key-removed/);
  });

  it("review now calls those keys removed, and who-uses shows when", async () => {
    const review = parseJson<Review>(await keyward(["review"]));
    expect(review.findings.filter((f) => f.reason === "removed-key").map((f) => f.pipeline.name).sort()).toEqual(["bob-sync", "carol-mirror"]);
    const who = parseJson<{ registrations: { present: boolean; removedAt: string | null; removalReason: string }[] }>(await keyward(["who-uses", k["carol"]!.sha256]));
    expect(who.registrations).toMatchObject([{ present: false, removalReason: "key-removed" }]);
    expect(who.registrations[0]?.removedAt).not.toBeNull();
  });

  it("alice's pipelines are untouched", async () => {
    const broken = parseJson<{ broken: { pipeline: { name: string } }[] }>(await keyward(["check"])).broken;
    expect(broken.map((b) => b.pipeline.name)).not.toContain("release/deploy-prod");
  });
});
