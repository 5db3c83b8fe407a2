import type { Store } from "./db.js";

/** The last 200 answer for a URL with its ETag, so that the next crawl can ask If-None-Match. */
export function readCachedResponse(store: Store, url: string): { etag: string; body: string } | undefined {
  return store.statement("SELECT etag, body FROM http_cache WHERE url = ?").get(url) as
    | { etag: string; body: string }
    | undefined;
}

export function saveCachedResponse(store: Store, entry: { url: string; etag: string; body: string }, now: string): void {
  store
    .statement(
      `INSERT INTO http_cache (url, etag, body, fetched_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at`,
    )
    .run(entry.url, entry.etag, entry.body, now);
}
