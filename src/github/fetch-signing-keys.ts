import type { GitHubClient } from "./client.js";
import { fetchRestPages, type RestPage } from "./fetch-rest-pages.js";
import type { RestSigningKey } from "./payload-types.js";

/**
 * A user's SSH signing keys. REST only and per user (GraphQL's User has no such connection): one request per
 * account, which is why the crawl asks for them only with `signingKeys: true`.
 */
export function fetchSigningKeyPages(client: GitHubClient, login: string): AsyncGenerator<RestPage<RestSigningKey>> {
  return fetchRestPages<RestSigningKey>(client, `/users/${encodeURIComponent(login)}/ssh_signing_keys?per_page=100`);
}
