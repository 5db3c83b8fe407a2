import { GitHubApiError } from "../errors.js";
import type { PageInfo } from "./payload-types.js";

/**
 * The cursor a connection continues from, or null when it is done. Throws when GitHub says there is more but
 * the cursor did not move: the loop would otherwise run forever (plugin-paginate-graphql's MissingCursorChange).
 */
export function nextCursor(pageInfo: PageInfo, previous: string | null, what: string): string | null {
  if (!pageInfo.hasNextPage) return null;
  if (!pageInfo.endCursor || pageInfo.endCursor === previous) {
    throw new GitHubApiError(`GitHub's cursor did not advance while paging ${what}: the list cannot be read to its end`, null);
  }
  return pageInfo.endCursor;
}
