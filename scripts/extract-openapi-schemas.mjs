#!/usr/bin/env node
// Extracts the success-response schemas of the REST operations the GitHub simulator serves from GitHub's own
// OpenAPI descriptions (@octokit/openapi), into the small fixture test/fixtures/openapi/responses.json.
// We do not depend on @octokit/openapi: it unpacks to ~385 MB. `npm pack` fetches the tarball into a temp dir,
// `tar` extracts only the three dereferenced descriptions we read, and the temp dir is removed afterwards.
//
// Usage: node scripts/extract-openapi-schemas.mjs [version]   (default 23.0.2)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const version = process.argv[2] ?? "23.0.2";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outFile = join(root, "test/fixtures/openapi/responses.json");

/** Operations per description: [method, path, success status]. Each is read from the description that serves it. */
const wanted = {
  "api.github.com": [
    ["get", "/user", "200"],
    ["get", "/users/{username}", "200"],
    ["get", "/users/{username}/keys", "200"],
    ["get", "/users/{username}/ssh_signing_keys", "200"],
    ["get", "/orgs/{org}", "200"],
    ["get", "/orgs/{org}/members", "200"],
    ["get", "/orgs/{org}/public_members", "200"],
    ["get", "/orgs/{org}/outside_collaborators", "200"],
    ["get", "/orgs/{org}/memberships/{username}", "200"],
    ["get", "/orgs/{org}/repos", "200"],
    ["get", "/repos/{owner}/{repo}", "200"],
    ["get", "/repos/{owner}/{repo}/keys", "200"],
    ["get", "/rate_limit", "200"],
    ["post", "/app/installations/{installation_id}/access_tokens", "201"],
    ["get", "/app/installations/{installation_id}", "200"],
  ],
  ghec: [["get", "/orgs/{org}/credential-authorizations", "200"]],
  "ghes-3.19": [["get", "/admin/keys", "200"]],
};

/** Drops prose and examples: they are large and no validator reads them. */
function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "description" || key === "example" || key === "examples" || key === "externalDocs") continue;
    out[key] = strip(value);
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), "keyward-openapi-"));
try {
  execFileSync("npm", ["pack", `@octokit/openapi@${version}`, "--silent", "--pack-destination", work], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack @octokit/openapi@${version} left no tarball in ${work}`);
  const members = execFileSync("tar", ["tzf", join(work, tarball)], { encoding: "utf8", maxBuffer: 1 << 26 }).split("\n");
  const operations = {};
  const sources = {};
  for (const [description, ops] of Object.entries(wanted)) {
    const member = `package/generated/${description}.deref.json`;
    if (!members.includes(member)) throw new Error(`${tarball} has no ${member}; pick another file from its generated/ folder`);
    execFileSync("tar", ["xzf", join(work, tarball), "-C", work, member]);
    const spec = JSON.parse(readFileSync(join(work, member), "utf8"));
    rmSync(join(work, member));
    sources[description] = { file: `generated/${description}.deref.json`, openapi: spec.openapi, info: spec.info?.version ?? null };
    operations[description] = {};
    for (const [method, path, status] of ops) {
      const operation = spec.paths?.[path]?.[method];
      const schema = operation?.responses?.[status]?.content?.["application/json"]?.schema;
      if (!schema) throw new Error(`${member} has no ${status} JSON response for ${method.toUpperCase()} ${path}`);
      operations[description][`${method.toUpperCase()} ${path}`] = {
        operationId: operation.operationId,
        status: Number(status),
        schema: strip(schema),
      };
    }
  }
  const output = {
    header: {
      package: "@octokit/openapi",
      version,
      generated: new Date().toISOString().slice(0, 10),
      script: "scripts/extract-openapi-schemas.mjs",
      note: "Success-response schemas of the operations the GitHub simulator serves; description/example fields removed.",
      sources,
    },
    operations,
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(output)}\n`);
  console.log(`wrote ${outFile} (${Object.values(operations).reduce((n, o) => n + Object.keys(o).length, 0)} operations)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
