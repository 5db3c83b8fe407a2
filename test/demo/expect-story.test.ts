import { describe, expect, it } from "vitest";
import { expectBroken, expectNothingBroken, expectOffboard, expectPersonalKeyFlagged, expectWhoUses, type StoryFacts } from "../../src/demo/expect-story.js";

const facts: StoryFacts = {
  person: "dan",
  pipeline: "shop/deploy-prod",
  fingerprint: "SHA256:deploykey",
  machineUser: "acme-release-bot",
  agentPipeline: "build-agent-01",
};

const personal = { reason: "personal-key", pipeline: { name: "shop/deploy-prod", system: "jenkins" }, fingerprint: "SHA256:deploykey", account: "dan" };
const broken = { pipeline: { name: "shop/deploy-prod", system: "jenkins" }, fingerprint: "SHA256:deploykey", account: "dan", reason: "key-removed", removedAt: "2024-05-01T03:00:00.000Z" };

describe("the demo's expectations", () => {
  it("accept the review, who-uses, offboard and check answers of the story as told", () => {
    expect(expectPersonalKeyFlagged({ findings: [personal] }, facts)).toBeNull();
    expect(
      expectWhoUses(
        {
          fingerprint: "SHA256:deploykey",
          registrations: [{ kind: "user_key", account: "dan", repository: null, personal: true, present: true, removedAt: null }],
          pipelines: [{ system: "jenkins", name: "shop/deploy-prod" }],
        },
        facts,
      ),
    ).toBeNull();
    expect(expectOffboard({ login: "dan", keys: [{ fingerprint: "SHA256:deploykey", kind: "user_key" }], pipelines: [{ name: "shop/deploy-prod" }] }, facts)).toBeNull();
    expect(expectBroken({ broken: [broken] }, facts)).toBeNull();
    expect(expectNothingBroken({ broken: [] })).toBeNull();
  });

  it.each([
    ["no findings list", {}],
    ["no finding", { findings: [] }],
    ["another reason", { findings: [{ ...personal, reason: "unknown-key" }] }],
    ["another key", { findings: [{ ...personal, fingerprint: "SHA256:other" }] }],
    ["another owner", { findings: [{ ...personal, account: "priya" }] }],
    ["another system", { findings: [{ ...personal, pipeline: { name: "shop/deploy-prod", system: "agent" } }] }],
    ["the machine user's pipeline flagged too", { findings: [personal, { ...personal, pipeline: { name: "build-agent-01", system: "keys" }, account: "acme-release-bot" }] }],
  ])("reject a review with %s", (_what, doc) => {
    expect(expectPersonalKeyFlagged(doc, facts)).toMatch(/review/);
  });

  it.each([
    ["no broken list", {}],
    ["nothing broken", { broken: [] }],
    ["another reason", { broken: [{ ...broken, reason: "account-left-org" }] }],
    ["no time", { broken: [{ ...broken, removedAt: null }] }],
    ["a time that is not ISO 8601", { broken: [{ ...broken, removedAt: "yesterday" }] }],
    ["another key", { broken: [{ ...broken, fingerprint: "SHA256:other" }] }],
  ])("reject a check with %s", (_what, doc) => {
    expect(expectBroken(doc, facts)).toMatch(/check/);
  });

  it("reject who-uses and offboard answers that miss the pipeline or the person's key", () => {
    expect(expectWhoUses({ fingerprint: "SHA256:deploykey", registrations: [], pipelines: [] }, facts)).toMatch(/dan's account/);
    expect(
      expectWhoUses(
        { fingerprint: "SHA256:deploykey", registrations: [{ kind: "user_key", account: "dan", personal: true, present: false }], pipelines: [{ name: "shop/deploy-prod" }] },
        facts,
      ),
    ).toMatch(/already gone/);
    expect(expectOffboard({ keys: [{ fingerprint: "SHA256:deploykey" }], pipelines: [] }, facts)).toMatch(/shop\/deploy-prod/);
    expect(expectNothingBroken({ broken: [broken] })).toMatch(/before anything was deleted/);
  });
});
