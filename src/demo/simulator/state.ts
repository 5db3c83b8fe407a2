import type { SimOrg, SimRepo, SimState, SimUser } from "./types.js";

/*
 * Lookups and ordered views over the live state. At benchmark size (30,000 repos, 10,000 members) a page must
 * cost O(page), so views of long arrays are computed once and reused. An entry stays valid while the same array
 * object keeps the same length: that is what deleting, adding or replacing does. Short arrays (test-sized) are
 * recomputed on every request, so in-place edits such as a changed role are always seen there.
 */
const alwaysFreshBelow = 2_000;
interface CacheEntry {
  readonly length: number;
  readonly value: unknown;
}

const views = new WeakMap<object, Map<string, CacheEntry>>();

/** Returns `compute(array)`, cached per (array object, view name) until the array's length changes (long arrays only). */
export function cachedView<T, R>(array: readonly T[], name: string, compute: (array: readonly T[]) => R): R {
  if (array.length < alwaysFreshBelow) return compute(array);
  let perArray = views.get(array);
  if (!perArray) {
    perArray = new Map();
    views.set(array, perArray);
  }
  const hit = perArray.get(name);
  if (hit && hit.length === array.length) return hit.value as R;
  const value = compute(array);
  perArray.set(name, { length: array.length, value });
  return value;
}

/** Case-insensitive lookup in a record keyed by login (GitHub logins are case-insensitive). */
function lookup<T>(record: Record<string, T>, login: string): T | undefined {
  if (Object.hasOwn(record, login)) return record[login];
  const wanted = login.toLowerCase();
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export function findUser(state: SimState, login: string): SimUser | undefined {
  return lookup(state.users, login);
}

export function findOrg(state: SimState, login: string): SimOrg | undefined {
  return lookup(state.orgs, login);
}

export function findRepo(org: SimOrg, name: string): SimRepo | undefined {
  const byName = cachedView(org.repos, "by-name", (repos) => new Map(repos.map((r) => [r.name.toLowerCase(), r])));
  const repo = byName.get(name.toLowerCase());
  // A repo renamed in place keeps the old map entry: confirm before answering.
  return repo && repo.name.toLowerCase() === name.toLowerCase() ? repo : undefined;
}

export function findMembership(org: SimOrg, login: string): SimOrg["members"][number] | undefined {
  const byLogin = cachedView(org.members, "by-login", (members) => new Map(members.map((m) => [m.login.toLowerCase(), m])));
  const member = byLogin.get(login.toLowerCase());
  return member && member.login.toLowerCase() === login.toLowerCase() ? member : undefined;
}

/** Stand-in for a login that appears in an org but not in `state.users`: a user with no keys and a stable id. */
export function userOrPlaceholder(state: SimState, login: string): SimUser {
  const user = findUser(state, login);
  if (user) return user;
  let hash = 0;
  for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return { login, id: 900_000_000 + hash, keys: [], signingKeys: [] };
}

/** Plain `a < b` order (GitHub sorts names case-insensitively). Cheaper than localeCompare at 30,000 items. */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
