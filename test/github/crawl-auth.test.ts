import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateOrgState } from "../../src/demo/simulator/index.js";
import { AuthError, GitHubApiError } from "../../src/errors.js";
import { crawl, graphqlUrlOf } from "../../src/github/index.js";
import { crawlSim, registrations, simOptions, startSim, tempStore } from "./crawl-helpers.js";

describe("crawl credentials and endpoints", () => {
  it("fails with an AuthError that does not contain the token, and records no run", async () => {
    const sim = await startSim(generateOrgState({ org: "acme", members: 3, repos: 2 }));
    const store = tempStore();
    const token = "ghp_SECRETsecretSECRET123";
    const error = await crawl(store, simOptions(sim, { auth: { token } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/^GitHub rejected the token \(401\) on GET \/orgs\/acme: check GITHUB_TOKEN or GH_TOKEN/);
    expect((error as Error).message).not.toContain(token);
    expect((error as Error).message).not.toContain("SECRET");
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM runs").get()).toEqual({ n: 0 });
  });

  it("names an unknown org in its error", async () => {
    const sim = await startSim(generateOrgState({ org: "acme", members: 3, repos: 2 }));
    const error = await crawlSim(tempStore(), sim, { orgs: ["acme", "no-such-org"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(404);
    expect((error as Error).message).toBe('GitHub organization "no-such-org" not found, or the credentials cannot see it: check --org no-such-org');
  });

  it("derives the GraphQL endpoint from the API URL, GHES included", () => {
    expect(graphqlUrlOf("https://api.github.com")).toBe("https://api.github.com/graphql");
    expect(graphqlUrlOf("https://ghe.example.com/api/v3")).toBe("https://ghe.example.com/api/graphql");
    expect(graphqlUrlOf("https://ghe.example.com/api/v3/")).toBe("https://ghe.example.com/api/graphql");
  });

  it("crawls a GitHub Enterprise Server at <host>/api/v3 with GraphQL at /api/graphql", async () => {
    const sim = await startSim(generateOrgState({ org: "acme", members: 12, repos: 9 }), { ghes: true });
    expect(sim.url).toMatch(/\/api\/v3$/);
    const store = tempStore();
    const result = await crawlSim(store, sim);
    expect(result.complete).toBe(true);
    expect(result.graphqlRequests).toBe(2);
    expect(sim.counts.graphql).toBe(2);
    expect(registrations(store).filter((r) => r.kind === "user_key")).toHaveLength(36);
    // GHES has no SAML credential authorizations: recorded as unavailable, not as missing.
    expect(result.unavailable).toEqual([expect.stringMatching(/^SSO credential authorizations of acme \(HTTP 404/)]);
  });

  it("authenticates as a GitHub App installation", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const state = generateOrgState({ org: "acme", members: 4, repos: 3 });
    state.apps = {
      "4242": {
        publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
        installations: { "77": { token: "ghs_installation" } },
      },
    };
    const sim = await startSim(state);
    const store = tempStore();
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const result = await crawlSim(store, sim, { auth: { appId: 4242, privateKey: pem, installationId: 77 } });
    expect(result.missing).toEqual([]);
    expect(result.complete).toBe(true);
    expect(registrations(store).filter((r) => r.kind === "user_key")).toHaveLength(12);
    // The installation token exchange is a request too, counted like the others.
    expect(sim.counts.byRoute["POST /app/installations/{installation_id}/access_tokens"]).toBe(1);
    expect(result.requests).toBe(sim.counts.rest + sim.counts.graphql);
  });

  it("fails with an AuthError when the app's key is not the registered one", async () => {
    const state = generateOrgState({ org: "acme", members: 2, repos: 1 });
    const registered = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    state.apps = {
      "4242": {
        publicKeyPem: registered.publicKey.export({ type: "spki", format: "pem" }).toString(),
        installations: { "77": { token: "ghs_installation" } },
      },
    };
    const sim = await startSim(state);
    const pem = other.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const error = await crawlSim(tempStore(), sim, { auth: { appId: 4242, privateKey: pem, installationId: 77 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/GitHub App/);
    expect((error as Error).message).not.toContain("PRIVATE KEY");
  });
});
