import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createAppAuth } from "@octokit/auth-app";
import { Ajv } from "ajv";
import type { ValidateFunction } from "ajv";
import { default as addFormatsModule } from "ajv-formats";
import { describe, expect, it } from "vitest";
import { makeEd25519PublicKey } from "../../../src/demo/simulator/index.js";
import type { SimState } from "../../../src/demo/simulator/index.js";
import { client, simulator } from "./sim-helpers.js";

/*
 * Every REST answer checked against GitHub's own response schema (@octokit/openapi, extracted into the fixture by
 * scripts/extract-openapi-schemas.mjs). Lists are checked item by item, and never empty, so a missing required
 * field or a wrong type in any answer fails here.
 */
interface OperationSchema {
  readonly operationId: string;
  readonly status: number;
  readonly schema: Record<string, unknown>;
}
interface Fixture {
  readonly header: { readonly version: string };
  readonly operations: Record<string, Record<string, OperationSchema>>;
}

const fixture = JSON.parse(readFileSync(new URL("../../fixtures/openapi/responses.json", import.meta.url), "utf8")) as Fixture;
// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };
/** OpenAPI 3.0 `nullable: true` → JSON Schema: `type: [t, "null"]`, or `anyOf: [schema, {type: "null"}]` without a type. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== "object" || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) out[key] = toJsonSchema(value);
  if (nullable !== true) return out;
  if (typeof out.type === "string") {
    const nullableOut: Record<string, unknown> = { ...out, type: [out.type, "null"] };
    if (Array.isArray(out.enum)) nullableOut.enum = [...(out.enum as unknown[]), null];
    return nullableOut;
  }
  return { anyOf: [out, { type: "null" }] };
}

// Vendor `x-…` keys are not keywords, hence strict: false.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const compiled = new Map<string, ValidateFunction>();

function validator(description: string, operation: string, items: boolean): ValidateFunction {
  const key = `${description} ${operation} ${items}`;
  let validate = compiled.get(key);
  if (!validate) {
    const entry = fixture.operations[description]?.[operation];
    if (!entry) throw new Error(`fixture has no ${description} ${operation}`);
    const schema = items ? (entry.schema.items as Record<string, unknown>) : entry.schema;
    validate = ajv.compile(toJsonSchema(schema) as Record<string, unknown>);
    compiled.set(key, validate);
  }
  return validate;
}

/** Asserts `data` matches the operation's schema (each item for a list) and returns the validation errors text. */
function expectValid(description: string, operation: string, data: unknown): void {
  const entry = fixture.operations[description]?.[operation];
  const isList = entry?.schema.type === "array";
  const values = isList ? (data as unknown[]) : [data];
  if (isList) expect(values.length, `${operation} answered an empty list: the check would be vacuous`).toBeGreaterThan(0);
  for (const value of values) {
    const validate = validator(description, operation, isList);
    const ok = validate(value);
    expect(ok ? [] : ajv.errorsText(validate.errors).split(", "), `${operation}`).toEqual([]);
  }
}

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const appPrivateKey = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();

function fullState(): SimState {
  const key = (id: number, extra: Record<string, unknown> = {}) => ({
    id,
    key: makeEd25519PublicKey(`schema-${id}`, "c@host"),
    title: `key ${id}`,
    createdAt: "2024-01-02T03:04:05Z",
    ...extra,
  });
  return {
    users: {
      alice: { login: "alice", id: 1, name: "Alice", siteAdmin: true, keys: [key(11, { lastUsed: "2024-02-02T00:00:00Z" }), key(12, { lastUsed: null })], signingKeys: [key(13)] },
      bob: { login: "bob", id: 2, keys: [key(14)], signingKeys: [] },
      carol: { login: "carol", id: 3, type: "User", keys: [], signingKeys: [] },
    },
    orgs: {
      acme: {
        login: "acme",
        id: 100,
        members: [
          { login: "alice", role: "admin" },
          { login: "bob", role: "member" },
        ],
        outsideCollaborators: ["carol"],
        repos: [
          { name: "web", id: 1001, visibility: "internal", deployKeys: [key(21, { addedBy: "alice", lastUsed: "2024-03-03T00:00:00Z", readOnly: true })] },
          { name: "fork", id: 1002, fork: true, archived: true, visibility: "public", deployKeys: [key(22, { addedBy: null, enabled: false })] },
        ],
        credentialAuthorizations: [
          { login: "alice", credentialId: 501, credentialType: "SSH key", authorizedAt: "2024-05-05T00:00:00Z", accessedAt: "2024-05-06T00:00:00Z", authorizedCredentialId: 11, fingerprint: "SHA256:x", title: "key 11" },
          { login: "bob", credentialId: 502, credentialType: "personal access token", authorizedAt: "2024-05-05T00:00:00Z", accessedAt: null, authorizedCredentialId: null },
        ],
      },
    },
    tokens: { "alice-token": { login: "alice" } },
    apps: { "7": { publicKeyPem: rsa.publicKey.export({ type: "spki", format: "pem" }).toString(), installations: { "42": { token: "ghs_installation" } } } },
  };
}

describe(`REST answers against @octokit/openapi ${fixture.header.version} response schemas`, () => {
  const dotcom: [string, string, Record<string, string>][] = [
    ["GET /user", "/user", {}],
    ["GET /users/{username}", "/users/{username}", { username: "alice" }],
    ["GET /users/{username}/keys", "/users/{username}/keys", { username: "alice" }],
    ["GET /users/{username}/ssh_signing_keys", "/users/{username}/ssh_signing_keys", { username: "alice" }],
    ["GET /orgs/{org}", "/orgs/{org}", { org: "acme" }],
    ["GET /orgs/{org}/members", "/orgs/{org}/members", { org: "acme" }],
    ["GET /orgs/{org}/public_members", "/orgs/{org}/public_members", { org: "acme" }],
    ["GET /orgs/{org}/outside_collaborators", "/orgs/{org}/outside_collaborators", { org: "acme" }],
    ["GET /orgs/{org}/memberships/{username}", "/orgs/{org}/memberships/{username}", { org: "acme", username: "bob" }],
    ["GET /orgs/{org}/repos", "/orgs/{org}/repos", { org: "acme" }],
    ["GET /repos/{owner}/{repo}", "/repos/{owner}/{repo}", { owner: "acme", repo: "web" }],
    ["GET /repos/{owner}/{repo}/keys", "/repos/{owner}/{repo}/keys", { owner: "acme", repo: "web" }],
    ["GET /repos/{owner}/{repo}/keys", "/repos/{owner}/{repo}/keys", { owner: "acme", repo: "fork" }],
    ["GET /rate_limit", "/rate_limit", {}],
  ];

  it.each(dotcom)("%s (%s %j) matches api.github.com's schema", async (operation, route, params) => {
    const sim = await simulator(fullState());
    const answer = await client(sim, "alice-token").request(`GET ${route}`, params);
    expect(answer.status).toBe(200);
    expectValid("api.github.com", operation, answer.data);
  });

  it("GET /orgs/{org}/credential-authorizations matches ghec's schema", async () => {
    const sim = await simulator(fullState());
    const answer = await client(sim, "alice-token").request("GET /orgs/{org}/credential-authorizations", { org: "acme" });
    expect(answer.data).toHaveLength(2);
    expectValid("ghec", "GET /orgs/{org}/credential-authorizations", answer.data);
  });

  it("GET /admin/keys matches ghes-3.19's schema", async () => {
    const sim = await simulator(fullState(), { ghes: true });
    const answer = await client(sim, "alice-token").request("GET /admin/keys");
    // Three user keys and two deploy keys (signing keys are not SSH authentication keys).
    expect(answer.data).toHaveLength(5);
    expectValid("ghes-3.19", "GET /admin/keys", answer.data);
  });

  it("the app endpoints that @octokit/auth-app calls match their schemas", async () => {
    const sim = await simulator(fullState());
    const app = client(sim, undefined, { authStrategy: createAppAuth, auth: { appId: 7, privateKey: appPrivateKey } });
    const token = await app.request("POST /app/installations/{installation_id}/access_tokens", { installation_id: 42 });
    expect(token.status).toBe(201);
    expectValid("api.github.com", "POST /app/installations/{installation_id}/access_tokens", token.data);
    const installation = await app.request("GET /app/installations/{installation_id}", { installation_id: 42 });
    expectValid("api.github.com", "GET /app/installations/{installation_id}", installation.data);
  });

  it("is a real check: an answer without a required field fails", () => {
    const validate = validator("api.github.com", "GET /repos/{owner}/{repo}/keys", true);
    const good = { id: 1, key: "ssh-ed25519 AAAA", url: "u", title: "t", verified: true, created_at: "2024-01-01T00:00:00Z", read_only: true };
    expect(validate(good)).toBe(true);
    const { read_only: _dropped, ...missing } = good;
    expect(validate(missing)).toBe(false);
    expect(validate({ ...good, last_used: "yesterday" })).toBe(false);
  });
});
