import type { SimState } from "../src/demo/simulator/index.js";

/** One org shape the benchmark crawls. */
export interface BenchSize {
  readonly name: string;
  readonly members: number;
  readonly repos: number;
  readonly keysPerMember: number;
  /** A deploy key on every Nth repository. */
  readonly deployKeyEvery: number;
  /** Members with 150 keys (more than one page of 100). */
  readonly bigKeyAccounts: number;
}

export const SIZES: readonly BenchSize[] = [
  { name: "small", members: 100, repos: 300, keysPerMember: 3, deployKeyEvery: 3, bigKeyAccounts: 2 },
  { name: "medium", members: 1_000, repos: 3_000, keysPerMember: 3, deployKeyEvery: 3, bigKeyAccounts: 5 },
  { name: "large", members: 10_000, repos: 30_000, keysPerMember: 3, deployKeyEvery: 3, bigKeyAccounts: 10 },
];

/** What a crawl of this org has to find, and the page budget P of the targets, read from the generated state. */
export interface Expectation {
  readonly memberPages: number;
  readonly repoPages: number;
  /** Further pages for accounts or repositories with more than 100 keys. */
  readonly extraKeyPages: number;
  /** P = ceil(members/100) + ceil(repos/100) + extra key pages. */
  readonly pages: number;
  readonly reposWithDeployKeys: number;
  readonly members: number;
  readonly repos: number;
  /** Verified keys of members (what /users/{u}/keys and User.publicKeys show). */
  readonly userKeys: number;
  readonly deployKeys: number;
}

const extraPages = (count: number): number => Math.max(0, Math.ceil(count / 100) - 1);

/** Counts pages and keys of `org` in `state` (members only: the benchmark does not crawl outside collaborators). */
export function expectationOf(state: SimState, org: string): Expectation {
  const o = state.orgs[org];
  if (!o) throw new RangeError(`the generated state has no org ${org}`);
  let extraKeyPages = 0;
  let userKeys = 0;
  for (const m of o.members) {
    const keys = state.users[m.login]?.keys.filter((k) => k.verified !== false).length ?? 0;
    userKeys += keys;
    extraKeyPages += extraPages(keys);
  }
  let deployKeys = 0;
  let reposWithDeployKeys = 0;
  for (const r of o.repos) {
    deployKeys += r.deployKeys.length;
    if (r.deployKeys.length > 0) reposWithDeployKeys += 1;
    extraKeyPages += extraPages(r.deployKeys.length);
  }
  const memberPages = Math.ceil(o.members.length / 100);
  const repoPages = Math.ceil(o.repos.length / 100);
  return {
    memberPages,
    repoPages,
    extraKeyPages,
    pages: memberPages + repoPages + extraKeyPages,
    reposWithDeployKeys,
    members: o.members.length,
    repos: o.repos.length,
    userKeys,
    deployKeys,
  };
}
