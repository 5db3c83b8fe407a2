import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { githubActionsSource } from "../../../src/sources/github-actions/index.js";
import { generateKey } from "../../helpers/ssh-keygen.js";
import { tempDir, testDir } from "../../helpers/temp-dir.js";
import { collect, lineOf, summary } from "../shared/collect.js";

const DEPLOY = `name: deploy
on: push
env:
  BOT_KEY: \${{ secrets.BOT_SSH_KEY }}
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    env:
      RSYNC_KEY: \${{ secrets['rsync_key'] }}
    steps:
      - uses: actions/checkout@v4
        with:
          ssh-key: \${{ secrets.CHECKOUT_KEY }}
          ssh-known-hosts: github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
      - name: agent
        uses: webfactory/ssh-agent@v0.9.0
        with:
          ssh-private-key: |
            \${{ secrets.DEPLOY_KEY_A }}
            \${{ secrets.DEPLOY_KEY_B }}
      - uses: shimataro/ssh-key-action@v2
        with:
          key: \${{ secrets.SHIMATARO_KEY }}
          name: id_deploy
          known_hosts: unnecessary
      - uses: appleboy/ssh-action@v1.0.3
        with:
          host: example.com
          key: \${{ secrets.APPLEBOY_KEY }}
          proxy_key: \${{ secrets.PROXY_KEY }}
          fingerprint: \${{ secrets.HOST_FINGERPRINT }}
      - uses: appleboy/scp-action@v0.1.7
        with:
          key_path: /home/runner/keys/scp
      - name: ship
        run: |
          mkdir -p ~/.ssh
          echo "\${{ secrets.RUN_KEY }}" > ~/.ssh/id_ed25519
          chmod 600 ~/.ssh/id_ed25519
          rsync -az -e "ssh -i $RSYNC_KEY_FILE" dist/ host:/srv
          ssh -i ~/.ssh/id_deploy host true
          ssh -i ~/.ssh/runner_key host true
      - run: echo "$BOT_KEY" | ssh-add -
      - run: ssh-add - <<< "$RSYNC_KEY"
      - env:
          GIT_SSH_COMMAND: ssh -i \${{ vars.KEY_PATH }}
        run: git clone git@github.com:acme/other.git
      - uses: actions/cache@v4
        with:
          key: cache-\${{ secrets.NOT_A_KEY }}
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`;

describe("githubActionsSource", () => {
  it("maps each job to the secrets it hands to SSH, with the line of each", async () => {
    const dir = testDir({
      ".git": { config: '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:acme/api.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n' },
      ".github": { workflows: { "deploy.yml": DEPLOY } },
    });
    const { pipelines, warnings } = await collect(githubActionsSource, dir);
    expect(warnings).toEqual([]);
    const f = ".github/workflows/deploy.yml";
    const at = (needle: string, after?: string): string => `${f}:${lineOf(DEPLOY, needle, after)}`;
    expect(summary(pipelines)).toEqual({
      [`acme/api:${f}#deploy`]: [
        `file:/home/runner/keys/scp@${at("key_path:")}`,
        `file:~/.ssh/runner_key@${at("runner_key")}`,
        `secret:APPLEBOY_KEY@${at("secrets.APPLEBOY_KEY")}`,
        `secret:BOT_SSH_KEY@${at('"$BOT_KEY"')}`,
        `secret:CHECKOUT_KEY@${at("secrets.CHECKOUT_KEY")}`,
        `secret:DEPLOY_KEY_A@${at("secrets.DEPLOY_KEY_A")}`,
        `secret:DEPLOY_KEY_B@${at("secrets.DEPLOY_KEY_B")}`,
        `secret:PROXY_KEY@${at("secrets.PROXY_KEY")}`,
        `secret:RSYNC_KEY@${at('"$RSYNC_KEY"')}`,
        `secret:RUN_KEY@${at("secrets.RUN_KEY")}`,
        `secret:SHIMATARO_KEY@${at("secrets.SHIMATARO_KEY")}`,
        `variable:KEY_PATH@${at("vars.KEY_PATH")}`,
        `variable:RSYNC_KEY_FILE@${at("RSYNC_KEY_FILE")}`,
      ],
    });
    const pipeline = pipelines[0];
    expect(pipeline?.source).toBe(join(dir, f));
    expect(pipeline?.repository).toBe("acme/api");
    const agent = pipeline?.uses.find((u) => u.key.kind === "reference" && u.key.name === "DEPLOY_KEY_A");
    expect(agent?.detail).toMatchObject({ workflow: f, job: "deploy", step: "agent", uses: "webfactory/ssh-agent@v0.9.0", input: "ssh-private-key", environment: "production" });
    const bot = pipeline?.uses.find((u) => u.key.kind === "reference" && u.key.name === "BOT_SSH_KEY");
    expect(bot?.detail).toMatchObject({ step: 6, env: "BOT_KEY", envAt: at("BOT_KEY:"), how: "ssh-add" });
  });

  it("fingerprints inline keys with ssh-keygen's fingerprint and warns about a private one without echoing it", async () => {
    const keys = tempDir();
    const priv = generateKey(keys, "ed25519");
    const pub = generateKey(keys, "ecdsa-256");
    const { readFileSync } = await import("node:fs");
    const material = readFileSync(priv.privatePath, "utf8");
    const indented = material.trim().split("\n").map((l) => `            ${l}`).join("\n");
    const workflow = `on: push\njobs:\n  leak:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: webfactory/ssh-agent@v0.9.0\n        with:\n          ssh-private-key: |\n${indented}\n      - run: echo "${pub.publicLine}" >> ~/.ssh/authorized_keys2\n`;
    const dir = testDir({ ".github": { workflows: { "leak.yaml": workflow } } });
    const { pipelines, warnings } = await collect(githubActionsSource, dir, { repo: "acme/leaky" });
    const f = ".github/workflows/leak.yaml";
    expect(summary(pipelines)).toEqual({
      [`acme/leaky:${f}#leak`]: [`key:${priv.sha256}@${f}:${lineOf(workflow, "BEGIN OPENSSH")}`, `key:${pub.sha256}@${f}:${lineOf(workflow, "authorized_keys2")}`].sort(),
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain("inline private key");
    expect(warnings[0]?.message).toContain(priv.sha256);
    const body = material.split("\n")[1] ?? "";
    expect(JSON.stringify({ warnings, pipelines })).not.toContain(body.slice(0, 20));
  });

  it("maps a local reusable workflow's secrets back to the caller through inherit and explicit mappings", async () => {
    const callee = `on:\n  workflow_call:\n    secrets:\n      SSH_KEY:\n        required: true\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "\${{ secrets.SSH_KEY }}" | ssh-add -\n`;
    const caller = `on: push\njobs:\n  explicit:\n    uses: ./.github/workflows/ship.yml\n    secrets:\n      ssh_key: \${{ secrets.PROD_DEPLOY_KEY }}\n  inherited:\n    uses: ./.github/workflows/ship.yml\n    secrets: inherit\n  remote:\n    uses: acme/shared/.github/workflows/deploy.yml@main\n    secrets:\n      DEPLOY_KEY: \${{ secrets.SHARED_DEPLOY_KEY }}\n      NPM_TOKEN: \${{ secrets.NPM_TOKEN }}\n`;
    const dir = testDir({ ".github": { workflows: { "ship.yml": callee, "main.yml": caller } } });
    const { pipelines, warnings } = await collect(githubActionsSource, dir, { repo: "acme/app" });
    expect(warnings).toEqual([]);
    const m = ".github/workflows/main.yml";
    expect(summary(pipelines)).toEqual({
      [`acme/app:${m}#explicit`]: [`secret:PROD_DEPLOY_KEY@${m}:${lineOf(caller, "PROD_DEPLOY_KEY")}`],
      [`acme/app:${m}#inherited`]: [`secret:SSH_KEY@${m}:${lineOf(caller, "secrets: inherit")}`],
      [`acme/app:${m}#remote`]: [`secret:SHARED_DEPLOY_KEY@${m}:${lineOf(caller, "SHARED_DEPLOY_KEY")}`],
      "acme/app:.github/workflows/ship.yml#ship": [`secret:SSH_KEY@.github/workflows/ship.yml:${lineOf(callee, "ssh-add")}`],
    });
    expect(pipelines.find((p) => p.name.endsWith("#inherited"))?.uses[0]?.detail).toMatchObject({ secrets: "inherit", calledWorkflow: "./.github/workflows/ship.yml", calleeJob: "ship" });
    expect(pipelines.find((p) => p.name.endsWith("#remote"))?.uses[0]?.detail).toMatchObject({ notFollowed: true, passedAs: "DEPLOY_KEY" });
  });

  it("warns about a broken file and keeps scanning the others", async () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
    const good = "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: ssh-add <(echo \"${{ secrets.GOOD }}\")\n";
    const dir = testDir({
      ".github": {
        workflows: {
          "bomb.yml": bomb,
          "broken.yml": "jobs:\n  a: [1,\n  b: c: d\n",
          "latin1.yml": Buffer.from([0x6f, 0x6e, 0x3a, 0x20, 0xe9, 0xff, 0x0a]),
          "huge.yml": `# ${"x".repeat(1024 * 1024 + 10)}\n`,
          "good.yml": good,
          "notes.txt": "ignored",
        },
      },
    });
    symlinkSync("loop.yml", join(dir, ".github", "workflows", "loop.yml"));
    const { pipelines, warnings } = await collect(githubActionsSource, dir, { repo: "acme/x" });
    expect(summary(pipelines)).toEqual({ "acme/x:.github/workflows/good.yml#j": ["secret:GOOD@.github/workflows/good.yml:6"] });
    const byFile: Record<string, string> = Object.fromEntries(warnings.map((w) => [w.path.split("/").pop() ?? "", w.message]));
    expect(Object.keys(byFile).sort()).toEqual(["bomb.yml", "broken.yml", "huge.yml", "latin1.yml", "loop.yml"]);
    expect(byFile["bomb.yml"]).toMatch(/alias/i);
    expect(byFile["broken.yml"]).toMatch(/invalid YAML.*at line 3, column 3; file skipped$/);
    expect(byFile["latin1.yml"]).toMatch(/UTF-8/);
    expect(byFile["huge.yml"]).toMatch(/larger than/);
    expect(byFile["loop.yml"]).toMatch(/symlink loop/);
    for (const w of warnings) expect(w.message).not.toContain("\n");
  });

  it("skips an unreadable workflow with a warning", async () => {
    if (process.getuid?.() === 0) return; // root reads every file whatever its mode
    const dir = testDir({ ".github": { workflows: { "secret.yml": "on: push\n" } } });
    const { chmodSync } = await import("node:fs");
    const path = join(dir, ".github", "workflows", "secret.yml");
    chmodSync(path, 0);
    const { warnings } = await collect(githubActionsSource, dir, { repo: "a/b" });
    chmodSync(path, 0o600);
    expect(warnings).toEqual([{ path, message: expect.stringMatching(/cannot be read \(EACCES\)/) as unknown }]);
  });

  it("derives the repository from an https origin and throws InputError for a missing checkout", async () => {
    const dir = testDir({
      ".git": { config: '[remote "upstream"]\n\turl = git@github.com:other/x.git\n[remote "origin"]\n\turl = https://github.com/acme/web.git\n' },
      ".github": { workflows: { "ci.yml": "on: push\njobs:\n  a:\n    steps:\n      - run: ssh -i $KEY_FILE host\n" } },
    });
    const { pipelines } = await collect(githubActionsSource, join(dir, ".github", "workflows"));
    expect(pipelines.map((p) => p.name)).toEqual(["acme/web:.github/workflows/ci.yml#a"]);
    await expect(collect(githubActionsSource, join(dir, "nope"))).rejects.toThrow(InputError);
    await expect(collect(githubActionsSource, join(dir, "nope"))).rejects.toThrow(/nope/);
    writeFileSync(join(dir, "file"), "");
    await expect(collect(githubActionsSource, join(dir, "file"))).rejects.toThrow(/not a directory/);
  });
});
