import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { jenkinsSource } from "../../../src/sources/jenkins/index.js";
import type { KeyUse, PipelineRecord, ScanWarning } from "../../../src/sources/source.js";
import { writeJenkinsHome } from "../../helpers/jenkins-home.js";
import type { JenkinsHomeSpec } from "../../helpers/jenkins-home.js";
import type { GeneratedKey } from "../../helpers/ssh-keygen.js";
import { generateKey } from "../../helpers/ssh-keygen.js";
import { makeUnreadable, tempDir, testDir } from "../../helpers/temp-dir.js";

const fixtures = fileURLToPath(new URL("../../fixtures/jenkins/", import.meta.url));

async function scan(home: string): Promise<{ records: PipelineRecord[]; warnings: ScanWarning[] }> {
  const warnings: ScanWarning[] = [];
  const records: PipelineRecord[] = [];
  for await (const record of jenkinsSource.scan({ location: home, options: {}, warn: (w) => warnings.push(w) })) {
    records.push(record);
  }
  return { records, warnings };
}

function pipeline(records: readonly PipelineRecord[], name: string): PipelineRecord {
  const found = records.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no pipeline ${name} in ${records.map((r) => r.name).join(", ")}`);
  return found;
}

function usesBy(record: PipelineRecord, style: string, credentialId?: string): KeyUse[] {
  return record.uses.filter(
    (u) => u.detail?.["referenceStyle"] === style && (credentialId === undefined || u.detail["credentialId"] === credentialId),
  );
}

function sha256Of(use: KeyUse | undefined): string | undefined {
  return use?.key.kind === "key" ? use.key.key.sha256 : undefined;
}

/** `file:line` where `needle` first appears in `home/file` (after `after`, when given): the evidence oracle. */
function lineIn(home: string, file: string, needle: string, after?: string): string {
  const lines = readFileSync(join(home, file), "utf8").split("\n");
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return `${file}:${index + 1}`;
}

interface Keys {
  ed: GeneratedKey;
  rsa: GeneratedKey;
  ed2: GeneratedKey;
  rsa2: GeneratedKey;
  opensshEnc: GeneratedKey;
  pemEnc: GeneratedKey;
  agent: GeneratedKey;
  file: GeneratedKey;
  plain: GeneratedKey;
  shadowSystem: GeneratedKey;
  shadowFolder: GeneratedKey;
  alice: GeneratedKey;
  usage: GeneratedKey;
  gh: GeneratedKey;
  mb: GeneratedKey;
}

const OPENSSH_PASS = "open sesame 42";
const PEM_PASS = "pem-pass-Xy9";

function makeKeys(dir: string): Keys {
  return {
    ed: generateKey(dir, "ed25519", { name: "ed" }),
    rsa: generateKey(dir, "rsa", { name: "rsa", format: "PEM", bits: 2048 }),
    ed2: generateKey(dir, "ed25519", { name: "ed2" }),
    rsa2: generateKey(dir, "rsa", { name: "rsa2", format: "PEM", bits: 2048 }),
    opensshEnc: generateKey(dir, "ed25519", { name: "openssh_enc", passphrase: OPENSSH_PASS }),
    pemEnc: generateKey(dir, "rsa", { name: "pem_enc", format: "PEM", bits: 2048, passphrase: PEM_PASS }),
    agent: generateKey(dir, "ecdsa-256", { name: "agent" }),
    file: generateKey(dir, "ed25519", { name: "file" }),
    plain: generateKey(dir, "rsa", { name: "plain", format: "PEM", bits: 2048 }),
    shadowSystem: generateKey(dir, "ed25519", { name: "shadow_system" }),
    shadowFolder: generateKey(dir, "ed25519", { name: "shadow_folder" }),
    alice: generateKey(dir, "ed25519", { name: "alice" }),
    usage: generateKey(dir, "ed25519", { name: "usage" }),
    gh: generateKey(dir, "ed25519", { name: "gh" }),
    mb: generateKey(dir, "ed25519", { name: "mb" }),
  };
}

const text = (key: GeneratedKey): string => readFileSync(key.privatePath, "utf8");

const INLINE_SCRIPT = `pipeline {
  agent any
  environment {
    DEPLOY_KEY = credentials('deploy-ed25519')
  }
  stages {
    stage('deploy') {
      steps {
        sshagent(['release-rsa']) {
          sh "ssh deploy@prod 'release \${BUILD_ID}'"
        }
        withCredentials([sshUserPrivateKey(credentialsId: 'openssh-enc', keyFileVariable: 'KEY')]) {
          sh 'scp -i $KEY a b'
        }
        git(url: 'git@github.com:acme/deploy-config.git', credentialsId: 'shadowed')
        checkout([$class: 'GitSCM', branches: [[name: '*/main']], userRemoteConfigs: [[credentialsId: 'file-key', url: 'git@github.com:acme/files.git']]])
        checkout scmGit(userRemoteConfigs: [[credentialsId: 'alice-key', url: 'https://github.com/acme/alice']])
        sshagent(["\${params.KEY_ID}"]) { sh 'true' }
        sshagent(['ghost-key']) { sh 'true' }
      }
    }
  }
}`;

function fullSpec(keys: Keys, keyFileDir: string): JenkinsHomeSpec {
  return {
    credentials: [
      { id: "deploy-ed25519", privateKeys: [text(keys.ed)], description: "deploy key" },
      { id: "multi-key", privateKeys: [text(keys.ed2), text(keys.rsa2)] },
      { id: "pem-enc", privateKeys: [text(keys.pemEnc)], passphrase: PEM_PASS },
      { id: "openssh-enc", privateKeys: [text(keys.opensshEnc)], passphrase: OPENSSH_PASS, domain: "github.com" },
      { id: "agent-key", privateKeys: [text(keys.agent)], username: "jenkins" },
      { id: "file-key", source: "file-on-master", privateKeyFile: keys.file.privatePath },
      { id: "file-missing", source: "file-on-master", privateKeyFile: join(keyFileDir, "does-not-exist") },
      { id: "users-key", source: "users" },
      { id: "old-plain", source: "plain", privateKeys: [text(keys.plain)], passphrase: "unused" },
      { id: "shadowed", privateKeys: [text(keys.shadowSystem)] },
      { id: "usage-key", privateKeys: [text(keys.usage)] },
      { id: "gh-ssh", privateKeys: [text(keys.gh)] },
      { id: "mb-key", privateKeys: [text(keys.mb)] },
      { id: "https-pass", kind: "password", password: "s3cret-pw" },
    ],
    users: [{ id: "alice", credentials: [{ id: "alice-key", privateKeys: [text(keys.alice)] }] }],
    items: [
      { type: "freestyle", name: "app-build", git: { url: "git@github.com:acme/app.git", credentialsId: "deploy-ed25519" }, sshAgent: ["multi-key"], binding: "pem-enc" },
      { type: "freestyle", name: "legacy-agent", sshAgentUser: "old-plain" },
      { type: "freestyle", name: "uses-password", git: { url: "https://github.com/acme/pw.git", credentialsId: "https-pass" } },
      { type: "freestyle", name: "uses-users-key", sshAgent: ["users-key", "file-missing"] },
      {
        type: "folder",
        name: "release",
        credentials: [
          { id: "release-rsa", privateKeys: [text(keys.rsa)] },
          { id: "shadowed", privateKeys: [text(keys.shadowFolder)] },
        ],
        items: [
          { type: "pipeline", name: "deploy-prod", script: INLINE_SCRIPT },
          {
            type: "folder",
            name: "nested",
            items: [
              {
                type: "pipeline",
                name: "scm-job",
                scm: { url: "ssh://git@github.com/acme/infra.git", credentialsId: "release-rsa" },
                builds: [
                  { number: 1, script: "node { sshagent(['deploy-ed25519']) { sh 'x' } }" },
                  {
                    number: 2,
                    script: "node {\n  sshagent(['agent-key']) {\n    load 'lib.groovy'\n  }\n}",
                    loadedScripts: { Script1: "def call() {\n  sshagent(['old-plain']) { sh 'y' }\n}" },
                  },
                ],
              },
            ],
          },
          { type: "pipeline", name: "scm-nobuild", scm: { url: "https://github.com/acme/web", credentialsId: "deploy-ed25519" } },
        ],
      },
      {
        type: "multibranch",
        name: "mb",
        source: { type: "git", remote: "git@github.com:acme/mb.git", credentialsId: "mb-key" },
        branches: [
          { name: "main", git: { url: "git@github.com:acme/mb.git", credentialsId: "mb-key" }, builds: [{ number: 4, script: "sshagent(['deploy-ed25519']) {}" }] },
          { name: "feature/x", dir: "feature-x.k3j2", git: { url: "git@github.com:acme/mb.git", credentialsId: "mb-key" } },
        ],
      },
      { type: "multibranch", name: "gh", source: { type: "github", owner: "acme", repository: "gh-repo", sshCheckout: "gh-ssh" } },
      { type: "org-folder", name: "acme-org", owner: "acme", sshCheckout: "", repositories: [{ name: "svc", branches: [{ name: "main" }] }] },
    ],
    nodes: [{ name: "agent-1", host: "agent1.internal", port: 2222, credentialsId: "agent-key" }],
    usageLog: [{ credentialId: "usage-key", name: "deploy (usage)", jobs: ["release/deploy-prod", "deleted-job"] }],
  };
}

describe("jenkinsSource on a realistic Jenkins home", () => {
  let keys: Keys;
  let home: string;
  let records: PipelineRecord[];
  let warnings: ScanWarning[];
  let keyDir: string;

  beforeAll(async () => {
    keyDir = tempDir("keyward-jenkins-keys-", { keep: true });
    keys = makeKeys(keyDir);
    home = join(tempDir("keyward-jenkins-home-", { keep: true }), "jenkins_home");
    writeJenkinsHome(home, fullSpec(keys, keyDir));
    ({ records, warnings } = await scan(home));
    return () => {
      // Keys and home are removed after the suite: they hold private keys.
      for (const dir of [keyDir, join(home, "..")]) rmSync(dir, { recursive: true, force: true });
    };
  }, 60_000);

  it("maps a freestyle job's git SCM, ssh-agent wrapper and binding to the keys ssh-keygen fingerprints", () => {
    const job = pipeline(records, "app-build");
    expect(job.repository).toBe("acme/app");
    const [scm] = usesBy(job, "scm", "deploy-ed25519");
    expect(sha256Of(scm)).toBe(keys.ed.sha256);
    expect(scm?.target).toBe("git@github.com:acme/app.git");
    expect(scm?.evidence).toBe(lineIn(home, "jobs/app-build/config.xml", "<credentialsId>deploy-ed25519</credentialsId>"));
    expect(scm?.detail).toMatchObject({ store: "system", decrypt: "decrypted", keyStatus: "ok" });

    const agent = usesBy(job, "sshagent", "multi-key");
    expect(agent.map(sha256Of)).toEqual([keys.ed2.sha256, keys.rsa2.sha256]);
    expect(agent.map((u) => u.detail?.["keyIndex"])).toEqual([1, 2]);
    expect(agent[0]?.evidence).toBe(lineIn(home, "jobs/app-build/config.xml", "<string>multi-key</string>"));

    const [binding] = usesBy(job, "binding", "pem-enc");
    expect(sha256Of(binding)).toBe(keys.pemEnc.sha256);
    expect(binding?.detail).toMatchObject({ passphrase: "decrypted", keyStatus: "ok" });
  });

  it("reads the old plain-text key of ssh-credentials 1.10 named by a pre-1.5 ssh-agent `user` field", () => {
    const [use] = usesBy(pipeline(records, "legacy-agent"), "sshagent", "old-plain");
    expect(sha256Of(use)).toBe(keys.plain.sha256);
    expect(use?.detail).toMatchObject({ decrypt: "plaintext", legacyField: "user" });
  });

  it("finds every step of an inline pipeline in a folder, resolving the folder store before the system store", () => {
    const job = pipeline(records, "release/deploy-prod");
    const file = "jobs/release/jobs/deploy-prod/config.xml";
    const inline = usesBy(job, "inline-script");
    const byId = (id: string): KeyUse | undefined => inline.find((u) => u.detail?.["credentialId"] === id);
    expect(sha256Of(byId("release-rsa"))).toBe(keys.rsa.sha256);
    expect(byId("release-rsa")?.detail).toMatchObject({ store: "folder:release", step: "sshagent" });
    expect(byId("release-rsa")?.evidence).toBe(lineIn(home, file, "sshagent([&apos;release-rsa&apos;])"));
    expect(sha256Of(byId("openssh-enc"))).toBe(keys.opensshEnc.sha256);
    expect(byId("openssh-enc")?.detail).toMatchObject({ domain: "github.com", step: "sshUserPrivateKey" });
    expect(sha256Of(byId("shadowed"))).toBe(keys.shadowFolder.sha256);
    expect(byId("shadowed")?.target).toBe("git@github.com:acme/deploy-config.git");
    expect(sha256Of(byId("file-key"))).toBe(keys.file.sha256);
    expect(byId("file-key")?.detail).toMatchObject({ privateKeySource: "file-on-master", keyFile: keys.file.privatePath });
    expect(sha256Of(byId("alice-key"))).toBe(keys.alice.sha256);
    expect(byId("alice-key")?.detail).toMatchObject({ store: "user:alice", step: "checkout" });
    expect(sha256Of(byId("deploy-ed25519"))).toBe(keys.ed.sha256);
    expect(byId("deploy-ed25519")?.evidence).toBe(lineIn(home, file, "credentials(&apos;deploy-ed25519&apos;)"));
    expect(job.repository).toBe("acme/deploy-config");

    const dynamic = inline.find((u) => u.key.kind === "reference" && u.key.referenceKind === "dynamic");
    expect(dynamic?.key).toEqual({ kind: "reference", referenceKind: "dynamic", name: '"${params.KEY_ID}"' });

    const ghost = byId("ghost-key");
    expect(ghost?.key).toEqual({ kind: "reference", referenceKind: "credential", name: "ghost-key" });
    expect(ghost?.detail).toMatchObject({ missing: true });
    expect(warnings.some((w) => w.path === join(home, file) && w.message.includes('"ghost-key"'))).toBe(true);
  });

  it("adds the usage log's record of a credential to the job that used it, and keeps deleted jobs", () => {
    const [use] = usesBy(pipeline(records, "release/deploy-prod"), "usage-log", "usage-key");
    expect(sha256Of(use)).toBe(keys.usage.sha256);
    expect(use?.evidence).toMatch(/^fingerprints\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]+\.xml:\d+$/);
    const [file, line] = (use?.evidence ?? "").split(":");
    expect(readFileSync(join(home, file ?? ""), "utf8").split("\n")[Number(line) - 1]).toContain("release/deploy-prod");
    expect(use?.detail).toMatchObject({ builds: "1-3,5" });
    expect(sha256Of(usesBy(pipeline(records, "deleted-job"), "usage-log")[0])).toBe(keys.usage.sha256);
  });

  it("reads the Jenkinsfile of an SCM pipeline from its newest build, with the credential of two folders up", () => {
    const job = pipeline(records, "release/nested/scm-job");
    expect(job.repository).toBe("acme/infra");
    const [scm] = usesBy(job, "scm", "release-rsa");
    expect(sha256Of(scm)).toBe(keys.rsa.sha256);
    expect(scm?.detail).toMatchObject({ store: "folder:release", jenkinsfile: "read from jobs/release/jobs/nested/jobs/scm-job/builds/2/build.xml" });
    const build = usesBy(job, "build-script");
    expect(build.map((u) => u.detail?.["credentialId"]).sort()).toEqual(["agent-key", "old-plain"]);
    const buildFile = "jobs/release/jobs/nested/jobs/scm-job/builds/2/build.xml";
    expect(build.find((u) => u.detail?.["credentialId"] === "agent-key")?.evidence).toBe(lineIn(home, buildFile, "agent-key"));
    expect(build.find((u) => u.detail?.["credentialId"] === "old-plain")?.evidence).toBe(lineIn(home, buildFile, "old-plain"));
    expect(sha256Of(build.find((u) => u.detail?.["credentialId"] === "agent-key"))).toBe(keys.agent.sha256);
  });

  it("says when an SCM pipeline's Jenkinsfile could not be read", () => {
    const [scm] = usesBy(pipeline(records, "release/scm-nobuild"), "scm");
    expect(scm?.detail?.["jenkinsfile"]).toMatch(/^not read/);
    expect(pipeline(records, "release/scm-nobuild").repository).toBe("acme/web");
  });

  it("maps multibranch sources and branch jobs under Jenkins full names", () => {
    const [source] = usesBy(pipeline(records, "mb"), "multibranch-source", "mb-key");
    expect(sha256Of(source)).toBe(keys.mb.sha256);
    const main = pipeline(records, "mb/main");
    expect(sha256Of(usesBy(main, "scm", "mb-key")[0])).toBe(keys.mb.sha256);
    expect(sha256Of(usesBy(main, "build-script", "deploy-ed25519")[0])).toBe(keys.ed.sha256);
    expect(main.repository).toBe("acme/mb");
    expect(pipeline(records, "mb/feature%2Fx").source).toBe(join(home, "jobs/mb/branches/feature-x.k3j2/config.xml"));
  });

  it("maps a GitHub source's SSH checkout trait, and an empty trait to the agent's own key", () => {
    const [gh] = usesBy(pipeline(records, "gh"), "multibranch-source", "gh-ssh");
    expect(sha256Of(gh)).toBe(keys.gh.sha256);
    expect(gh?.target).toBe("https://github.com/acme/gh-repo");
    const [agentKey] = usesBy(pipeline(records, "acme-org"), "multibranch-source");
    expect(agentKey?.detail).toMatchObject({ agentKey: true });
    expect(agentKey?.key).toEqual({ kind: "reference", referenceKind: "file", name: "agent default key (~/.ssh)" });
    expect(agentKey?.target).toBe("https://github.com/acme");
    expect(usesBy(pipeline(records, "acme-org/svc"), "multibranch-source")[0]?.detail?.["agentKey"]).toBe(true);
  });

  it("maps an SSH build agent to a node: pipeline", () => {
    const node = pipeline(records, "node:agent-1");
    const [use] = usesBy(node, "node-launcher", "agent-key");
    expect(sha256Of(use)).toBe(keys.agent.sha256);
    expect(use?.target).toBe("agent1.internal:2222");
    expect(use?.evidence).toBe(lineIn(home, "nodes/agent-1/config.xml", "<credentialsId>agent-key</credentialsId>"));
  });

  it("reports keys it cannot read here as credential references with the reason", () => {
    const job = pipeline(records, "uses-users-key");
    const [users] = usesBy(job, "sshagent", "users-key");
    expect(users?.key).toEqual({ kind: "reference", referenceKind: "credential", name: "users-key" });
    expect(users?.detail).toMatchObject({ keyStatus: "not-readable-here", privateKeySource: "users" });
    const [missing] = usesBy(job, "sshagent", "file-missing");
    expect(missing?.detail).toMatchObject({ keyStatus: "file-not-found" });
    expect(warnings.some((w) => w.message.includes('"users-key"'))).toBe(true);
    expect(warnings.some((w) => w.message.includes('"file-missing"'))).toBe(true);
  });

  it("yields no use for a job whose credential is not an SSH key", () => {
    expect(records.find((r) => r.name === "uses-password")).toBeUndefined();
  });

  it("never puts decrypted material in anything it yields or warns", () => {
    const output = JSON.stringify({ records, warnings });
    const all = Object.values(keys) as GeneratedKey[];
    for (const key of all) {
      // Body lines of the private key file, except those that merely repeat the public key (OpenSSH and SEC1
      // files carry the public half in clear).
      const publicBase64 = key.publicLine.split(" ")[1] ?? "";
      const body = text(key)
        .split("\n")
        .filter((line) => line.length >= 16 && !line.startsWith("-----") && !line.includes(":") && !publicBase64.includes(line));
      expect(body.length).toBeGreaterThan(0);
      for (const line of body) expect(output).not.toContain(line);
    }
    for (const secret of [OPENSSH_PASS, PEM_PASS, "s3cret-pw"]) expect(output).not.toContain(secret);
  });
});

describe("jenkinsSource on damaged or partial homes", () => {
  it("maps jobs with unresolved credential ids and names the missing file when the home has no secrets", async () => {
    const dir = tempDir();
    const ed = generateKey(dir, "ed25519", { name: "ed" });
    const home = join(dir, "home");
    writeJenkinsHome(home, {
      writeSecrets: false,
      credentials: [{ id: "deploy", privateKeys: [text(ed)] }],
      items: [{ type: "freestyle", name: "job", git: { url: "git@github.com:acme/app.git", credentialsId: "deploy" } }],
    });
    const { records, warnings } = await scan(home);
    const [use] = pipeline(records, "job").uses;
    expect(use?.key).toEqual({ kind: "reference", referenceKind: "credential", name: "deploy" });
    expect(use?.detail).toMatchObject({ decrypt: "no-secrets", keyStatus: "no-secrets", credentialId: "deploy" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.path).toBe(join(home, "secrets/master.key"));
    expect(warnings[0]?.message).toMatch(/^secrets\/master\.key does not exist: SSH credentials cannot be decrypted/);
  });

  it("maps a missing credential as an unresolved reference when no credentials.xml exists", async () => {
    const home = join(tempDir(), "home");
    writeJenkinsHome(home, { items: [{ type: "freestyle", name: "job", sshAgent: ["nowhere"] }] });
    const { records, warnings } = await scan(home);
    expect(pipeline(records, "job").uses[0]?.key).toEqual({ kind: "reference", referenceKind: "credential", name: "nowhere" });
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('uses credential "nowhere"')]);
  });

  it("warns about a truncated config.xml and an entity bomb and still scans the other jobs", async () => {
    const home = join(tempDir(), "home");
    writeJenkinsHome(home, { items: [{ type: "freestyle", name: "ok", sshAgent: ["k"] }] });
    mkdirSync(join(home, "jobs", "truncated"), { recursive: true });
    writeFileSync(join(home, "jobs", "truncated", "config.xml"), "<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <scm class=\"hudson.plugins.git.GitSCM\">\n    <userRemoteConfigs>");
    mkdirSync(join(home, "jobs", "bomb"), { recursive: true });
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("");
    writeFileSync(join(home, "jobs", "bomb", "config.xml"), `<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY lol0 "lol">${lol}]>\n<project><description>&lol9;</description></project>`);
    const { records, warnings } = await scan(home);
    expect(records.map((r) => r.name)).toEqual(["ok"]);
    expect(warnings.find((w) => w.path === join(home, "jobs/truncated/config.xml"))?.message).toMatch(/not well-formed/);
    expect(warnings.find((w) => w.path === join(home, "jobs/bomb/config.xml"))?.message).toMatch(/entities/);
  });

  it("warns about a symlink loop between job folders and does not follow it", async () => {
    const home = join(tempDir(), "home");
    writeJenkinsHome(home, { items: [{ type: "folder", name: "f", items: [{ type: "freestyle", name: "j", sshAgent: ["k"] }] }] });
    symlinkSync(join(home, "jobs", "f"), join(home, "jobs", "f", "jobs", "loop"));
    const { records, warnings } = await scan(home);
    expect(records.map((r) => r.name)).toEqual(["f/j"]);
    expect(warnings.some((w) => w.path === join(home, "jobs/f/jobs/loop") && /symlink loop/.test(w.message))).toBe(true);
  });

  it.skipIf(process.getuid?.() === 0)("warns about an unreadable config.xml and skips it", async () => {
    const home = join(tempDir(), "home");
    writeJenkinsHome(home, { items: [{ type: "freestyle", name: "a", sshAgent: ["k"] }, { type: "freestyle", name: "b", sshAgent: ["k"] }] });
    makeUnreadable(join(home, "jobs", "a", "config.xml"));
    const { records, warnings } = await scan(home);
    expect(records.map((r) => r.name)).toEqual(["b"]);
    expect(warnings.some((w) => w.path === join(home, "jobs/a/config.xml") && /cannot be read/.test(w.message))).toBe(true);
  });

  it("throws an InputError naming a JENKINS_HOME that does not exist or is a file", async () => {
    const dir = testDir({ "a-file": "x" });
    for (const location of [join(dir, "missing"), join(dir, "a-file")]) {
      const run = async (): Promise<void> => {
        for await (const _ of jenkinsSource.scan({ location, options: {}, warn: () => undefined })) void _;
      };
      await expect(run()).rejects.toThrow(InputError);
      await expect(run()).rejects.toThrow(location);
    }
  });

  it("resolves a job's credential from the real Jenkins 2.141 credentials to the known fingerprint", async () => {
    const home = join(tempDir(), "home");
    writeJenkinsHome(home, { items: [{ type: "freestyle", name: "bastion", sshAgent: ["production-bastion", "gitlab"] }] });
    const vector = join(fixtures, "jenkins-2.141");
    copyFileSync(join(vector, "credentials.xml"), join(home, "credentials.xml"));
    copyFileSync(join(vector, "master.key"), join(home, "secrets", "master.key"));
    copyFileSync(join(vector, "hudson.util.Secret"), join(home, "secrets", "hudson.util.Secret"));
    const { records, warnings } = await scan(home);
    const uses = pipeline(records, "bastion").uses;
    expect(uses.map(sha256Of)).toEqual(["SHA256:uis7nkQqv6NF1SDNz1+PA1ROeRYKxrLF8pj7RtiNfes"]);
    expect(uses[0]?.detail).toMatchObject({ store: "system", storeFile: lineIn(home, "credentials.xml", "<id>production-bastion</id>"), decrypt: "decrypted", passphrase: "decrypted" });
    expect(warnings).toEqual([]);
  });
});
