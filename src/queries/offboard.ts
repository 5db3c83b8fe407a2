import { InputError } from "../errors.js";
import { findAccount, findKeyBySha256, listMemberships, type Store } from "../store/index.js";
import { readFreshness, type Freshness } from "./freshness.js";
import { deployKeysAddedBy, isLive, registrationsOfAccount, type RegistrationView } from "./registrations.js";
import { allUses, type UseView } from "./uses.js";

export interface OffboardPipeline {
  readonly name: string;
  readonly system: string;
  readonly fingerprint: string;
  /** Why it depends on the person: their own key, or a deploy key they added. */
  readonly via: "account-key" | "added-deploy-key";
  readonly keyPresent: boolean;
  readonly source: string;
  readonly evidence: string;
  readonly repository: string | null;
  readonly target: string | null;
}

export interface OffboardResult {
  readonly login: string;
  readonly machineUser: boolean;
  readonly memberships: readonly { org: string; relation: string; role: string | null; removedAt: string | null }[];
  readonly keys: readonly (RegistrationView & { readonly fingerprint: string })[];
  readonly deployKeysAdded: readonly RegistrationView[];
  readonly pipelines: readonly OffboardPipeline[];
  /** Repositories the dependent pipelines reach. */
  readonly repositories: readonly string[];
  readonly freshness: Freshness;
}

/**
 * What breaks if this person leaves: every key of the account, every pipeline using one of them, and the
 * deploy keys they added (GitHub says who added a deploy key; such keys are worth re-issuing too).
 * @throws InputError when no crawl has seen the login: "nothing depends" must not be said of an unknown account.
 */
export function offboard(store: Store, login: string, now: string): OffboardResult {
  const account = findAccount(store, login);
  if (!account) {
    throw new InputError(`no crawl has seen the account ${login}: crawl its org first (keyward crawl --org <org>), or check the spelling`);
  }
  const keys = registrationsOfAccount(store, account.id);
  const deployKeysAdded = deployKeysAddedBy(store, account.login);
  const pipelines: OffboardPipeline[] = [];
  const seen = new Set<string>();
  // One pass over every use, grouped by key, rather than one lookup per key: a person may hold hundreds of keys.
  const usesByKey = new Map<number, UseView[]>();
  for (const use of allUses(store)) {
    if (use.keyId === null) continue;
    const list = usesByKey.get(use.keyId);
    if (list) list.push(use);
    else usesByKey.set(use.keyId, [use]);
  }
  const collect = (regs: readonly RegistrationView[], via: OffboardPipeline["via"]): void => {
    for (const reg of regs) {
      const key = findKeyBySha256(store, reg.fingerprint);
      if (!key) continue;
      for (const use of usesByKey.get(key.id) ?? []) {
        const id = `${use.system}\0${use.name}\0${reg.fingerprint}\0${use.evidence}`;
        if (seen.has(id)) continue;
        seen.add(id);
        pipelines.push({
          name: use.name,
          system: use.system,
          fingerprint: reg.fingerprint,
          via,
          keyPresent: isLive(reg),
          source: use.source,
          evidence: use.evidence,
          repository: use.repository,
          target: use.target,
        });
      }
    }
  };
  collect(keys, "account-key");
  collect(deployKeysAdded, "added-deploy-key");
  const repositories = new Set<string>();
  for (const p of pipelines) if (p.repository) repositories.add(p.repository);
  for (const d of deployKeysAdded) if (d.repository) repositories.add(d.repository);
  return {
    login: account.login,
    machineUser: account.machineUser,
    memberships: listMemberships(store, account.id),
    keys,
    deployKeysAdded,
    pipelines,
    repositories: [...repositories].sort(),
    freshness: readFreshness(store, now),
  };
}
