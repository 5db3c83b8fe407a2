import { resolve } from "node:path";
import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { UsageError, messageOf } from "../../errors.js";
import { isPrivateKeyText } from "../../keys/index.js";
import type { PipelineRecord } from "../../sources/source.js";
import { addProbeOptions, probeAndRecord, type ProbeFlags } from "./probe.js";
import type { ScanSummary } from "../../sources/run-scan.js";
import { section, type Report } from "../../output/render.js";
import type { CommandContext, CommandOutcome } from "../context.js";
import type { Runner } from "../program.js";

function scanReport(summary: ScanSummary, probes?: readonly ProbeOutcome[]): Report {
  return {
    json: probes ? { ...summary, probes } : summary,
    sections: [
      section({
        title: `Scan of ${summary.system} ${summary.location}`,
        rows: [summary],
        columns: [
          { header: "pipelines", value: (s) => s.pipelines },
          { header: "key uses", value: (s) => s.uses },
          { header: "keys", value: (s) => s.keys },
          { header: "unresolved", value: (s) => s.unresolved },
          { header: "kept", value: (s) => s.kept },
          { header: "warnings", value: (s) => s.warnings.length },
        ],
      }),
      ...(summary.warnings.length > 0
        ? [
            section({
              title: "Skipped",
              rows: summary.warnings,
              columns: [
                { header: "path", value: (w) => w.path },
                { header: "why", value: (w) => w.message },
              ],
            }),
          ]
        : []),
    ],
    notes: [
      ...(summary.kept > 0
        ? [`${summary.kept} pipeline(s) kept as last scanned: their definition could not be read this time (see warnings)`]
        : []),
      ...(summary.unresolved > 0
        ? [`${summary.unresolved} use(s) name a secret or credential keyward cannot read: keyward bind <pipeline> <name> <key>`]
        : []),
      ...(probes ?? []).map((p) =>
        "error" in p
          ? `probe ${p.file}: ${p.error}`
          : `probe ${p.file}: ${p.authenticated ? (p.account ?? p.repository ?? "accepted") : "not accepted by GitHub"}`,
      ),
    ],
  };
}

async function scanWith(
  ctx: CommandContext,
  system: string,
  location: string,
  options: Record<string, unknown>,
  after?: (pipelines: readonly PipelineRecord[]) => Promise<ProbeOutcome[]>,
): Promise<CommandOutcome> {
  // The adapters (XML and YAML parsers among them) load only for a scan.
  const [{ runScan }, { sourceFor }] = await Promise.all([import("../../sources/run-scan.js"), import("../../sources/registry.js")]);
  const store = ctx.openStore();
  const { summary, pipelines } = await runScan(
    store,
    sourceFor(system),
    { location, options, onWarning: (w) => ctx.log.warn(`${w.path}: ${w.message}`) },
    () => ctx.now(),
  );
  ctx.log.info(`scanned ${summary.pipelines} pipeline(s) with ${summary.uses} key use(s) from ${location}`);
  const probes = after ? await after(pipelines) : undefined;
  return { status: "clean", report: scanReport(summary, probes) };
}

type ProbeOutcome =
  | { file: string; fingerprint: string; authenticated: boolean; account: string | null; repository: string | null }
  | { file: string; error: string };

/** `scan keys --probe`: ask GitHub about every private key file the scan found; one failure never stops the rest. */
async function probeFoundKeys(ctx: CommandContext, pipelines: readonly PipelineRecord[], flags: ProbeFlags): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  const files = new Set<string>();
  for (const p of pipelines) {
    for (const use of p.uses) {
      const detailFiles = use.detail?.["files"];
      if (Array.isArray(detailFiles)) for (const f of detailFiles) if (typeof f === "string" && !f.endsWith(".pub") && !f.endsWith("-cert.pub")) files.add(f);
    }
  }
  for (const file of files) {
    try {
      if (!isPrivateKeyText(await readFile(file, "utf8").catch(() => ""))) continue;
      const { result } = await probeAndRecord(ctx, file, flags);
      outcomes.push({ file, fingerprint: result.fingerprint, authenticated: result.authenticated, account: result.account, repository: result.repository });
    } catch (error) {
      ctx.log.warn(`probe of ${file} failed: ${messageOf(error)}`);
      outcomes.push({ file, error: messageOf(error) });
    }
  }
  return outcomes;
}

export function registerScan(program: Command, run: Runner): void {
  const scan = program.command("scan").description("scan a CI system for the SSH keys its pipelines use");
  scan
    .command("jenkins")
    .description("a Jenkins home: credentials (decrypted in memory), jobs, folders, usage log")
    .argument("<JENKINS_HOME>", "path of the Jenkins home directory")
    .action(run(async (ctx, home: string) => scanWith(ctx, "jenkins", resolve(ctx.io.cwd, home), {})));
  for (const [name, what] of [
    ["workflows", "GitHub Actions workflows of a repository checkout"],
    ["gitlab", "a repository's .gitlab-ci.yml (with local includes)"],
    ["circleci", "a repository's .circleci/config.yml"],
  ] as const) {
    scan
      .command(name)
      .description(what)
      .argument("<repo-checkout>", "path of the repository checkout")
      .option("--repo <name>", "the repository's owner/name (default: from the checkout's origin remote)")
      .action(
        run(async (ctx, checkout: string, options: { repo?: string }) =>
          scanWith(ctx, name, resolve(ctx.io.cwd, checkout), options.repo === undefined ? {} : { repo: options.repo }),
        ),
      );
  }
  const keys = scan
    .command("keys")
    .description("key files on a CI agent (private, public, ssh config IdentityFile)")
    .argument("<paths...>", "files or directories (searched recursively)")
    .requiredOption("--pipeline <name>", "the pipeline (agent, job) these keys belong to")
    .option("--probe", "also ask GitHub's SSH server whose key each private key is (see keyward probe)");
  addProbeOptions(keys).action(
    run(async (ctx, paths: string[], options: ProbeFlags & { pipeline: string; probe?: boolean }) => {
      if (options.pipeline.trim() === "") throw new UsageError("--pipeline needs a name");
      const absolute = paths.map((p) => resolve(ctx.io.cwd, p));
      return scanWith(
        ctx,
        "keys",
        `pipeline:${options.pipeline}`,
        { paths: absolute, pipeline: options.pipeline },
        options.probe ? (pipelines) => probeFoundKeys(ctx, pipelines, options) : undefined,
      );
    }),
  );
  scan
    .command("agent")
    .description("identities held by the running ssh-agent ($SSH_AUTH_SOCK)")
    .requiredOption("--pipeline <name>", "the pipeline (agent, job) this ssh-agent serves")
    .option("--socket <path>", "agent socket (default: $SSH_AUTH_SOCK)")
    .action(
      run(async (ctx, options: { pipeline: string; socket?: string }) => {
        const socket = options.socket ?? ctx.io.env["SSH_AUTH_SOCK"];
        if (!socket) throw new UsageError("SSH_AUTH_SOCK is not set and no --socket was given: start ssh-agent or name its socket");
        return scanWith(ctx, "agent", `pipeline:${options.pipeline}`, { socket: resolve(ctx.io.cwd, socket), pipeline: options.pipeline });
      }),
    );
}
