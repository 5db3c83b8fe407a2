import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildASTSchema, parse } from "graphql";
import type { GraphQLSchema } from "graphql";

/*
 * GitHub's public GraphQL schema, from the SDL that @octokit/graphql-schema ships. The SDL defines
 * `EnterpriseOwnerInfo.repositoryDeployKeySetting` twice, so it only builds with `assumeValidSDL`
 * (see github-api.md §4). It is ~1.4 MB and takes about a second to build: built on the first GraphQL request,
 * then kept for the process.
 */
let cached: GraphQLSchema | undefined;

/** Path of schema.graphql: the package's exports map hides it, so look for the package folder itself. */
function schemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "node_modules", "@octokit", "graphql-schema", "schema.graphql");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find node_modules/@octokit/graphql-schema/schema.graphql; run npm install");
    dir = parent;
  }
}

/** GitHub's schema, built once per process. */
export function loadGitHubSchema(): GraphQLSchema {
  // validateSchema finds no errors in this SDL (github-api.md §4), so skip re-checking it: ~0.4 s less per process.
  cached ??= buildASTSchema(parse(readFileSync(schemaPath(), "utf8"), { noLocation: true }), { assumeValidSDL: true, assumeValid: true });
  return cached;
}
