import { Command, Option } from "commander";
import { openStore, type Store } from "../store/index.js";
import { resolveGlobals } from "./config.js";
import type { CliIo, CommandContext, CommandOutcome, Logger } from "./context.js";
import { registerCommands } from "./commands/index.js";

/** Wraps a command body: builds its context from the global flags and keeps its outcome for run-cli. */
export type Runner = <A extends unknown[]>(
  body: (ctx: CommandContext, ...args: A) => CommandOutcome | Promise<CommandOutcome>,
) => (...args: unknown[]) => Promise<void>;

export interface ProgramState {
  outcome?: CommandOutcome;
  globals?: CommandContext["globals"];
  readonly stores: Store[];
}

function createLogger(io: CliIo, quiet: boolean, verbose: boolean): Logger {
  return {
    info: (m) => {
      if (!quiet) io.stderr(`${m}\n`);
    },
    debug: (m) => {
      if (verbose) io.stderr(`${m}\n`);
    },
    warn: (m) => io.stderr(`warning: ${m}\n`),
  };
}

/** The commander program: declarations only; each command's work lives in a library function. */
export function createProgram(io: CliIo, state: ProgramState): Command {
  const program = new Command("keyward")
    .description("Which pipelines depend on this SSH key, and whose key is it?")
    .version("0.1.0")
    .addOption(new Option("--db <path>", "SQLite database file (env KEYWARD_DB)").default(undefined, "keyward.db"))
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "markdown"]))
    .option("-q, --quiet", "less on stderr")
    .option("-v, --verbose", "more on stderr, with error causes")
    .showHelpAfterError("(run keyward --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const run: Runner =
    (body) =>
    async (...args) => {
      const command = args.at(-1) as Command;
      const globals = resolveGlobals(command.optsWithGlobals(), io.env, io.cwd);
      state.globals = globals;
      let store: Store | undefined;
      const ctx: CommandContext = {
        io,
        globals,
        log: createLogger(io, globals.quiet, globals.verbose),
        openStore: () => {
          if (!store) {
            store = openStore(globals.db);
            state.stores.push(store);
            for (const w of store.warnings) ctx.log.warn(w);
          }
          return store;
        },
        now: () => new Date().toISOString(),
      };
      // Commander passes positional arguments, then the options object, then the command.
      state.outcome = await body(ctx, ...(args.slice(0, -1) as never));
    };

  registerCommands(program, run);
  // Subcommands inherit the error handling and output of the root.
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError();
    for (const s of c.commands) s.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError();
  }
  return program;
}
