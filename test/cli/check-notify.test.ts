import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import type { CliIo } from "../../src/cli/context.js";
import { finishRun, openStore, removeUnseenRegistrations, replaceSource, saveAccount, saveKey, saveRegistration, startRun } from "../../src/store/index.js";
import { parseJson, runKeyward } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/** A database where one pipeline's key was seen on GitHub and then removed by a later complete crawl. */
function brokenWorld(): string {
  const db = join(tempDir(), "k.db");
  const store = openStore(db);
  const key = { sha256: "SHA256:brokenKeyBrokenKeyBrokenKeyBrokenKeyBrok", md5: "MD5:aa", type: "ssh-ed25519", bits: 256, publicKey: "ssh-ed25519 AAAA" };
  const run1 = startRun(store, "crawl", {}, "2026-11-01T00:00:00.000Z");
  const dan = saveAccount(store, { login: "dan" }, run1, "2026-11-01T00:00:00.000Z");
  saveRegistration(store, { keyId: saveKey(store, key, "2026-11-01T00:00:00.000Z"), kind: "user_key", accountId: dan }, run1, "2026-11-01T00:00:00.000Z");
  finishRun(store, run1, { complete: true }, "2026-11-01T00:00:00.000Z");
  const scan = startRun(store, "scan", {}, "2026-11-01T00:00:00.000Z");
  replaceSource(store, { system: "jenkins", location: "/j", runId: scan, pipelines: [{ name: "shop/deploy-prod", source: "/j/jobs/x/config.xml", uses: [{ key: { kind: "key", key: { ...key, comment: null } }, evidence: "x:1" }] }] }, "2026-11-01T00:00:00.000Z");
  finishRun(store, scan, { complete: true }, "2026-11-01T00:00:00.000Z");
  const run2 = startRun(store, "crawl", {}, "2026-11-02T00:00:00.000Z");
  removeUnseenRegistrations(store, { accountId: dan, kinds: ["user_key"], runId: run2, reason: "key-removed" }, "2026-11-02T00:00:00.000Z");
  finishRun(store, run2, { complete: true }, "2026-11-02T00:00:00.000Z");
  store.close();
  return db;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function listen(status: number): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      bodies.push(JSON.parse(body));
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) => server!.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/hooks/secret-path`, bodies })));
}

describe("keyward check --notify", () => {
  it("POSTs the findings as JSON with a Slack-compatible text, and still exits 1", async () => {
    const db = brokenWorld();
    const hook = await listen(200);
    const run = await runKeyward(["check", "--notify", hook.url, "--db", db, "--format", "json"]);
    expect(run.code, run.stderr).toBe(1);
    expect(hook.bodies).toHaveLength(1);
    const body = hook.bodies[0] as { text: string; broken: { pipeline: { name: string }; reason: string }[] };
    expect(body.broken).toMatchObject([{ pipeline: { name: "shop/deploy-prod" }, reason: "key-removed" }]);
    expect(body.text).toMatch(/shop\/deploy-prod.*key-removed/);
    expect(parseJson(run)).toMatchObject({ broken: [{ reason: "key-removed" }] });
  });

  it("fails loudly, exit 2, when the POST fails, without printing the webhook's secret path", async () => {
    const db = brokenWorld();
    const hook = await listen(500);
    const run = await runKeyward(["check", "--notify", hook.url, "--db", db]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/notification to 127\.0\.0\.1:\d+ failed: HTTP 500/);
    expect(run.stderr).not.toContain("secret-path");
  });
});

describe("colour", () => {
  const io = (env: Record<string, string>, tty: boolean, out: string[]): CliIo => ({
    stdout: (t) => out.push(t),
    stderr: () => undefined,
    env,
    cwd: tempDir(),
    stdoutIsTTY: tty,
    stderrIsTTY: false,
  });

  it("appears only on a terminal, and never with NO_COLOR", async () => {
    const db = brokenWorld();
    const cases: [Record<string, string>, boolean, boolean][] = [
      [{}, true, true],
      [{ NO_COLOR: "1" }, true, false],
      [{}, false, false],
    ];
    for (const [env, tty, coloured] of cases) {
      const out: string[] = [];
      expect(await runCli(["check", "--db", db], io(env, tty, out))).toBe(1);
      expect(out.join("").includes("\u001b["), JSON.stringify({ env, tty })).toBe(coloured);
    }
  });
});
