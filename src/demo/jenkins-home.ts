import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/*
 * Writes a Jenkins home the way a Jenkins controller does, so that `keyward scan jenkins` reads the demo through
 * the same code path as a real controller. Written from the Jenkins sources, not from keyward's decrypter:
 * - jenkins/security/DefaultConfidentialStore.java: secrets/master.key is 128 random bytes as hex (256 chars, no
 *   newline); every confidential key file is AES-128-ECB/PKCS5 of (key bytes || "::::MAGIC::::") under the first
 *   16 bytes of SHA-256(master.key text) (hudson/Util.java toAes128Key).
 * - jenkins/security/CryptoConfidentialKey.java: secrets/hudson.util.Secret holds 256 random bytes; a Secret's
 *   AES key is its first 16 bytes.
 * - hudson/util/Secret.java getEncryptedValue: `{base64(0x01 || int32 ivLength || int32 dataLength || iv ||
 *   AES-128-CBC/PKCS5(plain UTF-8))}` with a fresh 16-byte IV per value.
 * Files carry the XML 1.1 declaration and XStream names (`_-` for `$` in element names) that Jenkins writes.
 */

const MAGIC = "::::MAGIC::::";
const XML_DECLARATION = "<?xml version='1.1' encoding='UTF-8'?>";

/** The confidential store of one controller, in memory: enough to write its secrets/ and encrypt values. */
export interface JenkinsSecrets {
  /** Text of secrets/master.key. */
  readonly masterKey: string;
  /** Bytes of secrets/hudson.util.Secret. */
  readonly hudsonUtilSecret: Buffer;
  /** A Secret's stored form, `{AQAAABAAAA…}`. */
  encrypt(plain: string): string;
}

/** New random secrets, as a controller creates them on first start. */
export function createJenkinsSecrets(): JenkinsSecrets {
  const masterKey = randomBytes(128).toString("hex");
  const masterAesKey = createHash("sha256").update(masterKey, "utf8").digest().subarray(0, 16);
  const confidential = randomBytes(256);
  const sealer = createCipheriv("aes-128-ecb", masterAesKey, null);
  const hudsonUtilSecret = Buffer.concat([sealer.update(confidential), sealer.update(MAGIC, "utf8"), sealer.final()]);
  const secretKey = Buffer.from(confidential.subarray(0, 16));
  return {
    masterKey,
    hudsonUtilSecret,
    encrypt(plain: string): string {
      const iv = randomBytes(16);
      const cipher = createCipheriv("aes-128-cbc", secretKey, iv);
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const header = Buffer.alloc(9);
      header.writeUInt8(1, 0);
      header.writeInt32BE(iv.length, 1);
      header.writeInt32BE(data.length, 5);
      return `{${Buffer.concat([header, iv, data]).toString("base64")}}`;
    },
  };
}

/** An SSH credential as "SSH Username with private key" → "Enter directly" stores it. */
export interface JenkinsSshCredentialSpec {
  readonly id: string;
  readonly username?: string;
  readonly description?: string;
  /** The private key text (PEM or OpenSSH); stored encrypted. */
  readonly privateKey: string;
  /** Stored encrypted; omitted from the XML when absent, as Jenkins does for an empty passphrase. */
  readonly passphrase?: string;
}

export type JenkinsJobSpec =
  | {
      /** A Pipeline job with the script typed into the job (CpsFlowDefinition). */
      readonly kind: "pipeline";
      readonly name: string;
      readonly description?: string;
      readonly script: string;
    }
  | {
      /** A freestyle job checking out one Git remote with a credential and running a shell step. */
      readonly kind: "freestyle";
      readonly name: string;
      readonly description?: string;
      readonly gitUrl: string;
      readonly credentialsId: string;
      readonly branch?: string;
      readonly shell?: string;
    }
  | {
      readonly kind: "folder";
      readonly name: string;
      readonly description?: string;
      readonly jobs: readonly JenkinsJobSpec[];
    };

export interface JenkinsHomeSpec {
  /** System-store credentials (credentials.xml, global domain). */
  readonly credentials: readonly JenkinsSshCredentialSpec[];
  readonly jobs: readonly JenkinsJobSpec[];
  /** Controller version written to config.xml; default 2.452.3. */
  readonly version?: string;
}

/** XStream's text escaping (PrettyPrintWriter): quotes become entities too, carriage returns numeric ones. */
function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#xd;");
}

function textElement(indent: string, name: string, value: string | undefined): string {
  return value === undefined || value === "" ? `${indent}<${name}/>` : `${indent}<${name}>${escapeXml(value)}</${name}>`;
}

function writePrivate(path: string, content: string | Buffer): void {
  writeFileSync(path, content, { mode: 0o600 });
}

function renderCredentials(credentials: readonly JenkinsSshCredentialSpec[], secrets: JenkinsSecrets): string {
  const entries = credentials.map((c) =>
    [
      `        <com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey plugin="ssh-credentials@343.v884f71d78167">`,
      `          <scope>GLOBAL</scope>`,
      textElement("          ", "id", c.id),
      textElement("          ", "description", c.description),
      textElement("          ", "username", c.username ?? "git"),
      `          <usernameSecret>false</usernameSecret>`,
      ...(c.passphrase === undefined || c.passphrase === "" ? [] : [textElement("          ", "passphrase", secrets.encrypt(c.passphrase))]),
      `          <privateKeySource class="com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey$DirectEntryPrivateKeySource">`,
      textElement("            ", "privateKey", secrets.encrypt(c.privateKey)),
      `          </privateKeySource>`,
      `        </com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey>`,
    ].join("\n"),
  );
  return [
    XML_DECLARATION,
    `<com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@1337.v60b_d7b_c7b_c9f">`,
    `  <domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash">`,
    `    <entry>`,
    `      <com.cloudbees.plugins.credentials.domains.Domain>`,
    `        <specifications/>`,
    `      </com.cloudbees.plugins.credentials.domains.Domain>`,
    entries.length === 0
      ? `      <java.util.concurrent.CopyOnWriteArrayList/>`
      : [`      <java.util.concurrent.CopyOnWriteArrayList>`, ...entries, `      </java.util.concurrent.CopyOnWriteArrayList>`].join("\n"),
    `    </entry>`,
    `  </domainCredentialsMap>`,
    `</com.cloudbees.plugins.credentials.SystemCredentialsProvider>`,
    "",
  ].join("\n");
}

function renderPipelineJob(job: Extract<JenkinsJobSpec, { kind: "pipeline" }>): string {
  return [
    XML_DECLARATION,
    `<flow-definition plugin="workflow-job@1400.v7fd111b_ec82f">`,
    `  <actions/>`,
    textElement("  ", "description", job.description),
    `  <keepDependencies>false</keepDependencies>`,
    `  <properties/>`,
    `  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps@3894.vd0f0248b_a_fc4">`,
    textElement("    ", "script", job.script),
    `    <sandbox>true</sandbox>`,
    `  </definition>`,
    `  <triggers/>`,
    `  <disabled>false</disabled>`,
    `</flow-definition>`,
    "",
  ].join("\n");
}

function renderFreestyleJob(job: Extract<JenkinsJobSpec, { kind: "freestyle" }>): string {
  return [
    XML_DECLARATION,
    `<project>`,
    `  <actions/>`,
    textElement("  ", "description", job.description),
    `  <keepDependencies>false</keepDependencies>`,
    `  <properties/>`,
    `  <scm class="hudson.plugins.git.GitSCM" plugin="git@5.2.2">`,
    `    <configVersion>2</configVersion>`,
    `    <userRemoteConfigs>`,
    `      <hudson.plugins.git.UserRemoteConfig>`,
    textElement("        ", "url", job.gitUrl),
    textElement("        ", "credentialsId", job.credentialsId),
    `      </hudson.plugins.git.UserRemoteConfig>`,
    `    </userRemoteConfigs>`,
    `    <branches>`,
    `      <hudson.plugins.git.BranchSpec>`,
    textElement("        ", "name", job.branch ?? "*/main"),
    `      </hudson.plugins.git.BranchSpec>`,
    `    </branches>`,
    `    <doGenerateSubmoduleConfigurations>false</doGenerateSubmoduleConfigurations>`,
    `    <submoduleCfg class="empty-list"/>`,
    `    <extensions/>`,
    `  </scm>`,
    `  <canRoam>true</canRoam>`,
    `  <disabled>false</disabled>`,
    `  <blockBuildWhenDownstreamBuilding>false</blockBuildWhenDownstreamBuilding>`,
    `  <blockBuildWhenUpstreamBuilding>false</blockBuildWhenUpstreamBuilding>`,
    `  <triggers/>`,
    `  <concurrentBuild>false</concurrentBuild>`,
    `  <builders>`,
    `    <hudson.tasks.Shell>`,
    textElement("      ", "command", job.shell ?? "make"),
    `      <configuredLocalRules/>`,
    `    </hudson.tasks.Shell>`,
    `  </builders>`,
    `  <publishers/>`,
    `  <buildWrappers/>`,
    `</project>`,
    "",
  ].join("\n");
}

function renderFolder(folder: Extract<JenkinsJobSpec, { kind: "folder" }>): string {
  return [
    XML_DECLARATION,
    `<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder@6.928.v7c780211d66e">`,
    `  <actions/>`,
    textElement("  ", "description", folder.description),
    `  <properties/>`,
    `  <folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">`,
    `    <views>`,
    `      <hudson.model.AllView>`,
    `        <owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>`,
    `        <name>All</name>`,
    `        <filterExecutors>false</filterExecutors>`,
    `        <filterQueue>false</filterQueue>`,
    `        <properties class="hudson.model.View$PropertyList"/>`,
    `      </hudson.model.AllView>`,
    `    </views>`,
    `    <tabBar class="hudson.views.DefaultViewsTabBar"/>`,
    `  </folderViews>`,
    `  <healthMetrics/>`,
    `  <icon class="com.cloudbees.hudson.plugins.folder.icons.StockFolderIcon"/>`,
    `</com.cloudbees.hudson.plugins.folder.Folder>`,
    "",
  ].join("\n");
}

function renderRootConfig(version: string): string {
  return [
    XML_DECLARATION,
    `<hudson>`,
    `  <disabledAdministrativeMonitors/>`,
    `  <version>${escapeXml(version)}</version>`,
    `  <numExecutors>2</numExecutors>`,
    `  <mode>NORMAL</mode>`,
    `  <useSecurity>true</useSecurity>`,
    `  <authorizationStrategy class="hudson.security.FullControlOnceLoggedInAuthorizationStrategy">`,
    `    <denyAnonymousReadAccess>true</denyAnonymousReadAccess>`,
    `  </authorizationStrategy>`,
    `  <securityRealm class="hudson.security.HudsonPrivateSecurityRealm">`,
    `    <disableSignup>true</disableSignup>`,
    `    <enableCaptcha>false</enableCaptcha>`,
    `  </securityRealm>`,
    `  <jdks/>`,
    `  <clouds/>`,
    `  <views>`,
    `    <hudson.model.AllView>`,
    `      <owner class="hudson" reference="../../.."/>`,
    `      <name>all</name>`,
    `      <filterExecutors>false</filterExecutors>`,
    `      <filterQueue>false</filterQueue>`,
    `      <properties class="hudson.model.View$PropertyList"/>`,
    `    </hudson.model.AllView>`,
    `  </views>`,
    `  <primaryView>all</primaryView>`,
    `  <slaveAgentPort>-1</slaveAgentPort>`,
    `  <label></label>`,
    `  <nodeProperties/>`,
    `  <globalNodeProperties/>`,
    `</hudson>`,
    "",
  ].join("\n");
}

function writeJobs(jobsDir: string, jobs: readonly JenkinsJobSpec[]): void {
  for (const job of jobs) {
    if (!/^[^/\\]+$/.test(job.name) || job.name === "." || job.name === "..") {
      throw new RangeError(`Jenkins job name "${job.name}" must be one path segment (nest jobs in folders instead)`);
    }
    const dir = join(jobsDir, job.name);
    mkdirSync(dir, { recursive: true });
    switch (job.kind) {
      case "pipeline":
        writeFileSync(join(dir, "config.xml"), renderPipelineJob(job));
        break;
      case "freestyle":
        writeFileSync(join(dir, "config.xml"), renderFreestyleJob(job));
        break;
      case "folder":
        writeFileSync(join(dir, "config.xml"), renderFolder(job));
        writeJobs(join(dir, "jobs"), job.jobs);
        break;
    }
  }
}

/**
 * Writes a Jenkins home below `root` (created if needed): config.xml, secrets/master.key,
 * secrets/hudson.util.Secret, credentials.xml with every credential encrypted, and jobs/ with folders nested as
 * `jobs/<folder>/jobs/<job>/config.xml`. Secret files are mode 0600 in a 0700 secrets/ folder.
 * @returns the secrets used, so that callers can encrypt more values for the same controller.
 */
export function writeJenkinsHome(root: string, spec: JenkinsHomeSpec, secrets: JenkinsSecrets = createJenkinsSecrets()): JenkinsSecrets {
  mkdirSync(join(root, "secrets"), { recursive: true, mode: 0o700 });
  writePrivate(join(root, "secrets", "master.key"), secrets.masterKey);
  writePrivate(join(root, "secrets", "hudson.util.Secret"), secrets.hudsonUtilSecret);
  writeFileSync(join(root, "config.xml"), renderRootConfig(spec.version ?? "2.452.3"));
  writePrivate(join(root, "credentials.xml"), renderCredentials(spec.credentials, secrets));
  mkdirSync(join(root, "jobs"), { recursive: true });
  writeJobs(join(root, "jobs"), spec.jobs);
  return secrets;
}
