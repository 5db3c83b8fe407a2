import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { gitlabSource } from "../../../src/sources/gitlab/index.js";
import { generateKey } from "../../helpers/ssh-keygen.js";
import { tempDir, testDir } from "../../helpers/temp-dir.js";
import { collect, lineOf, summary } from "../shared/collect.js";

const MAIN = `include:
  - local: /ci/templates.yml
  - 'ci/jobs/*.yml'
  - remote: https://example.com/ci/shared.yml
  - template: Security/SAST.gitlab-ci.yml

variables:
  DEPLOY_KEY: $PROD_SSH_KEY
  GIT_SSH_COMMAND: "ssh -i $GIT_KEY_FILE -o IdentitiesOnly=yes"

default:
  before_script:
    - eval $(ssh-agent -s)
    - echo "$SSH_PRIVATE_KEY" | tr -d '\\r' | ssh-add -

deploy:
  extends: .ssh-setup
  stage: deploy
  script:
    - ssh -i \${STAGING_KEY_PATH} deploy@staging.example.com ./release.sh
    - !reference [.copy-key, script]

lint:
  inherit:
    default: false
    variables: false
  script:
    - npm run lint

.hidden-only:
  script:
    - ssh-add "$NEVER_A_PIPELINE"
`;

const TEMPLATES = `.ssh-setup:
  before_script:
    - mkdir -p ~/.ssh
    - echo "$DEPLOY_KEY" > ~/.ssh/id_ed25519
    - chmod 600 ~/.ssh/id_ed25519
.copy-key:
  script:
    - |
      cat > /tmp/bot <<EOF
      \${BOT_KEY}
      EOF
      ssh -i /tmp/bot bot@example.com true
`;

const JOB_FILE = `release:
  image: alpine
  variables:
    KEY_FILE: /etc/ci/release_key
  script:
    - ssh-add "$KEY_FILE"
    - scp -o IdentityFile=$UPLOAD_KEY dist.tgz upload@example.com:/srv
`;

describe("gitlabSource", () => {
  it("maps each job to the variables it hands to SSH, through includes, extends, default and !reference", async () => {
    const dir = testDir({
      ".git": { config: '[remote "origin"]\n\turl = git@gitlab.com:acme/platform/api.git\n' },
      ".gitlab-ci.yml": MAIN,
      ci: { "templates.yml": TEMPLATES, jobs: { "release.yml": JOB_FILE, "notes.md": "x" } },
    });
    const { pipelines, warnings } = await collect(gitlabSource, dir);
    const main = ".gitlab-ci.yml";
    const t = "ci/templates.yml";
    const j = "ci/jobs/release.yml";
    expect(summary(pipelines)).toEqual({
      "acme/platform/api:deploy": [
        `variable:BOT_KEY@${t}:${lineOf(TEMPLATES, "${BOT_KEY}")}`,
        `variable:GIT_KEY_FILE@${main}:${lineOf(MAIN, "GIT_KEY_FILE")}`,
        `variable:PROD_SSH_KEY@${t}:${lineOf(TEMPLATES, "$DEPLOY_KEY")}`,
        `variable:STAGING_KEY_PATH@${main}:${lineOf(MAIN, "STAGING_KEY_PATH")}`,
      ],
      "acme/platform/api:release": [
        `file:/etc/ci/release_key@${j}:${lineOf(JOB_FILE, "ssh-add")}`,
        `variable:GIT_KEY_FILE@${main}:${lineOf(MAIN, "GIT_KEY_FILE")}`,
        `variable:SSH_PRIVATE_KEY@${main}:${lineOf(MAIN, "SSH_PRIVATE_KEY")}`,
        `variable:UPLOAD_KEY@${j}:${lineOf(JOB_FILE, "UPLOAD_KEY")}`,
      ],
    });
    const deploy = pipelines.find((p) => p.name.endsWith(":deploy"));
    expect(deploy?.source).toBe(join(dir, ".gitlab-ci.yml"));
    expect(deploy?.repository).toBe("acme/platform/api");
    expect(deploy?.uses.find((u) => u.key.kind === "reference" && u.key.name === "PROD_SSH_KEY")?.detail).toMatchObject({
      job: "deploy",
      section: "before_script",
      via: ["DEPLOY_KEY"],
      includesNotFollowed: ["remote:https://example.com/ci/shared.yml", "template:Security/SAST.gitlab-ci.yml"],
    });
    expect(warnings.map((w) => w.message)).toEqual([
      `${main}:${lineOf(MAIN, "remote:")}: remote include https://example.com/ci/shared.yml not followed: jobs it defines were not scanned`,
      `${main}:${lineOf(MAIN, "template:")}: template include Security/SAST.gitlab-ci.yml not followed: jobs it defines were not scanned`,
    ]);
  });

  it("fingerprints a private key pasted into variables, warning without echoing it", async () => {
    const keys = tempDir();
    const key = generateKey(keys, "rsa", { format: "PEM", bits: 2048 });
    const body = readFileSync(key.privatePath, "utf8").trim().split("\n").map((l) => `    ${l}`).join("\n");
    const ci = `variables:\n  SSH_KEY: |\n${body}\nship:\n  script:\n    - echo "$SSH_KEY" | ssh-add -\n`;
    const dir = testDir({ ".gitlab-ci.yml": ci });
    const { pipelines, warnings } = await collect(gitlabSource, dir, { repo: "acme/leak" });
    expect(summary(pipelines)).toEqual({ "acme/leak:ship": [`key:${key.sha256}@.gitlab-ci.yml:3`] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/inline private key/);
    expect(JSON.stringify(warnings)).not.toContain(readFileSync(key.privatePath, "utf8").split("\n")[1]?.slice(0, 16));
  });

  it("warns about broken included files and an include cycle, and still scans the rest", async () => {
    const bomb = `.a: &a ["x","x","x","x","x","x","x","x","x"]\n.b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n.c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n.d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`;
    const dir = testDir({
      ".gitlab-ci.yml": "include:\n  - ci/bomb.yml\n  - ci/bad.yml\n  - ci/self.yml\n  - ci/missing.yml\n  - ../outside.yml\nok:\n  script:\n    - ssh-add <(echo \"$K\")\n",
      ci: { "bomb.yml": bomb, "bad.yml": "job: [\n", "self.yml": "include: ci/self.yml\n" },
    });
    symlinkSync("loop.yml", join(dir, "ci", "loop.yml"));
    const { pipelines, warnings } = await collect(gitlabSource, dir, { repo: "g/p" });
    expect(summary(pipelines)).toEqual({ "g/p:ok": ["variable:K@.gitlab-ci.yml:9"] });
    const messages = warnings.map((w) => `${w.path.slice(dir.length + 1)}: ${w.message}`);
    expect(messages).toHaveLength(4);
    expect(messages[0]).toMatch(/^ci\/bomb\.yml: YAML rejected: .*alias/);
    expect(messages[1]).toMatch(/^ci\/bad\.yml: invalid YAML/);
    expect(messages[2]).toMatch(/^\.gitlab-ci\.yml: \.gitlab-ci\.yml:5: included file ci\/missing\.yml does not exist/);
    expect(messages[3]).toMatch(/outside the repository/);
  });

  it("throws InputError naming a missing location", async () => {
    const dir = tempDir();
    await expect(collect(gitlabSource, join(dir, "absent"))).rejects.toThrow(InputError);
    await expect(collect(gitlabSource, join(dir, "absent"))).rejects.toThrow(/absent/);
  });
});
