import { describe, expect, it } from "vitest";
import { parsePipelineScript } from "../../../src/sources/jenkins/index.js";

type Row = [string, string, Array<{ step: string; credentialId?: string; expression?: string; url?: string | null; line?: number }>];

const rows: Row[] = [
  ["sshagent with a list", `sshagent(['deploy-key']) {\n  sh 'ssh host true'\n}`, [{ step: "sshagent", credentialId: "deploy-key", line: 1 }]],
  ["sshagent with several ids", `sshagent(["a", 'b']) { }`, [{ step: "sshagent", credentialId: "a" }, { step: "sshagent", credentialId: "b" }]],
  [
    "sshagent with named credentials",
    `sshagent(credentials: ['x-key'], ignoreMissing: true) {}`,
    [{ step: "sshagent", credentialId: "x-key" }],
  ],
  [
    "withCredentials sshUserPrivateKey",
    `withCredentials([sshUserPrivateKey(credentialsId: 'bind-key', keyFileVariable: 'KEY', usernameVariable: 'U')]) {\n  sh 'x'\n}`,
    [{ step: "sshUserPrivateKey", credentialId: "bind-key" }],
  ],
  [
    "git step with parentheses",
    `git(url: 'git@github.com:acme/app.git', credentialsId: 'git-key', branch: 'main')`,
    [{ step: "git", credentialId: "git-key", url: "git@github.com:acme/app.git" }],
  ],
  [
    "git step in command syntax",
    `node {\n  git credentialsId: 'git-key', url: 'ssh://git@github.com/acme/app.git'\n  sh 'make'\n}`,
    [{ step: "git", credentialId: "git-key", url: "ssh://git@github.com/acme/app.git", line: 2 }],
  ],
  [
    "git step continued over lines",
    `git branch: 'main',\n    credentialsId: 'multi-line',\n    url: 'git@h:o/r.git'`,
    [{ step: "git", credentialId: "multi-line", url: "git@h:o/r.git", line: 2 }],
  ],
  [
    "checkout with GitSCM class",
    `checkout([$class: 'GitSCM', branches: [[name: '*/main']], userRemoteConfigs: [[credentialsId: 'co-key', url: 'git@github.com:acme/a.git'], [url: 'https://x/y/z', credentialsId: 'co2']]])`,
    [
      { step: "checkout", credentialId: "co-key", url: "git@github.com:acme/a.git" },
      { step: "checkout", credentialId: "co2", url: "https://x/y/z" },
    ],
  ],
  [
    "checkout scmGit",
    `checkout scmGit(branches: [[name: 'main']], userRemoteConfigs: [[credentialsId: 'scmgit-key', url: 'git@github.com:acme/b.git']])`,
    [{ step: "checkout", credentialId: "scmgit-key", url: "git@github.com:acme/b.git" }],
  ],
  [
    "declarative environment credentials",
    `pipeline {\n  agent any\n  environment {\n    DEPLOY_KEY = credentials('env-key')\n  }\n}`,
    [{ step: "credentials", credentialId: "env-key", line: 4 }],
  ],
  ["an interpolated id", 'sshagent(["${params.KEY_ID}"]) {}', [{ step: "sshagent", expression: '"${params.KEY_ID}"' }]],
  ["a variable id", `def id = 'k'\nsshagent([id]) {}`, [{ step: "sshagent", expression: "id", line: 2 }]],
  ["a variable list", `sshagent(credentials: keys) {}`, [{ step: "sshagent", expression: "keys" }]],
  ["a concatenated id", `withCredentials([sshUserPrivateKey(credentialsId: 'k-' + env.ENV)]) {}`, [{ step: "sshUserPrivateKey", expression: "'k-' + env.ENV" }]],
  ["a double-quoted id without interpolation", `sshagent(["plain"]) {}`, [{ step: "sshagent", credentialId: "plain" }]],
  ["steps in comments", `// sshagent(['commented'])\n/* git credentialsId: 'nope', url: 'x' */\nsh 'echo'`, []],
  ["steps inside strings", `sh "sshagent(['in-string']) git credentialsId: 'x'"\necho 'credentials(\\'q\\')'`, []],
  ["a git url without credentials", `git 'https://github.com/acme/public.git'`, []],
];

describe("parsePipelineScript", () => {
  it.each(rows)("finds the references of %s", (_label, script, expected) => {
    const found = parsePipelineScript(script);
    expect(found).toHaveLength(expected.length);
    expected.forEach((want, i) => {
      const got = found[i];
      expect(got?.step).toBe(want.step);
      expect(got?.credentialId).toBe(want.credentialId ?? null);
      expect(got?.expression).toBe(want.expression ?? null);
      if (want.url !== undefined) expect(got?.url).toBe(want.url);
      if (want.line !== undefined) expect(got?.line).toBe(want.line);
    });
  });

  it("takes the remote an sshagent block pushes to as the reference's URL", () => {
    const script = `node {\n  sshagent(['deploy-key']) {\n    sh 'git push git@github.com:acme/production.git HEAD:main || true'\n  }\n  sshagent(['other']) { sh 'ssh host true' }\n}`;
    expect(parsePipelineScript(script).map((r) => [r.credentialId, r.url])).toEqual([
      ["deploy-key", "git@github.com:acme/production.git"],
      ["other", null],
    ]);
  });

  it("keeps brackets inside strings from ending an argument list", () => {
    const found = parsePipelineScript(`sshagent(credentials: ['a]b', 'c)d']) { sh ')' }`);
    expect(found.map((f) => f.credentialId)).toEqual(["a]b", "c)d"]);
  });
});
