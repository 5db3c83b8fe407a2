import type { KeyInfo } from "../keys/key-info.js";
import { findKeyBySha256, findKeysByMd5, type KeyRow, type Store } from "../store/index.js";
import { readFreshness, type Freshness } from "./freshness.js";
import { registrationsOfKey, type RegistrationView } from "./registrations.js";
import { usesOfKey, type UseView } from "./uses.js";

export interface WhoUsesQuery {
  readonly sha256?: string;
  readonly md5?: string;
  readonly key?: KeyInfo;
}

export interface WhoUsesResult {
  /** `SHA256:…`; when only an MD5 fingerprint was given and no stored key has it, that MD5 string. */
  readonly fingerprint: string;
  readonly md5: string | null;
  readonly known: boolean;
  readonly key: { readonly type: string | null; readonly bits: number | null; readonly publicKey: string | null; readonly comment: string | null } | null;
  readonly registrations: readonly RegistrationView[];
  readonly pipelines: readonly UseView[];
  readonly freshness: Freshness;
}

/** Who holds this key on GitHub and which pipelines use it. An unknown key is an answer, not an error. */
export function whoUses(store: Store, query: WhoUsesQuery, now: string): WhoUsesResult {
  const sha256 = query.key?.sha256 ?? query.sha256;
  let row: KeyRow | undefined;
  if (sha256) row = findKeyBySha256(store, sha256);
  else if (query.md5) row = findKeysByMd5(store, query.md5)[0];
  const freshness = readFreshness(store, now);
  const fingerprint = row?.sha256 ?? sha256 ?? query.md5 ?? "";
  if (!row) {
    return {
      fingerprint,
      md5: query.key?.md5 ?? query.md5 ?? null,
      known: false,
      key: query.key ? { type: query.key.type, bits: query.key.bits, publicKey: query.key.publicKey, comment: query.key.comment } : null,
      registrations: [],
      pipelines: [],
      freshness,
    };
  }
  const registrations = registrationsOfKey(store, row.id);
  const pipelines = usesOfKey(store, row.id);
  return {
    fingerprint: row.sha256,
    md5: row.md5 ?? query.key?.md5 ?? null,
    known: registrations.length > 0 || pipelines.length > 0,
    key: { type: row.type, bits: row.bits, publicKey: row.publicKey, comment: row.comment },
    registrations,
    pipelines,
    freshness,
  };
}
