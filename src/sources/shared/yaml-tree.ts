import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { Document, Node as YamlAstNode } from "yaml";
import { MAX_YAML_ALIASES, MAX_YAML_NODES } from "./limits.js";
import { lineAt } from "./line-lookup.js";
import type { SourceText } from "./line-lookup.js";

/**
 * A YAML value with where it came from. Aliases and `<<` merge keys are already resolved, so a node reached
 * through an alias points at the anchor's text: that is where the evidence really is.
 */
export type YNode = YScalar | YMap | YSeq;

interface Located {
  readonly src: SourceText;
  /** Offsets into `src.text`: start of the node and end of its value. */
  readonly start: number;
  readonly end: number;
  /** Explicit tag such as `!reference`, if any. */
  readonly tag?: string | undefined;
}
export interface YScalar extends Located {
  readonly kind: "scalar";
  readonly value: string | number | boolean | null;
}
export interface YMapEntry {
  readonly key: string;
  readonly keyNode: YScalar;
  readonly value: YNode;
}
export interface YMap extends Located {
  readonly kind: "map";
  readonly entries: readonly YMapEntry[];
}
export interface YSeq extends Located {
  readonly kind: "seq";
  readonly items: readonly YNode[];
}

export type YamlParse = { readonly documents: readonly YNode[] } | { readonly error: string };

class TooLargeError extends Error {}

/** First line of a yaml error: prettyErrors adds a code frame we don't want in a one-line warning. */
function firstLine(message: string): string {
  return (message.split("\n")[0]?.trim() ?? message).replace(/:$/, "");
}

/**
 * Parses YAML text (possibly several documents) into located trees. Pure. Invalid YAML, an alias bomb (more than
 * MAX_YAML_ALIASES alias expansions, the `yaml` package's own guard) or a tree larger than MAX_YAML_NODES after
 * expansion come back as `{ error }`, a one-line reason without file content beyond a position.
 */
export function parseYamlTree(src: SourceText): YamlParse {
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(src.text, {
      prettyErrors: true,
      uniqueKeys: false,
      // GitLab's `!reference` and other custom tags are kept as plain collections with their tag.
      logLevel: "silent",
    }) as Document.Parsed[];
  } catch (error) {
    return { error: `invalid YAML: ${firstLine(error instanceof Error ? error.message : String(error))}` };
  }
  if (!Array.isArray(docs)) return { error: "invalid YAML" };
  const documents: YNode[] = [];
  for (const doc of docs) {
    const problem = doc.errors[0];
    if (problem) return { error: `invalid YAML: ${firstLine(problem.message)}` };
    try {
      // Running the yaml package's own expansion once enforces maxAliasCount (alias bombs throw here).
      doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      return { error: `YAML rejected: ${firstLine(error instanceof Error ? error.message : String(error))}` };
    }
    try {
      const budget = { nodes: MAX_YAML_NODES };
      const root = doc.contents ? build(doc.contents, doc, src, budget, []) : null;
      if (root) documents.push(root);
    } catch (error) {
      if (error instanceof TooLargeError) return { error: `YAML expands to more than ${MAX_YAML_NODES} nodes: skipped` };
      throw error;
    }
  }
  return { documents };
}

function nullScalar(src: SourceText, offset: number): YScalar {
  return { kind: "scalar", value: null, src, start: offset, end: offset };
}

function build(node: YamlAstNode, doc: Document.Parsed, src: SourceText, budget: { nodes: number }, stack: YamlAstNode[]): YNode {
  if (--budget.nodes < 0) throw new TooLargeError();
  const range = node.range ?? [0, 0, 0];
  const tag = node.tag;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    // A self-referencing anchor (`&a [*a]`) would expand forever.
    if (!target || stack.includes(target)) return nullScalar(src, range[0]);
    return build(target, doc, src, budget, [...stack, target]);
  }
  if (isScalar(node)) {
    const value = node.value;
    const plain = typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null ? value : typeof value === "bigint" ? value.toString() : JSON.stringify(value) ?? null;
    return { kind: "scalar", value: plain, src, start: range[0], end: range[1], tag };
  }
  if (isSeq(node)) {
    const items = node.items.map((item) =>
      item && typeof item === "object" && "range" in item ? build(item as YamlAstNode, doc, src, budget, stack) : nullScalar(src, range[0]),
    );
    return { kind: "seq", items, src, start: range[0], end: range[1], tag };
  }
  if (isMap(node)) {
    const explicit: YMapEntry[] = [];
    const merged: YMapEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyAst = pair.key as YamlAstNode | null;
      const keyNode: YScalar = keyAst
        ? toKeyScalar(build(keyAst, doc, src, budget, stack), src)
        : nullScalar(src, range[0]);
      const valueAst = pair.value as YamlAstNode | null;
      const value = valueAst ? build(valueAst, doc, src, budget, stack) : nullScalar(src, keyNode.end);
      if (keyNode.value === "<<" && !(keyAst && isScalar(keyAst) && keyAst.type !== "PLAIN")) {
        // YAML 1.1 merge key, which GitLab and CircleCI configs use heavily: explicit keys win whatever the order.
        const sources = value.kind === "seq" ? value.items : [value];
        for (const source of sources) if (source.kind === "map") merged.push(...source.entries);
        continue;
      }
      explicit.push({ key: String(keyNode.value), keyNode, value });
    }
    const keys = new Set(explicit.map((entry) => entry.key));
    const entries = [...explicit];
    for (const entry of merged) {
      if (keys.has(entry.key)) continue;
      keys.add(entry.key);
      entries.push(entry);
    }
    return { kind: "map", entries, src, start: range[0], end: range[1], tag };
  }
  return nullScalar(src, range[0]);
}

function toKeyScalar(node: YNode, src: SourceText): YScalar {
  if (node.kind === "scalar") return node;
  return { kind: "scalar", value: src.text.slice(node.start, node.end), src, start: node.start, end: node.end };
}

/** The value under `key` in a map node, or undefined (also when `node` is not a map). Later duplicates win. */
export function get(node: YNode | undefined, key: string): YNode | undefined {
  if (node?.kind !== "map") return undefined;
  let found: YNode | undefined;
  for (const entry of node.entries) if (entry.key === key) found = entry.value;
  return found;
}

/** A scalar's value as a string (numbers and booleans stringified); undefined for null, maps and sequences. */
export function str(node: YNode | undefined): string | undefined {
  if (node?.kind !== "scalar" || node.value === null) return undefined;
  return String(node.value);
}

/** 1-based line where a node starts. */
export function lineOf(node: YNode): number {
  return lineAt(node.src, node.start);
}

/** `relative/path:line` of a node, for evidence. */
export function whereOf(node: YNode): string {
  return `${node.src.label}:${lineOf(node)}`;
}

/** A map's entries, or none. */
export function entriesOf(node: YNode | undefined): readonly YMapEntry[] {
  return node?.kind === "map" ? node.entries : [];
}

/** A sequence's items, a single node as one item, nothing for null/undefined. */
export function itemsOf(node: YNode | undefined): readonly YNode[] {
  if (!node) return [];
  if (node.kind === "seq") return node.items;
  if (node.kind === "scalar" && node.value === null) return [];
  return [node];
}
