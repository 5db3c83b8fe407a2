import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { StoreError, messageOf } from "../errors.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const FILE = /^(\d{3,})_([a-z0-9_-]+)\.sql$/;

/** Reads `NNN_name.sql` files in version order. A gap or a duplicate version is a packaging bug. */
export function readMigrations(dir: string): Migration[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (error) {
    throw new StoreError(`cannot read migrations in ${dir}: ${messageOf(error)}`);
  }
  const migrations = files
    .map((file) => ({ file, match: FILE.exec(file) }))
    .filter((m): m is { file: string; match: RegExpExecArray } => m.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: readFileSync(join(dir, file), "utf8"),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new StoreError(`migration ${m.version}_${m.name} is out of sequence in ${dir}`);
  });
  return migrations;
}

/**
 * Applies every migration the database lacks, each in its own immediate transaction so that two processes
 * opening a fresh database at once cannot both apply it. Refuses a database written by a newer keyward.
 * Returns the versions applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], path: string): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const latest = migrations.at(-1)?.version ?? 0;
  const current = (): number =>
    (db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0;
  const found = current();
  if (found > latest) {
    throw new StoreError(
      `${path} has schema version ${found}, newer than this keyward knows (${latest}): upgrade keyward to use it`,
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= found) continue;
    const apply = db.transaction(() => {
      // Re-check inside the lock: another process may have applied it while we waited.
      if (current() >= migration.version) return;
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
      applied.push(migration.version);
    });
    try {
      apply.immediate();
    } catch (error) {
      throw new StoreError(`migration ${migration.version}_${migration.name} failed on ${path}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }
  return applied;
}
