import { createDecipheriv, createHash, createPrivateKey } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runKeyward, type CliRun } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/*
 * The demo through the BUILT CLI in a child process, as a newcomer runs it (`npm test` builds first). One run
 * is shared by the assertions: it plays the whole story against the loopback simulator.
 */

const TOKEN = /demo_[0-9a-f]{40}/;

/** Every private key the demo wrote: the agent's key file in clear, the Jenkins credentials decrypted here. */
function demoPrivateKeys(dir: string): string[] {
  const home = join(dir, "jenkins-home");
  const masterKey = readFileSync(join(home, "secrets", "master.key"), "utf8").trim();
  const km = createHash("sha256").update(masterKey, "utf8").digest().subarray(0, 16);
  const unseal = createDecipheriv("aes-128-ecb", km, null);
  const confidential = Buffer.concat([unseal.update(readFileSync(join(home, "secrets", "hudson.util.Secret"))), unseal.final()]);
  const k = confidential.subarray(0, 16);
  const credentials = readFileSync(join(home, "credentials.xml"), "utf8");
  const keys = [...credentials.matchAll(/<privateKey>\{([A-Za-z0-9+/=]+)\}<\/privateKey>/g)].map((m) => {
    const bytes = Buffer.from(m[1] ?? "", "base64");
    const ivLength = bytes.readUInt32BE(1);
    const iv = bytes.subarray(9, 9 + ivLength);
    const decipher = createDecipheriv("aes-128-cbc", k, iv);
    return Buffer.concat([decipher.update(bytes.subarray(9 + ivLength)), decipher.final()]).toString("utf8");
  });
  keys.push(readFileSync(join(dir, "build-agent-01", ".ssh", "id_ed25519"), "utf8"));
  return keys;
}

/** Strings that would show private key material: the armour body's secret part, and the raw seed in base64 and hex. */
function secretRuns(privateKeyPem: string): string[] {
  const body = privateKeyPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const der = Buffer.from(body, "base64");
  const seed = Buffer.from(createPrivateKey(privateKeyPem).export({ format: "jwk" }).d ?? "", "base64url");
  // The first 16 DER bytes (22 base64 characters) are the same header in every ed25519 PKCS#8 key.
  const secretBody = body.slice(24);
  const runs: string[] = [];
  for (let i = 0; i + 16 <= secretBody.length; i += 4) runs.push(secretBody.slice(i, i + 16));
  runs.push(seed.toString("base64").slice(0, 20), seed.toString("base64url").slice(0, 20), seed.toString("hex").slice(0, 24));
  runs.push(der.subarray(16).toString("hex").slice(0, 24));
  return runs;
}

function everyCell(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    const cells: string[] = [];
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all() as Record<string, unknown>[]) {
        for (const value of Object.values(row)) {
          if (typeof value === "string") cells.push(value);
          else if (Buffer.isBuffer(value)) cells.push(value.toString("latin1"), value.toString("base64"), value.toString("hex"));
        }
      }
    }
    return cells;
  } finally {
    db.close();
  }
}

describe("keyward demo", () => {
  let root: string;
  let dir: string;
  let run: CliRun;

  beforeAll(async () => {
    root = tempDir("keyward-demo-test-", { keep: true });
    dir = join(root, "story");
    run = await runKeyward(["demo", "--dir", dir], { timeoutMs: 120_000 });
  }, 130_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("plays the story and exits 0", () => {
    expect(run.stderr).not.toContain("FAILED");
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
  });

  it("shows review flagging the deploy pipeline's personal key, with the remedy, before the deletion", () => {
    const deletion = run.stdout.indexOf("tidies his GitHub account");
    expect(deletion).toBeGreaterThan(0);
    const before = run.stdout.slice(0, deletion);
    const review = before.slice(before.indexOf("$ keyward review"));
    expect(review).toMatch(/personal-key\s+jenkins\s+shop\/deploy-prod\s+SHA256:\S+\s+dan\s+.*deploy key/);
    expect(before).not.toContain("key-removed");
  });

  it("shows check naming the deploy pipeline broken after the deletion, with the reason and the time", () => {
    const after = run.stdout.slice(run.stdout.indexOf("tidies his GitHub account"));
    const check = after.slice(after.indexOf("$ keyward check"));
    expect(check).toMatch(/jenkins\s+shop\/deploy-prod\s+SHA256:\S+\s+dan\s+key-removed\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  });

  it("prints each step's equivalent command with the token shown only by name", () => {
    const lines = run.stdout.split("\n").filter((l) => l.trimStart().startsWith("$ "));
    expect(lines.some((l) => /\$ GITHUB_TOKEN=… keyward crawl --org acme --api-url http:\/\/127\.0\.0\.1:\d+ --db \S+keyward\.db$/.test(l.trim()))).toBe(true);
    for (const command of ["scan jenkins", "scan keys", "review", "who-uses SHA256:", "offboard dan", "check"]) {
      expect(lines.some((l) => l.includes(`keyward ${command}`))).toBe(true);
    }
    expect(run.stdout + run.stderr).not.toMatch(TOKEN);
  });

  it("leaves its database in the folder, mode 0600, and says where", () => {
    const db = join(dir, "keyward.db");
    expect(existsSync(db)).toBe(true);
    expect((statSync(db).mode & 0o777).toString(8)).toBe("600");
    expect(run.stdout).toContain(`The database is kept: ${db}`);
  });

  it("stores no private key material and no token in any cell of the database", () => {
    const cells = everyCell(join(dir, "keyward.db"));
    expect(cells.length).toBeGreaterThan(20);
    const keys = demoPrivateKeys(dir);
    expect(keys.length).toBe(3);
    const runs = keys.flatMap(secretRuns);
    for (const cell of cells) {
      expect(cell).not.toContain("PRIVATE KEY");
      expect(cell).not.toMatch(TOKEN);
      for (const secret of runs) expect(cell.includes(secret), `a cell holds private key material (${secret.slice(0, 4)}…)`).toBe(false);
    }
    // The check can fail: the agent's key file itself holds such runs.
    const agentKey = keys.at(-1) ?? "";
    expect(secretRuns(agentKey).some((r) => agentKey.replace(/\s+/g, "").includes(r))).toBe(true);
  });

  it("refuses a --dir that is not empty, before touching it", async () => {
    const busy = tempDir();
    writeFileSync(join(busy, "notes.txt"), "mine");
    const refused = await runKeyward(["demo", "--dir", busy]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^keyward: --dir .* is not empty/);
    expect(existsSync(join(busy, "keyward.db"))).toBe(false);
  });
});
