import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrgState, startSimulator, type Simulator } from "../../src/demo/simulator/index.js";
import { circleciSource } from "../../src/sources/circleci/index.js";
import { gitlabSource } from "../../src/sources/gitlab/index.js";
import { keyFilesSource } from "../../src/sources/key-files/index.js";
import { runScan } from "../../src/sources/run-scan.js";
import { openStore, setMachineUser } from "../../src/store/index.js";
import { CLI, runKeyward, type CliRun } from "../helpers/cli.js";
import { writeJenkinsHome } from "../helpers/jenkins-home.js";
import { generateKey, type GeneratedKey } from "../helpers/ssh-keygen.js";
import { allCells, expectCleanError, expectWarningOnly, integrityCheck, pipelineFacts, registrationFacts, rowCounts } from "./support.js";

/*
 * Bad input through the built CLI. Every case runs against its own copy of a seeded database and checks the
 * contract: one `keyward:` line naming the culprit and exit 2 when the command cannot proceed, a `warning:` line
 * and exit 0 when one item is skipped, never a stack trace, never a hang (child timeout), and nothing stored lost.
 */

let root = "";
let seedDb = "";
let key: GeneratedKey;
let seedCounts: Record<string, number>;
let seedPipelines: string[];
let seedRegistrations: string[];
let caseNo = 0;

const GITLAB = `deploy:
  script:
    - echo "$SSH_PRIVATE_KEY" | ssh-add -
    - git push git@gitlab.com:acme/app.git
`;
const CIRCLECI = `version: 2.1
jobs:
  deploy:
    docker: [{ image: cimg/base:stable }]
    steps:
      - add_ssh_keys:
          fingerprints:
            - "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
workflows:
  main:
    jobs: [deploy]
`;

/** Nine levels of nine aliases: a billion laughs in YAML. */
const YAML_BOMB = [
  `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`,
  ...["b", "c", "d", "e", "f", "g", "h", "i"].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(",")}]`),
  `version: 2.1`,
  `jobs:`,
  `  build:`,
  `    script: [*i]`,
  `    steps: [*i]`,
  "",
].join("\n");

/** A billion laughs in XML. */
const XML_BOMB = [
  `<?xml version='1.1' encoding='UTF-8'?>`,
  `<!DOCTYPE project [<!ENTITY lol "lol">`,
  ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`),
  `]>`,
  `<project><description>&lol9;</description></project>`,
].join("\n");

const PASSWD = readFileSync("/etc/passwd", "utf8");
/** Lines of /etc/passwd long enough not to occur by chance. */
const PASSWD_LINES = PASSWD.split("\n").filter((l) => l.length >= 12);

function xxeJob(entityLine: string): string {
  return [
    `<?xml version='1.1' encoding='UTF-8'?>`,
    entityLine,
    `<project>`,
    `  <description>&xxe;</description>`,
    `  <scm class="hudson.plugins.git.GitSCM" plugin="git@4.7.1">`,
    `    <userRemoteConfigs>`,
    `      <hudson.plugins.git.UserRemoteConfig>`,
    `        <url>git@github.com:acme/&xxe;.git</url>`,
    `        <credentialsId>&xxe;</credentialsId>`,
    `      </hudson.plugins.git.UserRemoteConfig>`,
    `    </userRemoteConfigs>`,
    `  </scm>`,
    `</project>`,
  ].join("\n");
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "keyward-bad-input-"));
  const keyDir = join(root, "seed-keys");
  mkdirSync(keyDir);
  key = generateKey(keyDir, "ed25519");
  const gitlabRepo = join(root, "gitlab-repo");
  const circleRepo = join(root, "circle-repo");
  mkdirSync(join(circleRepo, ".circleci"), { recursive: true });
  mkdirSync(gitlabRepo);
  writeFileSync(join(gitlabRepo, ".gitlab-ci.yml"), GITLAB);
  writeFileSync(join(circleRepo, ".circleci", "config.yml"), CIRCLECI);
  // Seeded in-process through the library: only the bad commands need the built CLI.
  seedDb = join(root, "seed.db");
  const store = openStore(seedDb);
  const now = (): string => new Date().toISOString();
  await runScan(store, keyFilesSource, { location: "pipeline:seed", options: { paths: [keyDir], pipeline: "seed" } }, now);
  await runScan(store, gitlabSource, { location: gitlabRepo, options: { repo: "acme/app" } }, now);
  await runScan(store, circleciSource, { location: circleRepo, options: { repo: "acme/app" } }, now);
  setMachineUser(store, ["deploy-bot"], true, now());
  store.close();
  seedCounts = rowCounts(seedDb);
  seedPipelines = pipelineFacts(seedDb);
  seedRegistrations = registrationFacts(seedDb);
  expect(seedPipelines.some((p) => p.startsWith("gitlab-ci "))).toBe(true);
  expect(seedPipelines.some((p) => p.startsWith("circleci "))).toBe(true);
  expect(seedPipelines.some((p) => p.includes(key.sha256))).toBe(true);
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A fresh copy of the seeded database for one case. */
function caseDb(): string {
  const db = join(root, `case-${++caseNo}.db`);
  copyFileSync(seedDb, db);
  return db;
}

function keyward(args: readonly string[], db: string, env: Record<string, string> = {}): Promise<CliRun> {
  return runKeyward([...args, "--db", db], { cwd: root, env, timeoutMs: 30_000 });
}

/** Nothing stored before is gone; an error wrote nothing but its failed run record. */
function expectSeedKept(db: string, options: { wroteNothing: boolean }): void {
  expect(integrityCheck(db)).toBe("ok");
  expect(registrationFacts(db)).toEqual(seedRegistrations);
  const pipelines = pipelineFacts(db);
  for (const p of seedPipelines) expect(pipelines).toContain(p);
  if (options.wroteNothing) {
    const { runs, ...counts } = rowCounts(db);
    const { runs: seedRuns, ...seed } = seedCounts;
    expect(counts).toEqual(seed);
    expect(runs).toBeGreaterThanOrEqual(seedRuns ?? 0);
  }
}

/** No line of /etc/passwd in the output or in any cell of the database. */
function expectNoPasswd(run: CliRun, db: string): void {
  for (const line of PASSWD_LINES) {
    expect(run.stdout).not.toContain(line);
    expect(run.stderr).not.toContain(line);
  }
  for (const cell of allCells(db)) {
    for (const line of PASSWD_LINES) expect(cell.text, `${cell.table}.${cell.column}`).not.toContain(line);
  }
}

describe.concurrent("bad key input", () => {
  const keyCases: ReadonlyArray<{ name: string; file: () => string }> = [
    { name: "a malformed public key line", file: () => writeCase("malformed.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBogus x@y\n") },
    { name: "a truncated private key", file: () => writeCase("truncated", readFileSync(key.privatePath).subarray(0, 180)) },
    {
      name: "a private key cut inside its base64",
      file: () => {
        const text = readFileSync(key.privatePath, "utf8").split("\n");
        return writeCase("cut", [...text.slice(0, 3), text.at(-2), ""].join("\n"));
      },
    },
    { name: "a binary file", file: () => writeCase("binary", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))) },
    { name: "non-UTF-8 bytes", file: () => writeCase("latin1.pub", Buffer.from("ssh-ed25519 \xff\xfe\xfa caf\xe9\n", "latin1")) },
  ];
  for (const c of keyCases) {
    it(`who-uses refuses ${c.name} with exit 2 naming the file, keeping the database`, async () => {
      const db = caseDb();
      const file = c.file();
      const run = await keyward(["who-uses", file], db);
      expectCleanError(run, 2, file);
      expectSeedKept(db, { wroteNothing: true });
    });
  }

  it("who-uses refuses a sparse 100 MB file without reading it whole", async () => {
    const file = join(root, "huge-key");
    writeFileSync(file, "");
    truncateSync(file, 100 * 1024 * 1024);
    const db = caseDb();
    // Reading the file whole would need > 100 MB on top of node's ~80 MB.
    const run = await runBounded(["who-uses", file, "--db", db]);
    expectCleanError(run, 2, file);
    expect(run.stderr).toMatch(/larger than/);
    if (run.maxRssKb !== null) expect(run.maxRssKb).toBeLessThan(170 * 1024);
    expectSeedKept(db, { wroteNothing: true });
  });

  it("who-uses refuses a symlink loop with exit 2 naming it", async () => {
    const loop = join(root, "loop-a");
    symlinkSync(join(root, "loop-b"), loop);
    symlinkSync(loop, join(root, "loop-b"));
    const db = caseDb();
    const run = await keyward(["who-uses", loop], db);
    expectCleanError(run, 2, loop);
    expectSeedKept(db, { wroteNothing: true });
  });

  it("who-uses refuses a path that does not exist with exit 2 naming it", async () => {
    const db = caseDb();
    const missing = join(root, "no", "such", "key");
    const run = await keyward(["who-uses", missing], db);
    expectCleanError(run, 2, missing);
    expectSeedKept(db, { wroteNothing: true });
  });

  for (const fingerprint of [`SHA256:${"A".repeat(42)}`, `${"ab:".repeat(17)}ab`]) {
    it(`who-uses refuses the fingerprint ${fingerprint.slice(0, 20)}… of the wrong length with exit 2 naming it`, async () => {
      const db = caseDb();
      const run = await keyward(["who-uses", fingerprint], db);
      expectCleanError(run, 2, fingerprint);
      expectSeedKept(db, { wroteNothing: true });
    });
  }

  it.skipIf(process.getuid?.() === 0)("who-uses refuses an unreadable key file with exit 2 naming it (skipped as root: root reads every file)", async () => {
    const file = writeCase("unreadable", readFileSync(key.publicPath));
    chmodSync(file, 0o000);
    const db = caseDb();
    const run = await keyward(["who-uses", file], db);
    expectCleanError(run, 2, file);
    expectSeedKept(db, { wroteNothing: true });
  });

  it("scan keys skips bad files in a folder with warnings naming each, and stores the good key", async () => {
    const dir = join(root, "mixed-keys");
    mkdirSync(join(dir, "sub"), { recursive: true });
    copyFileSync(key.privatePath, join(dir, "good"));
    writeFileSync(join(dir, "truncated"), readFileSync(key.privatePath).subarray(0, 200));
    writeFileSync(join(dir, "binary"), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31) % 256)));
    writeFileSync(join(dir, "huge"), "");
    truncateSync(join(dir, "huge"), 100 * 1024 * 1024);
    symlinkSync(dir, join(dir, "sub", "up"));
    symlinkSync(join(dir, "loop2"), join(dir, "loop1"));
    symlinkSync(join(dir, "loop1"), join(dir, "loop2"));
    const db = caseDb();
    const run = await keyward(["scan", "keys", dir, "--pipeline", "agent-7", "--format", "json"], db);
    for (const culprit of ["truncated", "huge", "sub/up", "loop1"]) expectWarningOnly(run, join(dir, culprit));
    const summary = JSON.parse(run.stdout) as { pipelines: number; keys: number };
    expect(summary).toMatchObject({ pipelines: 1, keys: 1 });
    expectSeedKept(db, { wroteNothing: false });
    expect(pipelineFacts(db).some((p) => p.includes(" agent-7 ") && p.endsWith(key.sha256))).toBe(true);
  });

  it("scan keys refuses a path that does not exist with exit 2, keeping the database", async () => {
    const db = caseDb();
    const missing = join(root, "nowhere");
    const run = await keyward(["scan", "keys", missing, "--pipeline", "p"], db);
    expectCleanError(run, 2, missing);
    expectSeedKept(db, { wroteNothing: true });
  });

  for (const system of ["jenkins", "workflows"]) {
    it(`scan ${system} refuses a path that does not exist with exit 2, keeping the database`, async () => {
      const db = caseDb();
      const missing = join(root, `missing-${system}`);
      const run = await keyward(["scan", system, missing], db);
      expectCleanError(run, 2, missing);
      expectSeedKept(db, { wroteNothing: true });
    });
  }
});

describe.concurrent("bad CI configuration", () => {
  it("scan jenkins skips XML with entity bombs, external entities and truncation, never resolving /etc/passwd", async () => {
    const home = join(root, "jenkins-bad");
    const { secrets } = writeJenkinsHome(home, {
      credentials: [{ id: "deploy", privateKeys: [readFileSync(key.privatePath, "utf8")] }],
      items: [{ type: "freestyle", name: "good", git: { url: "git@github.com:acme/app.git", credentialsId: "deploy" } }],
    });
    expect(secrets.masterKey).toBeTruthy();
    const bad: Record<string, string | Buffer> = {
      "jobs/bomb/config.xml": XML_BOMB,
      "jobs/xxe/config.xml": xxeJob(`<!DOCTYPE project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`),
      "jobs/xxe-param/config.xml": xxeJob(`<!DOCTYPE project [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p; <!ENTITY xxe "x">]>`),
      "jobs/xxe-dtd/config.xml": xxeJob(`<!DOCTYPE project SYSTEM "file:///etc/passwd">`).replace(/&xxe;/g, "x"),
      "jobs/truncated/config.xml": xxeJob("").replace(/&xxe;/g, "x").slice(0, 200),
      "jobs/latin1/config.xml": Buffer.from(xxeJob("").replace(/&xxe;/g, "caf\xe9\xff\xfe"), "latin1"),
      "users/evil_1/config.xml": xxeJob(`<!DOCTYPE user [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`),
    };
    for (const [path, text] of Object.entries(bad)) {
      mkdirSync(join(home, path, ".."), { recursive: true });
      writeFileSync(join(home, path), text);
    }
    const db = caseDb();
    const run = await keyward(["scan", "jenkins", home, "--format", "json"], db);
    for (const culprit of ["jobs/bomb/config.xml", "jobs/xxe/config.xml", "jobs/xxe-param/config.xml", "jobs/truncated/config.xml"]) {
      expectWarningOnly(run, culprit);
    }
    expectNoPasswd(run, db);
    expect(pipelineFacts(db)).toContain(`jenkins good ${key.sha256}`);
    expectSeedKept(db, { wroteNothing: false });
  });

  it("scan jenkins skips a credentials.xml with an external entity and still scans the jobs", async () => {
    const home = join(root, "jenkins-xxe-credentials");
    writeJenkinsHome(home, { items: [{ type: "freestyle", name: "job", git: { url: "git@github.com:acme/app.git", credentialsId: "deploy" } }] });
    writeFileSync(
      join(home, "credentials.xml"),
      `<?xml version='1.1' encoding='UTF-8'?>\n<!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<com.cloudbees.plugins.credentials.SystemCredentialsProvider><domainCredentialsMap><entry><java.util.concurrent.CopyOnWriteArrayList><com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey><id>deploy</id><username>&xxe;</username><privateKeySource class="x"><privateKey>&xxe;</privateKey></privateKeySource></com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey></java.util.concurrent.CopyOnWriteArrayList></entry></domainCredentialsMap></com.cloudbees.plugins.credentials.SystemCredentialsProvider>\n`,
    );
    const db = caseDb();
    const run = await keyward(["scan", "jenkins", home], db);
    expectWarningOnly(run, "credentials.xml");
    expectNoPasswd(run, db);
    expect(pipelineFacts(db).some((p) => p.startsWith("jenkins job "))).toBe(true);
    expectSeedKept(db, { wroteNothing: false });
  });

  it("scan workflows skips a YAML alias bomb and a non-UTF-8 workflow with warnings and scans the rest", async () => {
    const repo = join(root, "workflows-repo");
    mkdirSync(join(repo, ".github", "workflows"), { recursive: true });
    writeFileSync(join(repo, ".github", "workflows", "bomb.yml"), YAML_BOMB);
    writeFileSync(join(repo, ".github", "workflows", "latin1.yml"), Buffer.from("on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: caf\xe9 \xff\n", "latin1"));
    writeFileSync(
      join(repo, ".github", "workflows", "deploy.yml"),
      "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: webfactory/ssh-agent@v0.9.0\n        with:\n          ssh-private-key: ${{ secrets.DEPLOY_KEY }}\n",
    );
    const db = caseDb();
    const run = await keyward(["scan", "workflows", repo, "--repo", "acme/wf", "--format", "json"], db);
    expectWarningOnly(run, "bomb.yml");
    expectWarningOnly(run, "latin1.yml");
    expect(pipelineFacts(db).some((p) => p.includes("DEPLOY_KEY"))).toBe(true);
    expectSeedKept(db, { wroteNothing: false });
  });

  for (const c of [
    { system: "gitlab", file: ".gitlab-ci.yml", repo: "gitlab-repo" },
    { system: "circleci", file: ".circleci/config.yml", repo: "circle-repo" },
  ]) {
    for (const bad of [
      { name: "a YAML alias bomb", text: YAML_BOMB },
      c.system === "gitlab"
        ? { name: "non-UTF-8 bytes", text: Buffer.from("deploy:\n  script: [caf\xe9 \xff]\n", "latin1") }
        : { name: "truncated YAML", text: 'version: 2.1\njobs:\n  x:\n    steps: ["echo $SSH_PRIV' },
    ]) {
      it(`scan ${c.system} refuses a ${c.file} holding ${bad.name} with exit 2 and keeps that checkout's earlier pipelines`, async () => {
        // The whole source is this one file: scanning it as empty would erase what the last good scan stored.
        const repo = join(root, `${c.repo}-${bad.name.replace(/\W+/g, "-")}`);
        mkdirSync(join(repo, ".circleci"), { recursive: true });
        writeFileSync(join(repo, c.file), readFileSync(join(root, c.repo, c.file)));
        const db = caseDb();
        const store = openStore(db);
        const source = c.system === "gitlab" ? gitlabSource : circleciSource;
        await runScan(store, source, { location: repo, options: { repo: "acme/app" } }, () => new Date().toISOString());
        store.close();
        const before = pipelineFacts(db);
        const countsBefore = rowCounts(db);
        writeFileSync(join(repo, c.file), bad.text);
        const run = await keyward(["scan", c.system, repo, "--repo", "acme/app"], db);
        expectCleanError(run, 2, c.file);
        expect(pipelineFacts(db)).toEqual(before);
        expect({ ...rowCounts(db), runs: 0 }).toEqual({ ...countsBefore, runs: 0 });
        expect(integrityCheck(db)).toBe("ok");
      });
    }
  }
});

describe.concurrent("GitHub refusing the crawl", () => {
  const TOKEN = "ghp_badInputRealToken0123456789abcd";
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ state: generateOrgState({ org: "acme", members: 3, repos: 2, token: TOKEN }) });
  });
  afterAll(() => sim.close());

  it("crawl of an org that does not exist exits 2 naming the org, writing nothing", async () => {
    const db = caseDb();
    const run = await keyward(["crawl", "--org", "no-such-org", "--api-url", sim.url, "--format", "json"], db, { GITHUB_TOKEN: TOKEN });
    expectCleanError(run, 2, "no-such-org");
    expect(run.stdout).toBe("");
    expectSeedKept(db, { wroteNothing: true });
    expect(rowCounts(db).runs).toBe(seedCounts.runs);
  });

  it("crawl with a wrong token exits 2 saying the token was rejected, never printing it", async () => {
    const db = caseDb();
    const wrong = "ghp_wrongTokenNeverPrinted0123456789";
    const run = await keyward(["crawl", "--org", "acme", "--api-url", sim.url, "-v"], db, { GITHUB_TOKEN: wrong });
    expectCleanError(run, 2, /token/);
    expect(run.stderr + run.stdout).not.toContain(wrong);
    expect(run.stderr + run.stdout).not.toContain(wrong.slice(4, 20));
    expectSeedKept(db, { wroteNothing: true });
  });
});

/** Runs the CLI under /usr/bin/time (when present) to learn its peak memory. */
async function runBounded(args: readonly string[]): Promise<CliRun & { maxRssKb: number | null }> {
  const time = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
  const command = time ?? process.execPath;
  const argv = time ? ["-f", "maxrss=%M", process.execPath, CLI, ...args] : [CLI, ...args];
  const child = spawn(command, argv, { cwd: root, env: { PATH: process.env["PATH"] ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  clearTimeout(timer);
  const match = /maxrss=(\d+)/.exec(stderr);
  const cleaned = stderr.replace(/^maxrss=\d+\n?/m, "").replace(/^Command exited with non-zero status \d+\n?/m, "");
  return { code, stdout, stderr: cleaned, maxRssKb: match ? Number(match[1]) : null };
}

function writeCase(name: string, data: string | Buffer): string {
  const dir = join(root, "cases");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}
