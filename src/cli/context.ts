import type { Store } from "../store/index.js";
import type { Format, Report } from "../output/render.js";

/** The process streams and environment, injected so that tests can run the CLI in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Reads a passphrase without echo; undefined when there is no terminal to ask on. */
  readonly promptSecret?: (question: string) => Promise<string>;
}

export interface GlobalOptions {
  readonly db: string;
  readonly format: Format;
  readonly quiet: boolean;
  readonly verbose: boolean;
}

/** clean → exit 0, findings → exit 1, incomplete → exit 3 (the contract). */
export type Status = "clean" | "findings" | "incomplete";

export interface CommandOutcome {
  readonly status: Status;
  readonly report: Report;
}

export interface Logger {
  /** Progress and information: stderr, silenced by --quiet. */
  info(message: string): void;
  /** Only with --verbose. */
  debug(message: string): void;
  /** Always shown: something the user must know (skipped items, stale data). */
  warn(message: string): void;
}

/** What a command's action receives. */
export interface CommandContext {
  readonly io: CliIo;
  readonly globals: GlobalOptions;
  readonly log: Logger;
  /** Opens the database named by --db / KEYWARD_DB (created and migrated on first use). */
  openStore(): Store;
  now(): string;
}
