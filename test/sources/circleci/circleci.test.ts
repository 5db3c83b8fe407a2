import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { circleciSource } from "../../../src/sources/circleci/index.js";
import { generateKey } from "../../helpers/ssh-keygen.js";
import { tempDir, testDir } from "../../helpers/temp-dir.js";
import { collect, lineOf, summary } from "../shared/collect.js";

describe("circleciSource", () => {
  it("maps jobs to add_ssh_keys fingerprints (MD5 and SHA256) as ssh-keygen prints them, through commands, parameters and workflows", async () => {
    const keys = tempDir();
    const a = generateKey(keys, "ed25519", { name: "a" });
    const b = generateKey(keys, "rsa", { name: "b", bits: 2048 });
    const c = generateKey(keys, "ecdsa-256", { name: "c" });
    const d = generateKey(keys, "ecdsa-384", { name: "d" });
    const md5 = (fp: string): string => fp.replace(/^MD5:/, "");
    const config = `version: 2.1
parameters:
  release-key:
    type: string
    default: "${d.sha256}"
orbs:
  node: circleci/node@5.1.0
  deployer:
    commands:
      ship:
        parameters:
          fp:
            type: string
            default: "${md5(c.md5)}"
        steps:
          - add_ssh_keys:
              fingerprints:
                - << parameters.fp >>
commands:
  setup-ssh:
    steps:
      - add_ssh_keys:
          fingerprints:
            - "${md5(a.md5)}"
            - "${a.sha256}"
jobs:
  build:
    docker: [{ image: cimg/base:stable }]
    steps:
      - checkout
      - node/install-packages
      - setup-ssh
  deploy:
    parameters:
      key:
        type: string
        default: "${b.sha256}"
    docker: [{ image: cimg/base:stable }]
    steps:
      - add_ssh_keys:
          fingerprints:
            - << parameters.key >>
            - << pipeline.parameters.release-key >>
      - deployer/ship
      - run:
          name: push
          command: |
            ssh -i "$DEPLOY_KEY_FILE" deploy@example.com ./release.sh
  everything:
    docker: [{ image: cimg/base:stable }]
    steps:
      - add_ssh_keys
  broken:
    docker: [{ image: cimg/base:stable }]
    steps:
      - add_ssh_keys:
          fingerprints:
            - "aa:bb:cc"
            - $FINGERPRINT
  plain:
    docker: [{ image: cimg/base:stable }]
    steps: [checkout]
workflows:
  main:
    jobs:
      - build
      - deploy:
          key: "${md5(c.md5)}"
      - deploy
      - everything
`;
    const dir = testDir({ ".git": { config: '[remote "origin"]\n  url = https://github.com/acme/site\n' }, ".circleci": { "config.yml": config } });
    const { pipelines, warnings } = await collect(circleciSource, dir);
    const f = ".circleci/config.yml";
    const at = (needle: string, after?: string): string => `${f}:${lineOf(config, needle, after)}`;
    expect(summary(pipelines)).toEqual({
      "acme/site:build": [`fp:${a.md5}@${at(md5(a.md5))}`, `fp:${a.sha256}@${at(a.sha256)}`].sort(),
      "acme/site:deploy": [
        `fp:${b.sha256}@${at(b.sha256)}`,
        `fp:${c.md5}@${at(md5(c.md5), "workflows:")}`,
        `fp:${c.md5}@${at(md5(c.md5))}`,
        `fp:${d.sha256}@${at(d.sha256)}`,
        `variable:DEPLOY_KEY_FILE@${at("DEPLOY_KEY_FILE")}`,
      ].sort(),
      "acme/site:everything": [`secret:<all project SSH keys>@${at("- add_ssh_keys", "everything:")}`],
    });
    const viaCommand = pipelines.find((p) => p.name === "acme/site:deploy")?.uses.find((u) => u.evidence === at(md5(c.md5)));
    expect(viaCommand?.detail).toMatchObject({ job: "deploy", commands: ["deployer/ship"], format: "md5" });
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(new RegExp(`^${at('"aa:bb:cc"')}: "aa:bb:cc" is not an MD5 fingerprint`)),
      expect.stringMatching(new RegExp(`^${at("$FINGERPRINT")}: fingerprint "\\$FINGERPRINT" uses an environment variable`)),
    ]);
  });

  it("refuses an alias bomb (InputError: a rescan must not erase the stored map), warns about a missing config, and throws InputError for a missing checkout", async () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`;
    const dir = testDir({ bomb: { ".circleci": { "config.yml": bomb } }, empty: {} });
    await expect(collect(circleciSource, join(dir, "bomb"), { repo: "a/b" })).rejects.toThrow(/config\.yml: YAML rejected: .*alias/);
    const empty = await collect(circleciSource, join(dir, "empty"), { repo: "a/b" });
    expect(empty.warnings[0]?.message).toMatch(/no \.circleci\/config\.yml/);
    await expect(collect(circleciSource, join(dir, "gone"))).rejects.toThrow(InputError);
  });
});
