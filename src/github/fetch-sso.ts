import type { GitHubClient } from "./client.js";
import { fetchRestPages, type RestPage } from "./fetch-rest-pages.js";
import type { RestCredentialAuthorization } from "./payload-types.js";

/**
 * SAML SSO credential authorizations of an org (GHEC only, org owners only; not in @octokit/rest). A 403 or
 * 404 means the org has no SAML SSO or the token may not see it: the caller records it as unavailable.
 */
export function fetchCredentialAuthorizationPages(
  client: GitHubClient,
  org: string,
): AsyncGenerator<RestPage<RestCredentialAuthorization>> {
  return fetchRestPages<RestCredentialAuthorization>(client, `/orgs/${encodeURIComponent(org)}/credential-authorizations?per_page=100`);
}
