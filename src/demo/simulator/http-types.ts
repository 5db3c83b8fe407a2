import type { Bases } from "./payloads.js";
import type { SimState, SimUser } from "./types.js";

/** An answer before the server adds rate-limit headers, the ETag and the latency. */
export interface SimResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Who a request authenticated as. Installation tokens act for an app, not a user. */
export type Principal =
  | { readonly kind: "user"; readonly token: string; readonly user: SimUser }
  | { readonly kind: "installation"; readonly token: string; readonly appId: string; readonly installationId: string };

export interface RestContext {
  readonly state: SimState;
  readonly bases: Bases;
  readonly ghes: boolean;
  /** The request URL as the client sent it, resolved against the server origin: Link headers start from it. */
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  /** Null only on the routes that authenticate with an app JWT instead of a token. */
  readonly principal: Principal | null;
  /** The bearer JWT of app routes. */
  readonly bearer: string | null;
}

const docsBase = "https://docs.github.com/rest";

/** GitHub's basic-error body (`status` is a string). */
export function errorResponse(status: number, message: string, docsPath = "", headers?: Record<string, string>): SimResponse {
  return {
    status,
    body: { message, documentation_url: `${docsBase}${docsPath}`, status: String(status) },
    ...(headers ? { headers } : {}),
  };
}

export function notFound(docsPath = ""): SimResponse {
  return errorResponse(404, "Not Found", docsPath);
}
