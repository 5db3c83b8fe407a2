import { describe, expect, it } from "vitest";
import { TaskPool } from "../../src/github/task-pool.js";
import { parseLegacyNodeId, parseNextLink, transformCredentialAuthorization, transformMemberEdge } from "../../src/github/transform.js";

describe("transform", () => {
  it("reads the database id out of a legacy global node id, and nothing out of other ids", () => {
    expect(parseLegacyNodeId(Buffer.from("09:PublicKey12345").toString("base64"), "PublicKey")).toBe(12345);
    expect(parseLegacyNodeId(Buffer.from("09:DeployKey7").toString("base64"), "PublicKey")).toBeNull();
    expect(parseLegacyNodeId("PK_kwDOAAAB", "PublicKey")).toBeNull();
  });

  it("follows the next link as GitHub gives it, and stops on the last page", () => {
    const link =
      '<https://api.github.com/repositories/1/keys?page=2>; rel="next", <https://api.github.com/repositories/1/keys?page=5>; rel="last"';
    expect(parseNextLink(link)).toBe("https://api.github.com/repositories/1/keys?page=2");
    expect(parseNextLink('<https://x/?page=1>; rel="first", <https://x/?page=4>; rel="prev"')).toBeNull();
    expect(parseNextLink(undefined)).toBeNull();
  });

  it("keeps SSH-key authorizations only, and a fingerprint only in SHA256 form", () => {
    const base = { login: "octo", credential_id: 1, credential_authorized_at: "2024-01-01T00:00:00Z", authorized_credential_id: 42 };
    expect(transformCredentialAuthorization({ ...base, credential_type: "personal access token" })).toBeNull();
    expect(transformCredentialAuthorization({ ...base, credential_type: "SSH key", fingerprint: "jklmnop12345678" })).toMatchObject({
      keyGithubId: "42",
      sha256: null,
    });
    const sha = "SHA256:" + "A".repeat(43);
    expect(transformCredentialAuthorization({ ...base, credential_type: "SSH key", fingerprint: sha })?.sha256).toBe(sha);
  });

  it("maps GraphQL member roles to the store's", () => {
    const node = { id: "U1", databaseId: 1, login: "octo", name: null };
    expect(transformMemberEdge({ role: "ADMIN", node })?.role).toBe("admin");
    expect(transformMemberEdge({ role: "MEMBER", node })?.role).toBe("member");
    expect(transformMemberEdge({ role: "MEMBER", node: null })).toBeNull();
  });
});

describe("TaskPool", () => {
  it("never runs more tasks at once than its limit, and runs them all", async () => {
    const pool = new TaskPool(3);
    let active = 0;
    let peak = 0;
    let done = 0;
    for (let i = 0; i < 20; i += 1) {
      await pool.submit(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, i % 3));
        active -= 1;
        done += 1;
      });
    }
    await pool.drain();
    expect(peak).toBe(3);
    expect(done).toBe(20);
  });

  it("rethrows the first error a task let escape", async () => {
    const pool = new TaskPool(2);
    await pool.submit(() => Promise.reject(new Error("boom")));
    await expect(pool.drain()).rejects.toThrow("boom");
  });
});
