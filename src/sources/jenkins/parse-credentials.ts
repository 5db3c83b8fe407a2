import type { XmlElement } from "./parse-xml.js";
import { child, childrenNamed, childText, escapeXmlText, indexOfAny, javaClassOf, lineAt } from "./parse-xml.js";

/**
 * Credential stores as the credentials plugin persists them: system (`credentials.xml`), folder
 * (`FolderCredentialsProvider$FolderCredentialsProperty`) and user (`UserCredentialsProvider$UserCredentialsProperty`)
 * stores all hold `domainCredentialsMap` → `entry` → Domain + a list of credentials. Pure: values stay as stored
 * (encrypted); decryption happens in transform-credential.ts.
 */

export const SSH_CREDENTIAL_CLASS = "com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey";
export const FOLDER_STORE_PROPERTY = "com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProvider_-FolderCredentialsProperty";
export const USER_STORE_PROPERTY = "com.cloudbees.plugins.credentials.UserCredentialsProvider_-UserCredentialsProperty";
const DOMAIN_CLASS = "com.cloudbees.plugins.credentials.domains.Domain";

/** Where a `BasicSSHUserPrivateKey` takes its key from (`BasicSSHUserPrivateKey$…PrivateKeySource`). */
export type PrivateKeySourceKind = "direct-entry" | "file-on-master" | "users" | "unknown";

/** One `BasicSSHUserPrivateKey` as stored. Secrets are the stored (usually encrypted) strings. */
export interface SshCredentialEntry {
  readonly id: string;
  readonly scope: string | null;
  readonly username: string | null;
  readonly description: string | null;
  /** Domain name; null for the global domain. */
  readonly domain: string | null;
  readonly sourceKind: PrivateKeySourceKind;
  /** Stored `privateKey` values (ancient records: several `privateKeys`); each may hold keys joined by `\f`. */
  readonly privateKeyValues: readonly string[];
  /** `privateKeyFile` of a FileOnMaster source: a controller path (or, in odd records, key text). */
  readonly privateKeyFile: string | null;
  /** Stored `passphrase` Secret, absent when the key has none. */
  readonly passphrase: string | null;
  /** Line of the credential's `<id>` in the store file. */
  readonly line: number;
}

/** What one store file holds: its SSH credentials and the ids of every other credential (to tell "not SSH"). */
export interface ParsedCredentialStore {
  readonly ssh: readonly SshCredentialEntry[];
  /** id → Java class of each credential that is not an SSH key (passwords, tokens …). */
  readonly others: ReadonlyMap<string, string>;
}

function sourceKindOf(sourceClass: string | undefined): PrivateKeySourceKind {
  if (sourceClass === undefined) return "unknown";
  if (sourceClass.endsWith("DirectEntryPrivateKeySource")) return "direct-entry";
  if (sourceClass.endsWith("FileOnMasterPrivateKeySource")) return "file-on-master";
  if (sourceClass.endsWith("UsersPrivateKeySource")) return "users";
  return "unknown";
}

function parseSshCredential(
  element: XmlElement,
  domain: string | null,
  raw: string,
  from: number,
): { entry: SshCredentialEntry; index: number } | null {
  const id = childText(element, "id");
  if (id === null) return null;
  const source = child(element, "privateKeySource");
  const values: string[] = [];
  const direct = child(source, "privateKey") ?? child(element, "privateKey");
  if (direct !== undefined && direct.text.trim() !== "") values.push(direct.text);
  for (const list of [child(source, "privateKeys"), child(element, "privateKeys")]) {
    for (const item of list?.children ?? []) if (item.text.trim() !== "") values.push(item.text);
  }
  let sourceKind = sourceKindOf(source === undefined ? undefined : javaClassOf(source));
  if (sourceKind === "unknown" && values.length > 0) sourceKind = "direct-entry";
  const index = indexOfAny(raw, [`<id>${escapeXmlText(id)}</id>`, escapeXmlText(id)], from);
  const entry: SshCredentialEntry = {
    id,
    scope: childText(element, "scope"),
    username: childText(element, "username"),
    description: childText(element, "description"),
    domain,
    sourceKind,
    privateKeyValues: values,
    privateKeyFile: childText(source, "privateKeyFile"),
    passphrase: child(element, "passphrase")?.text ?? null,
    line: lineAt(raw, index >= 0 ? index : from),
  };
  return { entry, index };
}

/**
 * Reads every domain of the store held by `container` (the root of `credentials.xml`, or a folder/user store
 * property). `raw` is the file text, used only for line numbers. Unknown credential classes are listed in `others`.
 */
export function parseCredentialStore(container: XmlElement, raw: string): ParsedCredentialStore {
  const ssh: SshCredentialEntry[] = [];
  const others = new Map<string, string>();
  const map = child(container, "domainCredentialsMap");
  let from = 0;
  for (const entry of childrenNamed(map, "entry")) {
    const domainElement = entry.children.find((c) => javaClassOf(c) === DOMAIN_CLASS || c.name === DOMAIN_CLASS);
    const domain = childText(domainElement, "name");
    for (const list of entry.children) {
      if (list === domainElement) continue;
      for (const credential of list.children) {
        const javaClass = javaClassOf(credential);
        const id = childText(credential, "id");
        if (javaClass === SSH_CREDENTIAL_CLASS || credential.name === SSH_CREDENTIAL_CLASS) {
          const parsed = parseSshCredential(credential, domain, raw, from);
          if (parsed !== null) {
            ssh.push(parsed.entry);
            if (parsed.index >= 0) from = parsed.index + 1;
          }
        } else if (id !== null) {
          others.set(id, javaClass);
        }
      }
    }
  }
  return { ssh, others };
}
