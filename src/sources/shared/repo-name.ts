import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";

/**
 * `owner/name` (or a GitLab `group/sub/project` path) from a git remote URL: `git@host:owner/name.git`,
 * `ssh://git@host:22/owner/name.git`, `https://host/owner/name(.git)`. Null when the URL has no path. Pure.
 */
export function parseRemoteRepo(url: string): string | null {
  const value = url.trim();
  let path: string | undefined;
  const scp = /^(?:[^@/\s]+@)?[^:/\s]+:(?!\/\/)(.+)$/.exec(value);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      path = new URL(value).pathname;
    } catch {
      return null;
    }
  } else if (scp) {
    path = scp[1];
  }
  const repo = path?.replace(/^\/+|\/+$/g, "").replace(/\.git$/, "");
  return repo && repo.includes("/") ? repo : null;
}

/** The `url` of `[remote "origin"]` in a `.git/config` text, or null. Pure. */
export function parseOriginUrl(gitConfig: string): string | null {
  let inOrigin = false;
  for (const raw of gitConfig.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      inOrigin = /^\[\s*remote\s+"origin"\s*\]$/.test(line);
      continue;
    }
    const match = /^url\s*=\s*(.+)$/.exec(line);
    if (inOrigin && match?.[1]) return match[1].trim().replace(/^"|"$/g, "");
  }
  return null;
}

/**
 * The repository a checkout belongs to: `--repo` when given, else origin's URL in `<dir>/.git/config`, else the
 * directory's name. Never throws.
 */
export async function readRepoName(dir: string, option: unknown): Promise<string> {
  if (typeof option === "string" && option.trim() !== "") return option.trim();
  try {
    const config = await readFile(join(dir, ".git", "config"), "utf8");
    const url = parseOriginUrl(config);
    const repo = url ? parseRemoteRepo(url) : null;
    if (repo) return repo;
  } catch {
    // no checkout metadata: fall back to the directory name
  }
  return basename(dir);
}
