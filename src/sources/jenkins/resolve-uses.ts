import { parseRemoteRepo } from "../shared/repo-name.js";
import type { KeyUse } from "../source.js";
import type { ConfigReference, ReferenceStyle } from "./parse-job.js";
import type { ResolvedCredential } from "./transform-credential.js";

/**
 * Credential id → store lookup and the KeyUses a reference becomes. Pure. Lookup order follows the credentials
 * plugin's providers for a job: the enclosing folders' stores (innermost first), the system store; user stores
 * only when neither has the id (a build sees a user's store only when it runs as that user).
 */

/** The credentials of one store: SSH keys by id, and the ids of credentials of other kinds. */
export interface CredentialStore {
  readonly label: string;
  readonly path: string;
  readonly ssh: ReadonlyMap<string, ResolvedCredential>;
  readonly others: ReadonlyMap<string, string>;
}

export interface CredentialIndex {
  readonly system: CredentialStore | null;
  readonly users: readonly CredentialStore[];
}

export type Resolution =
  | { readonly kind: "ssh"; readonly credentials: readonly ResolvedCredential[] }
  | { readonly kind: "other"; readonly store: string; readonly javaClass: string }
  | { readonly kind: "missing" };

/**
 * Finds `id` for an item whose enclosing folder stores are `folders` (innermost first). The first folder or
 * system store that defines the id wins; failing those, every user store that defines it is returned.
 */
export function resolveCredentialId(id: string, folders: readonly CredentialStore[], index: CredentialIndex): Resolution {
  const ordered = index.system === null ? folders : [...folders, index.system];
  for (const store of ordered) {
    const ssh = store.ssh.get(id);
    if (ssh !== undefined) return { kind: "ssh", credentials: [ssh] };
    const other = store.others.get(id);
    if (other !== undefined) return { kind: "other", store: store.label, javaClass: other };
  }
  const fromUsers = index.users.map((store) => store.ssh.get(id)).filter((c): c is ResolvedCredential => c !== undefined);
  if (fromUsers.length > 0) return { kind: "ssh", credentials: fromUsers };
  const other = index.users.find((store) => store.others.has(id));
  if (other !== undefined) return { kind: "other", store: other.label, javaClass: other.others.get(id) ?? "" };
  return { kind: "missing" };
}

/** A reference in a file, as the scan found it, ready to become uses. */
export interface LocatedReference extends ConfigReference {
  /** File relative to JENKINS_HOME. */
  readonly file: string;
}

/** Placeholder name for a use of the build agent's own default key (SSHCheckoutTrait without credential). */
export const AGENT_DEFAULT_KEY = "agent default key (~/.ssh)";

/**
 * The uses one reference becomes: one per key of the resolved credential(s); a reference use when the key could
 * not be read, the credential is missing, or the id is dynamic. Non-SSH credentials yield no use.
 */
export function usesOfReference(reference: LocatedReference, resolution: Resolution | null): KeyUse[] {
  const evidence = `${reference.file}:${reference.line}`;
  const target = reference.url;
  const base: Record<string, unknown> = { referenceStyle: reference.style satisfies ReferenceStyle, ...reference.detail };
  if (reference.credentialId === null) {
    if (reference.expression !== null) {
      return [
        {
          key: { kind: "reference", referenceKind: "dynamic", name: reference.expression },
          evidence,
          target,
          detail: { ...base, expression: reference.expression },
        },
      ];
    }
    return [{ key: { kind: "reference", referenceKind: "file", name: AGENT_DEFAULT_KEY }, evidence, target, detail: base }];
  }
  const id = reference.credentialId;
  const asReference = { kind: "reference", referenceKind: "credential", name: id } as const;
  if (resolution === null || resolution.kind === "missing") {
    return [{ key: asReference, evidence, target, detail: { ...base, credentialId: id, missing: true } }];
  }
  if (resolution.kind === "other") return [];
  const uses: KeyUse[] = [];
  for (const credential of resolution.credentials) {
    credential.keys.forEach((entry, index) => {
      const detail: Record<string, unknown> = {
        ...base,
        credentialId: id,
        store: credential.store,
        storeFile: `${credential.storePath}:${credential.line}`,
        domain: credential.domain,
        username: credential.username,
        privateKeySource: credential.sourceKind,
        decrypt: credential.decrypt,
        keyStatus: entry.status,
      };
      if (credential.passphrase !== "none") detail["passphrase"] = credential.passphrase;
      if (entry.keyFile !== undefined) detail["keyFile"] = entry.keyFile;
      if (credential.keys.length > 1) {
        detail["keyIndex"] = index + 1;
        detail["keyCount"] = credential.keys.length;
      }
      uses.push({ key: entry.key === null ? asReference : { kind: "key", key: entry.key }, evidence, target, detail });
    });
  }
  return uses;
}

/** `owner/name` from a GitHub-like URL (`git@host:o/n.git`, `ssh://git@host[:port]/o/n.git`, `https://host/o/n`). */
export function parseRepository(url: string | null): string | null {
  const repo = url === null ? null : parseRemoteRepo(url);
  // A Jenkins remote reaches a GitHub-style owner/name; deeper paths (GitLab groups, local mirrors) are not one.
  return repo !== null && /^[\w.-]+\/[\w.-]+$/.test(repo) ? repo : null;
}
