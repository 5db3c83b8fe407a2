import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { PipelineRecord } from "../src/sources/source.js";
import { whoUses } from "../src/queries/index.js";
import { finishRun, openStore, replaceSource, startRun } from "../src/store/index.js";
import { databaseBytes } from "./measure-crawl.js";
import { createRandom, median, percentile } from "./stats.js";

/** A structurally valid ed25519 public key line and its SHA256 fingerprint, derived from `i` (fast: no key generation). */
export function syntheticKey(i: number): { publicKey: string; sha256: string } {
  const blob = Buffer.alloc(4 + 11 + 4 + 32);
  blob.writeUInt32BE(11, 0);
  blob.write("ssh-ed25519", 4, "latin1");
  blob.writeUInt32BE(32, 15);
  // The 32 "point" bytes only need to differ per key; a PRNG is cheaper than a hash here.
  const random = createRandom(0x9e3779b9 ^ i);
  for (let b = 0; b < 8; b += 1) blob.writeUInt32BE(Math.floor(random() * 4294967296), 19 + b * 4);
  const sha256 = `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
  return { publicKey: `ssh-ed25519 ${blob.toString("base64")}`, sha256 };
}

export interface MillionStore {
  readonly registrations: number;
  readonly userKeyRegistrations: number;
  readonly deployKeyRegistrations: number;
  readonly accounts: number;
  readonly repositories: number;
  readonly pipelines: number;
  readonly buildMs: number;
  readonly dbBytes: number;
}

/**
 * Writes a store holding `registrations` registrations (90 % user keys, three per account; 10 % deploy keys,
 * one per repository), each on its own key, plus `pipelines` pipelines using random ones: bulk inserts with
 * prepared statements in one transaction, in the schema the crawler fills. Events are left out (no answer
 * timed here reads them).
 */
export function buildMillionStore(db: string, options: { registrations: number; pipelines: number; seed: number }): MillionStore {
  const started = performance.now();
  const total = options.registrations;
  const userRegs = Math.round(total * 0.9);
  const deployRegs = total - userRegs;
  const accounts = Math.ceil(userRegs / 3);
  const store = openStore(db);
  try {
    // A throw-away file written once: no rollback journal, no fsync, a page cache large enough for the
    // random-order fingerprint index. keyward itself reopens it in WAL mode.
    store.db.pragma("journal_mode = OFF");
    store.db.pragma("synchronous = OFF");
    store.db.pragma("cache_size = -262144");
    const now = new Date().toISOString();
    const runId = startRun(store, "crawl", { orgs: ["bench-million"], users: [] }, now);
    store.transaction(() => {
      const insertAccount = store.statement(
        `INSERT INTO accounts (id, login, github_id, type, name, first_seen, last_seen, last_run_id) VALUES (?, ?, ?, 'User', ?, ?, ?, ?)`,
      );
      const insertMembership = store.statement(
        `INSERT INTO memberships (account_id, org, relation, role, first_seen, last_seen, last_run_id) VALUES (?, 'bench-million', 'member', 'member', ?, ?, ?)`,
      );
      for (let a = 1; a <= accounts; a += 1) {
        insertAccount.run(a, `bench-m${a}`, 100_000 + a, `Member ${a}`, now, now, runId);
        insertMembership.run(a, now, now, runId);
      }
      const insertRepo = store.statement(
        `INSERT INTO repositories (id, full_name, org, github_id, visibility, first_seen, last_seen, last_run_id)
         VALUES (?, ?, 'bench-million', ?, 'private', ?, ?, ?)`,
      );
      for (let r = 1; r <= deployRegs; r += 1) insertRepo.run(r, `bench-million/repo-${r}`, 5_000_000 + r, now, now, runId);
      const insertKey = store.statement(
        `INSERT INTO keys (id, sha256, type, bits, public_key, first_seen) VALUES (?, ?, 'ssh-ed25519', 256, ?, ?)`,
      );
      const insertRegistration = store.statement(
        `INSERT INTO registrations (key_id, kind, account_id, repository_id, source, github_id, title, read_only, verified,
         created_at, first_seen, last_seen, last_run_id) VALUES (?, ?, ?, ?, 'crawl', ?, ?, ?, 1, ?, ?, ?, ?)`,
      );
      for (let i = 0; i < total; i += 1) {
        const key = syntheticKey(i);
        const keyId = i + 1;
        insertKey.run(keyId, key.sha256, key.publicKey, now);
        if (i < userRegs) {
          insertRegistration.run(keyId, "user_key", Math.floor(i / 3) + 1, null, String(20_000_000 + i), null, null, now, now, now, runId);
        } else {
          const repo = i - userRegs + 1;
          insertRegistration.run(keyId, "deploy_key", null, repo, String(20_000_000 + i), `deploy ${repo}`, repo % 2, now, now, now, runId);
        }
      }
    });
    finishRun(store, runId, { complete: true, stats: { bench: true } }, now);
    const random = createRandom(options.seed);
    const pipelines: PipelineRecord[] = [];
    for (let p = 0; p < options.pipelines; p += 1) {
      const source = `/var/lib/jenkins-bench/jobs/job-${p}/config.xml`;
      const sha256 = syntheticKey(Math.floor(random() * total)).sha256;
      pipelines.push({ name: `million/job-${p}`, source, uses: [{ key: { kind: "fingerprint", sha256 }, evidence: `${source}:12` }] });
    }
    const scanId = startRun(store, "scan", { system: "jenkins", location: "/var/lib/jenkins-bench" }, now);
    const written = replaceSource(store, { system: "jenkins", location: "/var/lib/jenkins-bench", runId: scanId, pipelines }, now);
    finishRun(store, scanId, { complete: true, stats: written }, now);
    store.db.pragma("journal_mode = WAL");
  } finally {
    store.close();
  }
  return {
    registrations: total,
    userKeyRegistrations: userRegs,
    deployKeyRegistrations: deployRegs,
    accounts,
    repositories: deployRegs,
    pipelines: options.pipelines,
    buildMs: performance.now() - started,
    dbBytes: databaseBytes(db),
  };
}

export interface InProcessTiming {
  readonly lookups: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Lookups that found registrations (all should: every picked key is registered). */
  readonly found: number;
}

/** Times the query function `whoUses(store, …)` itself on random registered keys, after a short warm-up. */
export function timeWhoUsesInProcess(db: string, options: { lookups: number; registrations: number; seed: number }): InProcessTiming {
  const store = openStore(db);
  try {
    const random = createRandom(options.seed);
    const now = new Date().toISOString();
    for (let i = 0; i < 200; i += 1) whoUses(store, { sha256: syntheticKey(Math.floor(random() * options.registrations)).sha256 }, now);
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < options.lookups; i += 1) {
      const sha256 = syntheticKey(Math.floor(random() * options.registrations)).sha256;
      const started = performance.now();
      const result = whoUses(store, { sha256 }, now);
      times.push(performance.now() - started);
      if (result.registrations.length > 0) found += 1;
    }
    return { lookups: times.length, medianMs: median(times), p95Ms: percentile(times, 95), maxMs: Math.max(...times), found };
  } finally {
    store.close();
  }
}
