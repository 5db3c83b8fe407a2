import type { XmlElement } from "./parse-xml.js";
import { child, childText, escapeXmlText, javaClassOf, lineOf } from "./parse-xml.js";

/** An SSH build agent: `nodes/<name>/config.xml` → `launcher class="hudson.plugins.sshslaves.SSHLauncher"`. */
export interface ParsedNode {
  readonly name: string | null;
  readonly host: string | null;
  readonly port: number | null;
  readonly credentialId: string;
  readonly line: number;
}

const SSH_LAUNCHER = "hudson.plugins.sshslaves.SSHLauncher";

/** The SSH launcher credential of one agent, or null when the agent is not launched over SSH with a credential. */
export function parseNodeConfig(root: XmlElement, raw: string): ParsedNode | null {
  const launcher = child(root, "launcher");
  if (launcher === undefined || javaClassOf(launcher) !== SSH_LAUNCHER) return null;
  const credentialId = childText(launcher, "credentialsId");
  if (credentialId === null) return null;
  const port = Number(childText(launcher, "port") ?? "");
  const escaped = escapeXmlText(credentialId);
  return {
    name: childText(root, "name"),
    host: childText(launcher, "host"),
    port: Number.isInteger(port) && port > 0 ? port : null,
    credentialId,
    line: lineOf(raw, [`<credentialsId>${escaped}</credentialsId>`, escaped]),
  };
}
