import { resolve } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { runScan, type ScanSummary } from "../../sources/run-scan.js";
import { sourceFor } from "../../sources/registry.js";
import { section, type Report } from "../../output/render.js";
import type { CommandContext, CommandOutcome } from "../context.js";
import type { Runner } from "../program.js";

function scanReport(summary: ScanSummary): Report<ScanSummary> {
  return {
    json: summary,
    sections: [
      section({
        title: `Scan of ${summary.system} ${summary.location}`,
        rows: [summary],
        columns: [
          { header: "pipelines", value: (s) => s.pipelines },
          { header: "key uses", value: (s) => s.uses },
          { header: "keys", value: (s) => s.keys },
          { header: "unresolved", value: (s) => s.unresolved },
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
    notes: summary.unresolved > 0 ? [`${summary.unresolved} use(s) name a secret or credential keyward cannot read: keyward bind <pipeline> <name> <key>`] : [],
  };
}

async function scanWith(
  ctx: CommandContext,
  system: string,
  location: string,
  options: Record<string, unknown>,
): Promise<CommandOutcome> {
  const store = ctx.openStore();
  const summary = await runScan(
    store,
    sourceFor(system),
    { location, options, onWarning: (w) => ctx.log.warn(`${w.path}: ${w.message}`) },
    () => ctx.now(),
  );
  ctx.log.info(`scanned ${summary.pipelines} pipeline(s) with ${summary.uses} key use(s) from ${location}`);
  return { status: "clean", report: scanReport(summary) };
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
  scan
    .command("keys")
    .description("key files on a CI agent (private, public, ssh config IdentityFile)")
    .argument("<paths...>", "files or directories (searched recursively)")
    .requiredOption("--pipeline <name>", "the pipeline (agent, job) these keys belong to")
    .action(
      run(async (ctx, paths: string[], options: { pipeline: string }) => {
        if (options.pipeline.trim() === "") throw new UsageError("--pipeline needs a name");
        const absolute = paths.map((p) => resolve(ctx.io.cwd, p));
        return scanWith(ctx, "keys", `pipeline:${options.pipeline}`, { paths: absolute, pipeline: options.pipeline });
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
