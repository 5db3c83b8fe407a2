import type { GitHubClient } from "./client.js";
import { fetchRestPages, type RestPage } from "./fetch-rest-pages.js";
import type { RestAdminKey } from "./payload-types.js";

/** Every SSH key of a GHES instance (site admin only): user keys carry user_id, deploy keys repository_id. */
export function fetchAdminKeyPages(client: GitHubClient): AsyncGenerator<RestPage<RestAdminKey>> {
  return fetchRestPages<RestAdminKey>(client, "/admin/keys?per_page=100");
}

/** `GET /user/{account_id}`: the login behind an admin key's user_id. */
export async function fetchUserById(client: GitHubClient, id: number): Promise<{ login: string; id: number; node_id?: string; type?: string; name?: string | null }> {
  return (await client.get<{ login: string; id: number; node_id?: string; type?: string; name?: string | null }>(`/user/${id}`)).data;
}

/** `GET /repositories/{id}`: the full name behind an admin key's repository_id. */
export async function fetchRepositoryById(
  client: GitHubClient,
  id: number,
): Promise<{ id: number; node_id?: string; full_name: string; archived?: boolean; visibility?: string; owner?: { login: string } }> {
  return (
    await client.get<{ id: number; node_id?: string; full_name: string; archived?: boolean; visibility?: string; owner?: { login: string } }>(
      `/repositories/${id}`,
    )
  ).data;
}
