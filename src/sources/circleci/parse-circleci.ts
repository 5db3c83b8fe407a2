import { InputError } from "../../errors.js";
import { parseFingerprint } from "../../keys/index.js";
import type { PipelineRecord, ScanWarning } from "../source.js";
import { UseCollector } from "../shared/collect-uses.js";
import { findInlineKeys } from "../shared/inline-keys.js";
import { lineAt, lineOfNeedle } from "../shared/line-lookup.js";
import { isContextVariable, ShellScanner } from "../shared/shell-scan.js";
import { entriesOf, get, itemsOf, str, whereOf } from "../shared/yaml-tree.js";
import type { YNode, YScalar } from "../shared/yaml-tree.js";

/** A parsed `.circleci/config.yml`. */
export interface CircleciFile {
  /** Repository-relative path, the evidence label. */
  readonly relPath: string;
  readonly path: string;
  readonly root: YNode;
}

type Scope = ReadonlyMap<string, YNode>;

const PARAMETER = /<<\s*(pipeline\.)?parameters\.([A-Za-z0-9_-]+)\s*>>/g;
const WHOLE_PARAMETER = /^\s*<<\s*(pipeline\.)?parameters\.([A-Za-z0-9_-]+)\s*>>\s*$/;
/** Commands calling commands: CircleCI has no documented limit; a config needing more than this is a loop. */
const MAX_COMMAND_DEPTH = 20;

/** What `add_ssh_keys` without a list means: every additional SSH key of the project (a secret we can only name). */
export const ALL_PROJECT_KEYS = "<all project SSH keys>";

/** Parameter defaults of a job/command/pipeline, overlaid with the arguments a caller passes. */
function scopeOf(parameters: YNode | undefined, args: YNode | undefined, outer: Scope, pipeline: Scope): Map<string, YNode> {
  const scope = new Map<string, YNode>();
  for (const { key, value } of entriesOf(parameters)) {
    const fallback = get(value, "default");
    if (fallback !== undefined) scope.set(key, substituteNode(fallback, outer, pipeline));
  }
  for (const { key, value } of entriesOf(args)) scope.set(key, substituteNode(value, outer, pipeline));
  return scope;
}

/** A value that is exactly `<< parameters.x >>` becomes the node it names, so evidence points at the real value. */
function substituteNode(node: YNode, scope: Scope, pipeline: Scope): YNode {
  const text = str(node);
  const match = text === undefined ? null : WHOLE_PARAMETER.exec(text);
  if (!match) return node;
  return (match[1] ? pipeline : scope).get(match[2] ?? "") ?? node;
}

function substituteText(text: string, scope: Scope, pipeline: Scope): string {
  return text.replace(PARAMETER, (all, isPipeline: string | undefined, name: string) => str((isPipeline ? pipeline : scope).get(name)) ?? all);
}

interface Callable {
  readonly node: YNode;
  readonly name: string;
}

/**
 * Turns a CircleCI config into pipelines, one per job with an SSH key: `add_ssh_keys` fingerprints (MD5 or
 * SHA256, literal or from parameter defaults and workflow arguments) become fingerprint uses, `add_ssh_keys`
 * without a list the "all project keys" secret; commands (also those of inline orbs) count for the jobs that run
 * them; `run:` scripts that hand `$VARS` to ssh give variable references. Pure.
 */
export function parseCircleci(file: CircleciFile, repo: string): { pipelines: PipelineRecord[]; warnings: ScanWarning[] } {
  const warnings: ScanWarning[] = [];
  const warned = new Set<string>();
  const warn = (message: string): void => {
    if (!warned.has(message)) warnings.push({ path: file.path, message });
    warned.add(message);
  };
  const root = file.root;
  const pipelineScope = scopeOf(get(root, "parameters"), undefined, new Map(), new Map());

  const commands = new Map<string, Callable>();
  const jobs = new Map<string, Callable>();
  for (const { key, value } of entriesOf(get(root, "commands"))) commands.set(key, { node: value, name: key });
  for (const { key, value } of entriesOf(get(root, "jobs"))) jobs.set(key, { node: value, name: key });
  for (const { key: orb, value } of entriesOf(get(root, "orbs"))) {
    if (value.kind !== "map") continue; // a registry orb (`ns/orb@1.2`): its source is not in the checkout
    for (const { key, value: command } of entriesOf(get(value, "commands"))) commands.set(`${orb}/${key}`, { node: command, name: `${orb}/${key}` });
    for (const { key, value: job } of entriesOf(get(value, "jobs"))) jobs.set(`${orb}/${key}`, { node: job, name: `${orb}/${key}` });
  }

  // Workflow invocations: each passes its own arguments to the job's parameters.
  const invocations = new Map<string, { workflow: string; args: YNode | undefined }[]>();
  for (const { key: workflow, value } of entriesOf(get(root, "workflows"))) {
    for (const item of itemsOf(get(value, "jobs"))) {
      const name = str(item) ?? (item.kind === "map" ? item.entries[0]?.key : undefined);
      if (name === undefined) continue;
      const args = item.kind === "map" ? item.entries[0]?.value : undefined;
      const list = invocations.get(name) ?? [];
      list.push({ workflow, args });
      invocations.set(name, list);
    }
  }

  const pipelines: PipelineRecord[] = [];
  for (const [jobName, job] of jobs) {
    // A job of an inline orb is a pipeline only when a workflow runs it.
    if (jobName.includes("/") && !invocations.has(jobName)) continue;
    const collector = new UseCollector();
    const scanner = new ShellScanner<{ node: YScalar; detail: Record<string, unknown> }>();
    const calls = invocations.get(jobName) ?? [{ workflow: null, args: undefined }];
    for (const call of calls) {
      const scope = scopeOf(get(job.node, "parameters"), call.args, new Map(), pipelineScope);
      const base = { job: jobName, ...(call.workflow ? { workflow: call.workflow } : {}) };
      const walk = (steps: YNode | undefined, stepScope: Scope, via: readonly string[]): void => {
        for (const step of itemsOf(substituteNode(steps ?? nullNode(file), stepScope, pipelineScope))) {
          const name = str(step) ?? (step.kind === "map" ? step.entries[0]?.key : undefined);
          if (name === undefined) continue;
          const args = step.kind === "map" ? step.entries[0]?.value : undefined;
          const detail = { ...base, ...(via.length ? { commands: via } : {}) };
          if (name === "add_ssh_keys") addSshKeys(step, args, stepScope, detail);
          else if (name === "run") {
            const command = str(args) !== undefined ? args : get(args, "command");
            if (command?.kind === "scalar" && typeof command.value === "string") {
              const node = substituteNode(command, stepScope, pipelineScope);
              if (node.kind === "scalar" && typeof node.value === "string") scanner.add({ node, detail }, node.value);
            }
          } else if (name === "when" || name === "unless") walk(get(args, "steps"), stepScope, via);
          else if (name === "steps") walk(args, stepScope, via);
          else {
            const command = commands.get(name);
            if (!command) continue; // built-in step or a registry orb's command
            if (via.includes(name) || via.length >= MAX_COMMAND_DEPTH) {
              warn(`${whereOf(step)}: command ${name} calls itself: not expanded again`);
              continue;
            }
            walk(get(command.node, "steps"), scopeOf(get(command.node, "parameters"), args, stepScope, pipelineScope), [...via, name]);
          }
        }
      };
      const addSshKeys = (step: YNode, args: YNode | undefined, stepScope: Scope, detail: Record<string, unknown>): void => {
        const list = args === undefined ? undefined : get(args, "fingerprints");
        if (list === undefined || (list.kind === "scalar" && list.value === null)) {
          collector.add({ key: { kind: "reference", referenceKind: "secret", name: ALL_PROJECT_KEYS }, evidence: whereOf(step), detail: { ...detail, allProjectKeys: true } });
          return;
        }
        for (const item of itemsOf(substituteNode(list, stepScope, pipelineScope))) {
          const node = substituteNode(item, stepScope, pipelineScope);
          const raw = str(node);
          if (raw === undefined) continue;
          const value = substituteText(raw, stepScope, pipelineScope);
          const evidence = whereOf(node);
          if (/\$\{?[A-Za-z_]/.test(value)) {
            warn(`${evidence}: fingerprint ${JSON.stringify(value)} uses an environment variable, which add_ssh_keys does not expand: write the fingerprint itself`);
            continue;
          }
          try {
            const parsed = parseFingerprint(value);
            const format = "sha256" in parsed ? "sha256" : "md5";
            collector.add({ key: { kind: "fingerprint", ...parsed }, evidence, detail: { ...detail, fingerprint: value.trim(), format } });
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            warn(`${evidence}: ${error.message}; fingerprint skipped`);
          }
        }
      };
      walk(get(job.node, "steps"), scope, []);
    }
    for (const use of scanner.finish()) {
      const { node } = use.chunk;
      const value = String(node.value);
      const detail = { ...use.chunk.detail, how: use.how };
      if (use.kind === "path") {
        collector.add({ key: { kind: "reference", referenceKind: "file", name: use.path }, evidence: `${node.src.label}:${lineOfNeedle(node.src, node, value, use.offset, use.raw)}`, detail });
      } else if (use.ref.kind === "var" && !isContextVariable(use.ref.name)) {
        collector.add({ key: { kind: "reference", referenceKind: "variable", name: use.ref.name }, evidence: `${node.src.label}:${lineOfNeedle(node.src, node, value, use.ref.offset, use.ref.raw)}`, detail });
      }
    }
    for (const found of findInlineKeys(job.node.src.text.slice(job.node.start, job.node.end))) {
      const at = job.node.start + found.offset;
      const evidence = `${file.relPath}:${lineAt(job.node.src, at)}`;
      if (found.kind === "private") warn(`${evidence}: inline private key in job ${jobName}${found.key ? ` (${found.key.sha256})` : ""}: move it to the project's SSH keys and rotate it`);
      if (found.key) collector.add({ key: { kind: "key", key: found.key }, evidence, detail: { job: jobName, inline: found.kind } });
    }
    if (collector.size > 0) pipelines.push({ name: `${repo}:${jobName}`, source: file.path, repository: repo, uses: collector.list() });
  }
  return { pipelines, warnings };
}

function nullNode(file: CircleciFile): YNode {
  return { kind: "scalar", value: null, src: file.root.src, start: 0, end: 0 };
}
