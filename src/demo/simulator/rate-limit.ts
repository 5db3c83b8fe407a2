/*
 * Primary rate limits, one bucket per token and resource, as GitHub describes them:
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 * https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 * The reset header is in epoch seconds; a bucket starts its window at its first use.
 */
export type RateResource = "core" | "graphql";

export interface RateSnapshot {
  readonly limit: number;
  readonly remaining: number;
  readonly used: number;
  /** Epoch seconds. */
  readonly reset: number;
  readonly resource: RateResource;
}

interface Bucket {
  used: number;
  resetAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: { core: number; graphql: number; resetInSeconds: number },
    private readonly now: () => number = Date.now,
  ) {}

  private bucket(token: string, resource: RateResource): Bucket {
    const key = `${resource}\u0000${token}`;
    let bucket = this.buckets.get(key);
    const now = this.now();
    if (!bucket || bucket.resetAt <= now) {
      bucket = { used: 0, resetAt: now + this.limits.resetInSeconds * 1000 };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** The bucket's state without spending anything. */
  peek(token: string, resource: RateResource): RateSnapshot {
    const bucket = this.bucket(token, resource);
    const limit = this.limits[resource];
    return {
      limit,
      used: bucket.used,
      remaining: Math.max(0, limit - bucket.used),
      reset: Math.ceil(bucket.resetAt / 1000),
      resource,
    };
  }

  /** Spends `points` when the bucket still has them; returns null when it is exhausted (nothing is spent). */
  spend(token: string, resource: RateResource, points: number): RateSnapshot | null {
    const bucket = this.bucket(token, resource);
    if (bucket.used + points > this.limits[resource]) return null;
    bucket.used += points;
    return this.peek(token, resource);
  }

  used(token: string | undefined): { core: number; graphql: number } {
    const total = { core: 0, graphql: 0 };
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      const [resource, owner] = key.split("\u0000") as [RateResource, string];
      if (token !== undefined && owner !== token) continue;
      if (bucket.resetAt > now) total[resource] += bucket.used;
    }
    return total;
  }

  limit(resource: RateResource): number {
    return this.limits[resource];
  }
}

/** The `x-ratelimit-*` headers of one answer. */
export function rateHeaders(snapshot: RateSnapshot): Record<string, string> {
  return {
    "x-ratelimit-limit": String(snapshot.limit),
    "x-ratelimit-remaining": String(snapshot.remaining),
    "x-ratelimit-used": String(snapshot.used),
    "x-ratelimit-reset": String(snapshot.reset),
    "x-ratelimit-resource": snapshot.resource,
  };
}
