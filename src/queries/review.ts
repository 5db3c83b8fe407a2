import type { Store } from "../store/index.js";
import { readFreshness, type Freshness } from "./freshness.js";
import { ACCESS_KINDS, isLive, registrationsOfKey, type RegistrationView } from "./registrations.js";
import { allUses, type UseView } from "./uses.js";

export type ReviewReason = "personal-key" | "unknown-key" | "removed-key" | "unresolved-reference";
export type FailOn = "personal" | "unknown" | "any" | "none";

export interface ReviewFinding {
  readonly reason: ReviewReason;
  readonly pipeline: { readonly name: string; readonly system: string; readonly source: string };
  readonly fingerprint: string | null;
  readonly account: string | null;
  readonly repository: string | null;
  readonly reference: string | null;
  readonly evidence: string;
  readonly remediation: string;
}

export interface ReviewResult {
  readonly findings: readonly ReviewFinding[];
  readonly failOn: FailOn;
  /** True when a finding at the --fail-on level exists (exit 1). */
  readonly failed: boolean;
  readonly pipelinesReviewed: number;
  readonly freshness: Freshness;
}

/** Which reasons fail the gate at each level: a broken (removed) key is always at least as bad as a personal one. */
const FAILING: Record<FailOn, readonly ReviewReason[]> = {
  personal: ["personal-key", "removed-key"],
  unknown: ["personal-key", "removed-key", "unknown-key"],
  any: ["personal-key", "removed-key", "unknown-key", "unresolved-reference"],
  none: [],
};

/** Pure: the finding (if any) for one use, given the key's registrations. */
export function judgeUse(use: UseView, registrations: readonly RegistrationView[]): Omit<ReviewFinding, "pipeline" | "evidence"> | null {
  const where = use.repository ?? use.target ?? "the repository it pushes to";
  if (use.fingerprint === null) {
    return {
      reason: "unresolved-reference",
      fingerprint: null,
      account: null,
      repository: use.repository,
      reference: use.reference,
      remediation: `tell keyward which key ${use.reference ?? "this"} is: keyward bind '${use.name}' '${use.reference ?? ""}' <key>`,
    };
  }
  const base = { fingerprint: use.fingerprint, repository: use.repository, reference: use.reference };
  const personal = registrations.find((r) => isLive(r) && r.personal && r.kind !== "deploy_key");
  if (personal) {
    return {
      ...base,
      reason: "personal-key",
      account: personal.account,
      remediation: `the key is ${personal.account ?? "a person"}'s own ${personal.kind.replace("_", " ")}: replace it with a deploy key on ${where}, a machine user, or a GitHub App`,
    };
  }
  if (registrations.length === 0) {
    return {
      ...base,
      reason: "unknown-key",
      account: null,
      remediation: "no crawl has seen this key on GitHub: crawl the org that should own it, or run keyward probe <private-key> to ask GitHub whose it is",
    };
  }
  const access = registrations.filter((r) => ACCESS_KINDS.includes(r.kind));
  if (access.length > 0 && !access.some(isLive)) {
    const last = access[0];
    return {
      ...base,
      reason: "removed-key",
      account: last?.account ?? null,
      remediation: `GitHub no longer accepts this key (${last?.removalReason ?? (last?.enabled === false ? "deploy-key-disabled" : "removed")}${last?.removedAt ? ` at ${last.removedAt}` : ""}): the pipeline fails; install a new deploy key on ${where}`,
    };
  }
  return null;
}

/** Every pipeline using a personal, unknown or removed key, or a reference nobody has bound to a key. */
export function review(store: Store, failOn: FailOn, now: string): ReviewResult {
  const uses = allUses(store);
  const registrationCache = new Map<number, RegistrationView[]>();
  const findings: ReviewFinding[] = [];
  for (const use of uses) {
    let regs: RegistrationView[] = [];
    if (use.keyId !== null) {
      regs = registrationCache.get(use.keyId) ?? registrationsOfKey(store, use.keyId);
      registrationCache.set(use.keyId, regs);
    }
    const finding = judgeUse(use, regs);
    if (finding) findings.push({ ...finding, pipeline: { name: use.name, system: use.system, source: use.source }, evidence: use.evidence });
  }
  const failing = FAILING[failOn];
  return {
    findings,
    failOn,
    failed: findings.some((f) => failing.includes(f.reason)),
    pipelinesReviewed: new Set(uses.map((u) => `${u.system}\0${u.name}`)).size,
    freshness: readFreshness(store, now),
  };
}
