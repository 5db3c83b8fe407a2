import type { GitHubClient } from "./client.js";
import { headerString, pathOf, unwrapList } from "./fetch-rest-pages.js";
import { GitHubApiError } from "../errors.js";
import type { RestDeployKey } from "./payload-types.js";
import { splitFullName } from "./fetch-repositories.js";
import { parseNextLink } from "./transform.js";

/** Read access to the conditional-request cache (http_cache); the caller saves new entries in its transaction. */
export type ReadCache = (url: string) => { etag: string; body: string } | undefined;

/** What the cache keeps per page: the list and where the next page is (a 304 carries neither). */
interface CachedPage {
  readonly items: RestDeployKey[];
  readonly next: string | null;
}

export interface DeployKeyDetailPage {
  readonly keys: readonly RestDeployKey[];
  readonly notModified: boolean;
  /** A fresh 200 with an ETag: to be saved to http_cache with the page. */
  readonly cacheEntry: { url: string; etag: string; body: string } | null;
}

/**
 * REST deploy keys of one repository (`added_by`, `last_used`, numeric ids: GraphQL has none of them), sent
 * with If-None-Match so that an unchanged repository costs a 304, which GitHub does not count.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
 */
export async function* fetchDeployKeyDetailPages(
  client: GitHubClient,
  fullName: string,
  readCache: ReadCache,
): AsyncGenerator<DeployKeyDetailPage> {
  const [owner, name] = splitFullName(fullName);
  let url: string | null = `${client.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/keys?per_page=100`;
  const asked = new Set<string>();
  while (url !== null) {
    if (asked.has(url)) throw new GitHubApiError(`GitHub's next-page link repeats ${pathOf(url)}`, null);
    asked.add(url);
    const cached = readCache(url);
    const cachedPage = cached ? parseCachedPage(cached.body) : null;
    const answer = await client.get<unknown>(url, cached && cachedPage ? { "if-none-match": cached.etag } : {});
    if (answer.status === 304 && cachedPage) {
      yield { keys: cachedPage.items, notModified: true, cacheEntry: null };
      url = cachedPage.next;
      continue;
    }
    if (answer.status === 304) throw new GitHubApiError(`GitHub answered 304 to GET ${pathOf(url)} without a cached copy`, 304);
    const items = unwrapList<RestDeployKey>(answer.data, url);
    const next = parseNextLink(answer.headers.link);
    const etag = headerString(answer.headers.etag);
    const body = JSON.stringify({ items, next } satisfies CachedPage);
    yield { keys: items, notModified: false, cacheEntry: etag ? { url, etag, body } : null };
    url = next;
  }
}

function parseCachedPage(body: string): CachedPage | null {
  try {
    const page = JSON.parse(body) as Partial<CachedPage>;
    return Array.isArray(page.items) ? { items: page.items, next: typeof page.next === "string" ? page.next : null } : null;
  } catch {
    return null;
  }
}
