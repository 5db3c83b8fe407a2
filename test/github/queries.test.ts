import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildClientSchema, buildSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import {
  ACCOUNT_BATCH_SIZE,
  ORG_MEMBERS_QUERY,
  ORG_REPOSITORIES_QUERY,
  REPOSITORY_DEPLOY_KEYS_QUERY,
  USER_KEYS_QUERY,
  buildAccountsKeysQuery,
  withoutDeployKeyEnabled,
} from "../../src/github/queries.js";

/*
 * GitHub's own SDL from @octokit/graphql-schema. The package exports only its index, so the SDL is found next
 * to it. assumeValidSDL: the SDL defines two EnterpriseOwnerInfo fields twice (see github-api.md §4), and the
 * package's schema.json (used by its validate()) is older and lacks DeployKey.enabled.
 */
function githubSchema(): GraphQLSchema {
  const index = fileURLToPath(import.meta.resolve("@octokit/graphql-schema"));
  return buildSchema(readFileSync(join(dirname(index), "schema.graphql"), "utf8"), { assumeValidSDL: true });
}

const schema = githubSchema();
const errorsOf = (query: string): string[] => validate(schema, parse(query)).map((e) => e.message);

describe("the crawler's GraphQL documents", () => {
  it.each([
    ["OrgMembersPublicKeys", ORG_MEMBERS_QUERY],
    ["UserPublicKeysPage", USER_KEYS_QUERY],
    ["OrgReposDeployKeys", ORG_REPOSITORIES_QUERY],
    ["RepoDeployKeysPage", REPOSITORY_DEPLOY_KEYS_QUERY],
    ["AccountsPublicKeys with one login", buildAccountsKeysQuery(1)],
    ["AccountsPublicKeys with a full batch", buildAccountsKeysQuery(ACCOUNT_BATCH_SIZE)],
  ])("validates %s against GitHub's schema", (_name, query) => {
    expect(errorsOf(query)).toEqual([]);
  });

  it.each([
    ["OrgMembersPublicKeys", ORG_MEMBERS_QUERY],
    ["UserPublicKeysPage", USER_KEYS_QUERY],
    ["OrgReposDeployKeys", withoutDeployKeyEnabled(ORG_REPOSITORIES_QUERY)],
    ["RepoDeployKeysPage", withoutDeployKeyEnabled(REPOSITORY_DEPLOY_KEYS_QUERY)],
    ["AccountsPublicKeys with a full batch", buildAccountsKeysQuery(ACCOUNT_BATCH_SIZE)],
  ])("validates %s, as sent after the fallback, against the older schema.json snapshot", (_name, query) => {
    const index = fileURLToPath(import.meta.resolve("@octokit/graphql-schema"));
    const snapshot = buildClientSchema(JSON.parse(readFileSync(join(dirname(index), "schema.json"), "utf8")) as IntrospectionQuery);
    expect(validate(snapshot, parse(query)).map((e) => e.message)).toEqual([]);
    // …and the snapshot really is older: it rejects the field the fallback removes.
    expect(validate(snapshot, parse(ORG_REPOSITORIES_QUERY)).map((e) => e.message)).toEqual(['Cannot query field "enabled" on type "DeployKey".']);
  });

  it("rejects a query asking for fields GitHub does not have (negative control)", () => {
    const wrong = `query Wrong($org: String!) { organization(login: $org) { membersWithRole(first: 100) { nodes {
      publicKeys(first: 100) { nodes { id title } } } }
      repositories(first: 100) { nodes { deployKeys(first: 100) { nodes { id lastUsed addedBy } } } } } }`;
    const errors = errorsOf(wrong);
    expect(errors).toHaveLength(3);
    expect(errors.join("\n")).toMatch(/"title" on type "PublicKey"/);
    expect(errors.join("\n")).toMatch(/"lastUsed" on type "DeployKey"/);
    expect(errors.join("\n")).toMatch(/"addedBy" on type "DeployKey"/);
  });

  it("asks every connection for at most 100 nodes, as GitHub requires", () => {
    for (const query of [ORG_MEMBERS_QUERY, USER_KEYS_QUERY, ORG_REPOSITORIES_QUERY, REPOSITORY_DEPLOY_KEYS_QUERY, buildAccountsKeysQuery(3)]) {
      expect(query).toMatch(/Int = 100/);
      expect(query).not.toMatch(/first: \d/);
    }
  });

  it("refuses an accounts batch larger than the batch size", () => {
    expect(() => buildAccountsKeysQuery(ACCOUNT_BATCH_SIZE + 1)).toThrow(RangeError);
    expect(() => buildAccountsKeysQuery(0)).toThrow(RangeError);
  });
});
