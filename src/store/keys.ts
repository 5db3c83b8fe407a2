import type { KeyInfo } from "../keys/key-info.js";
import type { Store } from "./db.js";

/** What the store may know of a key: at least its SHA256 fingerprint. */
export interface KeyFacts {
  readonly sha256: string;
  readonly md5?: string | null;
  readonly type?: string | null;
  readonly bits?: number | null;
  readonly publicKey?: string | null;
  readonly comment?: string | null;
}

export interface KeyRow {
  readonly id: number;
  readonly sha256: string;
  readonly md5: string | null;
  readonly type: string | null;
  readonly bits: number | null;
  readonly publicKey: string | null;
  readonly comment: string | null;
  readonly firstSeen: string;
}

const SELECT = `SELECT id, sha256, md5, type, bits, public_key AS publicKey, comment, first_seen AS firstSeen FROM keys`;

/** Inserts a key or fills in what was unknown of it; returns its id. Never overwrites a known public key. */
export function saveKey(store: Store, key: KeyFacts | KeyInfo, now: string): number {
  const row = store
    .statement(
      `INSERT INTO keys (sha256, md5, type, bits, public_key, comment, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sha256) DO UPDATE SET
         md5 = COALESCE(keys.md5, excluded.md5), type = COALESCE(keys.type, excluded.type),
         bits = COALESCE(keys.bits, excluded.bits), public_key = COALESCE(keys.public_key, excluded.public_key),
         comment = COALESCE(keys.comment, excluded.comment)
       RETURNING id`,
    )
    .get(
      key.sha256,
      key.md5 ?? null,
      key.type ?? null,
      key.bits ?? null,
      key.publicKey ?? null,
      key.comment ?? null,
      now,
    ) as { id: number };
  return row.id;
}

export function findKeyBySha256(store: Store, sha256: string): KeyRow | undefined {
  return store.statement(`${SELECT} WHERE sha256 = ?`).get(sha256) as KeyRow | undefined;
}

export function findKeysByMd5(store: Store, md5: string): KeyRow[] {
  return store.statement(`${SELECT} WHERE md5 = ?`).all(md5) as KeyRow[];
}

export function findKeyById(store: Store, id: number): KeyRow | undefined {
  return store.statement(`${SELECT} WHERE id = ?`).get(id) as KeyRow | undefined;
}
