import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuthError, InputError } from "../../src/errors.js";
import {
  GITHUB_HOST_KEY_FINGERPRINTS,
  checkHostKey,
  hostKeyPolicyFromKnownHosts,
  knownHostMatches,
  parseKnownHosts,
  readHostKeyPolicy,
} from "../../src/probe/index.js";
import { generateKey } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";

const GITHUB_KNOWN_HOSTS = join(import.meta.dirname, "fixtures", "github-known-hosts");

function blobOf(publicLine: string): Buffer {
  return Buffer.from(publicLine.trim().split(/\s+/)[1] ?? "", "base64");
}

/** What OpenSSH finds for `name` in `file`: `line marker` per match, from `ssh-keygen -F`. */
function opensshMatches(file: string, name: string): string[] {
  let out: string;
  try {
    out = execFileSync("ssh-keygen", ["-F", name, "-f", file], { encoding: "utf8", stdio: "pipe" });
  } catch {
    return []; // exit status 1: no match
  }
  return [...out.matchAll(/^# Host \S+ found: line (\d+) ?(\S*)/gm)].map((m) => `${m[1]} ${{ REVOKED: "revoked", CA: "cert-authority" }[m[2] ?? ""] ?? "-"}`);
}

function ourMatches(file: string, host: string, port: number): string[] {
  return parseKnownHosts(readFileSync(file, "utf8"))
    .filter((entry) => knownHostMatches(entry.hosts, host, port))
    .map((entry) => `${entry.line} ${entry.marker ?? "-"}`);
}

describe("GITHUB_HOST_KEY_FINGERPRINTS", () => {
  it("are the fingerprints ssh-keygen computes for GitHub's published host keys", () => {
    const oracle = execFileSync("ssh-keygen", ["-l", "-f", GITHUB_KNOWN_HOSTS], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/)[1]);
    expect([...GITHUB_HOST_KEY_FINGERPRINTS].sort()).toEqual(oracle.sort());
  });

  it("accepts each of GitHub's host keys for github.com and refuses any other key, naming the source", async () => {
    const policy = await readHostKeyPolicy("github.com", 22);
    const lines = readFileSync(GITHUB_KNOWN_HOSTS, "utf8").split("\n").filter((l) => l.startsWith("github.com "));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(checkHostKey(blobOf(line.slice("github.com ".length)), policy, "github.com", 22)).toBeNull();

    const impostor = generateKey(tempDir(), "ed25519");
    const error = checkHostKey(blobOf(impostor.publicLine), policy, "github.com", 22);
    expect(error).toBeInstanceOf(AuthError);
    expect(error?.message).toBe(
      `host key of github.com:22 does not match: received ${impostor.sha256}, expected one of ${GITHUB_HOST_KEY_FINGERPRINTS.join(", ")} from GitHub's published host keys; check the host or update the known_hosts file`,
    );
  });
});

describe("readHostKeyPolicy", () => {
  it("refuses a host other than github.com without a known_hosts file, asking for --known-hosts", async () => {
    await expect(readHostKeyPolicy("git.example.com", 22)).rejects.toThrow(
      new InputError("no known host key for git.example.com:22: pass --known-hosts <file> listing the server's host key"),
    );
  });

  it("names an unreadable known_hosts file", async () => {
    const path = join(tempDir(), "missing");
    await expect(readHostKeyPolicy("github.com", 22, path)).rejects.toThrow(/^cannot read known_hosts file .*missing: /);
  });

  it("uses only the known_hosts file when one is given, even for github.com", async () => {
    const dir = tempDir();
    const key = generateKey(dir, "ed25519");
    const path = join(dir, "known_hosts");
    writeFileSync(path, `github.com ${key.publicLine}\n`);
    const policy = await readHostKeyPolicy("github.com", 22, path);
    expect(policy).toEqual({ source: `known_hosts file ${path}`, accepted: [key.sha256], revoked: [] });
  });
});

describe("known_hosts matching", () => {
  const table: [host: string, port: number, name: string][] = [
    ["example.com", 22, "example.com"],
    ["EXAMPLE.com", 22, "example.com"],
    ["10.0.0.1", 22, "10.0.0.1"],
    ["example.com", 2222, "[example.com]:2222"],
    ["example.com", 2200, "[example.com]:2200"],
    ["x.example.org", 22, "x.example.org"],
    ["bad.example.org", 22, "bad.example.org"],
    ["host1.net", 22, "host1.net"],
    ["host12.net", 22, "host12.net"],
    ["foo.corp", 22, "foo.corp"],
    ["wild.test", 2222, "[wild.test]:2222"],
    ["elsewhere.io", 22, "elsewhere.io"],
  ];

  // One pair of files for the whole table: ssh-keygen runs are the slow part.
  let written: { file: string; hashed: string; a: string; b: string } | undefined;
  afterAll(() => {
    if (written) rmSync(dirname(written.file), { recursive: true, force: true });
  });

  function writeKnownHosts(): { file: string; hashed: string; a: string; b: string } {
    if (written) return written;
    const dir = tempDir("keyward-known-hosts-", { keep: true });
    const a = generateKey(dir, "ed25519", { name: "a" });
    const b = generateKey(dir, "ecdsa-256", { name: "b" });
    const file = join(dir, "known_hosts");
    writeFileSync(
      file,
      [
        "# a comment",
        "",
        `example.com,10.0.0.1 ${a.publicLine}`,
        `[example.com]:2222 ${b.publicLine}`,
        `*.example.org,!bad.example.org ${a.publicLine}`,
        `@revoked elsewhere.io ${b.publicLine}`,
        `@cert-authority *.corp ${a.publicLine}`,
        `host?.net ${b.publicLine}`,
        `[wild.*]:2222 ${a.publicLine}`,
      ].join("\n") + "\n",
    );
    const hashed = join(dir, "known_hosts_hashed");
    writeFileSync(hashed, readFileSync(file));
    execFileSync("ssh-keygen", ["-H", "-f", hashed], { stdio: "pipe" });
    // Lines ssh(1) skips (ssh-keygen -H refuses to hash a file holding them).
    const skipped = `@unknown-marker example.com ${b.publicLine}\nexample.com\n`;
    writeFileSync(file, readFileSync(file, "utf8") + skipped);
    writeFileSync(hashed, readFileSync(hashed, "utf8") + skipped);
    written = { file, hashed, a: a.sha256, b: b.sha256 };
    return written;
  }

  it.each(table)("finds the lines OpenSSH finds for %s port %i (plain and hashed files)", (host, port, name) => {
    const { file, hashed } = writeKnownHosts();
    expect(readFileSync(hashed, "utf8")).toMatch(/^\|1\|/m);
    expect(ourMatches(file, host, port)).toEqual(opensshMatches(file, name));
    expect(ourMatches(hashed, host, port)).toEqual(opensshMatches(hashed, name));
  });

  it("accepts listed keys, keeps revoked ones apart and ignores certificate authorities", () => {
    const { file, a, b } = writeKnownHosts();
    const entries = parseKnownHosts(readFileSync(file, "utf8"));
    expect(hostKeyPolicyFromKnownHosts(entries, "example.com", 22, "f")).toEqual({ source: "f", accepted: [a], revoked: [] });
    expect(hostKeyPolicyFromKnownHosts(entries, "example.com", 2222, "f")).toEqual({ source: "f", accepted: [b], revoked: [] });
    expect(hostKeyPolicyFromKnownHosts(entries, "elsewhere.io", 22, "f")).toEqual({ source: "f", accepted: [], revoked: [b] });
    expect(hostKeyPolicyFromKnownHosts(entries, "foo.corp", 22, "f")).toEqual({ source: "f", accepted: [], revoked: [] });
  });

  it("skips a line whose key is not base64, as ssh does", () => {
    const key = generateKey(tempDir(), "ed25519");
    const entries = parseKnownHosts(`example.com ssh-ed25519 not*base64\nexample.com ${key.publicLine}\n`);
    expect(entries.map((entry) => [entry.line, entry.fingerprint])).toEqual([[2, key.sha256]]);
  });

  it("refuses a revoked key even when another line lists it", () => {
    const key = generateKey(tempDir(), "ed25519");
    const entries = parseKnownHosts(`h ${key.publicLine}\n@revoked * ${key.publicLine}\n`);
    const error = checkHostKey(blobOf(key.publicLine), hostKeyPolicyFromKnownHosts(entries, "h", 22, "known_hosts file kh"), "h", 22);
    expect(error?.message).toBe(`host key ${key.sha256} of h:22 is marked @revoked in known_hosts file kh: refusing to connect`);
  });
});
