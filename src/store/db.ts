import { closeSync, existsSync, openSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { StoreError, messageOf } from "../errors.js";
import { migrate, readMigrations } from "./migrate.js";

/** The handle every store function takes. Only src/store touches better-sqlite3 directly. */
export interface Store {
  readonly db: Database.Database;
  readonly path: string;
  /** Problems worth telling the user, e.g. a database file others can read. */
  readonly warnings: readonly string[];
  /** A prepared statement, compiled once per store. */
  statement(sql: string): Database.Statement;
  /** Runs `fn` in one synchronous transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export type Db = Database.Database;

/** The folder holding the SQL migrations: found by walking up from this file (src/ in tests, dist/src/ when built). */
export function findMigrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "migrations");
    if (existsSync(join(dir, "package.json")) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new StoreError("cannot find keyward's migrations folder: the installation is incomplete");
}

/**
 * Opens (creating with mode 0600) and migrates the database at `path`. WAL so that readers never block the
 * crawler; a busy timeout so that a second keyward process waits instead of failing.
 * @throws StoreError when the file cannot be opened, is not a keyward database, or is newer than this code.
 */
export function openStore(path: string, options: { migrationsDir?: string; busyTimeoutMs?: number } = {}): Store {
  const full = resolve(path);
  const warnings: string[] = [];
  if (existsSync(full)) {
    const stat = statSync(full);
    if (!stat.isFile()) throw new StoreError(`database ${path} is not a regular file`);
    if ((stat.mode & 0o077) !== 0) {
      warnings.push(
        `database ${path} is readable or writable by others (mode ${(stat.mode & 0o777).toString(8)}): run chmod 600 ${path}`,
      );
    }
  } else {
    try {
      // Create it ourselves so that the mode is 0600 from the first byte, whatever the umask.
      closeSync(openSync(full, "wx", 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new StoreError(`cannot create database ${path}: ${messageOf(error)}`);
      }
    }
  }
  let db: Database.Database;
  try {
    db = new Database(full, { fileMustExist: true });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 15_000}`);
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL");
  } catch (error) {
    throw new StoreError(`cannot open database ${path}: ${messageOf(error)}`, { cause: error });
  }
  try {
    migrate(db, readMigrations(options.migrationsDir ?? findMigrationsDir()), path);
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot use database ${path}: ${messageOf(error)}`, { cause: error });
  }
  const statements = new Map<string, Database.Statement>();
  return {
    db,
    path: full,
    warnings,
    statement(sql) {
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        statements.set(sql, stmt);
      }
      return stmt;
    },
    transaction(fn) {
      return db.transaction(fn)();
    },
    close() {
      if (db.open) db.close();
    },
  };
}
