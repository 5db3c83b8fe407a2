import { Client } from "ssh2";
import type { ClientChannel, ConnectConfig } from "ssh2";
import { GitHubApiError, InputError } from "../errors.js";
import { parseGreeting } from "./greeting.js";
import { checkHostKey, fingerprintOfBlob, readHostKeyPolicy } from "./host-keys.js";
import type { HostKeyPolicy } from "./host-keys.js";
import { readProbeKey } from "./private-key.js";
import type { ProbeKey } from "./private-key.js";

export interface ProbeOptions {
  privateKeyPath: string;
  passphrase?: string;
  /** Default "github.com". */
  host?: string;
  /** Default 22. */
  port?: number;
  /** OpenSSH known_hosts file; required for hosts other than github.com. */
  knownHostsPath?: string;
  /** Bound on connect, handshake, login and greeting together. Default 15000. */
  timeoutMs?: number;
  /** Default "git", the only user GitHub accepts. */
  username?: string;
}

export interface ProbeResult {
  /** `SHA256:…` of the key used. */
  fingerprint: string;
  authenticated: boolean;
  account: string | null;
  repository: string | null;
  /** The server's text after login, trimmed and without control characters; never key material. */
  greeting: string | null;
  host: string;
  port: number;
  /** `SHA256:…` of the server's host key, once verified. */
  hostKeyFingerprint: string;
}

interface Session {
  readonly authenticated: boolean;
  readonly text: string | null;
  readonly hostKeyFingerprint: string;
}

// The server's text is only a greeting: keep a bounded amount of it.
const TEXT_LIMIT = 16 * 1024;
// After a greeting has arrived, how long to wait for the server to close before taking it as complete.
const GREETING_GRACE_MS = 500;

/**
 * Logs in to an SSH server (GitHub by default) with only the given private key, as `ssh -T -o IdentitiesOnly=yes
 * git@github.com` does, and reads whose key GitHub says it is. The host key is checked before authenticating.
 * A refused key is a result (`authenticated: false`), not an error.
 * @throws InputError for unreadable key or known_hosts files and hosts without known host keys;
 *   PassphraseRequiredError for an encrypted key without (or with a wrong) passphrase; AuthError when the host key
 *   does not match; GitHubApiError (status null) when the server cannot be reached or does not answer in time.
 */
export async function probeKey(options: ProbeOptions): Promise<ProbeResult> {
  const host = options.host ?? "github.com";
  const port = options.port ?? 22;
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new InputError(`port ${port} is not a TCP port (1-65535)`);
  if (!(timeoutMs > 0)) throw new InputError(`timeout ${timeoutMs} ms must be positive`);
  const policy = await readHostKeyPolicy(host, port, options.knownHostsPath);
  const key = await readProbeKey(options.privateKeyPath, options.passphrase);
  const session = await login(key, policy, { host, port, timeoutMs, username: options.username ?? "git" });
  const identity = session.authenticated && session.text !== null ? parseGreeting(session.text) : null;
  return {
    fingerprint: key.fingerprint,
    authenticated: session.authenticated,
    account: identity?.account ?? null,
    repository: identity?.repository ?? null,
    greeting: session.text,
    host,
    port,
    hostKeyFingerprint: session.hostKeyFingerprint,
  };
}

function login(
  key: ProbeKey,
  policy: HostKeyPolicy,
  target: { host: string; port: number; timeoutMs: number; username: string },
): Promise<Session> {
  const { host, port, timeoutMs } = target;
  return new Promise<Session>((resolve, reject) => {
    const client = new Client();
    const chunks: Buffer[] = [];
    let received = 0;
    let hostKeyFingerprint = "";
    let hostKeyError: Error | null = null;
    let authenticated = false;
    let settled = false;

    const text = (): string | null => {
      // Control characters would let a server drive the user's terminal.
      const clean = Buffer.concat(chunks).toString("utf8").replace(/[^\P{Cc}\n\t]/gu, "").trim();
      return clean === "" ? null : clean;
    };
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      client.end();
      outcome();
    };
    const succeed = (): void => settle(() => resolve({ authenticated, text: text(), hostKeyFingerprint }));
    const fail = (error: Error): void => settle(() => reject(error));
    const timedOut = (): GitHubApiError =>
      new GitHubApiError(`timed out after ${timeoutMs} ms connecting to ${host}:${port}: check the host, port and network`, null);

    const timer = setTimeout(() => {
      // A server that greets and then keeps the channel open has still answered.
      if (authenticated) succeed();
      else fail(timedOut());
      client.destroy();
    }, timeoutMs);
    let grace: NodeJS.Timeout | undefined;

    const collect = (data: Buffer): void => {
      if (received >= TEXT_LIMIT) return;
      const part = data.subarray(0, TEXT_LIMIT - received);
      chunks.push(part);
      received += part.length;
      if (grace === undefined && parseGreeting(Buffer.concat(chunks).toString("utf8")) !== null) {
        grace = setTimeout(succeed, GREETING_GRACE_MS);
      }
    };
    const readGreeting = (error: Error | undefined, channel: ClientChannel): void => {
      // A server that refuses a shell has still accepted the key.
      if (error) return succeed();
      channel.on("data", collect);
      channel.stderr.on("data", collect);
      channel.on("close", succeed);
    };

    client.on("ready", () => {
      authenticated = true;
      // `ssh -T`: a shell request without a pty. GitHub answers on stderr and exits with status 1.
      client.shell(false, readGreeting);
    });
    client.on("error", (error: Error & { level?: string }) => {
      if (hostKeyError !== null) return fail(hostKeyError);
      if (error.level === "client-authentication") return succeed();
      if (error.level === "client-timeout") return fail(timedOut());
      const what = error.level === "client-socket" ? "cannot reach" : "SSH handshake failed with";
      fail(new GitHubApiError(`${what} ${host}:${port}: ${error.message}; check the host, port and network`, null, { cause: error }));
    });
    client.on("close", () => {
      if (hostKeyError !== null) return fail(hostKeyError);
      if (authenticated) return succeed();
      fail(new GitHubApiError(`${host}:${port} closed the SSH connection before login: check the host and port`, null));
    });

    const config: ConnectConfig = {
      host,
      port,
      username: target.username,
      privateKey: key.privateKey,
      // Only this key: no agent, password or keyboard-interactive, like `-o IdentitiesOnly=yes -o IdentityAgent=none`.
      authHandler: ["publickey"],
      tryKeyboard: false,
      readyTimeout: timeoutMs,
      hostVerifier: (blob: Buffer): boolean => {
        hostKeyFingerprint = fingerprintOfBlob(blob);
        hostKeyError = checkHostKey(blob, policy, host, port);
        return hostKeyError === null;
      },
    };
    if (key.passphrase !== undefined) config.passphrase = key.passphrase;
    try {
      client.connect(config);
    } catch (error) {
      fail(new InputError(`cannot use private key for SSH login to ${host}:${port}: convert it with ssh-keygen -p`, { cause: error }));
    }
  });
}
