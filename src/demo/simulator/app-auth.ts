import { createPublicKey, verify } from "node:crypto";
import type { SimApp, SimState } from "./types.js";

/*
 * GitHub App authentication: the app signs a short-lived RS256 JWT (iss = app id, iat/exp at most 10 minutes
 * apart) and trades it for an installation token.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 */
export type JwtCheck = { readonly ok: true; readonly appId: string; readonly app: SimApp } | { readonly ok: false; readonly reason: string };

function decodePart(part: string): unknown {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
}

/** Verifies an app JWT against `state.apps[iss].publicKeyPem`. */
export function verifyAppJwt(state: SimState, jwt: string, nowMs: number = Date.now()): JwtCheck {
  const parts = jwt.split(".");
  if (parts.length !== 3) return { ok: false, reason: "A JSON web token could not be decoded" };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = decodePart(headerPart);
    payload = decodePart(payloadPart);
  } catch {
    return { ok: false, reason: "A JSON web token could not be decoded" };
  }
  if (typeof header !== "object" || header === null || (header as { alg?: unknown }).alg !== "RS256") {
    return { ok: false, reason: "'alg' must be RS256" };
  }
  const claims = payload as { iss?: unknown; iat?: unknown; exp?: unknown };
  const appId = typeof claims.iss === "number" || typeof claims.iss === "string" ? String(claims.iss) : "";
  const app = state.apps?.[appId];
  if (!app) return { ok: false, reason: "Integration not found" };
  const valid = verify(
    "RSA-SHA256",
    Buffer.from(`${headerPart}.${payloadPart}`),
    createPublicKey(app.publicKeyPem),
    Buffer.from(signaturePart, "base64url"),
  );
  if (!valid) return { ok: false, reason: "A JSON web token could not be decoded" };
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number") {
    return { ok: false, reason: "'iat' and 'exp' claims are required" };
  }
  if (claims.exp <= now) return { ok: false, reason: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires" };
  if (claims.iat > now + 60) return { ok: false, reason: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" };
  if (claims.exp - claims.iat > 600) return { ok: false, reason: "'Expiration time' claim ('exp') is too far in the future" };
  return { ok: true, appId, app };
}

/** Finds the app installation a token belongs to. */
export function findInstallationToken(state: SimState, token: string): { appId: string; installationId: string } | undefined {
  for (const [appId, app] of Object.entries(state.apps ?? {})) {
    for (const [installationId, installation] of Object.entries(app.installations)) {
      if (installation.token === token) return { appId, installationId };
    }
  }
  return undefined;
}
