import type { Store } from "../store/index.js";
import { readFreshness, type Freshness } from "./freshness.js";
import { ACCESS_KINDS, isLive, registrationsOfKey, type RegistrationView } from "./registrations.js";
import { allUses } from "./uses.js";

export interface BrokenPipeline {
  readonly pipeline: { readonly name: string; readonly system: string; readonly source: string };
  readonly fingerprint: string;
  readonly account: string | null;
  readonly repository: string | null;
  /** key-removed | account-left-org | deploy-key-removed | repository-deleted | deploy-key-disabled */
  readonly reason: string;
  readonly removedAt: string;
  readonly evidence: string;
}

export interface CheckResult {
  readonly broken: readonly BrokenPipeline[];
  readonly pipelinesChecked: number;
  readonly freshness: Freshness;
}

/**
 * Pure: why a key no longer works, or null while it does. A key works while one registration that grants
 * access is live; only registrations a crawl saw count, and only a complete crawl ever marks one removed.
 */
export function brokenReason(
  registrations: readonly RegistrationView[],
  disabledAt: (r: RegistrationView) => string | null,
): { reason: string; removedAt: string; registration: RegistrationView } | null {
  const access = registrations.filter((r) => ACCESS_KINDS.includes(r.kind));
  if (access.length === 0 || access.some(isLive)) return null;
  // The newest loss explains the break best.
  const losses = access.map((r) =>
    r.present
      ? { reason: "deploy-key-disabled", removedAt: disabledAt(r) ?? r.lastSeen, registration: r }
      : { reason: r.removalReason ?? "key-removed", removedAt: r.removedAt ?? r.lastSeen, registration: r },
  );
  losses.sort((a, b) => b.removedAt.localeCompare(a.removedAt));
  return losses[0] ?? null;
}

/** Pipelines whose key an earlier crawl saw on GitHub and the latest complete crawl no longer sees. */
export function check(store: Store, now: string): CheckResult {
  const uses = allUses(store);
  const broken: BrokenPipeline[] = [];
  const disabledAt = (r: RegistrationView): string | null => {
    const row = store
      .statement(
        `SELECT e.at FROM events e JOIN registrations r ON r.id = e.entity_id JOIN keys k ON k.id = r.key_id
         WHERE e.entity = 'registration' AND e.change = 'disabled' AND k.sha256 = ? AND r.kind = ?
         ORDER BY e.id DESC LIMIT 1`,
      )
      .get(r.fingerprint, r.kind) as { at: string } | undefined;
    return row?.at ?? null;
  };
  const cache = new Map<number, RegistrationView[]>();
  for (const use of uses) {
    if (use.keyId === null || use.fingerprint === null) continue;
    const regs = cache.get(use.keyId) ?? registrationsOfKey(store, use.keyId);
    cache.set(use.keyId, regs);
    const lost = brokenReason(regs, disabledAt);
    if (!lost) continue;
    broken.push({
      pipeline: { name: use.name, system: use.system, source: use.source },
      fingerprint: use.fingerprint,
      account: lost.registration.account,
      repository: use.repository ?? lost.registration.repository,
      reason: lost.reason,
      removedAt: lost.removedAt,
      evidence: use.evidence,
    });
  }
  return {
    broken,
    pipelinesChecked: new Set(uses.map((u) => `${u.system}\0${u.name}`)).size,
    freshness: readFreshness(store, now),
  };
}
