import type { KeyRef, PipelineRecord, ScanWarning } from "../source.js";
import { UseCollector } from "../shared/collect-uses.js";
import { findInlineKeys } from "../shared/inline-keys.js";
import { lineOfNeedle } from "../shared/line-lookup.js";
import { mergeMaps, withoutKeys } from "../shared/merge-maps.js";
import { isContextVariable, ShellScanner } from "../shared/shell-scan.js";
import { entriesOf, get, itemsOf, str, whereOf } from "../shared/yaml-tree.js";
import type { YNode, YScalar } from "../shared/yaml-tree.js";

/** One parsed file of a GitLab CI config. */
export interface GitlabFile {
  /** Repository-relative path, the evidence label. */
  readonly relPath: string;
  readonly path: string;
  readonly root: YNode;
}

/** An `include:` we cannot read from a checkout (remote URL, template, another project, a component). */
export interface NotFollowedInclude {
  readonly kind: string;
  readonly name: string;
  readonly at: string;
}

/** Top-level keys that are not jobs (https://docs.gitlab.com/ci/yaml/). */
const GLOBAL_KEYWORDS = new Set(["default", "include", "stages", "variables", "workflow", "image", "services", "cache", "before_script", "after_script", "spec", "types"]);
const DEFAULT_KEYS = ["before_script", "after_script"] as const;
const SECTIONS = ["before_script", "script", "after_script"] as const;
const SSH_COMMAND_VARIABLES = new Set(["GIT_SSH_COMMAND", "RSYNC_RSH"]);
/** GitLab stops at 11 levels of `extends:`. */
const MAX_EXTENDS_DEPTH = 11;
/** GitLab flattens nested script arrays up to 10 levels deep. */
const MAX_SCRIPT_NESTING = 10;

interface Chunk {
  readonly node: YScalar;
  readonly section: string;
}

/** A variable's value as written: `NAME: value` or `NAME: { value: …, description: … }`. */
function variableValue(node: YNode | undefined): YNode | undefined {
  if (node?.kind === "map") return get(node, "value");
  return node;
}

function text(node: YNode | undefined): string {
  return node?.kind === "scalar" && node.value !== null ? String(node.value) : "";
}

/**
 * Turns a merged GitLab CI config (included files first, the main file last) into pipelines, one per visible job
 * whose scripts hand an SSH key to ssh: `$VAR`/`${VAR}` piped or passed to ssh-add, used as `ssh -i`, in
 * `GIT_SSH_COMMAND` (script or `variables:`), or written to a key file. `extends:` (hidden templates included),
 * `default:`/top-level before/after scripts, `inherit:` and `!reference` are applied. Unresolved names become
 * `variable` references; a variable defined in the file as `$OTHER` resolves to OTHER. Pure.
 */
export function parseGitlabCi(input: {
  readonly files: readonly GitlabFile[];
  readonly notFollowed: readonly NotFollowedInclude[];
  readonly repo: string;
  readonly source: string;
}): { pipelines: PipelineRecord[]; warnings: ScanWarning[] } {
  const warnings: ScanWarning[] = [];
  const warned = new Set<string>();
  const warnOnce = (warning: ScanWarning): void => {
    const id = `${warning.path}\n${warning.message}`;
    if (!warned.has(id)) warnings.push(warning);
    warned.add(id);
  };
  for (const include of input.notFollowed) {
    warnOnce({ path: input.source, message: `${include.at}: ${include.kind} include ${include.name} not followed: jobs it defines were not scanned` });
  }
  let config: YNode | undefined;
  for (const file of input.files) config = mergeMaps(config, withoutKeys(file.root, new Set(["include"])));
  if (config?.kind !== "map") return { pipelines: [], warnings };
  const pathOf = (node: YNode): string => input.files.find((f) => f.relPath === node.src.label)?.path ?? input.source;

  const rawJobs = new Map(config.entries.filter((e) => !GLOBAL_KEYWORDS.has(e.key) && e.value.kind === "map").map((e) => [e.key, e.value]));
  const resolved = new Map<string, YNode>();
  const resolveJob = (name: string, stack: readonly string[]): YNode | undefined => {
    const done = resolved.get(name);
    if (done) return done;
    const job = rawJobs.get(name);
    if (!job) return undefined;
    if (stack.includes(name) || stack.length > MAX_EXTENDS_DEPTH) {
      warnOnce({ path: pathOf(job), message: `${whereOf(job)}: extends of ${name} loops or nests deeper than ${MAX_EXTENDS_DEPTH}: not applied` });
      return job;
    }
    let base: YNode | undefined;
    for (const parent of itemsOf(get(job, "extends"))) {
      const parentName = str(parent) ?? "";
      const parentJob = resolveJob(parentName, [...stack, name]);
      if (!parentJob) warnOnce({ path: pathOf(parent), message: `${whereOf(parent)}: ${name} extends unknown job ${parentName}` });
      else base = mergeMaps(base, parentJob);
    }
    const result = mergeMaps(base, withoutKeys(job, new Set(["extends"])));
    resolved.set(name, result);
    return result;
  };
  for (const name of rawJobs.keys()) resolveJob(name, []);

  /** `!reference [.job, script]` and nested arrays flattened into script lines. */
  const scriptLines = (node: YNode | undefined, depth = 0): YScalar[] => {
    if (!node || depth > MAX_SCRIPT_NESTING) return [];
    if (node.tag === "!reference" && node.kind === "seq") {
      const [jobName, ...path] = node.items.map((item) => str(item) ?? "");
      let target: YNode | undefined = resolved.get(jobName ?? "") ?? get(config, jobName ?? "");
      for (const key of path) target = get(target, key);
      return scriptLines(target, depth + 1);
    }
    if (node.kind === "scalar") return node.value === null ? [] : [node];
    if (node.kind === "seq") return node.items.flatMap((item) => scriptLines(item, depth + 1));
    return [];
  };

  const defaults = get(config, "default");
  const globalVariables = get(config, "variables");
  const pipelines: PipelineRecord[] = [];
  for (const [jobName, job] of resolved) {
    if (jobName.startsWith(".")) continue; // hidden: a template, not a pipeline
    const inherit = get(job, "inherit");
    const inheritDefault = get(inherit, "default");
    const inheritsDefault = (key: string): boolean =>
      inheritDefault === undefined || (inheritDefault.kind === "scalar" ? inheritDefault.value !== false : itemsOf(inheritDefault).some((k) => str(k) === key));
    const inheritVariables = get(inherit, "variables");
    const inheritsVariable = (key: string): boolean =>
      inheritVariables === undefined || (inheritVariables.kind === "scalar" ? inheritVariables.value !== false : itemsOf(inheritVariables).some((k) => str(k) === key));

    const variableNode = (name: string): YNode | undefined =>
      get(get(job, "variables"), name) ?? (inheritsVariable(name) ? get(globalVariables, name) : undefined);

    const scanner = new ShellScanner<Chunk>();
    for (const section of SECTIONS) {
      let node = get(job, section);
      if (node === undefined && (DEFAULT_KEYS as readonly string[]).includes(section) && inheritsDefault(section)) {
        node = get(defaults, section) ?? get(config, section);
      }
      for (const line of scriptLines(node)) if (typeof line.value === "string") scanner.add({ node: line, section }, line.value);
    }
    for (const { key, value } of [...entriesOf(globalVariables).filter((e) => inheritsVariable(e.key)), ...entriesOf(get(job, "variables"))]) {
      const v = variableValue(value);
      if (SSH_COMMAND_VARIABLES.has(key) && v?.kind === "scalar" && typeof v.value === "string" && variableNode(key) === value) {
        scanner.add({ node: v, section: `variables.${key}` }, v.value);
      }
    }

    const collector = new UseCollector();
    const addKeyMaterial = (node: YScalar, value: string, detail: Record<string, unknown>): boolean => {
      const found = findInlineKeys(value);
      for (const key of found) {
        const evidence = `${node.src.label}:${lineOfNeedle(node.src, node, value, key.offset, value.slice(key.offset, key.offset + 30))}`;
        if (key.kind === "private") {
          warnOnce({ path: pathOf(node), message: `${evidence}: inline private key${key.key ? ` (${key.key.sha256})` : ""}: move it to a CI/CD variable and rotate it${key.problem ? `; ${key.problem}` : ""}` });
        }
        if (key.key) collector.add({ key: { kind: "key", key: key.key }, evidence, detail: { ...detail, inline: key.kind } });
      }
      return found.length > 0;
    };
    for (const use of scanner.finish()) {
      const { node, section } = use.chunk;
      const value = String(node.value);
      const detail: Record<string, unknown> = { job: jobName, section, file: node.src.label, how: use.how };
      if (use.kind === "path") {
        const evidence = `${node.src.label}:${lineOfNeedle(node.src, node, value, use.offset, use.raw)}`;
        collector.add({ key: { kind: "reference", referenceKind: "file", name: use.path }, evidence, detail });
        continue;
      }
      const evidence = `${node.src.label}:${lineOfNeedle(node.src, node, value, use.ref.offset, use.ref.raw)}`;
      if (use.ref.kind !== "var") continue; // `${{ }}` is GitHub syntax
      // Follow `NAME: $OTHER` definitions in the file to the variable that holds the key.
      let name = use.ref.name;
      const chain: string[] = [];
      let ref: KeyRef | null = null;
      for (let hop = 0; hop < 5; hop++) {
        const defined = variableValue(variableNode(name));
        if (defined?.kind !== "scalar" || defined.value === null) break;
        const definedText = text(defined);
        const alias = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(definedText.trim());
        if (alias?.[1]) {
          chain.push(name);
          name = alias[1];
          continue;
        }
        if (addKeyMaterial(defined, definedText, { ...detail, variable: name })) ref = null;
        else if (/^[~/.$]/.test(definedText.trim())) ref = { kind: "reference", referenceKind: "file", name: definedText.trim() };
        else ref = { kind: "reference", referenceKind: "variable", name };
        chain.push(`${name}@${whereOf(defined)}`);
        name = "";
        break;
      }
      if (name !== "" && !isContextVariable(name)) ref = { kind: "reference", referenceKind: "variable", name };
      if (ref) collector.add({ key: ref, evidence, detail: chain.length ? { ...detail, via: chain } : detail });
    }
    for (const section of SECTIONS) {
      for (const line of scriptLines(get(job, section))) if (typeof line.value === "string") addKeyMaterial(line, line.value, { job: jobName, section });
    }
    if (collector.size === 0) continue;
    const notFollowed = input.notFollowed.map((i) => `${i.kind}:${i.name}`);
    const uses = collector.list().map((use) => (notFollowed.length ? { ...use, detail: { ...(use.detail ?? {}), includesNotFollowed: notFollowed } } : use));
    pipelines.push({ name: `${input.repo}:${jobName}`, source: input.source, repository: input.repo, uses });
  }
  return { pipelines, warnings };
}
