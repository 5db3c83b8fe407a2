import { messageOf } from "../errors.js";
import { isPrivateKeyText, parseKeyMaterial, type KeyInfo } from "../keys/index.js";
import type { AccountInput, RepositoryInput } from "../store/index.js";
import type {
  DeployKeyNode,
  MemberEdge,
  PublicKeyNode,
  RepositoryNode,
  RestAdminKey,
  RestCredentialAuthorization,
  RestDeployKey,
  RestSigningKey,
  UserNode,
} from "./payload-types.js";

/* Pure: GitHub payloads (payload-types.ts) → the rows the store takes. No I/O, no store handle. */

/** One key as GitHub registers it somewhere, ready for saveKey + saveRegistration. */
export interface KeyRegistrationRow {
  readonly key: KeyInfo;
  readonly githubId: string | number | null;
  readonly title: string | null;
  readonly readOnly: boolean | null;
  readonly enabled: boolean | null;
  readonly verified: boolean | null;
  readonly createdAt: string | null;
  readonly lastUsed: string | null;
  readonly addedBy: string | null;
}

/** A key we could not read is reported, never stored and never fatal. */
export type TransformedKey = { readonly ok: true; readonly row: KeyRegistrationRow } | { readonly ok: false; readonly warning: string };

function parseKey(material: string, what: string): { ok: true; key: KeyInfo } | { ok: false; warning: string } {
  if (typeof material !== "string" || material.trim() === "") return { ok: false, warning: `${what} has no key text: skipped` };
  // GitHub only ever returns public halves; anything else is not ours to parse (or to echo).
  if (isPrivateKeyText(material)) return { ok: false, warning: `${what} is not a public key: skipped` };
  try {
    return { ok: true, key: parseKeyMaterial(material, { name: what }) };
  } catch (error) {
    return { ok: false, warning: `${what} cannot be read (${messageOf(error)}): skipped` };
  }
}

function row(material: string, what: string, fields: Omit<KeyRegistrationRow, "key">): TransformedKey {
  const parsed = parseKey(material, what);
  return parsed.ok ? { ok: true, row: { key: parsed.key, ...fields } } : parsed;
}

/**
 * The numeric database id inside a legacy global node id (`base64("09:PublicKey123")` → 123), or null for
 * ids in another form. SSO credential authorizations name keys by that number.
 */
export function parseLegacyNodeId(id: string, type: string): number | null {
  let decoded: string;
  try {
    decoded = Buffer.from(id, "base64").toString("latin1");
  } catch {
    return null;
  }
  const match = /^(\d{2,}):([A-Za-z]+)(\d+)$/.exec(decoded);
  if (!match || match[2] !== type || Number(match[1]) !== type.length) return null;
  const value = Number(match[3]);
  return Number.isSafeInteger(value) ? value : null;
}

/** A user's authentication key from GraphQL. Dates and read-only are null unless the viewer owns the key. */
export function transformPublicKey(node: PublicKeyNode, login: string): TransformedKey {
  return row(node.key, `public key ${node.id} of ${login}`, {
    githubId: parseLegacyNodeId(node.id, "PublicKey") ?? node.id,
    title: null,
    readOnly: node.isReadOnly ?? null,
    enabled: null,
    verified: null,
    createdAt: node.createdAt ?? null,
    lastUsed: node.accessedAt ?? null,
    addedBy: null,
  });
}

/**
 * A deploy key from GraphQL. Its id is a node id; when REST details follow, they bring the numeric id, so
 * the node id is left out to keep `github_id` stable across crawls.
 */
export function transformDeployKeyNode(node: DeployKeyNode, repository: string, keepNodeId: boolean): TransformedKey {
  return row(node.key, `deploy key ${node.id} of ${repository}`, {
    githubId: keepNodeId ? (parseLegacyNodeId(node.id, "DeployKey") ?? node.id) : null,
    title: node.title,
    readOnly: node.readOnly,
    enabled: node.enabled ?? null,
    verified: node.verified,
    createdAt: node.createdAt,
    lastUsed: null,
    addedBy: null,
  });
}

/** A deploy key from REST `/repos/{o}/{r}/keys`: the only source of added_by and last_used. */
export function transformRestDeployKey(key: RestDeployKey, repository: string): TransformedKey {
  return row(key.key, `deploy key ${key.id} of ${repository}`, {
    githubId: key.id,
    title: key.title,
    readOnly: key.read_only ?? null,
    enabled: key.enabled ?? null,
    verified: key.verified ?? null,
    createdAt: key.created_at ?? null,
    lastUsed: key.last_used ?? null,
    addedBy: key.added_by ?? null,
  });
}

/** An SSH signing key from REST `/users/{u}/ssh_signing_keys`. */
export function transformSigningKey(key: RestSigningKey, login: string): TransformedKey {
  return row(key.key, `signing key ${key.id} of ${login}`, {
    githubId: key.id,
    title: key.title,
    readOnly: null,
    enabled: null,
    verified: null,
    createdAt: key.created_at ?? null,
    lastUsed: null,
    addedBy: null,
  });
}

/** A key from GHES `/admin/keys`: a user key when `user_id` is set, else a deploy key of `repository_id`. */
export function transformAdminKey(key: RestAdminKey): TransformedKey {
  const owner = key.user_id !== null ? `user ${key.user_id}` : `repository ${key.repository_id}`;
  return row(key.key, `key ${key.id} of ${owner}`, {
    githubId: key.id,
    title: key.title ?? null,
    readOnly: key.read_only ?? null,
    enabled: key.user_id !== null ? null : (key.enabled ?? null),
    verified: key.verified ?? null,
    createdAt: key.created_at ?? null,
    lastUsed: key.last_used ?? null,
    addedBy: key.added_by ?? null,
  });
}

export function transformUserNode(node: UserNode): AccountInput {
  return { login: node.login, githubId: node.databaseId, nodeId: node.id, type: "User", name: node.name };
}

/** A member with the role GitHub gives on the edge (ADMIN → admin). */
export function transformMemberEdge(edge: MemberEdge): { account: AccountInput; role: "admin" | "member" | null } | null {
  if (!edge.node) return null;
  const role = edge.role === "ADMIN" ? "admin" : edge.role === "MEMBER" ? "member" : null;
  return { account: transformUserNode(edge.node), role };
}

export function transformRepositoryNode(node: RepositoryNode, org: string): RepositoryInput {
  return {
    fullName: node.nameWithOwner,
    org,
    githubId: node.databaseId,
    nodeId: node.id,
    archived: node.isArchived,
    visibility: node.visibility ? node.visibility.toLowerCase() : null,
  };
}

/** What an SSO credential authorization tells about an SSH key: no key material, only ids and maybe a fingerprint. */
export interface SsoKeyAuthorization {
  readonly login: string;
  readonly credentialId: number;
  /** The user key's own id (`/users/{u}/keys` id), as a string to compare with registrations.github_id. */
  readonly keyGithubId: string | null;
  /** Set only when GitHub's (undocumented) fingerprint is in `SHA256:` form. */
  readonly sha256: string | null;
  readonly title: string | null;
  readonly authorizedAt: string | null;
  readonly accessedAt: string | null;
}

/** SSH-key authorizations only (tokens are not keys); null for the other credential types. */
export function transformCredentialAuthorization(entry: RestCredentialAuthorization): SsoKeyAuthorization | null {
  if (entry.credential_type !== "SSH key") return null;
  const fingerprint = entry.fingerprint?.trim() ?? "";
  const sha256 = /^SHA256:[A-Za-z0-9+/]{43}$/.test(fingerprint) ? fingerprint : null;
  return {
    login: entry.login,
    credentialId: entry.credential_id,
    keyGithubId:
      entry.authorized_credential_id === null || entry.authorized_credential_id === undefined
        ? null
        : String(entry.authorized_credential_id),
    sha256,
    title: entry.authorized_credential_title ?? null,
    authorizedAt: entry.credential_authorized_at ?? null,
    accessedAt: entry.credential_accessed_at ?? null,
  };
}

/** The `rel="next"` URL of a Link header, as given (GitHub may switch path forms between pages). */
export function parseNextLink(link: string | number | undefined): string | null {
  if (typeof link !== "string") return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2]?.split(/\s+/).includes("next")) return match[1] ?? null;
  }
  return null;
}
