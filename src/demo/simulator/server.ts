import { STATUS_CODES, createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { findInstallationToken } from "./app-auth.js";
import { etagOf, matchesEtag } from "./etag.js";
import { FaultBook } from "./faults.js";
import { prepareGraphQL, readGraphQLRequest, runGraphQL } from "./graphql.js";
import type { GraphQLRequest } from "./graphql.js";
import type { Principal, SimResponse } from "./http-types.js";
import { errorResponse, notFound } from "./http-types.js";
import type { Bases } from "./payloads.js";
import { isoSeconds } from "./payloads.js";
import { RateLimiter, rateHeaders } from "./rate-limit.js";
import type { RateResource, RateSnapshot } from "./rate-limit.js";
import { matchRestRoute } from "./rest-routes.js";
import { findUser } from "./state.js";
import type { FaultSpec, SimCounts, SimState, SimUser, Simulator, SimulatorOptions } from "./types.js";

const rateDocs = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";
const maxBodyBytes = 1 << 20;

function emptyCounts(): SimCounts {
  return { rest: 0, graphql: 0, graphqlPoints: 0, notModified: 0, faults: 0, byRoute: {} };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The user a GraphQL `viewer` resolves to for an installation token. */
function installationViewer(appId: string): SimUser {
  return { login: `app-${appId}[bot]`, id: 800_000_000 + (Number(appId) || 0), type: "Bot", keys: [], signingKeys: [] };
}

/**
 * Starts a local GitHub (REST + GraphQL) on a loopback port chosen by the OS. The real octokit clients talk
 * to it over HTTP; see github-api.md for the behaviour it copies.
 * @throws RangeError when `host` is not a loopback address.
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host)) throw new RangeError(`the GitHub simulator listens on loopback only; got host ${host}`);
  const ghes = options.ghes ?? false;
  const latencyMs = options.latencyMs ?? 0;
  const state: SimState = options.state;
  const limiter = new RateLimiter({
    core: options.rateLimit?.core ?? 5000,
    graphql: options.rateLimit?.graphql ?? 5000,
    resetInSeconds: options.rateLimit?.resetInSeconds ?? 3600,
  });
  const faults = new FaultBook();
  const counts = emptyCounts();
  const sockets = new Set<Socket>();
  let requestSeq = 0;
  const restPrefix = ghes ? "/api/v3" : "";
  const graphqlPath = ghes ? "/api/graphql" : "/graphql";
  let origin = "";
  let bases: Bases = { api: "", html: "", host: "" };

  const principalOf = (token: string | null): Principal | null => {
    if (!token) return null;
    const entry = Object.hasOwn(state.tokens, token) ? state.tokens[token] : undefined;
    if (entry) {
      const user = findUser(state, entry.login);
      return user ? { kind: "user", token, user } : null;
    }
    const installation = findInstallationToken(state, token);
    return installation ? { kind: "installation", token, ...installation } : null;
  };

  /** Writes an answer after the configured latency; `serialized` is the body's JSON when the caller has it already. */
  const send = async (
    res: ServerResponse,
    response: SimResponse,
    rate: RateSnapshot | null,
    extra: Record<string, string> = {},
    serialized?: string,
  ): Promise<void> => {
    if (latencyMs > 0) await sleep(latencyMs);
    if (res.destroyed) return;
    requestSeq += 1;
    const headers: Record<string, string> = {
      "x-github-request-id": `5111:${requestSeq.toString(16).toUpperCase()}:${process.pid.toString(16).toUpperCase()}`,
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      "access-control-expose-headers":
        "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset",
      ...(ghes ? { "x-github-enterprise-version": "3.19.0" } : {}),
      ...(rate ? rateHeaders(rate) : {}),
      ...extra,
      ...response.headers,
    };
    if (response.status === 304 || response.body === undefined) {
      res.writeHead(response.status, headers);
      res.end();
      return;
    }
    const text = serialized ?? JSON.stringify(response.body);
    headers["content-type"] = "application/json; charset=utf-8";
    headers["content-length"] = String(Buffer.byteLength(text));
    res.writeHead(response.status, headers);
    res.end(text);
  };

  const rateLimitedSnapshot = (resource: RateResource, resetInSeconds: number): RateSnapshot => {
    const limit = limiter.limit(resource);
    return { limit, remaining: 0, used: limit, reset: Math.ceil(Date.now() / 1000) + resetInSeconds, resource };
  };

  const applyFault = async (res: ServerResponse, fault: FaultSpec, resource: RateResource, token: string | null): Promise<void> => {
    counts.faults += 1;
    if (fault.kind === "hang") return; // never answered; close() destroys the socket
    if (fault.kind === "reset") {
      if (latencyMs > 0) await sleep(latencyMs);
      res.socket?.resetAndDestroy();
      return;
    }
    const rate = token ? limiter.peek(token, resource) : null;
    if (fault.kind === "status") {
      const status = fault.status ?? 500;
      await send(res, errorResponse(status, STATUS_CODES[status] ?? "Server Error"), rate);
      return;
    }
    if (fault.kind === "secondary-rate-limit") {
      const retryAfter = fault.retryAfter ?? 1;
      const message =
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.";
      const body = { message, documentation_url: `${rateDocs}#about-secondary-rate-limits`, status: "403" };
      await send(res, { status: 403, body }, rate, retryAfter > 0 ? { "retry-after": String(retryAfter) } : {});
      return;
    }
    const body = { message: "API rate limit exceeded for this token.", documentation_url: rateDocs, status: "403" };
    await send(res, { status: 403, body }, rateLimitedSnapshot(resource, fault.retryAfter ?? 2));
  };

  const bearerOf = (req: IncomingMessage): string | null => {
    const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    return match?.[1] ?? null;
  };

  const badCredentials = (docs: string): SimResponse => ({
    status: 401,
    body: { message: "Bad credentials", documentation_url: docs, status: "401" },
  });

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    const request: GraphQLRequest = readGraphQLRequest(body);
    const route = `graphql ${request.operationName || "(anonymous)"}`;
    counts.graphql += 1;
    counts.byRoute[route] = (counts.byRoute[route] ?? 0) + 1;
    const token = bearerOf(req);
    const fault = faults.take({ method: "POST", path: graphqlPath, graphqlOperation: request.operationName });
    if (fault) return applyFault(res, fault, "graphql", token);
    const principal = principalOf(token);
    if (!principal) return send(res, badCredentials("https://docs.github.com/graphql"), null);
    const prepared = prepareGraphQL(request, options.graphqlSchema ?? "current");
    if (!prepared.ok) return send(res, { status: prepared.status, body: prepared.body }, limiter.peek(principal.token, "graphql"));
    const viewer = principal.kind === "user" ? principal.user : installationViewer(principal.appId);
    let snapshot = limiter.peek(principal.token, "graphql");
    if (!prepared.dryRun) {
      const spent = limiter.spend(principal.token, "graphql", prepared.cost);
      if (!spent) {
        // GitHub answers an exhausted GraphQL budget with HTTP 200 and a RATE_LIMITED error.
        const message = `API rate limit exceeded for user ID ${viewer.id}.`;
        return send(res, { status: 200, body: { errors: [{ type: "RATE_LIMITED", message }] } }, { ...snapshot, remaining: 0 });
      }
      snapshot = spent;
      counts.graphqlPoints += prepared.cost;
    }
    const answer = await runGraphQL(prepared, {
      state,
      viewer,
      bases,
      dryRun: prepared.dryRun,
      rateLimit: {
        cost: prepared.cost,
        limit: snapshot.limit,
        remaining: snapshot.remaining,
        used: snapshot.used,
        resetAt: isoSeconds(snapshot.reset * 1000),
        nodeCount: prepared.nodeCount,
      },
    });
    return send(res, { status: 200, body: answer }, snapshot);
  };

  const rateLimitBody = (token: string): unknown => {
    const bucket = (resource: RateResource): Record<string, number> => {
      const s = limiter.peek(token, resource);
      return { limit: s.limit, used: s.used, remaining: s.remaining, reset: s.reset };
    };
    const idle = (limit: number): Record<string, number> => ({ limit, used: 0, remaining: limit, reset: Math.ceil(Date.now() / 1000) + 60 });
    const core = bucket("core");
    return {
      resources: {
        core,
        graphql: bucket("graphql"),
        search: idle(30),
        code_search: idle(10),
        integration_manifest: idle(5000),
        source_import: idle(100),
        actions_runner_registration: idle(10000),
        scim: idle(15000),
        dependency_snapshots: idle(100),
        code_scanning_autofix: idle(10),
      },
      rate: core,
    };
  };

  const handleRest = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = (req.method ?? "GET").toUpperCase();
    const underPrefix = url.pathname === restPrefix || url.pathname.startsWith(`${restPrefix}/`);
    const path = underPrefix ? url.pathname.slice(restPrefix.length) || "/" : url.pathname;
    const match = underPrefix ? matchRestRoute(method, path, ghes) : undefined;
    const route = match ? `${method} ${match.route.template}` : `${method} (unknown route)`;
    counts.rest += 1;
    counts.byRoute[route] = (counts.byRoute[route] ?? 0) + 1;
    const token = bearerOf(req);
    const fault = faults.take({ method, path, graphqlOperation: undefined });
    if (fault) return applyFault(res, fault, "core", token);
    if (match?.route.auth === "jwt") {
      const response = match.route.handle({ state, bases, ghes, url, params: match.params, principal: null, bearer: token });
      return answerRest(req, res, response, null, null);
    }
    const principal = principalOf(token);
    if (!principal) return send(res, badCredentials("https://docs.github.com/rest"), null);
    if (!match) return send(res, notFound(), limiter.peek(principal.token, "core"));
    const before = limiter.peek(principal.token, "core");
    if (!match.route.counted) {
      const response =
        match.route.template === "/rate_limit"
          ? { status: 200, body: rateLimitBody(principal.token) }
          : match.route.handle({ state, bases, ghes, url, params: match.params, principal, bearer: null });
      return answerRest(req, res, response, before, null);
    }
    if (before.remaining <= 0) {
      const id = principal.kind === "user" ? principal.user.id : principal.installationId;
      const message = `API rate limit exceeded for user ID ${id}. If you reach out to GitHub Support for help, please include the request ID.`;
      return send(res, { status: 403, body: { message, documentation_url: `${rateDocs}#exceeding-the-rate-limit`, status: "403" } }, before);
    }
    const response = match.route.handle({ state, bases, ghes, url, params: match.params, principal, bearer: null });
    return answerRest(req, res, response, before, principal.token);
  };

  /**
   * Adds the ETag to a 200 GET, answers a matching If-None-Match with a free 304, and spends one request of
   * `chargeToken`'s budget otherwise (null: a route that does not count).
   */
  const answerRest = (
    req: IncomingMessage,
    res: ServerResponse,
    response: SimResponse,
    before: RateSnapshot | null,
    chargeToken: string | null,
  ): Promise<void> => {
    const charge = (): RateSnapshot | null => (chargeToken ? (limiter.spend(chargeToken, "core", 1) ?? before) : before);
    if (response.status !== 200 || req.method !== "GET" || response.body === undefined) return send(res, response, charge());
    const text = JSON.stringify(response.body);
    const etag = etagOf(text);
    if (matchesEtag(req.headers["if-none-match"], etag)) {
      // A 304 to a conditional request is free.
      counts.notModified += 1;
      return send(res, { status: 304, headers: { etag, ...pick(response.headers, "link") } }, before);
    }
    return send(res, { ...response, headers: { ...response.headers, etag } }, charge(), {}, text);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    void readBody(req)
      .then((body) => (req.method === "POST" && url.pathname === graphqlPath ? handleGraphQL(req, res, body) : handleRest(req, res, url)))
      .catch((error: unknown) => {
        // A bug in the simulator: answer 500 so the test fails loudly instead of hanging.
        if (!res.headersSent && !res.destroyed) {
          const message = error instanceof Error ? error.message : String(error);
          res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
          res.end(JSON.stringify({ message: `simulator error: ${message}`, documentation_url: "https://docs.github.com/rest" }));
        }
      });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the GitHub simulator did not get a TCP port");
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${hostPart}:${address.port}`;
  const url = `${origin}${restPrefix}`;
  bases = { api: url, html: origin, host: `${hostPart}:${address.port}` };

  return {
    url,
    graphqlUrl: `${origin}${graphqlPath}`,
    state,
    counts,
    rateLimitUsed: (token) => limiter.used(token),
    resetCounts: () => {
      Object.assign(counts, emptyCounts());
    },
    addFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    close: () => {
      // Idempotent: a test may close explicitly and again in its cleanup.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function pick(headers: Readonly<Record<string, string>> | undefined, name: string): Record<string, string> {
  const value = headers?.[name];
  return value === undefined ? {} : { [name]: value };
}
