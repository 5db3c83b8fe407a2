import type { Store } from "../store/index.js";

export type RegistrationKind = "user_key" | "deploy_key" | "signing_key" | "sso_credential";

/** A key's registration on GitHub as the answers show it (contract: kind, account, repository, personal, present, removedAt). */
export interface RegistrationView {
  readonly fingerprint: string;
  readonly kind: RegistrationKind;
  readonly account: string | null;
  readonly repository: string | null;
  readonly personal: boolean;
  readonly present: boolean;
  readonly enabled: boolean | null;
  readonly removedAt: string | null;
  readonly removalReason: string | null;
  readonly machineUser: boolean;
  readonly title: string | null;
  readonly readOnly: boolean | null;
  readonly createdAt: string | null;
  readonly lastUsed: string | null;
  readonly addedBy: string | null;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly source: string;
}

interface Raw {
  fingerprint: string;
  kind: RegistrationKind;
  account: string | null;
  repository: string | null;
  machineUser: number | null;
  enabled: number | null;
  readOnly: number | null;
  removedAt: string | null;
  removalReason: string | null;
  title: string | null;
  createdAt: string | null;
  lastUsed: string | null;
  addedBy: string | null;
  firstSeen: string;
  lastSeen: string;
  source: string;
}

const SELECT = `SELECT k.sha256 AS fingerprint, r.kind, a.login AS account, repo.full_name AS repository,
  a.machine_user AS machineUser, r.enabled, r.read_only AS readOnly, r.removed_at AS removedAt,
  r.removal_reason AS removalReason, r.title, r.created_at AS createdAt, r.last_used AS lastUsed,
  r.added_by AS addedBy, r.first_seen AS firstSeen, r.last_seen AS lastSeen, r.source
  FROM registrations r JOIN keys k ON k.id = r.key_id
  LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN repositories repo ON repo.id = r.repository_id`;

const ORDER = " ORDER BY r.removed_at IS NOT NULL, r.kind, a.login, repo.full_name";

function toView(raw: Raw): RegistrationView {
  const machineUser = raw.machineUser === 1;
  return {
    fingerprint: raw.fingerprint,
    kind: raw.kind,
    account: raw.account,
    repository: raw.repository,
    // A key on a person's account (not a machine user's) goes when the person goes: that is "personal".
    personal: raw.account !== null && !machineUser,
    present: raw.removedAt === null,
    enabled: raw.enabled === null ? null : raw.enabled === 1,
    removedAt: raw.removedAt,
    removalReason: raw.removalReason,
    machineUser,
    title: raw.title,
    readOnly: raw.readOnly === null ? null : raw.readOnly === 1,
    createdAt: raw.createdAt,
    lastUsed: raw.lastUsed,
    addedBy: raw.addedBy,
    firstSeen: raw.firstSeen,
    lastSeen: raw.lastSeen,
    source: raw.source,
  };
}

export function registrationsOfKey(store: Store, keyId: number): RegistrationView[] {
  return (store.statement(`${SELECT} WHERE r.key_id = ?${ORDER}`).all(keyId) as Raw[]).map(toView);
}

export function registrationsOfAccount(store: Store, accountId: number): RegistrationView[] {
  return (store.statement(`${SELECT} WHERE r.account_id = ?${ORDER}`).all(accountId) as Raw[]).map(toView);
}

export function deployKeysAddedBy(store: Store, login: string): RegistrationView[] {
  return (
    store.statement(`${SELECT} WHERE r.kind = 'deploy_key' AND r.added_by = ? COLLATE NOCASE${ORDER}`).all(login) as Raw[]
  ).map(toView);
}

/** Registrations that grant SSH access to repositories (signing keys and SSO entries do not by themselves). */
export const ACCESS_KINDS: readonly RegistrationKind[] = ["user_key", "deploy_key"];

/** Present and able to authenticate: not removed, not disabled by policy. */
export function isLive(r: RegistrationView): boolean {
  return r.present && r.enabled !== false;
}
