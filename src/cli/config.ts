import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { FORMATS, type Format } from "../output/render.js";
import type { GlobalOptions } from "./context.js";

/** Pure: flags + environment → the global settings. */
export function resolveGlobals(
  flags: { db?: string; format?: string; quiet?: boolean; verbose?: boolean },
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): GlobalOptions {
  const format = (flags.format ?? "table").toLowerCase();
  if (!FORMATS.includes(format as Format)) {
    throw new UsageError(`--format ${flags.format ?? ""} is not one of ${FORMATS.join(", ")}`);
  }
  if (flags.quiet && flags.verbose) throw new UsageError("--quiet and --verbose cannot be used together");
  const db = flags.db ?? env["KEYWARD_DB"] ?? "keyward.db";
  if (db.trim() === "") throw new UsageError("--db needs a file path");
  return { db: resolve(cwd, db), format: format as Format, quiet: flags.quiet ?? false, verbose: flags.verbose ?? false };
}

/** The GitHub token from the environment (never from a flag, so that it stays out of shell history and ps). */
export function tokenFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const token = env["GITHUB_TOKEN"] || env["GH_TOKEN"];
  return token && token.trim() !== "" ? token.trim() : undefined;
}

/** `GITHUB_API_URL` or the flag; a GHES host given without its API path gets `/api/v3`. */
export function resolveApiUrl(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const raw = (flag ?? env["GITHUB_API_URL"] ?? "https://api.github.com").replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api-url ${raw} is not a URL (expected e.g. https://github.example.com/api/v3)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`--api-url ${raw} must be http(s)`);
  return raw;
}

export function parsePositiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new UsageError(`${flag} expects a positive whole number, got "${value}"`);
  return Number(value);
}
