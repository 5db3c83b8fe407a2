import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { expect } from "vitest";
import { CLI, type CliRun } from "../helpers/cli.js";

/*
 * Shared by the hardening suite: a seeded PRNG (every random choice is reproducible from the seed printed in a
 * failure), raw views of a keyward database that bypass keyward's own code, and checks of the CLI's error contract.
 */

/** mulberry32: small, fast, good enough to pick kill delays and fuzz bytes reproducibly. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number;
  bytes(n: number): Buffer;
  pick<T>(items: readonly T[]): T;
}

export function prng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    bytes: (n) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = int(256);
      return out;
    },
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
  };
}

/** Opens a database read-only with better-sqlite3 directly (not through keyward), runs `fn`, closes it. */
export function withRawDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` of the file: "ok" when SQLite finds nothing wrong. */
export function integrityCheck(path: string): string {
  // Not read-only: a database left with a hot WAL by a killed process needs a writer to recover it.
  const db = new Database(path, { fileMustExist: true });
  try {
    const rows = db.pragma("integrity_check") as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join("; ");
  } finally {
    db.close();
  }
}

/** The user tables of a keyward database (sqlite_* internals left out). */
export function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
}

/** Row count of every table. */
export function rowCounts(path: string): Record<string, number> {
  return withRawDb(path, (db) =>
    Object.fromEntries(tableNames(db).map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n])),
  );
}

export interface Cell {
  readonly table: string;
  readonly column: string;
  readonly rowid: number;
  /** The cell as text: strings as stored, numbers in decimal, blobs as latin1 AND base64 AND hex (joined). */
  readonly text: string;
}

/** Every cell of every table (http_cache, events and runs included), as text to search for secrets. */
export function allCells(path: string): Cell[] {
  return withRawDb(path, (db) => {
    const cells: Cell[] = [];
    for (const table of tableNames(db)) {
      const rows = db.prepare(`SELECT rowid AS __rowid, * FROM "${table}"`).all() as Record<string, unknown>[];
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          if (column === "__rowid" || value === null || value === undefined) continue;
          const text = Buffer.isBuffer(value)
            ? `${value.toString("latin1")}\n${value.toString("base64")}\n${value.toString("hex")}`
            : typeof value === "string" || typeof value === "number" || typeof value === "bigint"
              ? String(value)
              : JSON.stringify(value);
          cells.push({ table, column, rowid: Number(row["__rowid"]), text });
        }
      }
    }
    return cells;
  });
}

/** The registrations as comparable facts (no times, no run ids): what a killed crawl must not have changed. */
export function registrationFacts(path: string): string[] {
  return withRawDb(path, (db) =>
    (
      db
        .prepare(
          `SELECT r.kind, COALESCE(a.login, '') AS account, COALESCE(p.full_name, '') AS repo, k.sha256, r.removed_at IS NOT NULL AS removed
           FROM registrations r JOIN keys k ON k.id = r.key_id
           LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN repositories p ON p.id = r.repository_id`,
        )
        .all() as { kind: string; account: string; repo: string; sha256: string; removed: number }[]
    )
      .map((r) => `${r.kind} ${r.account}${r.repo} ${r.sha256}${r.removed ? " REMOVED" : ""}`)
      .sort(),
  );
}

/** The pipelines and their key uses as comparable facts. */
export function pipelineFacts(path: string): string[] {
  return withRawDb(path, (db) =>
    (
      db
        .prepare(
          `SELECT p.system, p.name, COALESCE(k.sha256, u.reference_kind || ':' || u.reference) AS what
           FROM pipelines p LEFT JOIN key_uses u ON u.pipeline_id = p.id LEFT JOIN keys k ON k.id = u.key_id`,
        )
        .all() as { system: string; name: string; what: string | null }[]
    )
      .map((r) => `${r.system} ${r.name} ${r.what ?? "-"}`)
      .sort(),
  );
}

/** Everything a clean and a faulty crawl must agree on (times, run ids and request counts left out). */
export function crawlFacts(path: string): unknown {
  return withRawDb(path, (db) => {
    const q = (sql: string): unknown[] => db.prepare(sql).all();
    return {
      accounts: q("SELECT login, github_id, type, name FROM accounts ORDER BY login"),
      memberships: q(
        "SELECT a.login, m.org, m.relation, m.role, m.removed_at FROM memberships m JOIN accounts a ON a.id = m.account_id ORDER BY 1, 2, 3",
      ),
      repositories: q("SELECT full_name, org, github_id, archived, visibility, removed_at FROM repositories ORDER BY full_name"),
      keys: q("SELECT sha256, md5, type, bits, public_key FROM keys ORDER BY sha256"),
      registrations: q(
        `SELECT r.kind, a.login, p.full_name, k.sha256, r.github_id, r.title, r.read_only, r.enabled, r.verified, r.created_at,
                r.last_used, r.added_by, r.removed_at, r.removal_reason
         FROM registrations r JOIN keys k ON k.id = r.key_id LEFT JOIN accounts a ON a.id = r.account_id
         LEFT JOIN repositories p ON p.id = r.repository_id ORDER BY r.kind, a.login, p.full_name, k.sha256`,
      ),
    };
  });
}

/** A keyward child process that a test may kill at any moment. */
export interface RunningKeyward {
  readonly child: ChildProcess;
  readonly done: Promise<CliRun & { signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI without waiting for it (for kill -9 and concurrency tests). Clean env plus `env`. */
export function startKeyward(args: readonly string[], env: Record<string, string> = {}, cwd?: string): RunningKeyward {
  const base: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...base, ...env }, cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const done = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/** Lines of stderr that look like a JavaScript stack frame. */
export function stackLines(text: string): string[] {
  return text.split("\n").filter((l) => /^\s{2,}at /.test(l));
}

/**
 * The error contract: exit `code`, exactly one `keyward:` error line on stderr that names `culprit`, no stack
 * frames, and (for --format json) no half-written JSON on stdout.
 */
export function expectCleanError(run: CliRun, code: number, culprit: string | RegExp): void {
  const context = `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
  expect(run.code, context).toBe(code);
  const errors = run.stderr.split("\n").filter((l) => l.startsWith("keyward:"));
  expect(errors, context).toHaveLength(1);
  const line = errors[0] ?? "";
  if (typeof culprit === "string") expect(line, context).toContain(culprit);
  else expect(line, context).toMatch(culprit);
  expect(line, context).not.toMatch(/internal error/);
  expect(stackLines(run.stderr), context).toEqual([]);
}

/** A warning line on stderr naming `culprit`, exit 0, and no stack frames. */
export function expectWarningOnly(run: CliRun, culprit: string | RegExp): void {
  const context = `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
  expect(run.code, context).toBe(0);
  const warnings = run.stderr.split("\n").filter((l) => l.startsWith("warning:"));
  expect(
    warnings.some((w) => (typeof culprit === "string" ? w.includes(culprit) : culprit.test(w))),
    context,
  ).toBe(true);
  expect(run.stderr, context).not.toMatch(/^keyward:/m);
  expect(stackLines(run.stderr), context).toEqual([]);
}

/** SQLite's side files of a database in WAL mode. */
export function sideFiles(path: string): string[] {
  return [`${path}-wal`, `${path}-shm`, `${path}-journal`].filter((p) => existsSync(p));
}
