import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOrgState } from "../../../src/demo/simulator/index.js";
import { oracle } from "../../helpers/ssh-keygen.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("generateOrgState", () => {
  const state = generateOrgState({ org: "bench", members: 1000, repos: 3000, bigKeyAccounts: 2 });
  const org = state.orgs.bench;
  const members = org?.members ?? [];
  const repos = org?.repos ?? [];
  const memberUsers = members.map((m) => state.users[m.login]);
  const userKeys = Object.values(state.users).flatMap((u) => u.keys);
  const deployKeys = repos.flatMap((r) => r.deployKeys);

  it("makes the requested numbers of members, repositories and keys", () => {
    expect(members).toHaveLength(1000);
    expect(repos).toHaveLength(3000);
    expect(memberUsers.every((u) => u !== undefined)).toBe(true);
    expect(memberUsers.map((u) => u?.keys.length ?? 0).reduce((a, b) => a + b, 0)).toBe(998 * 3 + 2 * 150);
    expect(deployKeys).toHaveLength(1000); // every 3rd repository
    expect(org?.outsideCollaborators).toHaveLength(10);
    expect(members.filter((m) => m.role === "admin").length).toBe(40);
    expect(state.tokens["sim-token"]).toEqual({ login: members[0]?.login });
  });

  it("gives unique ids to users, repositories and keys, and unique key material", () => {
    const allKeys = [...userKeys, ...Object.values(state.users).flatMap((u) => u.signingKeys), ...deployKeys];
    expect(new Set(allKeys.map((k) => k.id)).size).toBe(allKeys.length);
    expect(new Set(allKeys.map((k) => k.key.split(" ")[1])).size).toBe(allKeys.length);
    expect(new Set(Object.values(state.users).map((u) => u.id)).size).toBe(Object.keys(state.users).length);
    expect(new Set(repos.map((r) => r.id)).size).toBe(repos.length);
  });

  it("makes ed25519 keys that ssh-keygen reads", () => {
    const dir = tempDir();
    const sample = [userKeys[0], userKeys[1500], userKeys.at(-1), deployKeys[0], deployKeys.at(-1)];
    for (const [i, key] of sample.entries()) {
      if (!key) throw new Error("sample key missing");
      const file = join(dir, `key${i}.pub`);
      writeFileSync(file, `${key.key}\n`);
      const { bits, sha256 } = oracle(file);
      expect(bits).toBe(256);
      expect(sha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(key.key).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} \S+@keyward-sim$/);
    }
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const again = generateOrgState({ org: "small", members: 5, repos: 6 });
    const same = generateOrgState({ org: "small", members: 5, repos: 6 });
    const other = generateOrgState({ org: "small", members: 5, repos: 6, seed: 2 });
    expect(same).toEqual(again);
    expect(other.users["small-m00000"]?.keys[0]?.key).not.toBe(again.users["small-m00000"]?.keys[0]?.key);
  });

  it("honours keysPerMember, deployKeyEvery and the token name", () => {
    const custom = generateOrgState({ org: "c", members: 4, repos: 10, keysPerMember: 1, deployKeyEvery: 5, token: "t0" });
    expect(Object.values(custom.users).every((u) => u.keys.length === 1)).toBe(true);
    expect(custom.orgs.c?.repos.filter((r) => r.deployKeys.length > 0).map((r) => r.name)).toEqual(["repo-00000", "repo-00005"]);
    expect(Object.keys(custom.tokens)).toEqual(["t0"]);
  });
});
