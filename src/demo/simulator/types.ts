/** One SSH key: a user's authentication or signing key, or a repository's deploy key. */
export interface SimKey {
  id: number;
  /** `"ssh-ed25519 AAAA…"` (a comment after the blob is allowed; REST answers carry the line as stored). */
  key: string;
  title: string;
  createdAt: string;
  lastUsed?: string | null;
  readOnly?: boolean;
  /** User keys: unverified keys are left out of `/users/{u}/keys` (GitHub lists verified keys only). */
  verified?: boolean;
  /** Deploy keys: disabled by policy when false; default true. */
  enabled?: boolean;
  /** Deploy keys: login of the account that added the key. */
  addedBy?: string | null;
}

export interface SimUser {
  login: string;
  id: number;
  name?: string | null;
  type?: "User" | "Bot";
  siteAdmin?: boolean;
  keys: SimKey[];
  signingKeys: SimKey[];
}

export interface SimRepo {
  name: string;
  id: number;
  archived?: boolean;
  fork?: boolean;
  visibility?: "public" | "private" | "internal";
  deployKeys: SimKey[];
}

export interface SimCredentialAuthorization {
  login: string;
  credentialId: number;
  credentialType: "SSH key" | "personal access token";
  authorizedAt: string;
  accessedAt?: string | null;
  authorizedCredentialId?: number | null;
  fingerprint?: string;
  title?: string | null;
}

export interface SimOrg {
  login: string;
  id: number;
  members: { login: string; role: "admin" | "member" }[];
  outsideCollaborators: string[];
  repos: SimRepo[];
  /** null/undefined → the endpoint answers 404, like an org without SAML single sign-on. */
  credentialAuthorizations?: SimCredentialAuthorization[] | null;
}

export interface SimApp {
  publicKeyPem: string;
  /** Installation id → the access token `POST /app/installations/{id}/access_tokens` hands out. */
  installations: Record<string, { token: string }>;
}

/**
 * Everything the simulator serves. It is read live on every request, so tests may change it between crawls.
 * Sorted and filtered views of arrays of 2,000 or more items are cached per array and rebuilt when the array is
 * replaced or its length changes; after an in-place edit of a field that decides order or filtering (a repo's
 * name, archived, fork or visibility, a member's role) in such an array, replace the array
 * (`org.repos = [...org.repos]`) to refresh them. Shorter arrays are always read fresh.
 */
export interface SimState {
  users: Record<string, SimUser>;
  orgs: Record<string, SimOrg>;
  /** Token → the user it authenticates as. */
  tokens: Record<string, { login: string }>;
  /** App id → its RS256 public key and installations. */
  apps?: Record<string, SimApp>;
}

export interface FaultSpec {
  match: {
    method?: string;
    /** Matched against the URL path without query (and without the GHES `/api/v3` prefix), e.g. "/orgs/acme/members". */
    path?: string | RegExp;
    /** true = any GraphQL POST, a string = that operationName. */
    graphql?: boolean | string;
  };
  kind: "status" | "reset" | "hang" | "secondary-rate-limit" | "primary-exhausted";
  /** For "status", e.g. 502. */
  status?: number;
  /**
   * Seconds. "secondary-rate-limit": the `retry-after` header (default 1; 0 leaves the header out).
   * "primary-exhausted": how far ahead `x-ratelimit-reset` lies (default 2).
   */
  retryAfter?: number;
  /** Default 1; Infinity = persistent. */
  times?: number;
  /** Fire only after this many matching requests went through. */
  afterRequests?: number;
}

export interface SimCounts {
  rest: number;
  graphql: number;
  graphqlPoints: number;
  notModified: number;
  faults: number;
  /** Key like "GET /orgs/{org}/members" or "graphql OrgMembersPublicKeys". */
  byRoute: Record<string, number>;
}

export interface Simulator {
  /** REST base URL, e.g. "http://127.0.0.1:40123" (ghes: ".../api/v3"). */
  readonly url: string;
  /** ".../graphql" (ghes: "<host>/api/graphql"). */
  readonly graphqlUrl: string;
  /** Live and mutable: tests delete keys/members between crawls. */
  readonly state: SimState;
  readonly counts: SimCounts;
  /** The x-ratelimit-used values of one token, or summed over all tokens when none is given. */
  rateLimitUsed(token?: string): { core: number; graphql: number };
  resetCounts(): void;
  addFault(fault: FaultSpec): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  state: SimState;
  /** Delay before every answer. */
  latencyMs?: number;
  /** Serve REST under /api/v3 and GraphQL at /api/graphql, plus the GHES-only routes. */
  ghes?: boolean;
  /** Points per window (defaults 5,000 each) and the window length (default 3,600 s). */
  rateLimit?: { core?: number; graphql?: number; resetInSeconds?: number };
  /** Loopback address to listen on; default 127.0.0.1. */
  host?: string;
  /** Which GitHub schema GraphQL validates against: today's SDL (default) or the older snapshot (no `DeployKey.enabled`). */
  graphqlSchema?: "current" | "snapshot";
}
