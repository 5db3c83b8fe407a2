import type { XmlElement } from "./parse-xml.js";
import { child, childrenNamed, childText, descendants, escapeXmlText, indexOfAny, javaClassOf, lineAt } from "./parse-xml.js";
import { FOLDER_STORE_PROPERTY } from "./parse-credentials.js";
import { parsePipelineScript } from "./parse-pipeline-script.js";

/**
 * One item's `config.xml` (job, folder, multibranch project, organization folder) → the SSH credential references
 * it holds. XStream names: git-plugin `UserRemoteConfig`, ssh-agent `SSHAgentBuildWrapper`, credentials-binding
 * `SSHUserPrivateKeyBinding`, workflow-cps `CpsFlowDefinition`/`CpsScmFlowDefinition`, branch-api sources.
 */

export type ItemKind = "folder" | "multibranch" | "organization-folder" | "job";

/** How a reference was found; recorded in each use's detail. */
export type ReferenceStyle =
  | "scm"
  | "sshagent"
  | "binding"
  | "inline-script"
  | "build-script"
  | "usage-log"
  | "node-launcher"
  | "multibranch-source";

/** A credential named by configuration. Exactly one of `credentialId`/`expression` is set, except for `agentKey`. */
export interface ConfigReference {
  readonly style: ReferenceStyle;
  readonly credentialId: string | null;
  /** Non-literal id expression (pipeline scripts only). */
  readonly expression: string | null;
  /** Repository URL or host the credential is used against, where the configuration says. */
  readonly url: string | null;
  /** 1-based line in the file the reference was read from. */
  readonly line: number;
  /** Facts for the use's detail (step name, `agentKey` …). */
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface ParsedItem {
  readonly kind: ItemKind;
  readonly javaClass: string;
  readonly references: readonly ConfigReference[];
  /** The folder's credential store property, when this item is a folder that has one. */
  readonly folderStore: XmlElement | null;
  /** Set when the pipeline script lives in SCM: the newest build's recorded script is the next place to look. */
  readonly scriptFromScm: { readonly scriptPath: string | null } | null;
  /** A multibranch branch job's branch name (its Jenkins item name), when the config records it. */
  readonly branchName: string | null;
}

const FOLDER = "com.cloudbees.hudson.plugins.folder.Folder";
const ORGANIZATION_FOLDER = "jenkins.branch.OrganizationFolder";
const USER_REMOTE_CONFIG = "hudson.plugins.git.UserRemoteConfig";
const SSH_AGENT_WRAPPER = "com.cloudbees.jenkins.plugins.sshagent.SSHAgentBuildWrapper";
const SSH_KEY_BINDING = "org.jenkinsci.plugins.credentialsbinding.impl.SSHUserPrivateKeyBinding";
const CPS_FLOW = "org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition";
const CPS_SCM_FLOW = "org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition";
const SCM_BINDER = "org.jenkinsci.plugins.workflow.multibranch.SCMBinder";
const GIT_SCM_SOURCE = "jenkins.plugins.git.GitSCMSource";
const BRANCH_JOB_PROPERTY = "org.jenkinsci.plugins.workflow.multibranch.BranchJobProperty";

function kindOf(root: XmlElement): ItemKind {
  const javaClass = javaClassOf(root);
  if (javaClass === FOLDER) return "folder";
  if (javaClass === ORGANIZATION_FOLDER) return "organization-folder";
  if (javaClass.endsWith("MultiBranchProject")) return "multibranch";
  return "job";
}

/** Finds successive occurrences of each needle, so that repeated ids get their own lines. */
class Locator {
  private readonly cursors = new Map<string, number>();
  constructor(private readonly raw: string) {}

  line(needles: readonly string[]): number {
    const key = needles.join("\u0000");
    const from = this.cursors.get(key) ?? 0;
    let index = indexOfAny(this.raw, needles, from);
    if (index < 0 && from > 0) index = indexOfAny(this.raw, needles, 0);
    if (index < 0) return 1;
    this.cursors.set(key, index + 1);
    return lineAt(this.raw, index);
  }
}

function idNeedles(element: string, id: string): string[] {
  const escaped = escapeXmlText(id);
  return [`<${element}>${escaped}</${element}>`, `>${escaped}<`, escaped];
}

/** `https://github.com/owner/repo` for a GitHub source given as owner + repository (GHE: the apiUri's host). */
function githubUrl(source: XmlElement): string | null {
  const explicit = childText(source, "repositoryUrl");
  if (explicit !== null) return explicit;
  const owner = childText(source, "repoOwner");
  const repository = childText(source, "repository");
  if (owner === null) return null;
  const api = childText(source, "apiUri");
  let host = "github.com";
  if (api !== null) {
    try {
      const apiHost = new URL(api).host;
      // github.com's API lives on its own host; GitHub Enterprise serves it below /api/v3 of the web host.
      host = apiHost === "api.github.com" ? "github.com" : apiHost;
    } catch {
      // An unparsable apiUri: keep github.com, the plugin's default endpoint.
    }
  }
  return repository === null ? `https://${host}/${owner}` : `https://${host}/${owner}/${repository}`;
}

/**
 * The references in one item's config.xml. `raw` is the file text (for line numbers only).
 */
export function parseItemConfig(root: XmlElement, raw: string): ParsedItem {
  const locator = new Locator(raw);
  const references: ConfigReference[] = [];
  const ref = (
    style: ReferenceStyle,
    credentialId: string,
    url: string | null,
    line: number,
    detail: Record<string, unknown> = {},
  ): void => {
    references.push({ style, credentialId, expression: null, url, line, detail });
  };

  for (const remote of descendants(root, (e) => e.name === USER_REMOTE_CONFIG)) {
    const id = childText(remote, "credentialsId");
    if (id !== null) ref("scm", id, childText(remote, "url"), locator.line(idNeedles("credentialsId", id)));
  }

  for (const wrapper of descendants(root, (e) => e.name === SSH_AGENT_WRAPPER)) {
    for (const id of childrenNamed(child(wrapper, "credentialIds"), "string")) {
      const value = id.text.trim();
      if (value !== "") ref("sshagent", value, null, locator.line(idNeedles("string", value)));
    }
    const user = childText(wrapper, "user");
    if (user !== null) ref("sshagent", user, null, locator.line(idNeedles("user", user)), { legacyField: "user" });
  }

  for (const binding of descendants(root, (e) => e.name === SSH_KEY_BINDING)) {
    const id = childText(binding, "credentialsId");
    if (id !== null) ref("binding", id, null, locator.line(idNeedles("credentialsId", id)));
  }

  for (const source of descendants(root, (e) => /(SCMSource|SCMNavigator)$/.test(javaClassOf(e)))) {
    const javaClass = javaClassOf(source);
    const url = javaClass === GIT_SCM_SOURCE ? childText(source, "remote") : githubUrl(source);
    if (javaClass === GIT_SCM_SOURCE) {
      const id = childText(source, "credentialsId");
      if (id !== null) ref("multibranch-source", id, url, locator.line(idNeedles("credentialsId", id)), { source: javaClass });
    }
    for (const trait of descendants(source, (e) => javaClassOf(e).endsWith(".SSHCheckoutTrait"))) {
      const id = childText(trait, "credentialsId");
      const traitLine = locator.line([`<${trait.name}`]);
      if (id !== null) {
        ref("multibranch-source", id, url, locator.line(idNeedles("credentialsId", id)), { source: javaClass, trait: "SSHCheckoutTrait" });
      } else {
        references.push({
          style: "multibranch-source",
          credentialId: null,
          expression: null,
          url,
          line: traitLine,
          detail: { source: javaClass, trait: "SSHCheckoutTrait", agentKey: true },
        });
      }
    }
  }

  let scriptFromScm: ParsedItem["scriptFromScm"] = null;
  const definition = child(root, "definition");
  const definitionClass = definition === undefined ? null : javaClassOf(definition);
  if (definition !== undefined && definitionClass === CPS_FLOW) {
    const script = child(definition, "script")?.text ?? "";
    const definitionIndex = Math.max(0, raw.indexOf("<definition"));
    const scriptIndex = raw.indexOf("<script>", definitionIndex);
    const firstLine = scriptIndex < 0 ? 1 : lineAt(raw, scriptIndex);
    for (const found of parsePipelineScript(script)) {
      references.push({
        style: "inline-script",
        credentialId: found.credentialId,
        expression: found.expression,
        url: found.url,
        line: firstLine + found.line - 1,
        detail: { step: found.step },
      });
    }
  } else if (definitionClass === CPS_SCM_FLOW) {
    scriptFromScm = { scriptPath: childText(definition, "scriptPath") };
  } else if (definitionClass === SCM_BINDER) {
    scriptFromScm = { scriptPath: childText(definition, "scriptPath") };
  }

  const properties = child(root, "properties");
  const folderStore = kindOf(root) === "job" ? null : (child(properties, FOLDER_STORE_PROPERTY) ?? null);
  const branchProperty = child(properties, BRANCH_JOB_PROPERTY);
  const branchName = childText(child(child(branchProperty, "branch"), "head"), "name");

  return {
    kind: kindOf(root),
    javaClass: javaClassOf(root),
    references: references.sort((a, b) => a.line - b.line),
    folderStore,
    scriptFromScm,
    branchName,
  };
}
