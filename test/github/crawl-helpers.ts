import { join } from "node:path";
import { onTestFinished } from "vitest";
import { startSimulator, type SimState, type Simulator } from "../../src/demo/simulator/index.js";
import { crawl, type CrawlOptions, type CrawlResult } from "../../src/github/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { tempDir } from "../helpers/temp-dir.js";

/** A simulator on a loopback port, closed when the test ends. */
export async function startSim(state: SimState, options: { ghes?: boolean; graphqlSchema?: "current" | "snapshot" } = {}): Promise<Simulator> {
  const sim = await startSimulator({
    state,
    ...(options.ghes !== undefined && { ghes: options.ghes }),
    ...(options.graphqlSchema !== undefined && { graphqlSchema: options.graphqlSchema }),
  });
  onTestFinished(() => sim.close());
  return sim;
}

/** A fresh keyward database in a temp dir, closed when the test ends. */
export function tempStore(): Store {
  const store = openStore(join(tempDir(), "k.db"));
  onTestFinished(() => store.close());
  return store;
}

/** Crawl options for the simulator with every wait shrunk to milliseconds. */
export function simOptions(sim: Simulator, extra: Partial<CrawlOptions> = {}): CrawlOptions {
  return {
    orgs: ["acme"],
    apiUrl: sim.url,
    auth: { token: "sim-token" },
    graphqlIntervalMs: 0,
    retry: { retries: 4, baseDelayMs: 1 },
    requestTimeoutMs: 5_000,
    ...extra,
  };
}

export function crawlSim(store: Store, sim: Simulator, extra: Partial<CrawlOptions> = {}): Promise<CrawlResult> {
  return crawl(store, simOptions(sim, extra));
}

export interface RegistrationView {
  kind: string;
  owner: string;
  sha256: string;
  removedAt: string | null;
  reason: string | null;
  enabled: number | null;
  addedBy: string | null;
  title: string | null;
}

/** Every registration as (kind, owner, fingerprint, removal), sorted: what two crawls are compared by. */
export function registrations(store: Store): RegistrationView[] {
  return store.db
    .prepare(
      `SELECT r.kind, COALESCE(a.login, p.full_name) AS owner, k.sha256, r.removed_at AS removedAt, r.removal_reason AS reason,
              r.enabled, r.added_by AS addedBy, r.title
       FROM registrations r JOIN keys k ON k.id = r.key_id
       LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN repositories p ON p.id = r.repository_id
       ORDER BY r.kind, owner, k.sha256`,
    )
    .all() as RegistrationView[];
}

/** Everything a crawl stores that a clean and a faulty crawl must agree on (run ids and times left out). */
export function storedFacts(store: Store): unknown {
  const q = (sql: string): unknown[] => store.db.prepare(sql).all();
  return {
    accounts: q("SELECT login, github_id, type, name FROM accounts ORDER BY login"),
    memberships: q(
      "SELECT a.login, m.org, m.relation, m.role, m.removed_at FROM memberships m JOIN accounts a ON a.id = m.account_id ORDER BY a.login, m.org, m.relation",
    ),
    repositories: q("SELECT full_name, org, github_id, archived, visibility, removed_at FROM repositories ORDER BY full_name"),
    keys: q("SELECT sha256, md5, type, bits, public_key FROM keys ORDER BY sha256"),
    registrations: q(
      `SELECT r.kind, a.login, p.full_name, k.sha256, r.github_id, r.title, r.read_only, r.enabled, r.verified, r.created_at,
              r.last_used, r.added_by, r.removed_at, r.removal_reason
       FROM registrations r JOIN keys k ON k.id = r.key_id LEFT JOIN accounts a ON a.id = r.account_id
       LEFT JOIN repositories p ON p.id = r.repository_id ORDER BY r.kind, a.login, p.full_name, k.sha256`,
    ),
  };
}

/** Counts of events by change and reason. */
export function events(store: Store): { entity: string; change: string; reason: string | null; n: number }[] {
  return store.db
    .prepare("SELECT entity, change, reason, COUNT(*) AS n FROM events GROUP BY entity, change, reason ORDER BY entity, change, reason")
    .all() as { entity: string; change: string; reason: string | null; n: number }[];
}
