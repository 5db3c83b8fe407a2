import type { GitHubClient } from "./client.js";
import { GraphqlQueryError } from "./client.js";
import { fetchRestPages, type RestPage } from "./fetch-rest-pages.js";
import type { RestSimpleUser, UserNode } from "./payload-types.js";
import { ACCOUNT_BATCH_SIZE, buildAccountsKeysQuery } from "./queries.js";

/** An org's outside collaborators (REST only: GraphQL has no org-level list), 100 per page. */
export function fetchOutsideCollaboratorPages(client: GitHubClient, org: string): AsyncGenerator<RestPage<RestSimpleUser>> {
  return fetchRestPages<RestSimpleUser>(client, `/orgs/${encodeURIComponent(org)}/outside_collaborators?per_page=100`);
}

/** One looked-up login: the user with its first page of keys, or null when GitHub knows no such user. */
export interface AccountLookup {
  readonly login: string;
  readonly user: UserNode | null;
}

/**
 * Accounts and their first 100 keys, ACCOUNT_BATCH_SIZE logins per GraphQL request (aliases u0…u49), so a
 * list of 500 collaborators costs 10 requests, not 500. An unknown login comes back as `user: null`.
 */
export async function* fetchAccountBatches(client: GitHubClient, logins: readonly string[]): AsyncGenerator<AccountLookup[]> {
  for (let start = 0; start < logins.length; start += ACCOUNT_BATCH_SIZE) {
    const batch = logins.slice(start, start + ACCOUNT_BATCH_SIZE);
    const variables: Record<string, unknown> = {};
    batch.forEach((login, i) => (variables[`l${i}`] = login));
    let data: Record<string, UserNode | null>;
    try {
      data = await client.graphql<Record<string, UserNode | null>>(buildAccountsKeysQuery(batch.length), variables);
    } catch (error) {
      // An unknown login fails only its own alias (NOT_FOUND); anything else fails the batch.
      if (!(error instanceof GraphqlQueryError) || !error.errors.every((e) => e.type === "NOT_FOUND") || !error.data) throw error;
      data = error.data as Record<string, UserNode | null>;
    }
    yield batch.map((login, i) => ({ login, user: data[`u${i}`] ?? null }));
  }
}
