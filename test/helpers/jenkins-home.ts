import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Builds Jenkins homes the way Jenkins writes them: XStream element names and `class=` attributes, XML 1.1 headers,
 * secrets encrypted with Jenkins' own scheme. The encrypter below is written from the Jenkins sources
 * (DefaultConfidentialStore, CryptoConfidentialKey, Secret, HistoricalSecrets), independently of
 * src/sources/jenkins/decrypt.ts, so a round trip checks the decrypter against the algorithm and not against itself.
 */

const MAGIC = "::::MAGIC::::";

/** The secrets of one generated home: the confidential key K and encrypters using it. */
export interface JenkinsSecrets {
  /** Text of `secrets/master.key` (256 hex characters, no newline, as Jenkins writes it). */
  readonly masterKey: string;
  /** Bytes of `secrets/hudson.util.Secret`. */
  readonly hudsonUtilSecret: Buffer;
  /** `{…}` value as Jenkins ≥ 2.x stores a Secret. */
  encrypt(plain: string): string;
  /** Unbraced base64 value as Jenkins 1.x stored a Secret (AES-128-ECB of text + MAGIC). */
  encryptLegacy(plain: string): string;
}

/** New random secrets, as a fresh Jenkins controller creates them on first start. */
export function makeJenkinsSecrets(): JenkinsSecrets {
  const masterKey = randomBytes(128).toString("hex");
  const km = createHash("sha256").update(masterKey, "utf8").digest().subarray(0, 16);
  const confidential = randomBytes(256);
  const sealer = createCipheriv("aes-128-ecb", km, null);
  const hudsonUtilSecret = Buffer.concat([sealer.update(Buffer.concat([confidential, Buffer.from(MAGIC)])), sealer.final()]);
  const k = confidential.subarray(0, 16);
  return {
    masterKey,
    hudsonUtilSecret,
    encrypt(plain: string): string {
      const iv = randomBytes(16);
      const cipher = createCipheriv("aes-128-cbc", k, iv);
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const header = Buffer.alloc(9);
      header[0] = 1;
      header.writeUInt32BE(iv.length, 1);
      header.writeUInt32BE(data.length, 5);
      return `{${Buffer.concat([header, iv, data]).toString("base64")}}`;
    },
    encryptLegacy(plain: string): string {
      const cipher = createCipheriv("aes-128-ecb", k, null);
      return Buffer.concat([cipher.update(plain + MAGIC, "utf8"), cipher.final()]).toString("base64");
    },
  };
}

export interface JenkinsCredentialSpec {
  readonly id: string;
  readonly kind?: "ssh" | "password";
  readonly username?: string;
  readonly description?: string;
  /** Domain name; the global domain when absent. */
  readonly domain?: string;
  /** Private key texts: several are joined by form feeds, as the plugin stores them. */
  readonly privateKeys?: readonly string[];
  readonly passphrase?: string;
  /** `direct` (default, encrypted), `plain` (ssh-credentials ≤ 1.11: key in clear, legacy-encrypted passphrase). */
  readonly source?: "direct" | "plain" | "file-on-master" | "users";
  readonly privateKeyFile?: string;
  readonly password?: string;
}

export interface GitRemoteSpec {
  readonly url: string;
  readonly credentialsId?: string;
}

export interface BuildSpec {
  readonly number: number;
  readonly script: string;
  readonly loadedScripts?: Readonly<Record<string, string>>;
}

export interface BranchSpec {
  readonly name: string;
  /** Directory name (Jenkins mangles branch names with `/`); the name when absent. */
  readonly dir?: string;
  readonly git?: GitRemoteSpec;
  readonly builds?: readonly BuildSpec[];
}

export type JenkinsItemSpec =
  | {
      readonly type: "folder";
      readonly name: string;
      readonly credentials?: readonly JenkinsCredentialSpec[];
      readonly items?: readonly JenkinsItemSpec[];
    }
  | {
      readonly type: "freestyle";
      readonly name: string;
      readonly git?: GitRemoteSpec;
      readonly sshAgent?: readonly string[];
      /** ssh-agent < 1.5 stored a single `user` field. */
      readonly sshAgentUser?: string;
      readonly binding?: string;
    }
  | {
      readonly type: "pipeline";
      readonly name: string;
      /** Inline CpsFlowDefinition script. */
      readonly script?: string;
      /** CpsScmFlowDefinition: the Jenkinsfile comes from this remote. */
      readonly scm?: GitRemoteSpec;
      readonly builds?: readonly BuildSpec[];
    }
  | {
      readonly type: "multibranch";
      readonly name: string;
      readonly source:
        | { readonly type: "git"; readonly remote: string; readonly credentialsId?: string }
        | { readonly type: "github"; readonly owner: string; readonly repository: string; readonly sshCheckout?: string };
      readonly branches?: readonly BranchSpec[];
      readonly credentials?: readonly JenkinsCredentialSpec[];
    }
  | {
      readonly type: "org-folder";
      readonly name: string;
      readonly owner: string;
      readonly sshCheckout?: string;
      readonly repositories: ReadonlyArray<{ readonly name: string; readonly branches?: readonly BranchSpec[] }>;
    };

export interface JenkinsHomeSpec {
  /** Write `secrets/master.key` and `secrets/hudson.util.Secret` (default true); values are encrypted either way. */
  readonly writeSecrets?: boolean;
  readonly credentials?: readonly JenkinsCredentialSpec[];
  readonly users?: ReadonlyArray<{ readonly id: string; readonly credentials: readonly JenkinsCredentialSpec[] }>;
  readonly items?: readonly JenkinsItemSpec[];
  readonly nodes?: ReadonlyArray<{ readonly name: string; readonly host: string; readonly port?: number; readonly credentialsId: string }>;
  readonly usageLog?: ReadonlyArray<{ readonly credentialId: string; readonly name?: string; readonly jobs: readonly string[] }>;
}

export interface WrittenJenkinsHome {
  readonly root: string;
  readonly secrets: JenkinsSecrets;
}

const HEADER = "<?xml version='1.1' encoding='UTF-8'?>\n";
const SSH_CLASS = "com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey";

/** XStream's escaping: the five XML specials, and control characters as character references (XML 1.1). */
export function xstreamEscape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#xd;")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0001-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
}

function write(path: string, text: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function indent(text: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return text
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}

function credentialXml(spec: JenkinsCredentialSpec, secrets: JenkinsSecrets): string {
  const e = xstreamEscape;
  const common = [`<scope>GLOBAL</scope>`, `<id>${e(spec.id)}</id>`, `<description>${e(spec.description ?? "")}</description>`];
  if (spec.kind === "password") {
    return [
      `<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>`,
      ...common.map((l) => `  ${l}`),
      `  <username>${e(spec.username ?? "user")}</username>`,
      `  <password>${secrets.encrypt(spec.password ?? "")}</password>`,
      `</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>`,
    ].join("\n");
  }
  const source = spec.source ?? "direct";
  const lines = [`<${SSH_CLASS} plugin="${source === "plain" ? "ssh-credentials@1.10" : "ssh-credentials@1.19"}">`];
  lines.push(...common.map((l) => `  ${l}`), `  <username>${e(spec.username ?? "git")}</username>`);
  if (source !== "plain") lines.push(`  <usernameSecret>false</usernameSecret>`);
  if (spec.passphrase !== undefined) {
    const value = source === "plain" ? secrets.encryptLegacy(spec.passphrase) : secrets.encrypt(spec.passphrase);
    lines.push(`  <passphrase>${value}</passphrase>`);
  }
  const keys = (spec.privateKeys ?? []).join("\f");
  if (source === "direct") {
    lines.push(
      `  <privateKeySource class="${SSH_CLASS}$DirectEntryPrivateKeySource">`,
      `    <privateKey>${secrets.encrypt(keys)}</privateKey>`,
      `  </privateKeySource>`,
    );
  } else if (source === "plain") {
    lines.push(
      `  <privateKeySource class="${SSH_CLASS}$DirectEntryPrivateKeySource">`,
      `    <privateKey>${e(keys)}</privateKey>`,
      `  </privateKeySource>`,
    );
  } else if (source === "file-on-master") {
    lines.push(
      `  <privateKeySource class="${SSH_CLASS}$FileOnMasterPrivateKeySource">`,
      `    <privateKeyFile>${e(spec.privateKeyFile ?? "")}</privateKeyFile>`,
      `  </privateKeySource>`,
    );
  } else {
    lines.push(`  <privateKeySource class="${SSH_CLASS}$UsersPrivateKeySource"/>`);
  }
  lines.push(`</${SSH_CLASS}>`);
  return lines.join("\n");
}

/** `domainCredentialsMap` with one entry per domain (the global domain first). */
function domainMapXml(credentials: readonly JenkinsCredentialSpec[], secrets: JenkinsSecrets): string {
  const domains = new Map<string | undefined, JenkinsCredentialSpec[]>([[undefined, []]]);
  for (const credential of credentials) {
    const list = domains.get(credential.domain) ?? [];
    list.push(credential);
    domains.set(credential.domain, list);
  }
  const entries = [...domains].map(([domain, list]) => {
    const domainXml =
      domain === undefined
        ? `<com.cloudbees.plugins.credentials.domains.Domain>\n  <specifications/>\n</com.cloudbees.plugins.credentials.domains.Domain>`
        : [
            `<com.cloudbees.plugins.credentials.domains.Domain>`,
            `  <name>${xstreamEscape(domain)}</name>`,
            `  <specifications>`,
            `    <com.cloudbees.plugins.credentials.domains.HostnameSpecification>`,
            `      <includes>${xstreamEscape(domain)}</includes>`,
            `      <excludes></excludes>`,
            `    </com.cloudbees.plugins.credentials.domains.HostnameSpecification>`,
            `  </specifications>`,
            `</com.cloudbees.plugins.credentials.domains.Domain>`,
          ].join("\n");
    const body = list.length === 0
      ? `<java.util.concurrent.CopyOnWriteArrayList/>`
      : `<java.util.concurrent.CopyOnWriteArrayList>\n${list.map((c) => indent(credentialXml(c, secrets), 2)).join("\n")}\n</java.util.concurrent.CopyOnWriteArrayList>`;
    return `<entry>\n${indent(domainXml, 2)}\n${indent(body, 2)}\n</entry>`;
  });
  return `<domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash">\n${indent(entries.join("\n"), 2)}\n</domainCredentialsMap>`;
}

const FOLDER_PROPERTY = "com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProvider_-FolderCredentialsProperty";

function folderPropertiesXml(credentials: readonly JenkinsCredentialSpec[] | undefined, secrets: JenkinsSecrets): string {
  if (credentials === undefined) return "<properties/>";
  return `<properties>\n  <${FOLDER_PROPERTY}>\n${indent(domainMapXml(credentials, secrets), 4)}\n  </${FOLDER_PROPERTY}>\n</properties>`;
}

function gitScmXml(remote: GitRemoteSpec): string {
  const e = xstreamEscape;
  return [
    `<scm class="hudson.plugins.git.GitSCM" plugin="git@4.11.0">`,
    `  <configVersion>2</configVersion>`,
    `  <userRemoteConfigs>`,
    `    <hudson.plugins.git.UserRemoteConfig>`,
    `      <url>${e(remote.url)}</url>`,
    ...(remote.credentialsId === undefined ? [] : [`      <credentialsId>${e(remote.credentialsId)}</credentialsId>`]),
    `    </hudson.plugins.git.UserRemoteConfig>`,
    `  </userRemoteConfigs>`,
    `  <branches>`,
    `    <hudson.plugins.git.BranchSpec>`,
    `      <name>*/main</name>`,
    `    </hudson.plugins.git.BranchSpec>`,
    `  </branches>`,
    `  <doGenerateSubmoduleConfigurations>false</doGenerateSubmoduleConfigurations>`,
    `  <submoduleCfg class="empty-list"/>`,
    `  <extensions/>`,
    `</scm>`,
  ].join("\n");
}

function freestyleXml(spec: Extract<JenkinsItemSpec, { type: "freestyle" }>): string {
  const e = xstreamEscape;
  const wrappers: string[] = [];
  if (spec.sshAgent !== undefined || spec.sshAgentUser !== undefined) {
    const body =
      spec.sshAgentUser !== undefined
        ? [`  <user>${e(spec.sshAgentUser)}</user>`]
        : [`  <credentialIds>`, ...(spec.sshAgent ?? []).map((id) => `    <string>${e(id)}</string>`), `  </credentialIds>`, `  <ignoreMissing>false</ignoreMissing>`];
    wrappers.push(
      [`<com.cloudbees.jenkins.plugins.sshagent.SSHAgentBuildWrapper plugin="ssh-agent@1.23">`, ...body, `</com.cloudbees.jenkins.plugins.sshagent.SSHAgentBuildWrapper>`].join("\n"),
    );
  }
  if (spec.binding !== undefined) {
    wrappers.push(
      [
        `<org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper plugin="credentials-binding@1.27">`,
        `  <bindings>`,
        `    <org.jenkinsci.plugins.credentialsbinding.impl.SSHUserPrivateKeyBinding>`,
        `      <credentialsId>${e(spec.binding)}</credentialsId>`,
        `      <keyFileVariable>SSH_KEY</keyFileVariable>`,
        `      <usernameVariable>SSH_USER</usernameVariable>`,
        `    </org.jenkinsci.plugins.credentialsbinding.impl.SSHUserPrivateKeyBinding>`,
        `  </bindings>`,
        `</org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper>`,
      ].join("\n"),
    );
  }
  return [
    `<project>`,
    `  <actions/>`,
    `  <description>${e(spec.name)}</description>`,
    `  <keepDependencies>false</keepDependencies>`,
    `  <properties/>`,
    spec.git === undefined ? `  <scm class="hudson.scm.NullSCM"/>` : indent(gitScmXml(spec.git), 2),
    `  <canRoam>true</canRoam>`,
    `  <disabled>false</disabled>`,
    `  <triggers/>`,
    `  <concurrentBuild>false</concurrentBuild>`,
    `  <builders>`,
    `    <hudson.tasks.Shell>`,
    `      <command>ssh deploy@host &apos;./release.sh&apos;</command>`,
    `    </hudson.tasks.Shell>`,
    `  </builders>`,
    `  <publishers/>`,
    wrappers.length === 0 ? `  <buildWrappers/>` : `  <buildWrappers>\n${indent(wrappers.join("\n"), 4)}\n  </buildWrappers>`,
    `</project>`,
  ].join("\n");
}

function pipelineXml(spec: Extract<JenkinsItemSpec, { type: "pipeline" }>): string {
  const definition =
    spec.scm !== undefined
      ? [
          `<definition class="org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition" plugin="workflow-cps@2.90">`,
          indent(gitScmXml(spec.scm), 2),
          `  <scriptPath>Jenkinsfile</scriptPath>`,
          `  <lightweight>true</lightweight>`,
          `</definition>`,
        ].join("\n")
      : [
          `<definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps@2.90">`,
          `  <script>${xstreamEscape(spec.script ?? "")}</script>`,
          `  <sandbox>true</sandbox>`,
          `</definition>`,
        ].join("\n");
  return [
    `<flow-definition plugin="workflow-job@2.40">`,
    `  <actions/>`,
    `  <description></description>`,
    `  <keepDependencies>false</keepDependencies>`,
    `  <properties/>`,
    indent(definition, 2),
    `  <triggers/>`,
    `  <disabled>false</disabled>`,
    `</flow-definition>`,
  ].join("\n");
}

function buildXml(build: BuildSpec): string {
  const e = xstreamEscape;
  const loaded = Object.entries(build.loadedScripts ?? {});
  return [
    `<flow-build plugin="workflow-job@2.40">`,
    `  <actions/>`,
    `  <queueId>${build.number + 10}</queueId>`,
    `  <timestamp>1700000000000</timestamp>`,
    `  <startTime>1700000000100</startTime>`,
    `  <result>SUCCESS</result>`,
    `  <duration>4242</duration>`,
    `  <charset>UTF-8</charset>`,
    `  <keepLog>false</keepLog>`,
    `  <execution class="org.jenkinsci.plugins.workflow.cps.CpsFlowExecution">`,
    `    <result>SUCCESS</result>`,
    `    <script>${e(build.script)}</script>`,
    loaded.length === 0
      ? `    <loadedScripts class="map"/>`
      : [
          `    <loadedScripts class="map">`,
          ...loaded.map(([name, text]) => `      <entry>\n        <string>${e(name)}</string>\n        <string>${e(text)}</string>\n      </entry>`),
          `    </loadedScripts>`,
        ].join("\n"),
    `    <durabilityHint>MAX_SURVIVABILITY</durabilityHint>`,
    `    <timings class="map"/>`,
    `    <sandbox>true</sandbox>`,
    `    <iota>7</iota>`,
    `    <head>1:7</head>`,
    `    <done>true</done>`,
    `    <resumeBlocked>false</resumeBlocked>`,
    `  </execution>`,
    `  <completed>true</completed>`,
    `  <checkouts class="hudson.util.PersistedList"/>`,
    `</flow-build>`,
  ].join("\n");
}

function writeBuilds(dir: string, builds: readonly BuildSpec[] | undefined): void {
  for (const build of builds ?? []) write(join(dir, "builds", String(build.number), "build.xml"), HEADER + buildXml(build));
}

function branchXml(branch: BranchSpec, sourceId: string): string {
  const e = xstreamEscape;
  return [
    `<flow-definition plugin="workflow-job@2.40">`,
    `  <actions/>`,
    `  <description></description>`,
    `  <displayName>${e(branch.name)}</displayName>`,
    `  <keepDependencies>false</keepDependencies>`,
    `  <properties>`,
    `    <org.jenkinsci.plugins.workflow.multibranch.BranchJobProperty plugin="workflow-multibranch@2.26">`,
    `      <branch plugin="branch-api@2.6.2">`,
    `        <sourceId>${sourceId}</sourceId>`,
    `        <head class="jenkins.plugins.git.GitBranchSCMHead" plugin="git@4.7.1">`,
    `          <name>${e(branch.name)}</name>`,
    `        </head>`,
    branch.git === undefined ? `        <scm class="hudson.scm.NullSCM"/>` : indent(gitScmXml(branch.git), 8),
    `        <properties class="empty-list"/>`,
    `        <actions/>`,
    `      </branch>`,
    `    </org.jenkinsci.plugins.workflow.multibranch.BranchJobProperty>`,
    `  </properties>`,
    `  <definition class="org.jenkinsci.plugins.workflow.multibranch.SCMBinder" plugin="workflow-multibranch@2.26">`,
    `    <scriptPath>Jenkinsfile</scriptPath>`,
    `  </definition>`,
    `  <triggers/>`,
    `  <disabled>false</disabled>`,
    `</flow-definition>`,
  ].join("\n");
}

function sshCheckoutTraitXml(credentialsId: string | undefined): string[] {
  if (credentialsId === undefined) return [];
  const name = "org.jenkinsci.plugins.github__branch__source.SSHCheckoutTrait";
  if (credentialsId === "") return [`<${name}/>`];
  return [`<${name}>`, `  <credentialsId>${xstreamEscape(credentialsId)}</credentialsId>`, `</${name}>`];
}

function multibranchXml(spec: Extract<JenkinsItemSpec, { type: "multibranch" }>, sourceId: string, secrets: JenkinsSecrets): string {
  const e = xstreamEscape;
  const project = "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject";
  const source =
    spec.source.type === "git"
      ? [
          `<source class="jenkins.plugins.git.GitSCMSource" plugin="git@4.7.1">`,
          `  <id>${sourceId}</id>`,
          `  <remote>${e(spec.source.remote)}</remote>`,
          ...(spec.source.credentialsId === undefined ? [] : [`  <credentialsId>${e(spec.source.credentialsId)}</credentialsId>`]),
          `  <traits>`,
          `    <jenkins.plugins.git.traits.BranchDiscoveryTrait/>`,
          `  </traits>`,
          `</source>`,
        ]
      : [
          `<source class="org.jenkinsci.plugins.github_branch_source.GitHubSCMSource" plugin="github-branch-source@2.9.9">`,
          `  <id>${sourceId}</id>`,
          `  <apiUri>https://api.github.com</apiUri>`,
          `  <credentialsId>github-app</credentialsId>`,
          `  <repoOwner>${e(spec.source.owner)}</repoOwner>`,
          `  <repository>${e(spec.source.repository)}</repository>`,
          `  <repositoryUrl>https://github.com/${e(spec.source.owner)}/${e(spec.source.repository)}</repositoryUrl>`,
          `  <traits>`,
          `    <org.jenkinsci.plugins.github__branch__source.BranchDiscoveryTrait>`,
          `      <strategyId>1</strategyId>`,
          `    </org.jenkinsci.plugins.github__branch__source.BranchDiscoveryTrait>`,
          ...sshCheckoutTraitXml(spec.source.sshCheckout).map((l) => `    ${l}`),
          `  </traits>`,
          `</source>`,
        ];
  return [
    `<${project} plugin="workflow-multibranch@2.26">`,
    `  <actions/>`,
    `  <description></description>`,
    indent(folderPropertiesXml(spec.credentials, secrets), 2),
    `  <folderViews class="jenkins.branch.MultiBranchProjectViewHolder" plugin="branch-api@2.6.2">`,
    `    <owner class="${project}" reference="../.."/>`,
    `  </folderViews>`,
    `  <healthMetrics/>`,
    `  <icon class="jenkins.branch.MetadataActionFolderIcon" plugin="branch-api@2.6.2">`,
    `    <owner class="${project}" reference="../.."/>`,
    `  </icon>`,
    `  <orphanedItemStrategy class="com.cloudbees.hudson.plugins.folder.computed.DefaultOrphanedItemStrategy" plugin="cloudbees-folder@6.15">`,
    `    <pruneDeadBranches>true</pruneDeadBranches>`,
    `  </orphanedItemStrategy>`,
    `  <triggers/>`,
    `  <disabled>false</disabled>`,
    `  <sources class="jenkins.branch.MultiBranchProject$BranchSourceList" plugin="branch-api@2.6.2">`,
    `    <data>`,
    `      <jenkins.branch.BranchSource>`,
    ...source.map((l) => `        ${l}`),
    `        <strategy class="jenkins.branch.DefaultBranchPropertyStrategy">`,
    `          <properties class="empty-list"/>`,
    `        </strategy>`,
    `      </jenkins.branch.BranchSource>`,
    `    </data>`,
    `    <owner class="${project}" reference="../.."/>`,
    `  </sources>`,
    `  <factory class="org.jenkinsci.plugins.workflow.multibranch.WorkflowBranchProjectFactory">`,
    `    <owner class="${project}" reference="../.."/>`,
    `    <scriptPath>Jenkinsfile</scriptPath>`,
    `  </factory>`,
    `</${project}>`,
  ].join("\n");
}

function writeBranches(dir: string, branches: readonly BranchSpec[] | undefined, sourceId: string): void {
  for (const branch of branches ?? []) {
    const branchDir = join(dir, "branches", branch.dir ?? branch.name);
    write(join(branchDir, "config.xml"), HEADER + branchXml(branch, sourceId));
    writeBuilds(branchDir, branch.builds);
  }
}

function organizationFolderXml(spec: Extract<JenkinsItemSpec, { type: "org-folder" }>): string {
  const navigator = "org.jenkinsci.plugins.github__branch__source.GitHubSCMNavigator";
  return [
    `<jenkins.branch.OrganizationFolder plugin="branch-api@2.6.2">`,
    `  <actions/>`,
    `  <description></description>`,
    `  <properties/>`,
    `  <healthMetrics/>`,
    `  <navigators>`,
    `    <${navigator} plugin="github-branch-source@2.9.9">`,
    `      <repoOwner>${xstreamEscape(spec.owner)}</repoOwner>`,
    `      <apiUri>https://api.github.com</apiUri>`,
    `      <credentialsId>github-app</credentialsId>`,
    `      <traits>`,
    ...sshCheckoutTraitXml(spec.sshCheckout).map((l) => `        ${l}`),
    `      </traits>`,
    `    </${navigator}>`,
    `  </navigators>`,
    `  <projectFactories>`,
    `    <org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProjectFactory plugin="workflow-multibranch@2.26">`,
    `      <scriptPath>Jenkinsfile</scriptPath>`,
    `    </org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProjectFactory>`,
    `  </projectFactories>`,
    `</jenkins.branch.OrganizationFolder>`,
  ].join("\n");
}

function writeItems(parent: string, items: readonly JenkinsItemSpec[] | undefined, secrets: JenkinsSecrets): void {
  let sequence = 0;
  for (const item of items ?? []) {
    const dir = join(parent, "jobs", item.name);
    const sourceId = `00000000-0000-4000-8000-${String(++sequence).padStart(12, "0")}`;
    if (item.type === "folder") {
      write(
        join(dir, "config.xml"),
        HEADER +
          [
            `<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder@6.15">`,
            `  <actions/>`,
            `  <description></description>`,
            indent(folderPropertiesXml(item.credentials, secrets), 2),
            `  <folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">`,
            `    <views>`,
            `      <hudson.model.AllView>`,
            `        <owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>`,
            `        <name>All</name>`,
            `      </hudson.model.AllView>`,
            `    </views>`,
            `  </folderViews>`,
            `  <healthMetrics/>`,
            `  <icon class="com.cloudbees.hudson.plugins.folder.icons.StockFolderIcon"/>`,
            `</com.cloudbees.hudson.plugins.folder.Folder>`,
          ].join("\n"),
      );
      writeItems(dir, item.items, secrets);
    } else if (item.type === "freestyle") {
      write(join(dir, "config.xml"), HEADER + freestyleXml(item));
    } else if (item.type === "pipeline") {
      write(join(dir, "config.xml"), HEADER + pipelineXml(item));
      writeBuilds(dir, item.builds);
    } else if (item.type === "multibranch") {
      write(join(dir, "config.xml"), HEADER + multibranchXml(item, sourceId, secrets));
      writeBranches(dir, item.branches, sourceId);
    } else {
      write(join(dir, "config.xml"), HEADER + organizationFolderXml(item));
      for (const repository of item.repositories) {
        const child: Extract<JenkinsItemSpec, { type: "multibranch" }> = {
          type: "multibranch",
          name: repository.name,
          source: {
            type: "github",
            owner: item.owner,
            repository: repository.name,
            ...(item.sshCheckout === undefined ? {} : { sshCheckout: item.sshCheckout }),
          },
        };
        const repoDir = join(dir, "jobs", repository.name);
        write(join(repoDir, "config.xml"), HEADER + multibranchXml(child, sourceId, secrets));
        writeBranches(repoDir, repository.branches, sourceId);
      }
    }
  }
}

/**
 * Writes a Jenkins home below `root` from `spec` and returns its secrets. Credentials are encrypted with the
 * home's own K even when `writeSecrets` is false (a home copied without its secrets/ directory).
 */
export function writeJenkinsHome(root: string, spec: JenkinsHomeSpec): WrittenJenkinsHome {
  const secrets = makeJenkinsSecrets();
  mkdirSync(root, { recursive: true });
  if (spec.writeSecrets !== false) {
    write(join(root, "secrets", "master.key"), secrets.masterKey);
    write(join(root, "secrets", "hudson.util.Secret"), secrets.hudsonUtilSecret);
  }
  write(
    join(root, "config.xml"),
    HEADER + `<hudson>\n  <version>2.401.3</version>\n  <numExecutors>2</numExecutors>\n  <useSecurity>true</useSecurity>\n</hudson>\n`,
  );
  if (spec.credentials !== undefined) {
    write(
      join(root, "credentials.xml"),
      HEADER +
        `<com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@2.6.1">\n${indent(domainMapXml(spec.credentials, secrets), 2)}\n</com.cloudbees.plugins.credentials.SystemCredentialsProvider>\n`,
    );
  }
  for (const [n, user] of (spec.users ?? []).entries()) {
    const property = "com.cloudbees.plugins.credentials.UserCredentialsProvider_-UserCredentialsProperty";
    write(
      join(root, "users", `${user.id}_${1000 + n}`, "config.xml"),
      HEADER +
        [
          `<user>`,
          `  <version>10</version>`,
          `  <id>${xstreamEscape(user.id)}</id>`,
          `  <fullName>${xstreamEscape(user.id)}</fullName>`,
          `  <properties>`,
          `    <${property} plugin="credentials@2.6.1">`,
          indent(domainMapXml(user.credentials, secrets), 6),
          `    </${property}>`,
          `  </properties>`,
          `</user>`,
        ].join("\n"),
    );
  }
  writeItems(root, spec.items, secrets);
  for (const node of spec.nodes ?? []) {
    write(
      join(root, "nodes", node.name, "config.xml"),
      HEADER +
        [
          `<slave>`,
          `  <name>${xstreamEscape(node.name)}</name>`,
          `  <description></description>`,
          `  <remoteFS>/home/jenkins</remoteFS>`,
          `  <numExecutors>2</numExecutors>`,
          `  <mode>NORMAL</mode>`,
          `  <retentionStrategy class="hudson.slaves.RetentionStrategy$Always"/>`,
          `  <launcher class="hudson.plugins.sshslaves.SSHLauncher" plugin="ssh-slaves@1.31.5">`,
          `    <host>${xstreamEscape(node.host)}</host>`,
          `    <port>${node.port ?? 22}</port>`,
          `    <credentialsId>${xstreamEscape(node.credentialsId)}</credentialsId>`,
          `    <launchTimeoutSeconds>60</launchTimeoutSeconds>`,
          `    <maxNumRetries>10</maxNumRetries>`,
          `    <retryWaitTime>15</retryWaitTime>`,
          `    <sshHostKeyVerificationStrategy class="hudson.plugins.sshslaves.verifiers.NonVerifyingKeyVerificationStrategy"/>`,
          `  </launcher>`,
          `  <label>linux</label>`,
          `  <nodeProperties/>`,
          `</slave>`,
        ].join("\n"),
    );
  }
  for (const usage of spec.usageLog ?? []) {
    const md5 = createHash("md5").update(`credential:${usage.credentialId}`).digest("hex");
    write(
      join(root, "fingerprints", md5.slice(0, 2), md5.slice(2, 4), `${md5.slice(4)}.xml`),
      HEADER +
        [
          `<fingerprint>`,
          `  <timestamp>2024-01-01 10:00:00.0 UTC</timestamp>`,
          `  <md5sum>${md5}</md5sum>`,
          `  <fileName>Credential id=${xstreamEscape(usage.credentialId)} name=${xstreamEscape(usage.name ?? usage.credentialId)}</fileName>`,
          `  <usages>`,
          ...usage.jobs.map((job) => `    <entry>\n      <string>${xstreamEscape(job)}</string>\n      <ranges>1-3,5</ranges>\n    </entry>`),
          `  </usages>`,
          `  <facets/>`,
          `</fingerprint>`,
        ].join("\n"),
    );
  }
  return { root, secrets };
}
