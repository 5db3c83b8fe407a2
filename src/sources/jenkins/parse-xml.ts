import { XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * The XML that Jenkins (XStream) writes, parsed without expanding any DTD entity. Jenkins files declare XML 1.1,
 * which fast-xml-parser does not accept as such: the declaration is dropped (its encoding is always UTF-8 here).
 */

/** One element: its name, attributes, child elements in order, and its own text (entities decoded). */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

/** Why a document was refused. */
export class XmlRejectedError extends Error {
  override name = "XmlRejectedError";
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; any other `&name;` stays as written. */
export function decodeXmlText(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#X")) return safeCodePoint(parseInt(ref.slice(2), 16), whole);
    if (ref.startsWith("#")) return safeCodePoint(parseInt(ref.slice(1), 10), whole);
    return PREDEFINED[ref] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** Escapes text the way XStream writes it, to find a value in the raw file. */
export function escapeXmlText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Strips a BOM and the `<?xml …?>` declaration (XML 1.1 included), keeping line numbers intact. */
function stripDeclaration(raw: string): string {
  const text = raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
  const match = /^\s*<\?xml[^?]*\?>/.exec(text);
  if (match === null) return text;
  return match[0].replace(/[^\n]/g, " ") + text.slice(match[0].length);
}

type OrderedNode = Record<string, unknown>;

function toElement(name: string, node: OrderedNode): XmlElement {
  const attributes: Record<string, string> = {};
  const rawAttributes = node[":@"];
  if (rawAttributes !== null && typeof rawAttributes === "object") {
    for (const [key, value] of Object.entries(rawAttributes as Record<string, unknown>)) {
      if (typeof value === "string") attributes[key] = decodeXmlText(value);
    }
  }
  const children: XmlElement[] = [];
  let text = "";
  const content = node[name];
  if (Array.isArray(content)) {
    for (const item of content as OrderedNode[]) {
      const key = Object.keys(item).find((k) => k !== ":@");
      if (key === undefined) continue;
      if (key === "#text") {
        const value = item["#text"];
        if (typeof value === "string") text += value;
      } else {
        children.push(toElement(key, item));
      }
    }
  }
  return { name, attributes, children, text: decodeXmlText(text) };
}

/**
 * Parses one Jenkins XML document and returns its root element.
 * @throws XmlRejectedError for malformed or truncated XML and for a DOCTYPE that declares entities.
 */
export function parseJenkinsXml(raw: string): XmlElement {
  const text = stripDeclaration(raw);
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype !== null && /<!ENTITY/i.test(text.slice(doctype.index))) {
    throw new XmlRejectedError("declares DTD entities (refused: Jenkins never writes them)");
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new XmlRejectedError(`is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  }
  const nodes = parser.parse(text) as OrderedNode[];
  const roots = nodes
    .map((node) => ({ node, key: Object.keys(node).find((k) => k !== ":@" && k !== "#text" && !k.startsWith("!")) }))
    .filter((entry): entry is { node: OrderedNode; key: string } => entry.key !== undefined);
  const root = roots[0];
  if (root === undefined) throw new XmlRejectedError("has no root element");
  return toElement(root.key, root.node);
}

/** First child element named `name`. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** All child elements named `name`. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element === undefined ? [] : element.children.filter((c) => c.name === name);
}

/** Trimmed text of the child `name`, or null when absent or empty. */
export function childText(element: XmlElement | undefined, name: string): string | null {
  const found = child(element, name);
  if (found === undefined) return null;
  const text = found.text.trim();
  return text === "" ? null : text;
}

/** Every descendant (depth first, document order) that satisfies `test`. */
export function descendants(element: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const stack: XmlElement[] = [...element.children].reverse();
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined) break;
    if (test(next)) found.push(next);
    for (let i = next.children.length - 1; i >= 0; i--) {
      const c = next.children[i];
      if (c !== undefined) stack.push(c);
    }
  }
  return found;
}

/** The Java class of an element: its `class` attribute where XStream wrote one, else its (unescaped) name. */
export function javaClassOf(element: XmlElement): string {
  return element.attributes["class"] ?? element.name.replace(/_([_-])/g, (_m, c: string) => (c === "_" ? "_" : "$"));
}

/** Index of the first occurrence of the first of `needles` found at or after `from`, or -1. */
export function indexOfAny(raw: string, needles: readonly string[], from = 0): number {
  for (const needle of needles) {
    if (needle === "") continue;
    const index = raw.indexOf(needle, from);
    if (index >= 0) return index;
  }
  return -1;
}

/** 1-based line of the first occurrence of any of `needles` at or after `from` (else the line of `from`). */
export function lineOf(raw: string, needles: readonly string[], from = 0): number {
  const index = indexOfAny(raw, needles, from);
  return lineAt(raw, index >= 0 ? index : from);
}

/** 1-based line of character `index`. */
export function lineAt(raw: string, index: number): number {
  let line = 1;
  for (let i = raw.indexOf("\n"); i >= 0 && i < index; i = raw.indexOf("\n", i + 1)) line++;
  return line;
}
