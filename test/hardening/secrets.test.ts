import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrgState, startSimulator, type Simulator } from "../../src/demo/simulator/index.js";
import { crawl } from "../../src/github/index.js";
import { openStore } from "../../src/store/index.js";
import { runKeyward, type CliRun } from "../helpers/cli.js";
import { writeJenkinsHome } from "../helpers/jenkins-home.js";
import { generateKey, type GeneratedKey } from "../helpers/ssh-keygen.js";
import { allCells, pipelineFacts, stackLines } from "./support.js";

/*
 * Secrets never kept, never printed. After a full run (crawl of a simulated org, scan of a Jenkins home whose
 * encrypted credentials hold real private keys and passphrases, scan of a key folder) no cell of any table holds
 * private key material, a passphrase, a decrypted Jenkins secret or the token; no output does either, --verbose
 * included. A server that echoes the Authorization header into its error bodies must not get the token printed.
 */

const TOKEN = "ghp_SecretsHardeningToken0123456789abcd";
const [JENKINS_PASSPHRASE, FOLDER_PASSPHRASE, PEM_PASSPHRASE] = ["Jenkins-passphrase-7f3a9c", "keyfolder-passphrase-51d2e8", "pem-passphrase-c0ffee42"] as const;
const PASSPHRASES = [JENKINS_PASSPHRASE, FOLDER_PASSPHRASE, PEM_PASSPHRASE];
const JENKINS_PASSWORD = "s3cr3t-Jenkins-password-91be";

let root = "";
let sim: Simulator;
const outputs: { args: string; run: CliRun }[] = [];
/** Every 40-character run of the base64 body of every private key used (public parts taken out). */
const secretWindows = new Set<string>();
const secretStrings: string[] = [TOKEN, ...PASSPHRASES, JENKINS_PASSWORD];
/** Pipeline facts the scans must have found, so that the leak checks look at a database that holds them. */
const expectedUses: string[] = [];

function addPrivateKey(key: GeneratedKey): string {
  const text = readFileSync(key.privatePath, "utf8");
  const body = text
    .split("\n")
    .filter((l) => !l.startsWith("-----") && !/^[A-Za-z-]+: /.test(l))
    .join("");
  // An OpenSSH private key file carries its public blob in clear, which may align with the stored public key.
  const publicBase64 = key.publicLine.split(/\s+/)[1] ?? "";
  for (let i = 0; i + 40 <= body.length; i++) {
    const window = body.slice(i, i + 40);
    if (!publicBase64.includes(window)) secretWindows.add(window);
  }
  return text;
}

/** The first forbidden thing `text` contains, or null. */
function leak(text: string): string | null {
  if (/PRIVATE KEY/.test(text)) return "PRIVATE KEY armour";
  if (text.includes("PuTTY-User-Key-File")) return "PuTTY key header";
  for (const s of secretStrings) if (text.includes(s)) return `secret ${s.slice(0, 6)}…`;
  for (let i = 0; i + 40 <= text.length; i++) if (secretWindows.has(text.slice(i, i + 40))) return "private key base64";
  return null;
}

async function keyward(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const run = await runKeyward(args, { cwd: root, env, timeoutMs: 60_000 });
  outputs.push({ args: args.join(" "), run });
  return run;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "keyward-secrets-"));
  const keyDir = join(root, "keys");
  const agentDir = join(root, "agent", ".ssh");
  mkdirSync(keyDir);
  mkdirSync(agentDir, { recursive: true });
  const jenkinsPlain = generateKey(keyDir, "ed25519", { name: "jenkins-plain" });
  const jenkinsEncrypted = generateKey(keyDir, "rsa", { bits: 2048, format: "PEM", passphrase: JENKINS_PASSPHRASE, name: "jenkins-enc" });
  const jenkinsLegacy = generateKey(keyDir, "ecdsa-256", { name: "jenkins-legacy" });
  const folderPlain = generateKey(agentDir, "ed25519", { name: "id_ed25519" });
  const folderEncrypted = generateKey(agentDir, "ed25519", { passphrase: FOLDER_PASSPHRASE, name: "id_deploy" });
  const folderPem = generateKey(agentDir, "ecdsa-384", { format: "PKCS8", passphrase: PEM_PASSPHRASE, name: "id_pem" });
  for (const k of [jenkinsPlain, jenkinsEncrypted, jenkinsLegacy, folderPlain, folderEncrypted, folderPem]) addPrivateKey(k);
  expectedUses.push(
    `jenkins plain-job ${jenkinsPlain.sha256}`,
    `jenkins enc-job ${jenkinsEncrypted.sha256}`,
    `jenkins legacy-job ${jenkinsLegacy.sha256}`,
    `agent-1 ${folderPlain.sha256}`,
    `agent-1 ${folderEncrypted.sha256}`,
  );
  writeFileSync(join(agentDir, "config"), `Host github.com\n  IdentityFile ~/.ssh/id_deploy\n`);

  const home = join(root, "jenkins");
  const { secrets } = writeJenkinsHome(home, {
    credentials: [
      { id: "plain", privateKeys: [readFileSync(jenkinsPlain.privatePath, "utf8")] },
      { id: "encrypted", privateKeys: [readFileSync(jenkinsEncrypted.privatePath, "utf8")], passphrase: JENKINS_PASSPHRASE },
      { id: "legacy", source: "plain", privateKeys: [readFileSync(jenkinsLegacy.privatePath, "utf8")], passphrase: JENKINS_PASSPHRASE },
      { id: "pw", kind: "password", username: "deployer", password: JENKINS_PASSWORD },
    ],
    items: [
      { type: "freestyle", name: "plain-job", git: { url: "git@github.com:acme/app.git", credentialsId: "plain" } },
      { type: "freestyle", name: "enc-job", git: { url: "git@github.com:acme/app.git", credentialsId: "encrypted" } },
      { type: "freestyle", name: "legacy-job", git: { url: "git@github.com:acme/app.git", credentialsId: "legacy" } },
      { type: "pipeline", name: "pw-job", script: `node { git url: 'https://github.com/acme/app.git', credentialsId: 'pw' }` },
    ],
  });
  secretStrings.push(secrets.masterKey.slice(0, 64));

  const state = generateOrgState({ org: "acme", members: 6, repos: 4, token: TOKEN });
  sim = await startSimulator({ state });
  const db = join(root, "k.db");
  const env = { GITHUB_TOKEN: TOKEN };
  const results = [
    await keyward(["crawl", "--org", "acme", "--api-url", sim.url, "--db", db, "--format", "json", "-v"], env),
    await keyward(["scan", "jenkins", home, "--db", db, "-v"]),
    await keyward(["scan", "keys", agentDir, "--pipeline", "agent-1", "--db", db, "-v", "--format", "json"]),
  ];
  for (const r of results) expect(r.code, r.stderr).toBe(0);
  await Promise.all([
    keyward(["who-uses", folderEncrypted.privatePath, "--db", db, "-v"]),
    keyward(["who-uses", jenkinsEncrypted.privatePath, "--db", db, "-v", "--format", "json"]),
    keyward(["pipelines", "--db", db, "--format", "json", "-v"]),
    keyward(["review", "--db", db, "--format", "json", "-v"]),
    // A second crawl: conditional requests fill and use http_cache.
    keyward(["crawl", "--org", "acme", "--api-url", sim.url, "--db", db, "-v"], env),
  ]);
}, 120_000);

afterAll(async () => {
  await sim.close();
  rmSync(root, { recursive: true, force: true });
});

describe("secrets after a full run", () => {
  it("the scans found the keys (the check below is not vacuous)", () => {
    const cells = allCells(join(root, "k.db"));
    const stored = cells.filter((c) => c.table === "keys" && c.column === "sha256").map((c) => c.text);
    expect(stored.length).toBeGreaterThan(18);
    expect(cells.some((c) => c.table === "http_cache")).toBe(true);
    expect(cells.some((c) => c.table === "events") || cells.some((c) => c.table === "runs")).toBe(true);
    expect(secretWindows.size).toBeGreaterThan(1000);
    const pipelines = pipelineFacts(join(root, "k.db"));
    for (const use of expectedUses) expect(pipelines.filter((p) => p.endsWith(use)), use).toHaveLength(1);
  });

  it("no cell of any table holds private key material, a passphrase, a decrypted Jenkins secret or the token", () => {
    const leaks = allCells(join(root, "k.db"))
      .map((c) => ({ where: `${c.table}.${c.column} row ${c.rowid}`, what: leak(c.text) }))
      .filter((l) => l.what !== null);
    expect(leaks).toEqual([]);
  });

  it("no output of any command, --verbose included, holds them either", () => {
    const leaks = outputs.flatMap(({ args, run }) =>
      [leak(run.stdout), leak(run.stderr)].filter((l): l is string => l !== null).map((what) => `${args}: ${what}`),
    );
    expect(leaks).toEqual([]);
    for (const { run } of outputs) expect(stackLines(run.stderr)).toEqual([]);
  });
});

describe("the token in GitHub's error answers", () => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    // Each path answers with the status it names, and a body that echoes the Authorization header back.
    server = createServer((req, res) => {
      const status = Number(/\/status\/(\d{3})/.exec(req.url ?? "")?.[1] ?? (req.url?.startsWith("/orgs/") ? 500 : 404));
      const echo = String(req.headers.authorization ?? "");
      res.writeHead(status, { "content-type": "application/json", "x-echo": echo });
      res.end(JSON.stringify({ message: `Request refused: you sent ${echo}\nsecond line ${echo}`, authorization: echo, documentation_url: `https://x/${echo}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const status of [401, 403, 404]) {
    it(`is never printed when a ${status} answer echoes the Authorization header (with --verbose)`, async () => {
      const run = await runKeyward(["crawl", "--org", "acme", "--api-url", `${url}/status/${status}`, "--db", join(root, `echo-${status}.db`), "-v"], {
        cwd: root,
        env: { GITHUB_TOKEN: TOKEN },
        timeoutMs: 60_000,
      });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
      expect(run.stdout + run.stderr).not.toContain(TOKEN.slice(4, 24));
      expect(stackLines(run.stderr)).toEqual([]);
    });
  }

  it("is never in the error of a crawl whose 500 answers echo it after every retry, nor in the database", async () => {
    // In-process, with the retry back-off shrunk: the CLI has no knob for it and four retries take 30 s.
    const db = join(root, "echo-500.db");
    const store = openStore(db);
    let message = "";
    try {
      await crawl(store, { orgs: ["acme"], apiUrl: url, auth: { token: TOKEN }, retry: { retries: 2, baseDelayMs: 1 }, graphqlIntervalMs: 0 });
    } catch (error) {
      let e: unknown = error;
      while (e instanceof Error) {
        message += `${e.message}\n`;
        e = e.cause;
      }
    } finally {
      store.close();
    }
    expect(message).toMatch(/500/);
    expect(message).not.toContain(TOKEN);
    for (const cell of allCells(db)) expect(cell.text).not.toContain(TOKEN);
  });
});
