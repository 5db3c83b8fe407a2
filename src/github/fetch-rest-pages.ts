import { GitHubApiError } from "../errors.js";
import type { GitHubClient } from "./client.js";
import { parseNextLink } from "./transform.js";

/** One page of a REST list, with what a conditional request needs. */
export interface RestPage<T> {
  /** The URL asked for: the http_cache key. */
  readonly url: string;
  readonly items: readonly T[];
  readonly status: number;
  readonly etag: string | null;
  readonly next: string | null;
}

/**
 * Follows `Link: rel="next"` from `firstUrl` (built with per_page=100) and yields each page. Dumb on purpose:
 * no retries (the client has them), no reshaping. Stops with an error instead of looping when the next link
 * does not move on, and when an answer is not a list.
 */
export async function* fetchRestPages<T>(client: GitHubClient, firstUrl: string): AsyncGenerator<RestPage<T>> {
  const asked = new Set<string>();
  let url: string | null = firstUrl;
  while (url !== null) {
    if (asked.has(url)) throw new GitHubApiError(`GitHub's next-page link repeats ${pathOf(url)}: the list cannot be read to its end`, null);
    asked.add(url);
    const answer = await client.get<unknown>(url);
    const items = unwrapList<T>(answer.data, url);
    const next = parseNextLink(answer.headers.link);
    yield { url, items, status: answer.status, etag: headerString(answer.headers.etag), next };
    url = next;
  }
}

/** A list answer is an array, or (secrets, installations …) an object holding one array next to total_count. */
export function unwrapList<T>(data: unknown, url: string): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === "object") {
    const arrays = Object.values(data).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0] as T[];
  }
  throw new GitHubApiError(`GitHub's answer to GET ${pathOf(url)} is not a list`, null);
}

export function headerString(value: string | number | undefined): string | null {
  return value === undefined ? null : String(value);
}

export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split("?")[0] ?? url;
  }
}
