import { resolve } from "node:path";
import type { Command } from "commander";
import { PassphraseRequiredError, UsageError } from "../../errors.js";
import { readKeyFile } from "../../keys/index.js";
import type { ProbeResult } from "../../probe/index.js";
import type { KeyInfo } from "../../keys/key-info.js";
import { section } from "../../output/render.js";
import type { CommandContext } from "../context.js";
import type { Runner } from "../program.js";
import { parsePositiveInt } from "../config.js";

export interface ProbeFlags {
  host: string;
  port: string;
  knownHosts?: string;
  passphraseEnv?: string;
  timeout: string;
}

/** Passphrase from the named variable; else asked on a terminal only after the key turned out to need one. */
async function withPassphrase<T>(ctx: CommandContext, path: string, envName: string | undefined, attempt: (passphrase?: string) => Promise<T>): Promise<T> {
  if (envName !== undefined) {
    const value = ctx.io.env[envName];
    if (value === undefined) throw new UsageError(`--passphrase-env ${envName}: that variable is not set`);
    return attempt(value);
  }
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof PassphraseRequiredError) || !ctx.io.promptSecret) throw error;
    const passphrase = await ctx.io.promptSecret(`Passphrase for ${path}: `);
    return attempt(passphrase);
  }
}

/** The connection options shared by `probe` and `scan keys --probe`. */
export function addProbeOptions(command: Command): Command {
  return command
    .option("--host <host>", "SSH host", "github.com")
    .option("--port <n>", "SSH port", "22")
    .option("--known-hosts <file>", "OpenSSH known_hosts file to verify the host key (default for github.com: GitHub's published keys)")
    .option("--passphrase-env <VAR>", "read the key's passphrase from this environment variable")
    .option("--timeout <ms>", "give up after this many milliseconds", "15000");
}

/** Probes one key file and records what GitHub said. */
export async function probeAndRecord(ctx: CommandContext, path: string, flags: ProbeFlags): Promise<{ key: KeyInfo; result: ProbeResult }> {
  const port = parsePositiveInt(flags.port, "--port");
  const timeoutMs = parsePositiveInt(flags.timeout, "--timeout");
  // ssh2 loads only when a probe runs.
  const [{ probeKey }, { recordProbe }] = await Promise.all([import("../../probe/index.js"), import("../../probe/record-probe.js")]);
  const outcome = await withPassphrase(ctx, path, flags.passphraseEnv, async (passphrase) => {
    const key = await readKeyFile(path, passphrase === undefined ? {} : { passphrase });
    const result: ProbeResult = await probeKey({
      privateKeyPath: path,
      host: flags.host,
      port,
      timeoutMs,
      ...(passphrase === undefined ? {} : { passphrase }),
      ...(flags.knownHosts === undefined ? {} : { knownHostsPath: resolve(ctx.io.cwd, flags.knownHosts) }),
    });
    return { key, result };
  });
  recordProbe(ctx.openStore(), outcome.key, outcome.result, ctx.now());
  return outcome;
}

export function registerProbe(program: Command, run: Runner): void {
  const probe = program
    .command("probe")
    .description("ask GitHub's SSH server whose key this is (needs the private key; it is never sent or stored)")
    .argument("<private-key-file>", "the private key to authenticate with");
  addProbeOptions(probe).action(
    run(async (ctx, file: string, flags: ProbeFlags) => {
      const { result } = await probeAndRecord(ctx, resolve(ctx.io.cwd, file), flags);
      const json = {
        fingerprint: result.fingerprint,
        authenticated: result.authenticated,
        account: result.account,
        repository: result.repository,
        host: result.host,
        port: result.port,
        hostKeyFingerprint: result.hostKeyFingerprint,
      };
      const said = result.authenticated
        ? result.account
          ? `${flags.host} says this is a key of the account ${result.account}`
          : result.repository
            ? `${flags.host} says this is a deploy key of ${result.repository}`
            : `${flags.host} accepted the key but its greeting named nobody`
        : `${flags.host} does not accept this key`;
      return {
        status: "clean",
        report: {
          json,
          sections: [
            section({
              rows: [json],
              columns: [
                { header: "fingerprint", value: (r) => r.fingerprint },
                { header: "authenticated", value: (r) => r.authenticated },
                { header: "account", value: (r) => r.account },
                { header: "repository", value: (r) => r.repository },
              ],
            }),
          ],
          notes: [said],
        },
      };
    }),
  );
}
