import { connect } from "node:net";
import { InputError } from "../../errors.js";
import { parseIdentitiesAnswer, requestIdentitiesMessage } from "./parse-identities.js";
import type { AgentIdentity } from "./parse-identities.js";

export interface AgentReadOptions {
  /** Give up after this long without a full reply (default 5 s). */
  readonly timeoutMs?: number;
  /** Largest reply accepted (default 1 MiB: thousands of certificates). */
  readonly maxReplyBytes?: number;
}

/**
 * Lists the identities of the ssh-agent at `socketPath` with a raw REQUEST_IDENTITIES exchange. We don't use
 * ssh2's agent client: it drops blobs it cannot parse (sk keys, certificates), and a scan must see every one.
 * @throws InputError naming the socket when it cannot be reached, times out, or answers nonsense.
 */
export function readAgentIdentities(socketPath: string, options: AgentReadOptions = {}): Promise<AgentIdentity[]> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxReplyBytes = options.maxReplyBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const socket = connect(socketPath);
    const finish = (error: Error | null, identities?: AgentIdentity[]): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(identities ?? []);
    };
    const timer = setTimeout(
      () => finish(new InputError(`the ssh-agent at ${socketPath} (SSH_AUTH_SOCK) did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on("connect", () => socket.write(requestIdentitiesMessage()));
    socket.on("data", (data: Buffer) => {
      chunks.push(data);
      received += data.length;
      if (received < 4) return;
      const all = Buffer.concat(chunks);
      const length = all.readUInt32BE(0);
      if (length > maxReplyBytes) {
        finish(new InputError(`the ssh-agent at ${socketPath} sent a ${length}-byte reply, over the ${maxReplyBytes}-byte limit`));
        return;
      }
      if (all.length < 4 + length) return;
      try {
        finish(null, parseIdentitiesAnswer(all.subarray(4, 4 + length), socketPath));
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      const hint = error.code === "ENOENT" || error.code === "ECONNREFUSED" ? "start ssh-agent or point SSH_AUTH_SOCK/--socket at a running one" : "check the socket's permissions";
      finish(new InputError(`cannot reach the ssh-agent at ${socketPath} (SSH_AUTH_SOCK): ${error.code ?? error.message}; ${hint}`, { cause: error }));
    });
    socket.on("end", () => finish(new InputError(`the ssh-agent at ${socketPath} (SSH_AUTH_SOCK) closed the connection without an identity list`)));
  });
}
