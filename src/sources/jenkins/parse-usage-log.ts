import type { XmlElement } from "./parse-xml.js";
import { child, childrenNamed, childText, escapeXmlText, indexOfAny, lineAt } from "./parse-xml.js";

/**
 * Jenkins' credential usage log: `fingerprints/<h0-1>/<h2-3>/<rest>.xml` whose `fileName` is
 * `Credential id=<id> name=<name>` (credentials-plugin CredentialsProvider `getOrCreateFingerprintOf`), and whose
 * `usages/entry` pairs a job full name with the build ranges that used it (hudson/model/Fingerprint.java).
 */

export interface CredentialUsage {
  /** Job full name (`folder/job`, `mb/branch`). */
  readonly job: string;
  /** Build numbers, as Jenkins writes them (`1-5,7`). */
  readonly ranges: string | null;
  readonly line: number;
}

export interface ParsedUsageLog {
  readonly credentialId: string;
  readonly usages: readonly CredentialUsage[];
}

const FILE_NAME = /^Credential id=(.*?) name=/s;

/** The credential and its usages, or null when the fingerprint is not a credential's (e.g. an archived file). */
export function parseUsageLog(root: XmlElement, raw: string): ParsedUsageLog | null {
  if (root.name !== "fingerprint") return null;
  const fileName = childText(root, "fileName");
  if (fileName === null) return null;
  const match = FILE_NAME.exec(fileName) ?? /^Credential id=(.*)$/s.exec(fileName);
  const credentialId = match?.[1]?.trim();
  if (credentialId === undefined || credentialId === "") return null;
  const usages: CredentialUsage[] = [];
  let from = Math.max(0, raw.indexOf("<usages"));
  for (const entry of childrenNamed(child(root, "usages"), "entry")) {
    const job = childText(entry, "string");
    if (job === null) continue;
    const index = indexOfAny(raw, [`<string>${escapeXmlText(job)}</string>`], from);
    if (index >= 0) from = index + 1;
    usages.push({ job, ranges: childText(entry, "ranges"), line: lineAt(raw, index >= 0 ? index : from) });
  }
  return { credentialId, usages };
}
