import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run-cli.js";
import type { CliIo } from "../../../src/cli/context.js";
import { generateOrgState } from "../../../src/demo/simulator/index.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { startSim } from "../../github/crawl-helpers.js";

async function keyward(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    cwd: tempDir(),
    stdoutIsTTY: false,
    stderrIsTTY: false,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe("keyward crawl", () => {
  it("prints the contract's JSON and exits 0 after a complete crawl, 3 after an incomplete one", async () => {
    const sim = await startSim(generateOrgState({ org: "acme", members: 8, repos: 6 }));
    const db = join(tempDir(), "k.db");
    const env = { GITHUB_TOKEN: "sim-token" };
    const ok = await keyward(["--db", db, "--format", "json", "crawl", "--org", "acme", "--api-url", sim.url], env);
    // Off a terminal: a plain progress line, then the summary.
    expect(ok.stderr).toMatch(/^acme .*request.*\ncrawled 8 account\(s\), 24 key\(s\), 2 deploy key\(s\) in 6 request\(s\)\n$/);
    const quiet = await keyward(["--db", db, "--format", "json", "--quiet", "crawl", "--org", "acme", "--api-url", sim.url], env);
    expect(quiet.stderr).toBe("");
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ complete: true, orgs: ["acme"], accounts: 8, keys: 24, deployKeys: 2, missing: [] });
    expect(typeof doc.requests).toBe("number");

    sim.addFault({ match: { graphql: "OrgReposDeployKeys" }, kind: "status", status: 502, times: Infinity });
    const partial = await keyward(["--db", db, "--format", "json", "crawl", "--org", "acme", "--api-url", sim.url, "--timeout", "2000"], env);
    expect(partial.code).toBe(3);
    expect((JSON.parse(partial.stdout) as { missing: string[] }).missing).toEqual([expect.stringMatching(/^repositories of acme/)]);
  }, 60_000);

  it("exits 2 with a one-line message when GitHub rejects the token, without printing it", async () => {
    const sim = await startSim(generateOrgState({ org: "acme", members: 1, repos: 0 }));
    const result = await keyward(["--db", join(tempDir(), "k.db"), "crawl", "--org", "acme", "--api-url", sim.url], { GITHUB_TOKEN: "ghp_wrongwrong" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^keyward: GitHub rejected the token \(401\).*GITHUB_TOKEN/);
    expect(result.stderr).not.toContain("ghp_wrongwrong");
  });

  it("exits 2 when there is no token and no app", async () => {
    const result = await keyward(["--db", join(tempDir(), "k.db"), "crawl", "--org", "acme"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no GitHub credentials: set GITHUB_TOKEN/);
  });
});
