import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runKeyward, type CliRun } from "../helpers/cli.js";
import { generateKey } from "../helpers/ssh-keygen.js";
import { sideFiles, stackLines } from "./support.js";

/*
 * Files keyward writes are created mode 0600 whatever the umask (the database, and SQLite's -wal/-shm beside it),
 * and a database file that others can read or write draws a warning naming it.
 */

let root = "";
let keyDir = "";

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "keyward-modes-"));
  keyDir = join(root, "keys");
  mkdirSync(keyDir);
  generateKey(keyDir, "ed25519");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the built CLI under `umask 000`, the most permissive the user could have. */
function runUnderOpenUmask(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
    const child = spawn("/bin/sh", ["-c", `umask 000; exec ${quoted}`], { cwd: root, env: { PATH: process.env["PATH"] ?? "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe("file modes", () => {
  it("creates the database, its -wal and its -shm with mode 0600 under umask 000", async () => {
    const db = join(root, "fresh.db");
    const created = await runUnderOpenUmask(["scan", "keys", keyDir, "--pipeline", "p", "--db", db, "-q"]);
    expect(created.code, created.stderr).toBe(0);
    expect(mode(db)).toBe("600");
    // Hold the database open so that SQLite keeps its side files while a second keyward writes.
    const holder = new Database(db);
    try {
      holder.prepare("SELECT COUNT(*) FROM keys").get();
      const again = await runUnderOpenUmask(["scan", "keys", keyDir, "--pipeline", "q", "--db", db, "-q"]);
      expect(again.code, again.stderr).toBe(0);
      const side = sideFiles(db);
      expect(side).toEqual(expect.arrayContaining([`${db}-wal`, `${db}-shm`]));
      for (const file of side) expect(`${file} ${mode(file)}`).toBe(`${file} 600`);
    } finally {
      holder.close();
    }
    expect(mode(db)).toBe("600");
  });

  for (const [label, bits] of [
    ["readable", 0o644],
    ["writable", 0o620],
  ] as const) {
    it(`warns, naming the file, when the database is ${label} by others`, async () => {
      const db = join(root, `${label}.db`);
      const created = await runKeyward(["scan", "keys", keyDir, "--pipeline", "p", "--db", db, "-q"], { cwd: root });
      expect(created.code, created.stderr).toBe(0);
      chmodSync(db, bits);
      const run = await runKeyward(["keys", "--db", db, "--format", "json"], { cwd: root });
      expect(run.code, run.stderr).toBe(0);
      const warning = run.stderr.split("\n").find((l) => l.startsWith("warning:") && l.includes(db));
      expect(warning, run.stderr).toMatch(/readable or writable by others.*chmod 600/);
      expect(stackLines(run.stderr)).toEqual([]);
      JSON.parse(run.stdout);
    });
  }
});
