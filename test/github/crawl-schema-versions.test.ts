import { describe, expect, it } from "vitest";
import { generateOrgState } from "../../src/demo/simulator/index.js";
import { crawlSim, registrations, startSim, tempStore } from "./crawl-helpers.js";

describe("a crawl against a GitHub whose schema predates DeployKey.enabled", () => {
  it("falls back to the query without `enabled` once and stores the same keys", async () => {
    const state = generateOrgState({ org: "acme", members: 5, repos: 9, deployKeyEvery: 3 });
    const current = tempStore();
    await crawlSim(current, await startSim(state));

    const old = await startSim(state, { graphqlSchema: "snapshot" });
    const store = tempStore();
    const result = await crawlSim(store, old);
    expect(result.complete).toBe(true);
    expect(result.missing).toEqual([]);
    // One rejected repository query, then the fallback for every page.
    expect(old.counts.byRoute["graphql OrgReposDeployKeys"]).toBe(2);
    // The REST deploy-key details still say which keys are enabled, so nothing is lost.
    expect(registrations(store)).toEqual(registrations(current));
    expect(registrations(current).some((r) => r.kind === "deploy_key" && r.enabled === 0)).toBe(true);

    // Without the REST details, `enabled` stays unknown: never guessed as "disabled".
    const graphqlOnly = tempStore();
    expect((await crawlSim(graphqlOnly, old, { deployKeyDetails: false })).complete).toBe(true);
    const deployKeys = registrations(graphqlOnly).filter((r) => r.kind === "deploy_key");
    expect(deployKeys.length).toBeGreaterThan(0);
    expect(deployKeys.every((r) => r.enabled === null)).toBe(true);
  });
});
