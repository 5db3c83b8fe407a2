import { createHash } from "node:crypto";

/*
 * Conditional requests: a 304 to an authorized `If-None-Match` does not count against the primary limit.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
 * GitHub sends weak ETags (`W/"…"`) on list answers; clients echo them back verbatim.
 */

/** Weak ETag of a serialized body. */
export function etagOf(body: string): string {
  return `W/"${createHash("sha256").update(body).digest("hex")}"`;
}

/** True when an `If-None-Match` header names this ETag (weak comparison, lists and `*` allowed). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === wanted);
}
