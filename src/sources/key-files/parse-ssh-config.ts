/** An `IdentityFile` or `Include` of an ssh_config, as written. */
export interface SshConfigEntry {
  readonly keyword: "identityfile" | "include";
  readonly value: string;
  /** 1-based line. */
  readonly line: number;
  /** The `Host`/`Match` line the entry sits under, or null at the top. */
  readonly host: string | null;
}

/** Splits an ssh_config argument list: whitespace separates, double quotes group (ssh_config(5)). */
function splitArguments(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|(\S+)/g)) out.push(match[1] ?? match[2] ?? "");
  return out;
}

/**
 * The `IdentityFile` and `Include` entries of an ssh_config text (keywords case-insensitive, `Key value` or
 * `Key=value`, quoted arguments, comments). Pure.
 */
export function parseSshConfig(text: string): SshConfigEntry[] {
  const entries: SshConfigEntry[] = [];
  let host: string | null = null;
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("#")) return;
    const match = /^([A-Za-z]+)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!match) return;
    const keyword = (match[1] ?? "").toLowerCase();
    const rest = match[2] ?? "";
    if (keyword === "host" || keyword === "match") host = `${match[1]} ${rest}`.trim();
    else if (keyword === "identityfile") {
      const value = splitArguments(rest)[0];
      if (value) entries.push({ keyword: "identityfile", value, line: index + 1, host });
    } else if (keyword === "include") {
      for (const value of splitArguments(rest)) entries.push({ keyword: "include", value, line: index + 1, host });
    }
  });
  return entries;
}

/**
 * Expands `~`, `%d` (home), `%u` (user) and `%%` in an ssh_config path; relative paths are taken relative to
 * `relativeTo`. Returns `{ unexpanded }` naming the first token we cannot know offline (`%h`, `%r`, `${VAR}` …).
 */
export function expandConfigPath(value: string, home: string, user: string, relativeTo: string): { path: string } | { unexpanded: string } {
  const env = /\$\{[^}]*\}/.exec(value);
  if (env) return { unexpanded: env[0] };
  let unexpanded: string | null = null;
  let path = value.replace(/%(.)/g, (token, letter: string) => {
    if (letter === "%") return "%";
    if (letter === "d") return home;
    if (letter === "u") return user;
    unexpanded ??= token;
    return token;
  });
  if (unexpanded !== null) return { unexpanded };
  if (path === "~") path = home;
  else if (path.startsWith("~/")) path = `${home}/${path.slice(2)}`;
  else if (!path.startsWith("/")) path = `${relativeTo}/${path}`;
  return { path: path.replace(/\/{2,}/g, "/") };
}
