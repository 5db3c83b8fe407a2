import { createHash } from "node:crypto";
import type { PipelineRecord } from "../src/sources/source.js";
import { finishRun, openStore, replaceSource, startRun } from "../src/store/index.js";
import { createRandom, pick } from "./stats.js";

export interface SeededPipelines {
  readonly pipelines: number;
  readonly uses: number;
  /** A member whose personal keys several pipelines use: what `offboard` is timed with. */
  readonly offboardLogin: string;
  /** Fingerprints `who-uses` is timed with: keys pipelines use, registered keys no pipeline uses, unknown keys. */
  readonly whoUsesKeys: string[];
}

/** A well-formed SHA256 fingerprint no crawl will have seen. */
export function syntheticFingerprint(label: string): string {
  return `SHA256:${createHash("sha256").update(label).digest("base64").replace(/=+$/, "")}`;
}

/**
 * Gives the crawled store something for review, offboard and who-uses to join against: one Jenkins-like source
 * with `count` pipelines, written by the store's own `replaceSource` as a scan would. The mix: deploy keys,
 * members' personal keys, keys no crawl has seen, and unresolved credential references.
 */
export function seedPipelines(db: string, options: { count: number; seed: number }): SeededPipelines {
  const store = openStore(db);
  try {
    const userKeys = store
      .statement(
        `SELECT k.sha256, a.login FROM registrations r JOIN keys k ON k.id = r.key_id JOIN accounts a ON a.id = r.account_id
         WHERE r.kind = 'user_key' AND r.removed_at IS NULL ORDER BY r.id`,
      )
      .all() as { sha256: string; login: string }[];
    const deployKeys = store
      .statement(`SELECT k.sha256 FROM registrations r JOIN keys k ON k.id = r.key_id WHERE r.kind = 'deploy_key' AND r.removed_at IS NULL ORDER BY r.id`)
      .all() as { sha256: string }[];
    const first = userKeys[0];
    if (!first || deployKeys.length === 0) throw new Error(`the crawled store ${db} holds no user or deploy keys: nothing to seed`);
    const random = createRandom(options.seed);
    const offboardLogin = first.login;
    const offboardKeys = userKeys.filter((k) => k.login === offboardLogin);
    const pipelines: PipelineRecord[] = [];
    const whoUsesKeys: string[] = [];
    for (let i = 0; i < options.count; i += 1) {
      const name = `bench/job-${String(i).padStart(5, "0")}`;
      const source = `/var/lib/jenkins-bench/jobs/job-${i}/config.xml`;
      const evidence = `${source}:${10 + (i % 40)}`;
      let sha256: string | null;
      switch (i % 10) {
        case 0:
        case 1:
        case 2:
        case 3:
          sha256 = pick(random, deployKeys).sha256;
          break;
        case 4:
        case 5:
          sha256 = pick(random, userKeys).sha256;
          break;
        case 6:
          sha256 = pick(random, offboardKeys).sha256;
          break;
        case 7:
          sha256 = syntheticFingerprint(`bench-unknown-${options.seed}-${i}`);
          break;
        default:
          sha256 = null;
      }
      pipelines.push({
        name,
        source,
        repository: null,
        uses:
          sha256 === null
            ? [{ key: { kind: "reference", referenceKind: "credential", name: `deploy-cred-${i % 17}` }, evidence }]
            : [{ key: { kind: "fingerprint", sha256 }, evidence, target: "git@github.com" }],
      });
      if (sha256 !== null && i % 3 === 0) whoUsesKeys.push(sha256);
    }
    for (let i = 0; i < 10; i += 1) whoUsesKeys.push(pick(random, userKeys).sha256);
    const now = new Date().toISOString();
    const location = "/var/lib/jenkins-bench";
    const runId = startRun(store, "scan", { system: "jenkins", location }, now);
    const written = replaceSource(store, { system: "jenkins", location, runId, pipelines }, now);
    finishRun(store, runId, { complete: true, stats: written }, now);
    return { pipelines: written.pipelines, uses: written.uses, offboardLogin, whoUsesKeys };
  } finally {
    store.close();
  }
}
