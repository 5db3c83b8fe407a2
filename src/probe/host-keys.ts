import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { AuthError, InputError, messageOf } from "../errors.js";

/**
 * GitHub's published SSH host key fingerprints for github.com: RSA, ECDSA, Ed25519
 * (https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/githubs-ssh-key-fingerprints).
 * The RSA key replaced on 2023-03-24 (SHA256:nThbg6kX…) is deliberately absent.
 */
export const GITHUB_HOST_KEY_FINGERPRINTS: readonly string[] = Object.freeze([
  "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s",
  "SHA256:p2QAMXNIC1TJYWeIOttrVc98/R1BUFWu3/LiyKgUfQM",
  "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU",
]);

// ssh.github.com (SSH over port 443) presents the same host keys as github.com.
const GITHUB_HOSTS = new Set(["github.com", "ssh.github.com"]);

/** The host keys a probe accepts for one host and port, and where that list came from (for messages). */
export interface HostKeyPolicy {
  /** "GitHub's published host keys" or "known_hosts file <path>". */
  readonly source: string;
  readonly accepted: readonly string[];
  readonly revoked: readonly string[];
}

/** One usable line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  readonly marker: "revoked" | "cert-authority" | null;
  /** The host field split on commas: patterns, `[host]:port`, `!negations`, or one hashed `|1|salt|hash`. */
  readonly hosts: readonly string[];
  /** `SHA256:<base64 without padding>` of the key blob. */
  readonly fingerprint: string;
  readonly line: number;
}

/** `SHA256:<base64 without padding>` of an SSH wire-format public key blob, as `ssh-keygen -l` prints it. */
export function fingerprintOfBlob(blob: Uint8Array): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The name OpenSSH looks up in known_hosts: `host` on port 22, `[host]:port` elsewhere (ssh(1) `put_host_port`). */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * Parses OpenSSH known_hosts text (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). Comments, blank lines, unknown markers
 * and lines whose key is not base64 are skipped, as ssh(1) does.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === "" || fields[0].startsWith("#")) return;
    let marker: KnownHostEntry["marker"] = null;
    if (fields[0].startsWith("@")) {
      if (fields[0] === "@revoked") marker = "revoked";
      else if (fields[0] === "@cert-authority") marker = "cert-authority";
      else return;
      fields.shift();
    }
    const [hosts, , key] = fields;
    if (hosts === undefined || key === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return;
    entries.push({ marker, hosts: hosts.split(","), fingerprint: fingerprintOfBlob(Buffer.from(key, "base64")), line: index + 1 });
  });
  return entries;
}

/** Whether a known_hosts host field names `host` on `port`: globs `*`/`?`, `!` negation, hashed names (HMAC-SHA1). */
export function knownHostMatches(hosts: readonly string[], host: string, port: number): boolean {
  const name = knownHostName(host.toLowerCase(), port);
  let matched = false;
  for (const pattern of hosts) {
    const negated = pattern.startsWith("!");
    const body = negated ? pattern.slice(1) : pattern;
    if (!(body.startsWith("|1|") ? hashedNameMatches(body, name) : globMatches(body.toLowerCase(), name))) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashedNameMatches(hashed: string, name: string): boolean {
  const [, , salt, hash] = hashed.split("|");
  if (salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function globMatches(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(name);
}

/** The policy a known_hosts file gives for one host and port. Certificate authorities are ignored: probe takes plain host keys. */
export function hostKeyPolicyFromKnownHosts(entries: readonly KnownHostEntry[], host: string, port: number, source: string): HostKeyPolicy {
  const accepted: string[] = [];
  const revoked: string[] = [];
  for (const entry of entries) {
    if (entry.marker === "cert-authority" || !knownHostMatches(entry.hosts, host, port)) continue;
    (entry.marker === "revoked" ? revoked : accepted).push(entry.fingerprint);
  }
  return { source, accepted, revoked };
}

/**
 * The host keys to accept for `host:port`: those of `knownHostsPath` when given, GitHub's published ones for
 * github.com, otherwise none (an InputError asking for --known-hosts).
 */
export async function readHostKeyPolicy(host: string, port: number, knownHostsPath?: string): Promise<HostKeyPolicy> {
  if (knownHostsPath === undefined) {
    if (GITHUB_HOSTS.has(host.toLowerCase())) {
      return { source: "GitHub's published host keys", accepted: GITHUB_HOST_KEY_FINGERPRINTS, revoked: [] };
    }
    throw new InputError(`no known host key for ${host}:${port}: pass --known-hosts <file> listing the server's host key`);
  }
  let text: string;
  try {
    text = await readFile(knownHostsPath, "utf8");
  } catch (error) {
    throw new InputError(`cannot read known_hosts file ${knownHostsPath}: ${messageOf(error)}`, { cause: error });
  }
  const policy = hostKeyPolicyFromKnownHosts(parseKnownHosts(text), host, port, `known_hosts file ${knownHostsPath}`);
  if (policy.accepted.length === 0) {
    throw new InputError(
      `known_hosts file ${knownHostsPath} lists no host key for ${knownHostName(host, port)}: add the server's key (ssh-keyscan -p ${port} ${host})`,
    );
  }
  return policy;
}

/** Null when `blob` is an accepted, unrevoked host key of `host:port`; otherwise the AuthError to stop with. */
export function checkHostKey(blob: Uint8Array, policy: HostKeyPolicy, host: string, port: number): AuthError | null {
  const received = fingerprintOfBlob(blob);
  if (policy.revoked.includes(received)) {
    return new AuthError(`host key ${received} of ${host}:${port} is marked @revoked in ${policy.source}: refusing to connect`);
  }
  if (policy.accepted.includes(received)) return null;
  return new AuthError(
    `host key of ${host}:${port} does not match: received ${received}, expected one of ${policy.accepted.join(", ")} from ${policy.source}; check the host or update the known_hosts file`,
  );
}
