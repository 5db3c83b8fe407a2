import { generateKeyPairSync } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import type { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { generateOrgState } from "../../../src/demo/simulator/index.js";
import type { SimState } from "../../../src/demo/simulator/index.js";
import { client, simulator } from "./sim-helpers.js";

const pem = (bits = 2048) => {
  const pair = generateKeyPairSync("rsa", { modulusLength: bits });
  return {
    privateKey: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
};

describe("GitHub App authentication", () => {
  const app = pem();

  function stateWithApp(): SimState {
    const state = generateOrgState({ org: "acme", members: 3, repos: 2 });
    state.apps = { "123": { publicKeyPem: app.publicKeyPem, installations: { "9": { token: "ghs_sim_installation" } } } };
    return state;
  }

  it("trades a signed JWT for the installation token, which then reads the org over REST and GraphQL", async () => {
    const sim = await simulator(stateWithApp());
    const octokit = client(sim, undefined, { authStrategy: createAppAuth, auth: { appId: 123, privateKey: app.privateKey, installationId: 9 } });
    const members = await octokit.rest.orgs.listMembers({ org: "acme" });
    expect(members.data).toHaveLength(3);
    const viewer = await octokit.graphql<{ viewer: { login: string } }>("query { viewer { login } }");
    expect(viewer.viewer.login).toBe("app-123[bot]");
    expect(sim.counts.byRoute["POST /app/installations/{installation_id}/access_tokens"]).toBe(1);
    expect(sim.rateLimitUsed("ghs_sim_installation")).toEqual({ core: 1, graphql: 1 });
    // An installation token acts for no user: GET /user is refused.
    const me = await octokit.rest.users.getAuthenticated().catch((e: unknown) => e as RequestError);
    expect((me as RequestError).status).toBe(403);
  });

  it("refuses a JWT signed by another key and an unknown installation", async () => {
    const sim = await simulator(stateWithApp());
    const intruder = pem();
    const forged = client(sim, undefined, { authStrategy: createAppAuth, auth: { appId: 123, privateKey: intruder.privateKey, installationId: 9 } });
    const error = (await forged.rest.orgs.listMembers({ org: "acme" }).catch((e: unknown) => e)) as RequestError;
    expect(error.status).toBe(401);
    expect(error.response?.data).toMatchObject({ message: "A JSON web token could not be decoded" });

    const wrongInstallation = client(sim, undefined, { authStrategy: createAppAuth, auth: { appId: 123, privateKey: app.privateKey, installationId: 10 } });
    expect(((await wrongInstallation.rest.orgs.listMembers({ org: "acme" }).catch((e: unknown) => e)) as RequestError).status).toBe(404);

    const unknownApp = client(sim, undefined, { authStrategy: createAppAuth, auth: { appId: 999, privateKey: app.privateKey, installationId: 9 } });
    expect(((await unknownApp.rest.orgs.listMembers({ org: "acme" }).catch((e: unknown) => e)) as RequestError).status).toBe(401);
  });
});
