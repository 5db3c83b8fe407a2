import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors.js";
import { findMigrationsDir, openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("openStore", () => {
  it("creates the database file with mode 0600", () => {
    const path = join(tempDir(), "k.db");
    openStore(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("applies every migration once and only once", () => {
    const path = join(tempDir(), "k.db");
    openStore(path).close();
    openStore(path).close();
    const rows = execFileSync("sqlite3", [path, "SELECT version, name FROM schema_migrations ORDER BY version"], { encoding: "utf8" })
      .trim()
      .split("\n");
    const files = readdirSync(findMigrationsDir()).filter((f) => f.endsWith(".sql"));
    expect(rows).toHaveLength(files.length);
    expect(rows[0]).toBe("1|init");
  });

  it("upgrades a database from an older version on open", () => {
    const dir = tempDir();
    const oldMigrations = join(dir, "migrations-v1");
    mkdirSync(oldMigrations);
    copyFileSync(join(findMigrationsDir(), "001_init.sql"), join(oldMigrations, "001_init.sql"));
    const path = join(dir, "k.db");
    openStore(path, { migrationsDir: oldMigrations }).close();
    const newer = join(dir, "migrations-v2");
    mkdirSync(newer);
    copyFileSync(join(oldMigrations, "001_init.sql"), join(newer, "001_init.sql"));
    writeFileSync(join(newer, "002_note.sql"), "ALTER TABLE keys ADD COLUMN note TEXT;");
    const store = openStore(path, { migrationsDir: newer });
    expect(store.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get()).toEqual({ v: 2 });
    expect(store.db.prepare("SELECT note FROM keys").all()).toEqual([]);
    store.close();
  });

  it("refuses a database written by a newer keyward, naming the file", () => {
    const path = join(tempDir(), "k.db");
    const store = openStore(path);
    store.db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')").run();
    store.close();
    expect(() => openStore(path)).toThrow(StoreError);
    expect(() => openStore(path)).toThrow(/k\.db has schema version 99, newer than this keyward knows/);
  });

  it("refuses a file that is not a SQLite database, naming it", () => {
    const path = join(tempDir(), "not-a-db.db");
    writeFileSync(path, "hello, this is text and not SQLite at all ".repeat(200));
    chmodSync(path, 0o600);
    expect(() => openStore(path)).toThrow(/not-a-db\.db/);
  });

  it("warns when the database is readable by others", () => {
    const path = join(tempDir(), "k.db");
    openStore(path).close();
    chmodSync(path, 0o644);
    const store = openStore(path);
    expect(store.warnings.join("\n")).toMatch(/readable or writable by others.*chmod 600/);
    store.close();
  });

  it("turns on WAL and foreign keys", () => {
    const store = openStore(join(tempDir(), "k.db"));
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.db.pragma("foreign_keys", { simple: true })).toBe(1);
    store.close();
  });
});
