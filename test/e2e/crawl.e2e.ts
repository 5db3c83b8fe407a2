import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson, runKeyward } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const token = process.env["GITHUB_TOKEN"];
const org = process.env["KEYWARD_E2E_ORG"];

describe.skipIf(!token || !org)("crawl against the real GitHub", () => {
  it("crawls the org named by KEYWARD_E2E_ORG and answers with the contract's fields", async () => {
    const db = join(tempDir(), "e2e.db");
    const run = await runKeyward(["crawl", "--org", org ?? "", "--db", db, "--format", "json"], { env: { GITHUB_TOKEN: token }, timeoutMs: 590_000 });
    expect([0, 3]).toContain(run.code);
    expect(parseJson(run)).toMatchObject({ orgs: [org], complete: run.code === 0 });
    expect(run.stdout + run.stderr).not.toContain(token ?? "\u0000");
  });
});
