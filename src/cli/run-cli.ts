import { CommanderError } from "commander";
import { KeywardError, InternalError, messageOf } from "../errors.js";
import { render } from "../output/render.js";
import type { CliIo, Status } from "./context.js";
import { createProgram, type ProgramState } from "./program.js";

const EXIT: Record<Status, number> = { clean: 0, findings: 1, incomplete: 3 };

/**
 * Runs keyward with `argv` (without node and script) and returns the exit code. The one place where results
 * become output and errors become exit codes (the contract: 0 clean, 1 findings, 2 error, 3 incomplete crawl).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const state: ProgramState = { stores: [] };
  const program = createProgram(io, state);
  const verbose = argv.includes("-v") || argv.includes("--verbose");
  try {
    await program.parseAsync([...argv], { from: "user" });
    const outcome = state.outcome;
    if (!outcome) return 0; // help or version
    const format = state.globals?.format ?? "table";
    const color = io.stdoutIsTTY && !("NO_COLOR" in io.env) && format === "table";
    io.stdout(render(outcome.report, format, { color }));
    return EXIT[outcome.status];
  } catch (error) {
    return reportError(error, io, verbose);
  } finally {
    for (const store of state.stores) store.close();
  }
}

function reportError(error: unknown, io: CliIo, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Commander already printed its one-line message; help and version are not errors.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") {
      return 0;
    }
    return 2;
  }
  if (error instanceof KeywardError && !(error instanceof InternalError)) {
    io.stderr(`keyward: ${oneLine(error.message)}\n`);
    if (verbose) printCauses(error, io);
    return error.exitCode;
  }
  io.stderr(`keyward: internal error: ${oneLine(messageOf(error))} (this is a bug in keyward; run with --verbose for details)\n`);
  if (verbose && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return 2;
}

function printCauses(error: Error, io: CliIo): void {
  let cause: unknown = error.cause;
  while (cause) {
    io.stderr(`  caused by: ${oneLine(messageOf(cause))}\n`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, " ").trim();
}
