import type { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { generateOrgState } from "../../../src/demo/simulator/index.js";
import { client, simulator } from "./sim-helpers.js";

const state = () => generateOrgState({ org: "acme", members: 5, repos: 2 });
const failure = (promise: Promise<unknown>): Promise<RequestError> => promise.then(
  () => {
    throw new Error("expected the request to fail");
  },
  (e: unknown) => e as RequestError,
);

describe("fault injection", () => {
  it("answers a status fault with that status and a GitHub error body, then recovers", async () => {
    const sim = await simulator(state());
    const octokit = client(sim, "sim-token");
    sim.addFault({ match: { method: "GET", path: "/orgs/acme/members" }, kind: "status", status: 502 });
    const error = await failure(octokit.rest.orgs.listMembers({ org: "acme" }));
    expect(error.status).toBe(502);
    expect(error.response?.data).toMatchObject({ message: "Bad Gateway", documentation_url: expect.any(String) as string });
    expect((await octokit.rest.orgs.listMembers({ org: "acme" })).status).toBe(200);
    expect(sim.counts).toMatchObject({ rest: 2, faults: 1 });
    // A fault does not spend the budget.
    expect(sim.rateLimitUsed("sim-token").core).toBe(1);
  });

  it("resets the connection", async () => {
    const sim = await simulator(state());
    const octokit = client(sim, "sim-token");
    sim.addFault({ match: { path: /\/keys$/ }, kind: "reset" });
    const error = await failure(octokit.rest.users.listPublicKeysForUser({ username: "acme-m00001" }));
    expect(error.status).toBe(500); // octokit's status for a network failure
    expect(String(error.message)).toMatch(/fetch failed|socket|reset|other side closed/i);
    expect((await octokit.rest.users.listPublicKeysForUser({ username: "acme-m00001" })).data).toHaveLength(3);
  });

  it("hangs until the client gives up, and close() still returns", async () => {
    const sim = await simulator(state());
    const octokit = client(sim, "sim-token");
    sim.addFault({ match: { path: "/orgs/acme" }, kind: "hang" });
    const error = await failure(octokit.rest.orgs.get({ org: "acme", request: { signal: AbortSignal.timeout(300) } }));
    expect(String(error.message)).toMatch(/abort|timeout/i);
    sim.addFault({ match: { path: "/orgs/acme" }, kind: "hang" });
    const pending = octokit.rest.orgs.get({ org: "acme" }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sim.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it("answers a secondary rate limit with 403, retry-after and GitHub's message", async () => {
    const sim = await simulator(state());
    const octokit = client(sim, "sim-token");
    sim.addFault({ match: { method: "GET" }, kind: "secondary-rate-limit", retryAfter: 7 });
    const error = await failure(octokit.rest.orgs.get({ org: "acme" }));
    expect(error.status).toBe(403);
    expect(error.response?.headers["retry-after"]).toBe("7");
    expect(error.message).toMatch(/You have exceeded a secondary rate limit/);
    sim.addFault({ match: { method: "GET" }, kind: "secondary-rate-limit", retryAfter: 0 });
    const bare = await failure(octokit.rest.orgs.get({ org: "acme" }));
    expect([bare.status, bare.response?.headers["retry-after"]]).toEqual([403, undefined]);
  });

  it("answers an exhausted primary limit with 403, remaining 0 and a reset a few seconds ahead", async () => {
    const sim = await simulator(state());
    const octokit = client(sim, "sim-token");
    sim.addFault({ match: { path: "/orgs/acme/repos" }, kind: "primary-exhausted", retryAfter: 3 });
    const error = await failure(octokit.rest.repos.listForOrg({ org: "acme" }));
    expect(error.status).toBe(403);
    expect(error.response?.headers["x-ratelimit-remaining"]).toBe("0");
    const reset = Number(error.response?.headers["x-ratelimit-reset"]);
    expect(reset - Date.now() / 1000).toBeGreaterThan(1);
    expect(reset - Date.now() / 1000).toBeLessThan(5);
    expect(error.message).toMatch(/API rate limit exceeded/);
  });

  it("fires only after afterRequests matching requests, `times` times, and Infinity until cleared", async () => {
    const sim = await simulator(state());
    const octokit = client(sim, "sim-token");
    sim.addFault({ match: { path: "/orgs/acme" }, kind: "status", status: 503, afterRequests: 2, times: 2 });
    const statuses = async (n: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i += 1) out.push(await octokit.rest.orgs.get({ org: "acme" }).then((r) => r.status, (e: RequestError) => e.status));
      return out;
    };
    expect(await statuses(5)).toEqual([200, 200, 503, 503, 200]);
    sim.addFault({ match: { path: "/orgs/acme" }, kind: "status", status: 500, times: Infinity });
    expect(await statuses(3)).toEqual([500, 500, 500]);
    sim.clearFaults();
    expect(await statuses(1)).toEqual([200]);
  });

  it("matches GraphQL requests by operation name", async () => {
    const sim = await simulator(state());
    const octokit = client(sim, "sim-token");
    sim.addFault({ match: { graphql: "Second" }, kind: "status", status: 502 });
    await expect(octokit.graphql("query First { viewer { login } }")).resolves.toEqual({ viewer: { login: "acme-m00000" } });
    const error = await failure(octokit.graphql("query Second { viewer { login } }"));
    expect(error.status).toBe(502);
    sim.addFault({ match: { graphql: true }, kind: "secondary-rate-limit" });
    expect((await failure(octokit.graphql("query Third { viewer { login } }"))).status).toBe(403);
    // A GraphQL fault leaves REST alone.
    sim.addFault({ match: { graphql: true }, kind: "status", status: 500 });
    expect((await octokit.rest.orgs.get({ org: "acme" })).status).toBe(200);
    expect(sim.counts.faults).toBe(2);
  });
});
