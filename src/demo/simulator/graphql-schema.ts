import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildASTSchema, buildClientSchema, parse } from "graphql";
import type { GraphQLSchema, IntrospectionQuery } from "graphql";

/*
 * GitHub's public GraphQL schema, from the SDL that @octokit/graphql-schema ships. The SDL defines
 * `EnterpriseOwnerInfo.repositoryDeployKeySetting` twice, so it only builds with `assumeValidSDL`
 * (see github-api.md §4). It is ~1.4 MB and takes about a second to build: built on the first GraphQL request,
 * then kept for the process.
 */
const cached = new Map<SchemaVariant, GraphQLSchema>();

/**
 * `current`: the SDL, GitHub's schema today. `snapshot`: the package's older `schema.json` introspection, which
 * lacks recent fields such as `DeployKey.enabled` — as older GitHub Enterprise Server releases do.
 */
export type SchemaVariant = "current" | "snapshot";

/** Path of a file of @octokit/graphql-schema: the package's exports map hides them, so find the package folder. */
function schemaPath(file = "schema.graphql"): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "node_modules", "@octokit", "graphql-schema", file);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find node_modules/@octokit/graphql-schema/schema.graphql; run npm install");
    dir = parent;
  }
}

/** GitHub's schema, built once per process and variant. */
export function loadGitHubSchema(variant: SchemaVariant = "current"): GraphQLSchema {
  let schema = cached.get(variant);
  if (!schema) {
    schema =
      variant === "current"
        ? // validateSchema finds no errors in this SDL (github-api.md §4), so skip re-checking it: ~0.4 s less per process.
          buildASTSchema(parse(readFileSync(schemaPath(), "utf8"), { noLocation: true }), { assumeValidSDL: true, assumeValid: true })
        : buildClientSchema(JSON.parse(readFileSync(schemaPath("schema.json"), "utf8")) as IntrospectionQuery, { assumeValid: true });
    cached.set(variant, schema);
  }
  return schema;
}
