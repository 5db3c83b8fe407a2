import { GitHubApiError } from "../errors.js";
import type { GitHubClient } from "./client.js";
import { nextCursor } from "./cursor.js";
import type {
  DeployKeyConnection,
  DeployKeyNode,
  OrgRepositoriesAnswer,
  RepositoryDeployKeysAnswer,
  RepositoryNode,
} from "./payload-types.js";
import { ORG_REPOSITORIES_QUERY, REPOSITORY_DEPLOY_KEYS_QUERY, withoutDeployKeyEnabled } from "./queries.js";
import { GraphqlQueryError } from "./client.js";

/** Clients whose server rejected `DeployKey.enabled`: asked once, then never again in this process. */
const lacksDeployKeyEnabled = new WeakSet<GitHubClient>();

/**
 * Runs a deploy-key query, falling back to one without `enabled` when the server's schema predates the field.
 * Keys read that way have `enabled` unknown (null), never "disabled".
 */
async function queryDeployKeys<T>(client: GitHubClient, query: string, variables: Record<string, unknown>): Promise<T> {
  if (lacksDeployKeyEnabled.has(client)) return client.graphql<T>(withoutDeployKeyEnabled(query), variables);
  try {
    return await client.graphql<T>(query, variables);
  } catch (error) {
    const unknownField = (e: { message: string }): boolean => /Cannot query field "enabled" on type "DeployKey"/.test(e.message);
    if (!(error instanceof GraphqlQueryError) || !error.errors.some(unknownField)) throw error;
    lacksDeployKeyEnabled.add(client);
    return client.graphql<T>(withoutDeployKeyEnabled(query), variables);
  }
}

export interface RepositoryPage {
  readonly totalCount: number;
  readonly repositories: readonly RepositoryNode[];
}

/** The org's repositories (archived and forks included), a page at a time (query (b)). */
export async function* fetchRepositoryPages(
  client: GitHubClient,
  org: string,
  options: { withKeys: boolean },
): AsyncGenerator<RepositoryPage> {
  let after: string | null = null;
  do {
    const answer: OrgRepositoriesAnswer = await queryDeployKeys<OrgRepositoriesAnswer>(client, ORG_REPOSITORIES_QUERY, {
      org,
      after,
      withKeys: options.withKeys,
    });
    const connection = answer.organization?.repositories;
    if (!connection) throw new GitHubApiError(`GitHub returned no repository list for organization ${org}`, null);
    yield {
      totalCount: connection.totalCount,
      repositories: connection.nodes.filter((n): n is RepositoryNode => n !== null),
    };
    after = nextCursor(connection.pageInfo, after, `the repositories of ${org}`);
  } while (after !== null);
}

/** All deploy keys of a repository, following up with query (b′) only past the first 100. */
export async function fetchAllDeployKeys(
  client: GitHubClient,
  fullName: string,
  first: DeployKeyConnection,
): Promise<DeployKeyNode[]> {
  const keys = first.nodes.filter((n): n is DeployKeyNode => n !== null);
  const [owner, name] = splitFullName(fullName);
  let after = nextCursor(first.pageInfo, null, `the deploy keys of ${fullName}`);
  while (after !== null) {
    const answer: RepositoryDeployKeysAnswer = await queryDeployKeys<RepositoryDeployKeysAnswer>(client, REPOSITORY_DEPLOY_KEYS_QUERY, {
      owner,
      name,
      after,
    });
    const connection = answer.repository?.deployKeys;
    if (!connection) throw new GitHubApiError(`GitHub returned no deploy key list for ${fullName}`, null);
    keys.push(...connection.nodes.filter((n): n is DeployKeyNode => n !== null));
    after = nextCursor(connection.pageInfo, after, `the deploy keys of ${fullName}`);
  }
  return keys;
}

export function splitFullName(fullName: string): [string, string] {
  const slash = fullName.indexOf("/");
  return [fullName.slice(0, slash), fullName.slice(slash + 1)];
}
