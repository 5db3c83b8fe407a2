import { GitHubApiError } from "../errors.js";
import type { GitHubClient } from "./client.js";
import { nextCursor } from "./cursor.js";
import type { MemberEdge, OrgMembersAnswer, PublicKeyConnection, PublicKeyNode, UserKeysAnswer } from "./payload-types.js";
import { ORG_MEMBERS_QUERY, USER_KEYS_QUERY } from "./queries.js";

/** One page of an org's members: up to 100 edges, each with the member's first 100 keys (when asked for). */
export interface MemberPage {
  readonly totalCount: number;
  readonly edges: readonly MemberEdge[];
}

/** The org's members, a page at a time (query (a)). */
export async function* fetchMemberPages(
  client: GitHubClient,
  org: string,
  options: { withKeys: boolean },
): AsyncGenerator<MemberPage> {
  let after: string | null = null;
  do {
    const answer: OrgMembersAnswer = await client.graphql<OrgMembersAnswer>(ORG_MEMBERS_QUERY, {
      org,
      after,
      withKeys: options.withKeys,
    });
    const connection = answer.organization?.membersWithRole;
    if (!connection) throw new GitHubApiError(`GitHub returned no member list for organization ${org}`, null);
    yield { totalCount: connection.totalCount, edges: connection.edges.filter((e): e is MemberEdge => e !== null) };
    after = nextCursor(connection.pageInfo, after, `the members of ${org}`);
  } while (after !== null);
}

/**
 * All public keys of one account, given the first page that came with it: follows up with query (a′) only
 * when the account has more than one page of keys.
 */
export async function fetchAllPublicKeys(
  client: GitHubClient,
  login: string,
  first: PublicKeyConnection,
): Promise<PublicKeyNode[]> {
  const keys = first.nodes.filter((n): n is PublicKeyNode => n !== null);
  let after = nextCursor(first.pageInfo, null, `the keys of ${login}`);
  while (after !== null) {
    const answer: UserKeysAnswer = await client.graphql<UserKeysAnswer>(USER_KEYS_QUERY, { login, after });
    const connection = answer.user?.publicKeys;
    if (!connection) throw new GitHubApiError(`GitHub returned no key list for ${login}`, null);
    keys.push(...connection.nodes.filter((n): n is PublicKeyNode => n !== null));
    after = nextCursor(connection.pageInfo, after, `the keys of ${login}`);
  }
  return keys;
}
