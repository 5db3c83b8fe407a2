/*
 * Page-style pagination as GitHub does it: `page` (from 1) and `per_page` (default 30, at most 100), and a
 * `Link` header built from the request URL with rel prev/next/last/first (no next/last on the last page, no
 * prev/first on the first). https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */
export interface Page<T> {
  readonly items: readonly T[];
  /** The Link header value, or undefined when everything fits on one page. */
  readonly link: string | undefined;
}

function positiveInt(value: string | null, fallback: number): number {
  if (value === null || !/^\d+$/.test(value.trim())) return fallback;
  const n = Number(value);
  return n >= 1 ? n : fallback;
}

/** Reads page/per_page from the request URL, clamping per_page to 1..100 as GitHub does. */
export function pageParams(url: URL): { page: number; perPage: number } {
  return {
    page: positiveInt(url.searchParams.get("page"), 1),
    perPage: Math.min(100, positiveInt(url.searchParams.get("per_page"), 30)),
  };
}

/** One page of `all` (only the page is copied) and its Link header, relative to `requestUrl`. */
export function paginate<T>(all: readonly T[], requestUrl: URL): Page<T> {
  const { page, perPage } = pageParams(requestUrl);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const start = (page - 1) * perPage;
  const items = start < all.length ? all.slice(start, start + perPage) : [];
  const at = (n: number): string => {
    const target = new URL(requestUrl);
    target.searchParams.set("page", String(n));
    return `<${target.href}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) rels.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) rels.push(`${at(1)}; rel="first"`);
  return { items, link: rels.length > 0 ? rels.join(", ") : undefined };
}
