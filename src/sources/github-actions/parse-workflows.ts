import type { KeyRef, PipelineRecord, ScanWarning } from "../source.js";
import { UseCollector } from "../shared/collect-uses.js";
import { findInlineKeys } from "../shared/inline-keys.js";
import { lineOfNeedle } from "../shared/line-lookup.js";
import { findRefs, isContextVariable, ShellScanner } from "../shared/shell-scan.js";
import { entriesOf, get, itemsOf, lineOf, str, whereOf } from "../shared/yaml-tree.js";
import type { YNode, YScalar } from "../shared/yaml-tree.js";
import { actionId, KEYISH_INPUT, KNOWN_ACTIONS, NOT_KEY_INPUT } from "./known-actions.js";

/** One parsed workflow file. */
export interface WorkflowFile {
  /** Path relative to the repository root, e.g. `.github/workflows/deploy.yml` (also the evidence label). */
  readonly relPath: string;
  /** Absolute path, the pipelines' `source`. */
  readonly path: string;
  readonly root: YNode;
}

type EnvChain = readonly (YNode | undefined)[];

interface Resolved {
  readonly ref: KeyRef;
  readonly via?: string;
}

const KEYISH_SECRET = /KEY|SSH|PEM|IDENTITY/i;

/** A secret, variable or dynamic value named by a `${{ … }}` expression, following `env.X` through the env chain. */
function resolveExpression(expression: string, env: EnvChain, depth = 0): Resolved[] {
  const out: Resolved[] = [];
  const secret = (name: string): void => {
    // GitHub stores secret names upper-cased and matches them case-insensitively.
    if (name.toUpperCase() !== "GITHUB_TOKEN") out.push({ ref: { kind: "reference", referenceKind: "secret", name: name.toUpperCase() } });
  };
  for (const m of expression.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)) secret(m[1] ?? "");
  for (const m of expression.matchAll(/\bsecrets\[\s*['"]([^'"]+)['"]\s*\]/g)) secret(m[1] ?? "");
  for (const m of expression.matchAll(/\bvars\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    out.push({ ref: { kind: "reference", referenceKind: "variable", name: (m[1] ?? "").toUpperCase() } });
  }
  for (const m of expression.matchAll(/\benv\.([A-Za-z_][A-Za-z0-9_]*)/g)) out.push(...resolveEnv(m[1] ?? "", env, depth + 1));
  for (const m of expression.matchAll(/\b(?:inputs\.[\w-]+|(?:steps|needs|jobs)\.[\w-]+\.outputs\.[\w-]+|matrix\.[\w-]+)/g)) {
    out.push({ ref: { kind: "reference", referenceKind: "dynamic", name: m[0] } });
  }
  return out;
}

/** What an environment variable holds, looked up step → job → workflow as GitHub does. */
function resolveEnv(name: string, env: EnvChain, depth = 0): Resolved[] {
  if (depth > 4) return [];
  for (const level of env) {
    const value = get(level, name);
    if (value === undefined) continue;
    const text = str(value) ?? "";
    return findRefs(text, 0)
      .filter((ref) => ref.kind === "expr")
      .flatMap((ref) => resolveExpression(ref.name, env, depth))
      .map((resolved) => ({ ref: resolved.ref, via: resolved.via ?? `env.${name}` }));
  }
  return [];
}

function envDefinedAt(name: string, env: EnvChain): YNode | undefined {
  for (const level of env) {
    const value = get(level, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

interface JobContext {
  readonly file: WorkflowFile;
  readonly jobId: string;
  readonly job: YNode;
  readonly collector: UseCollector;
  readonly warnings: ScanWarning[];
}

function stepLabel(step: YNode, index: number): string | number {
  return str(get(step, "name")) ?? str(get(step, "id")) ?? index;
}

function environmentOf(job: YNode): string | null {
  const environment = get(job, "environment");
  return str(environment) ?? str(get(environment, "name")) ?? null;
}

/** Key material written into the file: fingerprinted, warned about when private, never echoed. */
function inlineKeys(ctx: JobContext, node: YNode, text: string, detail: Record<string, unknown>): void {
  if (node.kind !== "scalar") return;
  for (const found of findInlineKeys(text)) {
    const line = lineOfNeedle(node.src, node, text, found.offset, text.slice(found.offset, found.offset + 30));
    const evidence = `${node.src.label}:${line}`;
    if (found.kind === "private") {
      ctx.warnings.push({
        path: ctx.file.path,
        message: `${evidence}: inline private key in job ${ctx.jobId}${found.key ? ` (${found.key.sha256})` : ""}: move it to a secret and rotate it${found.problem ? `; ${found.problem}` : ""}`,
      });
    }
    if (found.key) ctx.collector.add({ key: { kind: "key", key: found.key }, evidence, detail: { ...detail, inline: found.kind } });
  }
}

function scalarText(node: YNode | undefined): string {
  return node?.kind === "scalar" && node.value !== null ? String(node.value) : "";
}

function addResolved(ctx: JobContext, resolved: readonly Resolved[], evidence: string, detail: Record<string, unknown>): void {
  for (const { ref, via } of resolved) ctx.collector.add({ key: ref, evidence, detail: via ? { ...detail, via } : detail });
}

/** Expressions in a step input / env value that hands a key to an action. */
function keyValue(ctx: JobContext, node: YNode, env: EnvChain, detail: Record<string, unknown>, isPath: boolean): void {
  const text = scalarText(node);
  const exprs = findRefs(text, 0).filter((ref) => ref.kind === "expr");
  for (const expr of exprs) {
    const line = node.kind === "scalar" ? lineOfNeedle(node.src, node, text, expr.offset, expr.raw) : lineOf(node);
    addResolved(ctx, resolveExpression(expr.name, env), `${node.src.label}:${line}`, detail);
  }
  if (exprs.length === 0 && isPath && text.trim() !== "") {
    ctx.collector.add({ key: { kind: "reference", referenceKind: "file", name: text.trim() }, evidence: whereOf(node), detail });
  }
}

/** A piece of shell the runner executes: a step's `run:`, or an `env:` value holding an ssh command line. */
interface ShellChunk {
  readonly node: YScalar;
  readonly env: EnvChain;
  readonly detail: Record<string, unknown>;
}

const SSH_COMMAND_ENV = new Set(["GIT_SSH_COMMAND", "RSYNC_RSH"]);

function scanJobSteps(ctx: JobContext, workflowEnv: YNode | undefined): void {
  const jobEnv = get(ctx.job, "env");
  const base = { workflow: ctx.file.relPath, job: ctx.jobId, environment: environmentOf(ctx.job) };
  const scanner = new ShellScanner<ShellChunk>();
  const writtenKeyPaths = new Set<string>();
  const sshCommandEnv = (level: YNode | undefined, env: EnvChain, detail: Record<string, unknown>): void => {
    for (const { key, value } of entriesOf(level)) {
      if (SSH_COMMAND_ENV.has(key) && value.kind === "scalar" && typeof value.value === "string") {
        scanner.add({ node: value, env, detail: { ...detail, env: key } }, value.value);
      }
    }
  };
  sshCommandEnv(workflowEnv, [jobEnv, workflowEnv], base);
  sshCommandEnv(jobEnv, [jobEnv, workflowEnv], base);
  itemsOf(get(ctx.job, "steps")).forEach((step, index) => {
    const env: EnvChain = [get(step, "env"), jobEnv, workflowEnv];
    const uses = str(get(step, "uses")) ?? null;
    const detail = { ...base, step: stepLabel(step, index), stepIndex: index, uses };
    const action = uses ? KNOWN_ACTIONS.get(actionId(uses) ?? "") : undefined;
    for (const { key: input, value } of entriesOf(get(step, "with"))) {
      const known = action?.inputs.includes(input) ?? false;
      const keyish = known || (uses !== null && KEYISH_INPUT.test(input) && !NOT_KEY_INPUT.test(input));
      if (keyish) keyValue(ctx, value, env, { ...detail, input, ...(known ? {} : { matchedBy: "input name" }) }, action?.pathInputs?.includes(input) ?? /path|file/i.test(input));
      if (!NOT_KEY_INPUT.test(input)) inlineKeys(ctx, value, scalarText(value), { ...detail, input });
    }
    if (uses && actionId(uses)?.startsWith("shimataro/ssh-key-action")) {
      writtenKeyPaths.add(`~/.ssh/${str(get(get(step, "with"), "name")) ?? "id_rsa"}`);
    }
    for (const name of action?.env ?? []) {
      const defined = envDefinedAt(name, env);
      if (defined) keyValue(ctx, defined, env, { ...detail, env: name }, false);
    }
    for (const { value } of entriesOf(get(step, "env"))) inlineKeys(ctx, value, scalarText(value), detail);
    sshCommandEnv(get(step, "env"), env, detail);
    const run = get(step, "run");
    if (run?.kind === "scalar" && typeof run.value === "string") {
      scanner.add({ node: run, env, detail }, run.value);
      inlineKeys(ctx, run, run.value, detail);
    }
  });
  for (const use of scanner.finish()) {
    const { node, env } = use.chunk;
    const detail = { ...use.chunk.detail, how: use.how };
    const text = String(node.value);
    if (use.kind === "path") {
      if (writtenKeyPaths.has(use.path)) continue;
      const evidence = `${node.src.label}:${lineOfNeedle(node.src, node, text, use.offset, use.raw)}`;
      ctx.collector.add({ key: { kind: "reference", referenceKind: "file", name: use.path }, evidence, detail });
      continue;
    }
    const evidence = `${node.src.label}:${lineOfNeedle(node.src, node, text, use.ref.offset, use.ref.raw)}`;
    if (use.ref.kind === "expr") {
      addResolved(ctx, resolveExpression(use.ref.name, env), evidence, detail);
      continue;
    }
    const name = use.ref.name;
    if (isContextVariable(name)) continue;
    const defined = envDefinedAt(name, env);
    if (defined) {
      const resolved = resolveEnv(name, env);
      addResolved(ctx, resolved, evidence, { ...detail, env: name, envAt: whereOf(defined) });
      if (resolved.length === 0 && /path|file/i.test(name) && scalarText(defined).trim() !== "") {
        ctx.collector.add({ key: { kind: "reference", referenceKind: "file", name: scalarText(defined).trim() }, evidence, detail: { ...detail, env: name } });
      }
    } else {
      // Set by an earlier step through $GITHUB_ENV, or by the runner: we can only name it.
      ctx.collector.add({ key: { kind: "reference", referenceKind: "variable", name }, evidence, detail: { ...detail, unresolved: true } });
    }
  }
  for (const { value } of entriesOf(jobEnv)) inlineKeys(ctx, value, scalarText(value), base);
}

interface ReusableCall {
  readonly callerIndex: number;
  readonly uses: YScalar;
  readonly secrets: YNode | undefined;
  readonly env: EnvChain;
}

interface FileResult {
  readonly pipelines: { name: string; collector: UseCollector; jobId: string }[];
  readonly calls: ReusableCall[];
}

function parseFile(file: WorkflowFile, repo: string, warnings: ScanWarning[]): FileResult {
  const pipelines: FileResult["pipelines"] = [];
  const calls: ReusableCall[] = [];
  if (file.root.kind !== "map") {
    warnings.push({ path: file.path, message: "not a workflow (the top level is not a mapping): skipped" });
    return { pipelines, calls };
  }
  const workflowEnv = get(file.root, "env");
  for (const { key: jobId, value: job } of entriesOf(get(file.root, "jobs"))) {
    const collector = new UseCollector();
    const ctx: JobContext = { file, jobId, job, collector, warnings };
    scanJobSteps(ctx, workflowEnv);
    const uses = get(job, "uses");
    if (uses?.kind === "scalar" && typeof uses.value === "string") {
      calls.push({ callerIndex: pipelines.length, uses, secrets: get(job, "secrets"), env: [get(job, "env"), workflowEnv] });
    }
    pipelines.push({ name: `${repo}:${file.relPath}#${jobId}`, collector, jobId });
  }
  for (const { value } of entriesOf(workflowEnv)) {
    const first = pipelines[0];
    if (first) inlineKeys({ file, jobId: first.jobId, job: file.root, collector: first.collector, warnings }, value, scalarText(value), { workflow: file.relPath });
  }
  return { pipelines, calls };
}

function secretsMapping(secrets: YNode | undefined, name: string): YNode | undefined {
  return entriesOf(secrets).find((entry) => entry.key.toUpperCase() === name)?.value;
}

/**
 * Turns a repository's workflow files into pipelines, one per job that uses an SSH key: key inputs of known
 * actions (and inputs named like keys in others), `run:` scripts (ssh-add, ssh -i, GIT_SSH_COMMAND, keys written
 * under ~/.ssh), env mappings, and jobs calling reusable workflows (a local callee's secret uses are mapped back
 * through `secrets: inherit` / `secrets: {…}`; a remote callee is not followed, but secrets with key-like names
 * passed to it are recorded). Pure.
 */
export function parseWorkflows(files: readonly WorkflowFile[], repo: string): { pipelines: PipelineRecord[]; warnings: ScanWarning[] } {
  const warnings: ScanWarning[] = [];
  const results = new Map<string, FileResult>();
  for (const file of files) results.set(file.relPath, parseFile(file, repo, warnings));
  const byPath = new Map(files.map((file) => [file.relPath, file]));

  const expanded = new Set<string>();
  const expand = (relPath: string, stack: readonly string[]): void => {
    const result = results.get(relPath);
    // A call cycle (a → b → a) is expanded once; GitHub itself rejects it.
    if (!result || stack.includes(relPath) || expanded.has(relPath)) return;
    expanded.add(relPath);
    for (const call of result.calls) {
      const caller = result.pipelines[call.callerIndex];
      const target = String(call.uses.value).trim();
      if (!caller) continue;
      const base = { workflow: relPath, job: caller.jobId, calledWorkflow: target };
      if (target.startsWith("./")) {
        const calleePath = target.slice(2).replace(/@.*$/, "");
        const callee = results.get(calleePath);
        if (!callee || !byPath.has(calleePath)) {
          warnings.push({ path: byPath.get(relPath)?.path ?? relPath, message: `${whereOf(call.uses)}: reusable workflow ${target} not found in the checkout` });
          continue;
        }
        expand(calleePath, [...stack, relPath]);
        const inherit = str(call.secrets) === "inherit";
        for (const p of callee.pipelines) {
          for (const use of p.collector.list()) {
            const detail = { ...base, calleeJob: p.jobId, calleeEvidence: use.evidence, ...(inherit ? { secrets: "inherit" } : {}) };
            if (use.key.kind === "reference" && use.key.referenceKind === "secret") {
              if (inherit) {
                caller.collector.add({ key: use.key, evidence: whereOf(call.secrets ?? call.uses), detail });
                continue;
              }
              const mapped = secretsMapping(call.secrets, use.key.name);
              if (!mapped) continue; // not passed: empty in the callee
              for (const expr of findRefs(scalarText(mapped), 0).filter((ref) => ref.kind === "expr")) {
                for (const { ref, via } of resolveExpression(expr.name, call.env)) {
                  caller.collector.add({ key: ref, evidence: whereOf(mapped), detail: { ...detail, passedAs: use.key.name, ...(via ? { via } : {}) } });
                }
              }
            } else {
              caller.collector.add({ ...use, detail: { ...(use.detail ?? {}), ...detail } });
            }
          }
        }
      } else {
        // A workflow in another repository: not followed; key-like secrets passed to it are still uses.
        for (const { key: passedAs, value } of entriesOf(call.secrets)) {
          for (const expr of findRefs(scalarText(value), 0).filter((ref) => ref.kind === "expr")) {
            for (const { ref, via } of resolveExpression(expr.name, call.env)) {
              const name = ref.kind === "reference" ? ref.name : "";
              if (!KEYISH_SECRET.test(passedAs) && !KEYISH_SECRET.test(name)) continue;
              caller.collector.add({ key: ref, evidence: whereOf(value), detail: { ...base, passedAs, notFollowed: true, ...(via ? { via } : {}) } });
            }
          }
        }
      }
    }
  };
  for (const relPath of results.keys()) expand(relPath, []);

  const pipelines: PipelineRecord[] = [];
  for (const file of files) {
    for (const p of results.get(file.relPath)?.pipelines ?? []) {
      if (p.collector.size === 0) continue;
      pipelines.push({ name: p.name, source: file.path, repository: repo, uses: p.collector.list() });
    }
  }
  return { pipelines, warnings };
}
