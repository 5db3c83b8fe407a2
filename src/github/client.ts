import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/core";
import { GraphqlResponseError } from "@octokit/graphql";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { AuthError, GitHubApiError, messageOf } from "../errors.js";

/*
 * The one place that builds an Octokit. REST and GraphQL share one client (octokit.graphql goes through
 * octokit.request), so both get the same hooks: throttling (primary and secondary rate limits), retry (5xx,
 * connection resets, timeouts) and our fetch wrapper (per-request timeout, request counter, rate headers).
 *
 * Hook order (before-after-hook): the auth hook and the plugins wrap the fetch; the hook added here wraps them
 * all, so it sees each logical request once and turns what finally failed into keyward's errors.
 */

export type GitHubAuth = { readonly token: string } | { readonly appId: string | number; readonly privateKey: string; readonly installationId: string | number };

export interface GitHubClientOptions {
  /** REST base, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  readonly apiUrl: string;
  readonly auth: GitHubAuth;
  /** A request with no complete answer after this long is aborted (and retried like a connection reset). */
  readonly requestTimeoutMs?: number;
  /** Wait out a spent primary rate limit only when its reset is at most this far away. */
  readonly maxRateLimitWaitSeconds?: number;
  readonly retries?: number;
  /** Milliseconds per second of any wait GitHub asks for (retry-after, backoff): tests set 1. */
  readonly baseDelayMs?: number;
  /**
   * Minimum spacing between GraphQL requests. plugin-throttling serializes GraphQL a second apart (it treats
   * every GraphQL POST like a write); this keeps that default (0 for a loopback API: the simulator).
   */
  readonly graphqlIntervalMs?: number;
}

/** What was sent and what GitHub said about the budget. Every fetch counts, retries and token exchanges included. */
export interface RequestStats {
  restRequests: number;
  graphqlRequests: number;
  graphqlPoints: number;
  notModified: number;
  coreRemaining: number | null;
  graphqlRemaining: number | null;
  /** Waits for a primary rate limit that were taken, for the warnings. */
  readonly waits: string[];
}

export interface RestAnswer<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

export interface GitHubClient {
  readonly apiUrl: string;
  readonly graphqlUrl: string;
  readonly stats: RequestStats;
  /** GET a REST path (`/orgs/acme/members?per_page=100`) or an absolute URL from a Link header. A 304 is returned, not thrown. */
  get<T>(url: string, headers?: Record<string, string>): Promise<RestAnswer<T>>;
  /** Runs a GraphQL document; an answer with `errors` throws GraphqlQueryError, which keeps the partial data. */
  graphql<T>(query: string, variables: Record<string, unknown>): Promise<T>;
  /** Set once a spent primary rate limit made the crawl stop; later requests fail at once with it. */
  readonly stopped: RateLimitStopError | null;
}

/** GitHub's primary rate limit is spent and its reset is further away than we agreed to wait. */
export class RateLimitStopError extends GitHubApiError {
  override name = "RateLimitStopError";
  constructor(readonly resetAt: Date | null) {
    super(
      `GitHub's rate limit for this token is spent${resetAt ? ` until ${resetAt.toISOString()}` : ""}: run keyward crawl again after that`,
      403,
    );
  }
}

/** A GraphQL answer carried `errors`; `data` holds whatever GitHub could resolve (aliases of unknown users are null). */
export class GraphqlQueryError extends GitHubApiError {
  override name = "GraphqlQueryError";
  constructor(
    message: string,
    readonly data: unknown,
    readonly errors: readonly { type?: string; path?: readonly (string | number)[]; message: string }[],
  ) {
    super(message, null);
  }
}

const GHES_V3 = /\/api\/v3\/?$/;

/** GraphQL endpoint of an API base: `<api>/graphql`, except GHES (`…/api/v3`) which serves `/api/graphql`. */
export function graphqlUrlOf(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, "");
  return GHES_V3.test(base) ? base.replace(GHES_V3, "/api/graphql") : `${base}/graphql`;
}

interface OctokitRequestError {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isRequestError(error: unknown): error is Error & OctokitRequestError {
  return error instanceof Error && typeof (error as Partial<OctokitRequestError>).status === "number";
}

/** `GET /orgs/acme/members` without host or query: what a message may name of a request. */
function describe(method: string | undefined, url: string | undefined): string {
  if (!url) return "a GitHub request";
  const path = URL.canParse(url) ? new URL(url).pathname : (url.split("?")[0] ?? url);
  return `${method ?? "GET"} ${path}`;
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").slice(0, 200);
}

function isPrimaryLimit(error: OctokitRequestError): boolean {
  if (/secondary rate/i.test(error.message)) return false;
  const remaining = error.response?.headers?.["x-ratelimit-remaining"];
  if ((error.status === 403 || error.status === 429) && String(remaining) === "0") return true;
  const data = error.response?.data as { errors?: { type?: string }[] } | undefined;
  return Array.isArray(data?.errors) && data.errors.some((e) => e.type === "RATE_LIMITED");
}

function resetOf(error: OctokitRequestError): Date | null {
  const reset = Number(error.response?.headers?.["x-ratelimit-reset"]);
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null;
}

/** Spaces GraphQL requests: the duck-typed Bottleneck group plugin-throttling awaits before each one. */
function createSpacer(intervalMs: number): unknown {
  let next = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const limiter = {
    schedule<T>(_options: unknown, fn: () => Promise<T>): Promise<T> {
      const run = chain.then(async () => {
        const wait = next - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        next = Date.now() + intervalMs;
      });
      chain = run;
      return run.then(fn);
    },
  };
  return { key: () => limiter };
}

/** fetch with a per-request timeout that also covers the body, counting every request and reading rate headers. */
function createFetch(timeoutMs: number, stats: RequestStats, graphqlUrl: string): typeof fetch {
  const graphqlPath = new URL(graphqlUrl).pathname;
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const isGraphql = new URL(url).pathname === graphqlPath;
    if (isGraphql) stats.graphqlRequests += 1;
    else stats.restRequests += 1;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await fetch(input, { ...init, signal });
      // Read the whole body under the same deadline: octokit swallows a body read error into an empty answer.
      const nullBody = [101, 204, 205, 304].includes(response.status);
      const body = nullBody ? null : await response.arrayBuffer();
      const remaining = response.headers.get("x-ratelimit-remaining");
      if (remaining !== null && Number.isFinite(Number(remaining))) {
        const resource = response.headers.get("x-ratelimit-resource") ?? (isGraphql ? "graphql" : "core");
        if (resource === "graphql") stats.graphqlRemaining = Number(remaining);
        else if (resource === "core") stats.coreRemaining = Number(remaining);
      }
      if (response.status === 304) stats.notModified += 1;
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      // A plain Error (not an AbortError) so that octokit turns it into a retryable status-500 RequestError.
      if (timeout.aborted) throw new Error(`no complete answer within ${timeoutMs} ms`, { cause: error });
      throw error;
    }
  };
}

function isLoopback(apiUrl: string): boolean {
  const host = URL.canParse(apiUrl) ? new URL(apiUrl).hostname : "";
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const ThrottledOctokit = Octokit.plugin(throttling, retry);

let clientCount = 0;

/**
 * Builds the crawler's GitHub client. Nothing is sent until the first request.
 * @throws AuthError when the GitHub App private key is not usable.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const apiUrl = options.apiUrl.replace(/\/+$/, "");
  const graphqlUrl = graphqlUrlOf(apiUrl);
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const retries = options.retries ?? 4;
  const maxWait = options.maxRateLimitWaitSeconds ?? 900;
  const isApp = !("token" in options.auth);
  const stats: RequestStats = {
    restRequests: 0,
    graphqlRequests: 0,
    graphqlPoints: 0,
    notModified: 0,
    coreRemaining: null,
    graphqlRemaining: null,
    waits: [],
  };
  const authOptions =
    "token" in options.auth
      ? { auth: options.auth.token }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: options.auth.appId,
            privateKey: options.auth.privateKey,
            installationId: options.auth.installationId,
          },
        };
  clientCount += 1;
  const octokit = new ThrottledOctokit({
    ...authOptions,
    baseUrl: apiUrl,
    userAgent: "keyward",
    request: { fetch: createFetch(options.requestTimeoutMs ?? 30_000, stats, graphqlUrl) },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    throttle: {
      // A group id of our own: plugin-throttling keeps its limiters in module-level groups keyed by it.
      id: `keyward-${process.pid}-${clientCount}`,
      retryAfterBaseValue: baseDelayMs,
      write: createSpacer(options.graphqlIntervalMs ?? (isLoopback(apiUrl) ? 0 : 1000)) as never,
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        // https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-primary-rate-limit
        if (retryAfter > maxWait || retryCount >= 2) return false;
        stats.waits.push(`waited ${retryAfter} s for GitHub's primary rate limit (${describe(request.method, request.url)})`);
        return true;
      },
      onSecondaryRateLimit: (_retryAfter, _request, _octokit, retryCount) => retryCount < retries,
    },
    retry: {
      retries,
      retryAfterBaseValue: baseDelayMs,
      // 403 and 429 are rate limits, which plugin-throttling handles.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
  });

  let stopped: RateLimitStopError | null = null;

  octokit.hook.wrap("request", async (request, requestOptions) => {
    if (stopped) throw stopped;
    try {
      return await request(requestOptions);
    } catch (error) {
      throw convertError(error, requestOptions.method, requestOptions.url);
    }
  });

  // Error bodies are quoted in messages (and kept as causes): a server or proxy that echoes the Authorization
  // header back must not get the token printed, logged or stored in the run's `missing` list.
  const token = "token" in options.auth ? options.auth.token : null;
  const redact = (text: string): string => (token ? text.split(token).join("[redacted token]") : text);

  function convertError(error: unknown, method: string | undefined, url: string | undefined): Error {
    if (error instanceof GitHubApiError || error instanceof AuthError) return error;
    if (error instanceof Error) error.message = redact(error.message);
    const what = describe(method, url);
    if (isRequestError(error)) {
      if (error.status === 304) return error;
      if (error.status === 401) {
        return new AuthError(
          isApp
            ? `GitHub rejected the GitHub App credentials (401) on ${what}: check the app id, private key and installation id`
            : `GitHub rejected the token (401) on ${what}: check GITHUB_TOKEN or GH_TOKEN (expired, revoked or mistyped?)`,
        );
      }
      if (isPrimaryLimit(error)) {
        stopped = new RateLimitStopError(resetOf(error));
        return stopped;
      }
      // Octokit reports a request that never got an answer (refused, reset, DNS, timeout) as status 500 with no
      // response: say that GitHub could not be reached, not that it answered.
      if (error.response === undefined) {
        return new GitHubApiError(`cannot reach ${apiUrl} (${what}): ${firstLine(error.message)}: check --api-url and the network`, null, { cause: error });
      }
      const status = error.status >= 100 ? error.status : null;
      return new GitHubApiError(`GitHub answered ${error.status} to ${what}: ${firstLine(error.message)}`, status, { cause: error });
    }
    if (error instanceof Error && /GraphQL Rate Limit/i.test(error.message)) {
      stopped = new RateLimitStopError(null);
      return stopped;
    }
    if (isApp) {
      return new AuthError(`GitHub App authentication failed on ${what}: ${firstLine(messageOf(error))}: check the app id, private key and installation id`);
    }
    // Anything else is not GitHub's answer but a bug: let it stop the crawl.
    return error instanceof Error ? error : new Error(messageOf(error));
  }

  return {
    apiUrl,
    graphqlUrl,
    stats,
    get stopped() {
      return stopped;
    },
    async get<T>(url: string, headers: Record<string, string> = {}): Promise<RestAnswer<T>> {
      try {
        const response = await octokit.request({ method: "GET", url, headers });
        return { status: response.status, data: response.data as T, headers: response.headers };
      } catch (error) {
        if (isRequestError(error) && error.status === 304) {
          return { status: 304, data: null as T, headers: error.response?.headers ?? {} };
        }
        throw convertError(error, "GET", url);
      }
    },
    async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
      const operation = /query\s+(\w+)/.exec(query)?.[1] ?? "query";
      let data: T;
      try {
        // octokit.graphql applies the same GHES rule as graphqlUrlOf (`/api/v3` → `/api/graphql`).
        data = await octokit.graphql<T>(query, variables);
      } catch (error) {
        if (error instanceof GraphqlResponseError) {
          const errors = (error.errors ?? []) as { type?: string; path?: (string | number)[]; message: string }[];
          if (errors.some((e) => e.type === "RATE_LIMITED")) {
            stopped = new RateLimitStopError(null);
            throw stopped;
          }
          countPoints(error.data);
          throw new GraphqlQueryError(
            `GitHub GraphQL ${operation} failed: ${firstLine(redact(errors[0]?.message ?? error.message))}`,
            error.data,
            errors,
          );
        }
        throw convertError(error, "POST", graphqlUrl);
      }
      countPoints(data);
      return data;
    },
  };

  function countPoints(data: unknown): void {
    const rateLimit = (data as { rateLimit?: { cost?: unknown; remaining?: unknown } } | null | undefined)?.rateLimit;
    if (rateLimit && typeof rateLimit.cost === "number") stats.graphqlPoints += rateLimit.cost;
    if (rateLimit && typeof rateLimit.remaining === "number") stats.graphqlRemaining = rateLimit.remaining;
  }
}
