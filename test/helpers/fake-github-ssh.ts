import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { Server as NetServer, Socket } from "node:net";
import { Server, utils } from "ssh2";
import type { AddressInfo } from "node:net";
import type { Connection } from "ssh2";

/** A key GitHub knows: a user's key (`account`) or a deploy key (`repository`, `owner/name`). */
export type Registration = { readonly publicKey: string; readonly account: string } | { readonly publicKey: string; readonly repository: string };

export interface FakeGitHubSsh {
  readonly host: string;
  readonly port: number;
  /** Authentication requests seen (the unsigned query and the signed attempt each count). */
  readonly authAttempts: number;
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * An SSH server on 127.0.0.1 that answers like github.com: publickey only, user `git`, signatures verified, a
 * known key gets "Hi <login>! …" (or "Hi <owner/repo>! …") on stderr and exit status 1, pty requests are refused.
 */
export async function startFakeGitHubSsh(options: {
  hostKeyPath: string;
  registrations: readonly Registration[];
  /** Greet, then keep the channel open instead of exiting (a server less tidy than GitHub). */
  holdOpen?: boolean;
}): Promise<FakeGitHubSsh> {
  const known = new Map<string, { name: string; publicKey: string }>();
  for (const registration of options.registrations) {
    const blob = registration.publicKey.trim().split(/\s+/)[1] ?? "";
    known.set(blob, { name: "account" in registration ? registration.account : registration.repository, publicKey: registration.publicKey });
  }
  const clients = new Set<Connection>();
  let authAttempts = 0;
  let connections = 0;
  const server = new Server({ hostKeys: [readFileSync(options.hostKeyPath)] }, (client) => {
    connections += 1;
    clients.add(client);
    let name: string | undefined;
    client.on("error", () => undefined);
    client.on("close", () => clients.delete(client));
    client.on("authentication", (ctx) => {
      authAttempts += 1;
      if (ctx.method !== "publickey" || ctx.username !== "git") return ctx.reject(["publickey"]);
      const owner = known.get(ctx.key.data.toString("base64"));
      if (owner === undefined) return ctx.reject(["publickey"]);
      // The unsigned query ("would you accept this key?") comes first; the signed request proves possession.
      if (ctx.signature === undefined || ctx.blob === undefined) return ctx.accept();
      const key = utils.parseKey(owner.publicKey);
      if (key instanceof Error || !key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.reject(["publickey"]);
      name = owner.name;
      ctx.accept();
    });
    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("pty", (_accept, reject) => reject());
        session.on("shell", (acceptShell) => {
          const channel = acceptShell();
          channel.stderr.write(`Hi ${name}! You've successfully authenticated, but GitHub does not provide shell access.\n`);
          if (options.holdOpen) return;
          channel.exit(1);
          channel.end();
        });
      });
    });
  });
  const port = await listen(server);
  return {
    host: "127.0.0.1",
    port,
    get authAttempts() {
      return authAttempts;
    },
    get connections() {
      return connections;
    },
    close: () => {
      for (const client of clients) client.end();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP server that accepts connections and never says a word: what a firewall black hole looks like to a client. */
export async function startSilentServer(): Promise<{ host: string; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    host: "127.0.0.1",
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: NetServer | Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}
