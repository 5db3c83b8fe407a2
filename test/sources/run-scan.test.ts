import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { githubActionsSource } from "../../src/sources/github-actions/index.js";
import { runScan } from "../../src/sources/run-scan.js";
import { tempStore } from "../helpers/store.js";
import { testDir } from "../helpers/temp-dir.js";

const workflow = (secret: string): string =>
  ["on: push", "jobs:", "  deploy:", "    runs-on: ubuntu-latest", "    steps:", "      - uses: webfactory/ssh-agent@v0.9.0", "        with:", `          ssh-private-key: \${{ secrets.${secret} }}`, ""].join("\n");

function pipelines(store: ReturnType<typeof tempStore>): string[] {
  return (store.db.prepare("SELECT name FROM pipelines ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe("runScan", () => {
  it("replaces a source's pipelines, but keeps those whose file could not be read this time", async () => {
    const store = tempStore();
    const checkout = testDir({ ".github": { workflows: { "a.yml": workflow("KEY_A"), "b.yml": workflow("KEY_B") } } });
    const scan = () => runScan(store, githubActionsSource, { location: checkout, options: { repo: "acme/api" } }, () => new Date().toISOString());
    await scan();
    expect(pipelines(store)).toEqual(["acme/api:.github/workflows/a.yml#deploy", "acme/api:.github/workflows/b.yml#deploy"]);

    writeFileSync(join(checkout, ".github/workflows/b.yml"), "jobs: [unclosed\n  - {");
    const { summary } = await scan();
    expect(summary.warnings.map((w) => w.path)).toEqual([join(checkout, ".github/workflows/b.yml")]);
    expect(summary.kept).toBe(1);
    expect(pipelines(store)).toEqual(["acme/api:.github/workflows/a.yml#deploy", "acme/api:.github/workflows/b.yml#deploy"]);

    rmSync(join(checkout, ".github/workflows/b.yml"));
    await scan();
    expect(pipelines(store)).toEqual(["acme/api:.github/workflows/a.yml#deploy"]);
  });
});
