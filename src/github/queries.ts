/*
 * Every GraphQL document the crawler sends. test/github/queries.test.ts validates each against GitHub's SDL
 * (@octokit/graphql-schema `schema.graphql`, built with assumeValidSDL: the package's own schema.json is older
 * and lacks DeployKey.enabled). Shapes follow /work/shared/github-api.md §5 (a), (a′), (b), (b′).
 *
 * `$withKeys` lets `--all-keys` (GHES /admin/keys) reuse the member and repository walks without paying for
 * the key connections: with @include(if: false) GitHub neither resolves nor bills them.
 */

/** Page size of every connection: GitHub's maximum (each connection needs `first` in 1..100). */
export const PAGE_SIZE = 100;

/** Largest number of aliased `user(login:)` lookups per query (each can carry 100 keys: ≤ 5,050 nodes). */
export const ACCOUNT_BATCH_SIZE = 50;

const PUBLIC_KEY_FIELDS = "id key fingerprint createdAt updatedAt accessedAt isReadOnly";
const DEPLOY_KEY_FIELDS = "id key title readOnly verified enabled createdAt";

/**
 * The same query without `DeployKey.enabled`. GitHub added the field recently: older Enterprise Server releases
 * (and the package's schema.json snapshot) reject any query that asks for it.
 */
export function withoutDeployKeyEnabled(query: string): string {
  return query.split(DEPLOY_KEY_FIELDS).join("id key title readOnly verified createdAt");
}

/** (a) Members of an org with their role and their first 100 public keys. */
export const ORG_MEMBERS_QUERY = `query OrgMembersPublicKeys($org: String!, $pageSize: Int = ${PAGE_SIZE}, $after: String, $keysPageSize: Int = ${PAGE_SIZE}, $withKeys: Boolean = true) {
  rateLimit { cost remaining resetAt }
  organization(login: $org) {
    id
    databaseId
    login
    membersWithRole(first: $pageSize, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        role
        node {
          id
          databaseId
          login
          name
          publicKeys(first: $keysPageSize) @include(if: $withKeys) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes { ${PUBLIC_KEY_FIELDS} }
          }
        }
      }
    }
  }
}`;

/** (a′) Further pages of one user's public keys, for users with more than 100. */
export const USER_KEYS_QUERY = `query UserPublicKeysPage($login: String!, $after: String, $keysPageSize: Int = ${PAGE_SIZE}) {
  rateLimit { cost remaining resetAt }
  user(login: $login) {
    login
    publicKeys(first: $keysPageSize, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${PUBLIC_KEY_FIELDS} }
    }
  }
}`;

/** (b) Repositories of an org (archived included) with their first 100 deploy keys. */
export const ORG_REPOSITORIES_QUERY = `query OrgReposDeployKeys($org: String!, $pageSize: Int = ${PAGE_SIZE}, $after: String, $keysPageSize: Int = ${PAGE_SIZE}, $withKeys: Boolean = true) {
  rateLimit { cost remaining resetAt }
  organization(login: $org) {
    login
    repositories(first: $pageSize, after: $after, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        databaseId
        name
        nameWithOwner
        visibility
        isArchived
        isFork
        deployKeys(first: $keysPageSize) @include(if: $withKeys) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { ${DEPLOY_KEY_FIELDS} }
        }
      }
    }
  }
}`;

/** (b′) Further pages of one repository's deploy keys, for repositories with more than 100. */
export const REPOSITORY_DEPLOY_KEYS_QUERY = `query RepoDeployKeysPage($owner: String!, $name: String!, $after: String, $keysPageSize: Int = ${PAGE_SIZE}) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    nameWithOwner
    deployKeys(first: $keysPageSize, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${DEPLOY_KEY_FIELDS} }
    }
  }
}`;

/**
 * Public keys of up to ACCOUNT_BATCH_SIZE named accounts in one request: `u0: user(login: $l0) { …Account }`.
 * Outside collaborators and `--user` accounts come as a list of logins, and one request per account would
 * cost 50 times the requests for the same points.
 */
export function buildAccountsKeysQuery(count: number): string {
  if (!Number.isInteger(count) || count < 1 || count > ACCOUNT_BATCH_SIZE) {
    throw new RangeError(`an accounts batch holds 1..${ACCOUNT_BATCH_SIZE} logins, not ${count}`);
  }
  const indexes = Array.from({ length: count }, (_, i) => i);
  const variables = indexes.map((i) => `$l${i}: String!`).join(", ");
  const fields = indexes.map((i) => `  u${i}: user(login: $l${i}) { ...AccountKeys }`).join("\n");
  return `query AccountsPublicKeys(${variables}, $keysPageSize: Int = ${PAGE_SIZE}) {
  rateLimit { cost remaining resetAt }
${fields}
}
fragment AccountKeys on User {
  id
  databaseId
  login
  name
  publicKeys(first: $keysPageSize) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ${PUBLIC_KEY_FIELDS} }
  }
}`;
}
