import { createHash } from "node:crypto";
import { ed25519Line } from "./ed25519.js";
import { ed25519PublicKeyRun } from "./ed25519-run.js";
import { isoSeconds } from "./payloads.js";
import type { SimKey, SimOrg, SimRepo, SimState, SimUser } from "./types.js";

export interface GenerateOrgOptions {
  org: string;
  members: number;
  repos: number;
  /** Default 3. */
  keysPerMember?: number;
  /** A deploy key on every Nth repo; default 3. */
  deployKeyEvery?: number;
  /** The first N members carry 150 keys each (more than one page of 100). */
  bigKeyAccounts?: number;
  /** Changes every key; default 1. */
  seed?: number;
  /** Token of the org's first member (an admin); default "sim-token". */
  token?: string;
}

const bigKeyCount = 150;

/**
 * Keys for one generated org: consecutive points of one ed25519 run (see ed25519-run.ts), made 1,024 at a time,
 * so 40,000 keys take about a second instead of the ~8 s of one node:crypto derivation each.
 */
class KeyPool {
  private buffer: Buffer[] = [];
  private offset = 0;
  constructor(private readonly privateSeed: Buffer) {}

  next(): Buffer {
    if (this.buffer.length === 0) {
      this.buffer = ed25519PublicKeyRun(this.privateSeed, 1024, this.offset).reverse();
      this.offset += 1024;
    }
    return this.buffer.pop() as Buffer;
  }
}

const pad = (n: number): string => String(n).padStart(5, "0");

/**
 * A deterministic org for tests and benchmarks: `members` users (every 25th, and the first, an admin), `repos`
 * repositories (mixed visibility, some archived or forks), real ed25519 keys, unique ids. The token belongs to
 * the first member. Outside collaborators: one per 100 members (at least one), each with one key.
 */
export function generateOrgState(options: GenerateOrgOptions): SimState {
  const org = options.org;
  const keysPerMember = options.keysPerMember ?? 3;
  const deployKeyEvery = Math.max(1, options.deployKeyEvery ?? 3);
  const bigKeyAccounts = options.bigKeyAccounts ?? 0;
  const seed = options.seed ?? 1;
  const token = options.token ?? "sim-token";
  let nextKeyId = 10_000_000;
  const baseTime = Date.UTC(2020, 0, 1);
  const pool = new KeyPool(createHash("sha256").update(`keyward-simulator:${seed}:${org}`).digest());

  const makeKey = (kind: string, owner: string, index: number, extra: Partial<SimKey> = {}): SimKey => {
    const id = nextKeyId++;
    return {
      id,
      key: ed25519Line(pool.next(), `${owner}@keyward-sim`),
      title: `${owner} ${kind} ${index + 1}`,
      createdAt: isoSeconds(baseTime + (id - 10_000_000) * 60_000),
      lastUsed: index % 2 === 0 ? isoSeconds(baseTime + (id - 10_000_000) * 60_000 + 86_400_000) : null,
      verified: true,
      readOnly: false,
      ...extra,
    };
  };

  const users: Record<string, SimUser> = {};
  const members: SimOrg["members"] = [];
  for (let i = 0; i < options.members; i += 1) {
    const login = `${org}-m${pad(i)}`;
    const count = i < bigKeyAccounts ? bigKeyCount : keysPerMember;
    const keys: SimKey[] = [];
    for (let k = 0; k < count; k += 1) keys.push(makeKey("key", login, k));
    const signingKeys = i % 10 === 0 ? [makeKey("signing", login, 0)] : [];
    users[login] = { login, id: 100_000 + i, name: `Member ${i}`, type: "User", siteAdmin: false, keys, signingKeys };
    members.push({ login, role: i % 25 === 0 ? "admin" : "member" });
  }

  const outsideCollaborators: string[] = [];
  const outsideCount = Math.max(1, Math.floor(options.members / 100));
  for (let i = 0; i < outsideCount; i += 1) {
    const login = `${org}-oc${pad(i)}`;
    users[login] = { login, id: 90_000 + i, name: null, type: "User", keys: [makeKey("key", login, 0)], signingKeys: [] };
    outsideCollaborators.push(login);
  }

  const adminLogin = members[0]?.login ?? null;
  const visibilities = ["public", "private", "internal"] as const;
  const repos: SimRepo[] = [];
  for (let i = 0; i < options.repos; i += 1) {
    const name = `repo-${pad(i)}`;
    const deployKeys =
      i % deployKeyEvery === 0
        ? [makeKey("deploy", name, 0, { readOnly: i % 2 === 0, addedBy: adminLogin, enabled: i % 7 !== 0 })]
        : [];
    repos.push({
      name,
      id: 5_000_000 + i,
      archived: i % 20 === 19,
      fork: i % 15 === 14,
      visibility: visibilities[i % 3] ?? "public",
      deployKeys,
    });
  }

  const state: SimState = {
    users,
    orgs: { [org]: { login: org, id: 1_000 + (seed % 1_000), members, outsideCollaborators, repos, credentialAuthorizations: null } },
    tokens: adminLogin ? { [token]: { login: adminLogin } } : {},
  };
  return state;
}
