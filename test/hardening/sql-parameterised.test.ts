import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJson, runKeyward } from "../helpers/cli.js";
import { writeJenkinsHome } from "../helpers/jenkins-home.js";
import { generateKey, type GeneratedKey } from "../helpers/ssh-keygen.js";
import { expectCleanError, integrityCheck, rowCounts, tableNames, withRawDb } from "./support.js";

/*
 * Every SQL statement is parameterised. Statically: no call of prepare/statement/exec/pragma builds its SQL
 * from a value that is not a reviewed constant. At run time: input that looks like SQL is stored and found as
 * data, and the schema survives it.
 */

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src");

/**
 * Reviewed interpolations, as `file:identifier`. Each is a constant fragment or a placeholder list, never a value:
 * - SELECT / ORDER / COLUMNS: module-level column lists and ORDER BY clauses built from literals only;
 * - registrations.ts owner / kinds: "account_id = ?" or "repository_id = ?", and "?, ?, …" with one ? per kind;
 * - db.ts busy_timeout: a number from the caller's options (PRAGMA takes no parameters);
 * - migrate.ts migration.sql: the SQL files shipped in migrations/;
 * - accounts.ts sql: one of two constant SELECTs; listings.ts filter: "" or "WHERE r.account_id = ?";
 * - db.ts sql: statement() itself, the cache in front of prepare().
 */
const ALLOWED = new Set([
  "store/registrations.ts:owner",
  "store/registrations.ts:kinds",
  "store/db.ts:options.busyTimeoutMs ?? 15_000",
  "store/migrate.ts:migration.sql",
  "store/accounts.ts:sql",
  "queries/listings.ts:filter",
  "store/db.ts:sql",
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

/** Module-level `const X = "…"` or `` `…` `` whose own parts are constant: safe to interpolate anywhere in its file. */
function constantStrings(file: ts.SourceFile): Set<string> {
  const constants = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of statement.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || constants.has(d.name.text) || d.initializer === undefined) continue;
        if (isConstantSql(d.initializer, constants)) {
          constants.add(d.name.text);
          grew = true;
        }
      }
    }
  }
  return constants;
}

function isConstantSql(node: ts.Expression, constants: ReadonlySet<string>): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
  if (ts.isParenthesizedExpression(node)) return isConstantSql(node.expression, constants);
  if (ts.isIdentifier(node)) return constants.has(node.text);
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((s) => isConstantSql(s.expression, constants));
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return isConstantSql(node.left, constants) && isConstantSql(node.right, constants);
  }
  if (ts.isConditionalExpression(node)) return isConstantSql(node.whenTrue, constants) && isConstantSql(node.whenFalse, constants);
  return false;
}

/** Every non-constant piece of SQL handed to better-sqlite3, as `file:expression`. */
function dynamicSql(): { found: string[]; calls: number } {
  const found: string[] = [];
  let calls = 0;
  for (const path of sourceFiles(SRC)) {
    const text = readFileSync(path, "utf8");
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
    const constants = constantStrings(file);
    const rel = relative(SRC, path).split("\\").join("/");
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const receiver = node.expression.expression.getText(file);
        // statement() is the store's cache of prepare(); exec/prepare/pragma count only on a database handle
        // (RegExp.prototype.exec is not SQL).
        const isSql = method === "statement" || (["prepare", "exec", "pragma"].includes(method) && /(^|\.)(db|database)$/.test(receiver));
        const sql = node.arguments[0];
        if (isSql && sql !== undefined) {
          calls++;
          const pieces: ts.Expression[] = ts.isTemplateExpression(sql) ? sql.templateSpans.map((s) => s.expression) : [sql];
          for (const piece of pieces) {
            if (!isConstantSql(piece, constants) && !ALLOWED.has(`${rel}:${piece.getText(file)}`)) {
              found.push(`${rel}:${file.getLineAndCharacterOfPosition(piece.getStart(file)).line + 1}: ${piece.getText(file)}`);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { found, calls };
}

describe("SQL is parameterised", () => {
  it("builds no SQL statement in src/ from a value: only literals, reviewed constants and placeholder lists", () => {
    const { found, calls } = dynamicSql();
    expect(calls).toBeGreaterThan(30);
    expect(found).toEqual([]);
  });

  it("the static check catches an interpolated value (it is not vacuous)", () => {
    const probe = ts.createSourceFile(
      "probe.ts",
      'const SAFE = "SELECT 1";\nexport function f(store: any, login: string) { store.statement(`${SAFE} WHERE login = \'${login}\'`); }',
      ts.ScriptTarget.ES2022,
      true,
    );
    const constants = constantStrings(probe);
    expect(constants.has("SAFE")).toBe(true);
    const call = (probe.statements[1] as ts.FunctionDeclaration).body?.statements[0] as ts.ExpressionStatement;
    const template = (call.expression as ts.CallExpression).arguments[0] as ts.TemplateExpression;
    expect(template.templateSpans.map((s) => isConstantSql(s.expression, constants))).toEqual([true, false]);
  });
});

describe("input that looks like SQL is stored and found as data", () => {
  const EVIL_JOB = "x'); DROP TABLE keys;--";
  const EVIL_REF = `y"); DELETE FROM pipelines; --`;
  let root = "";
  let db = "";
  let key: GeneratedKey;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "keyward-sql-"));
    db = join(root, "k.db");
    mkdirSync(join(root, "keys"));
    key = generateKey(join(root, "keys"), "ed25519");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("a Jenkins job and credential named like SQL injection are stored verbatim and listed", async () => {
    const home = join(root, "jenkins");
    writeJenkinsHome(home, {
      credentials: [{ id: EVIL_REF, privateKeys: [readFileSync(key.privatePath, "utf8")], description: "'; DROP TABLE runs; --" }],
      items: [{ type: "freestyle", name: EVIL_JOB, git: { url: "git@github.com:acme/app.git", credentialsId: EVIL_REF } }],
    });
    const scan = await runKeyward(["scan", "jenkins", home, "--db", db, "--format", "json"], { cwd: root });
    expect(scan.code, scan.stderr).toBe(0);
    const tables = withRawDb(db, tableNames);
    expect(tables).toEqual(expect.arrayContaining(["keys", "pipelines", "runs", "accounts", "key_uses"]));
    expect(integrityCheck(db)).toBe("ok");

    const listed = parseJson<{ pipelines: { name: string; uses: { fingerprint: string | null }[] }[] }>(
      await runKeyward(["pipelines", "--db", db, "--format", "json"], { cwd: root }),
    );
    const job = listed.pipelines.find((p) => p.name === EVIL_JOB);
    expect(job?.uses.map((u) => u.fingerprint)).toEqual([key.sha256]);

    const who = parseJson<{ pipelines: { name: string }[] }>(await runKeyward(["who-uses", key.sha256, "--db", db, "--format", "json"], { cwd: root }));
    expect(who.pipelines.map((p) => p.name)).toContain(EVIL_JOB);
  });

  it("a binding whose pipeline and reference look like SQL is stored and found, and lookups with SQL-looking logins find nothing", async () => {
    const before = rowCounts(db);
    const bind = await runKeyward(["bind", EVIL_JOB, "' OR '1'='1", key.sha256, "--db", db, "--format", "json"], { cwd: root });
    expect(bind.code, bind.stderr).toBe(0);
    const bindings = withRawDb(db, (d) => d.prepare("SELECT pipeline, reference FROM bindings").all());
    expect(bindings).toContainEqual({ pipeline: EVIL_JOB, reference: "' OR '1'='1" });

    const keys = await runKeyward(["keys", "--account", "x' OR '1'='1", "--db", db, "--format", "json"], { cwd: root });
    expect([0, 2]).toContain(keys.code);
    if (keys.code === 0) expect(JSON.stringify(parseJson(keys))).not.toContain(key.sha256);

    const offboard = await runKeyward(["offboard", "x' OR '1'='1' --", "--db", db, "--format", "json"], { cwd: root });
    expect([0, 2]).toContain(offboard.code);
    if (offboard.code === 0) expect(parseJson<{ keys: unknown[]; pipelines: unknown[] }>(offboard)).toMatchObject({ keys: [], pipelines: [] });

    const machine = await runKeyward(["machine-user", "add", "bot'); DROP TABLE accounts;--", "--db", db], { cwd: root });
    expectCleanError(machine, 2, "bot'); DROP TABLE accounts;--");

    const after = rowCounts(db);
    expect(after["bindings"]).toBe((before["bindings"] ?? 0) + 1);
    expect(after["pipelines"]).toBe(before["pipelines"]);
    expect(after["keys"]).toBe(before["keys"]);
    expect(integrityCheck(db)).toBe("ok");
  });
});
