import type { YMapEntry, YNode } from "./yaml-tree.js";

/**
 * Deep merge as GitLab's `extends:` and `include:` do it: maps merge key by key, anything else in `over`
 * replaces what `base` had. Located nodes are kept, so evidence still points at the file and line they came from.
 */
export function mergeMaps(base: YNode | undefined, over: YNode): YNode {
  if (base?.kind !== "map" || over.kind !== "map") return over;
  const entries: YMapEntry[] = [];
  const overKeys = new Map(over.entries.map((entry) => [entry.key, entry]));
  for (const entry of base.entries) {
    const replacement = overKeys.get(entry.key);
    if (!replacement) entries.push(entry);
    else entries.push({ ...replacement, value: mergeMaps(entry.value, replacement.value) });
  }
  const baseKeys = new Set(base.entries.map((entry) => entry.key));
  for (const entry of over.entries) if (!baseKeys.has(entry.key)) entries.push(entry);
  return { ...over, entries };
}

/** A map without some keys. */
export function withoutKeys(node: YNode, keys: ReadonlySet<string>): YNode {
  if (node.kind !== "map") return node;
  return { ...node, entries: node.entries.filter((entry) => !keys.has(entry.key)) };
}
