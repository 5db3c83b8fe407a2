import { stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { InputError } from "../../errors.js";
import type { ScanWarning } from "../source.js";
import { readYamlFile } from "../shared/read-yaml-file.js";
import { walkFiles } from "../shared/walk-files.js";
import { get, itemsOf, str, whereOf } from "../shared/yaml-tree.js";
import type { YNode } from "../shared/yaml-tree.js";
import type { GitlabFile, NotFollowedInclude } from "./parse-gitlab-ci.js";

/** GitLab's own limit on included files per pipeline. */
const MAX_INCLUDES = 150;

/**
 * The repository root and main config of a location: a checkout (its `.gitlab-ci.yml`) or the YAML file itself.
 * @throws InputError when the location does not exist or cannot be read.
 */
export async function readGitlabLocation(location: string): Promise<{ root: string; main: string }> {
  try {
    const stats = await stat(location);
    return stats.isDirectory() ? { root: location, main: join(location, ".gitlab-ci.yml") } : { root: dirname(location), main: location };
  } catch (error) {
    throw new InputError(`${location} cannot be read (${(error as { code?: string }).code ?? "error"}): give the path of a repository checkout`, { cause: error });
  }
}

/** A GitLab file may start with a `spec:` header document; the pipeline config is the document after it. */
function configDocument(documents: readonly YNode[]): YNode | undefined {
  const first = documents[0];
  if (documents.length > 1 && get(first, "spec") !== undefined) return documents[1];
  return first;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\/?|\*|\?/g, (m) => (m.startsWith("**") ? "(?:.*/)?" : m === "*" ? "[^/]*" : "[^/]"));
  return new RegExp(`^${escaped}$`);
}

/**
 * Reads `.gitlab-ci.yml` and its local includes (recursively, wildcards included), included files first so the
 * caller can merge them in GitLab's order. Remote, template, project and component includes are listed as not
 * followed. Each unreadable or invalid included file is warned about and skipped.
 * @throws InputError when `.gitlab-ci.yml` itself exists but is not usable YAML.
 */
export async function readGitlabFiles(
  root: string,
  main: string,
  warn: (warning: ScanWarning) => void,
): Promise<{ files: GitlabFile[]; notFollowed: NotFollowedInclude[] }> {
  const files: GitlabFile[] = [];
  const notFollowed: NotFollowedInclude[] = [];
  const seen = new Set<string>();

  const load = async (path: string): Promise<void> => {
    if (seen.has(path)) return;
    seen.add(path);
    if (seen.size > MAX_INCLUDES) {
      if (seen.size === MAX_INCLUDES + 1) warn({ path, message: `more than ${MAX_INCLUDES} included files: the rest were not read` });
      return;
    }
    const relPath = relative(root, path).split(sep).join("/") || basename(path);
    let problem = "cannot be used";
    const documents = await readYamlFile(path, relPath, path === main ? (w) => (problem = w.message) : warn);
    if (documents === null && path === main) {
      // The whole source hangs off this file: scanning it as empty would erase the pipelines the last good scan stored.
      throw new InputError(`${path}: ${problem}; the earlier results of this checkout are kept`);
    }
    const config = documents ? configDocument(documents) : undefined;
    if (!config) return;
    for (const item of itemsOf(get(config, "include"))) {
      const local = str(item) ?? str(get(item, "local"));
      const remote = str(get(item, "remote")) ?? (local && /^https?:\/\//.test(local) ? local : undefined);
      if (remote !== undefined) {
        notFollowed.push({ kind: "remote", name: remote, at: whereOf(item) });
      } else if (local !== undefined) {
        for (const target of await expandLocal(root, local, (w) => warn({ path, message: `${whereOf(item)}: ${w}` }))) await load(target);
      } else {
        const kind = ["template", "project", "component"].find((k) => get(item, k) !== undefined) ?? "unknown";
        const name = str(get(item, kind)) ?? "";
        const fileNames = itemsOf(get(item, "file")).map((f) => str(f) ?? "").filter(Boolean);
        notFollowed.push({ kind, name: fileNames.length ? `${name}:${fileNames.join(",")}` : name, at: whereOf(item) });
      }
    }
    files.push({ relPath, path, root: config });
  };

  try {
    await stat(main);
  } catch {
    warn({ path: main, message: "no .gitlab-ci.yml: no GitLab CI pipelines scanned" });
    return { files, notFollowed };
  }
  await load(main);
  return { files, notFollowed };
}

/** Paths a `local:` include names, relative to the repository root; wildcards expand to matching YAML files. */
async function expandLocal(root: string, local: string, warn: (message: string) => void): Promise<string[]> {
  const pattern = local.replace(/^\/+/, "");
  const resolved = resolve(root, pattern);
  if (resolved !== root && !resolved.startsWith(root + sep)) {
    warn(`include ${local} is outside the repository: not followed`);
    return [];
  }
  if (!/[*?]/.test(pattern)) {
    try {
      await stat(resolved);
    } catch {
      warn(`included file ${local} does not exist: not followed`);
      return [];
    }
    return [resolved];
  }
  const prefix = pattern.split("/").filter((_, i, parts) => !parts.slice(0, i + 1).some((p) => /[*?]/.test(p))).join("/");
  const matcher = globToRegExp(pattern);
  const matches: string[] = [];
  for await (const file of walkFiles(join(root, prefix), { warn: (w) => warn(`${w.path}: ${w.message}`), skipDirectories: new Set([".git", "node_modules"]) })) {
    const rel = relative(root, file).split(sep).join("/");
    if (matcher.test(rel) && /\.ya?ml$/.test(rel)) matches.push(file);
  }
  return matches;
}
