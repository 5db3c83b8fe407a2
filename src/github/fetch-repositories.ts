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
import { ORG_REPOSITORIES_QUERY, REPOSITORY_DEPLOY_KEYS_QUERY } from "./queries.js";

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
    const answer: OrgRepositoriesAnswer = await client.graphql<OrgRepositoriesAnswer>(ORG_REPOSITORIES_QUERY, {
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
    const answer: RepositoryDeployKeysAnswer = await client.graphql<RepositoryDeployKeysAnswer>(REPOSITORY_DEPLOY_KEYS_QUERY, {
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
