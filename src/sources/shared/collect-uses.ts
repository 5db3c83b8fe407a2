import type { KeyRef, KeyUse } from "../source.js";

function refKey(ref: KeyRef): string {
  if (ref.kind === "key") return `key:${ref.key.sha256}`;
  if (ref.kind === "fingerprint") return `fp:${ref.sha256 ?? ""}:${ref.md5 ?? ""}`;
  return `ref:${ref.referenceKind}:${ref.name}`;
}

/** Collects a pipeline's key uses, dropping exact repeats (same key and evidence) that several rules find. */
export class UseCollector {
  private readonly uses: KeyUse[] = [];
  private readonly seen = new Set<string>();

  add(use: KeyUse): void {
    const id = `${refKey(use.key)}@${use.evidence}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.uses.push(use);
  }

  get size(): number {
    return this.uses.length;
  }

  list(): readonly KeyUse[] {
    return this.uses;
  }
}
