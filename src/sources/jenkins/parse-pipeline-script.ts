/**
 * Finds SSH credential references in pipeline Groovy (inline `CpsFlowDefinition` scripts and the scripts a build
 * recorded in `build.xml`). Not a Groovy parser: comments and string contents are masked first so that brackets,
 * commas and step names inside them do not count, then each step's argument list is cut at bracket depth 0.
 * Steps (workflow-cps syntax, jenkins.io "Pipeline steps reference"):
 *   sshagent(['id']) · sshagent(credentials: ['a', "b"]) · withCredentials([sshUserPrivateKey(credentialsId: 'id')])
 *   git(url: 'u', credentialsId: 'id') · git credentialsId: 'id', url: 'u'
 *   checkout([$class: 'GitSCM', userRemoteConfigs: [[credentialsId: 'id', url: 'u']]]) · checkout scmGit(userRemoteConfigs: …)
 *   environment { KEY = credentials('id') }
 */

export type ScriptStep = "sshagent" | "sshUserPrivateKey" | "git" | "checkout" | "credentials";

/** One credential reference in a script. Exactly one of `credentialId` / `expression` is set. */
export interface ScriptReference {
  readonly step: ScriptStep;
  /** The id when the script names it literally. */
  readonly credentialId: string | null;
  /** Source text of a non-literal id (`"${KEY_ID}"`, `params.KEY`, `ids` …). */
  readonly expression: string | null;
  /** Literal repository URL given alongside (git, checkout), else null. */
  readonly url: string | null;
  /** 1-based line within the script. */
  readonly line: number;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** Same length as `script`, newlines kept; comment text blanked, string contents replaced by `_`. */
export function maskGroovy(script: string): string {
  const out = script.split("");
  const blank = (from: number, to: number, fill: string): void => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = fill;
  };
  let i = 0;
  while (i < script.length) {
    const c = script[i];
    if (c === "/" && script[i + 1] === "/") {
      const end = script.indexOf("\n", i);
      const stop = end < 0 ? script.length : end;
      blank(i, stop, " ");
      i = stop;
    } else if (c === "/" && script[i + 1] === "*") {
      const end = script.indexOf("*/", i + 2);
      const stop = end < 0 ? script.length : end + 2;
      blank(i, stop, " ");
      i = stop;
    } else if (c === "'" || c === '"') {
      const triple = script.startsWith(c.repeat(3), i);
      const delimiter = triple ? c.repeat(3) : c;
      let j = i + delimiter.length;
      let braces = 0;
      while (j < script.length) {
        if (script[j] === "\\") {
          j += 2;
          continue;
        }
        if (c === '"' && script.startsWith("${", j)) {
          braces++;
          j += 2;
          continue;
        }
        if (braces > 0) {
          if (script[j] === "{") braces++;
          else if (script[j] === "}") braces--;
          j++;
          continue;
        }
        if (script.startsWith(delimiter, j)) break;
        if (!triple && script[j] === "\n") break;
        j++;
      }
      blank(i + delimiter.length, Math.min(j, script.length), "_");
      i = Math.min(j + delimiter.length, script.length);
    } else {
      i++;
    }
  }
  return out.join("");
}

const OPEN: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };
const CLOSE = new Set([")", "]", "}"]);

/** Index just past the bracket that closes the one at `open`, or the text length when unbalanced. */
function matchBracket(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const c = masked[i] ?? "";
    if (c in OPEN) depth++;
    else if (CLOSE.has(c)) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return masked.length;
}

/** Splits `span` at depth-0 commas; each part trimmed of surrounding whitespace (empty parts dropped). */
function splitTopLevel(masked: string, span: Span): Span[] {
  const parts: Span[] = [];
  let depth = 0;
  let start = span.start;
  for (let i = span.start; i <= span.end; i++) {
    const c = i < span.end ? masked[i] ?? "" : ",";
    if (c in OPEN) depth++;
    else if (CLOSE.has(c)) depth--;
    else if (c === "," && depth === 0) {
      const part = trimSpan(masked, { start, end: i });
      if (part.end > part.start) parts.push(part);
      start = i + 1;
    }
  }
  return parts;
}

function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start] ?? "")) start++;
  while (end > start && /\s/.test(text[end - 1] ?? "")) end--;
  return { start, end };
}

interface Argument {
  readonly key: string | null;
  readonly value: Span;
}

const NAMED = /^([$\w]+|'[$\w]+'|"[$\w]+")\s*:(?!:)/;

function parseArguments(masked: string, span: Span): Argument[] {
  return splitTopLevel(masked, span).map((part) => {
    const match = NAMED.exec(masked.slice(part.start, part.end));
    if (match === null) return { key: null, value: part };
    const key = (match[1] ?? "").replace(/^['"]|['"]$/g, "");
    return { key, value: trimSpan(masked, { start: part.start + match[0].length, end: part.end }) };
  });
}

/** The inside of a bracketed span (`[…]`, `(…)`), or null when the span is not one bracket group. */
function inner(masked: string, span: Span): Span | null {
  const c = masked[span.start] ?? "";
  if (!(c in OPEN)) return null;
  if (matchBracket(masked, span.start) !== span.end) return null;
  return { start: span.start + 1, end: span.end - 1 };
}

type Value = { readonly literal: string } | { readonly expression: string };

/** A literal string when the span is exactly one string without interpolation, else the expression text. */
function valueOf(script: string, masked: string, span: Span): Value {
  const text = script.slice(span.start, span.end);
  const quote = text.startsWith("'''") || text.startsWith('"""') ? text.slice(0, 3) : text[0];
  if ((quote === "'" || quote === '"' || quote === "'''" || quote === '"""') && text.length >= 2 * quote.length) {
    const body = masked.slice(span.start + quote.length, span.end - quote.length);
    const closes = text.endsWith(quote) && !body.includes(quote[0] ?? "");
    const raw = text.slice(quote.length, text.length - quote.length);
    if (closes && !(quote.startsWith('"') && /(^|[^\\])\$/.test(raw))) {
      return { literal: raw.replace(/\\(.)/g, "$1") };
    }
  }
  return { expression: text };
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function literalUrl(script: string, masked: string, args: readonly Argument[]): string | null {
  const url = args.find((a) => a.key === "url");
  if (url === undefined) return null;
  const value = valueOf(script, masked, url.value);
  return "literal" in value ? value.literal : null;
}

/** Every credential reference in `script`, in source order. */
export function parsePipelineScript(script: string): ScriptReference[] {
  const masked = maskGroovy(script);
  const found: Array<ScriptReference & { index: number }> = [];
  const add = (step: ScriptStep, span: Span, url: string | null): void => {
    if (span.end <= span.start) return;
    const value = valueOf(script, masked, span);
    found.push({
      step,
      credentialId: "literal" in value ? value.literal : null,
      expression: "expression" in value ? value.expression : null,
      url,
      line: lineAt(script, span.start),
      index: span.start,
    });
  };
  const addIds = (step: ScriptStep, span: Span, url: string | null = null): void => {
    const list = inner(masked, span);
    if (list !== null && masked[span.start] === "[") {
      for (const item of splitTopLevel(masked, list)) add(step, item, url);
    } else {
      add(step, span, url);
    }
  };
  const callArguments = (pattern: RegExp, visit: (args: Argument[], close: number) => void): void => {
    for (const match of masked.matchAll(pattern)) {
      const open = (match.index ?? 0) + match[0].length - 1;
      const close = matchBracket(masked, open);
      visit(parseArguments(masked, { start: open + 1, end: close - 1 }), close);
    }
  };

  callArguments(/\bsshagent\s*\(/g, (args, close) => {
    const ids = args.find((a) => a.key === "credentials") ?? args.find((a) => a.key === null);
    if (ids !== undefined) addIds("sshagent", ids.value, sshUrlInBlockAfter(script, masked, close));
  });
  callArguments(/\bsshUserPrivateKey\s*\(/g, (args) => {
    const id = args.find((a) => a.key === "credentialsId");
    if (id !== undefined) add("sshUserPrivateKey", id.value, null);
  });
  callArguments(/\bcredentials\s*\(/g, (args) => {
    const id = args.find((a) => a.key === null);
    if (id !== undefined) add("credentials", id.value, null);
  });
  const gitStep = (args: Argument[]): void => {
    const id = args.find((a) => a.key === "credentialsId");
    if (id !== undefined) add("git", id.value, literalUrl(script, masked, args));
  };
  callArguments(/(?<![\w$.])git\s*\(/g, gitStep);
  for (const match of masked.matchAll(/(?<![\w$.])git[ \t]+(?=[$\w]+\s*:)/g)) {
    const start = (match.index ?? 0) + match[0].length;
    gitStep(parseArguments(masked, { start, end: statementEnd(masked, start) }));
  }
  for (const match of masked.matchAll(/\buserRemoteConfigs\s*:/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const value = trimSpan(masked, { start, end: valueEnd(masked, start) });
    const list = inner(masked, value);
    if (list === null) continue;
    for (const item of splitTopLevel(masked, list)) {
      const map = inner(masked, item);
      if (map === null) continue;
      const args = parseArguments(masked, map);
      const id = args.find((a) => a.key === "credentialsId");
      if (id !== undefined) add("checkout", id.value, literalUrl(script, masked, args));
    }
  }
  return found.sort((a, b) => a.index - b.index).map(({ index: _index, ...reference }) => reference);
}

// git@host:owner/repo(.git) and ssh://[user@]host[:port]/owner/repo(.git), as `git push`/`clone` take them.
const SSH_REMOTE = /(?:ssh:\/\/)?[\w.-]+@[\w.-]+(?::\d+)?[:/][\w.-]+\/[\w.-]+/;

/**
 * The remote a `sshagent(…) { … }` block pushes to or pulls from: the first SSH remote in the block's text (the
 * `sh 'git push git@github.com:acme/prod.git'` inside it). Null when the call has no block or names none.
 */
function sshUrlInBlockAfter(script: string, masked: string, close: number): string | null {
  let i = close;
  while (i < masked.length && /\s/.test(masked[i] ?? "")) i++;
  if (masked[i] !== "{") return null;
  const end = matchBracket(masked, i);
  const match = SSH_REMOTE.exec(script.slice(i, end));
  return match ? match[0] : null;
}

/** End of a command-style call (`git a: 1, b: 2`): the first depth-0 newline not after a comma, `;`, or a closer. */
function statementEnd(masked: string, start: number): number {
  let depth = 0;
  let lastSignificant = "";
  for (let i = start; i < masked.length; i++) {
    const c = masked[i] ?? "";
    if (c in OPEN) depth++;
    else if (CLOSE.has(c)) {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (c === ";" || (c === "\n" && lastSignificant !== ","))) return i;
    if (!/\s/.test(c)) lastSignificant = c;
  }
  return masked.length;
}

/** End of a named argument's value: the next depth-0 comma or the bracket that closes the enclosing list. */
function valueEnd(masked: string, start: number): number {
  let depth = 0;
  for (let i = start; i < masked.length; i++) {
    const c = masked[i] ?? "";
    if (c in OPEN) depth++;
    else if (CLOSE.has(c)) {
      if (depth === 0) return i;
      depth--;
    } else if (c === "," && depth === 0) return i;
  }
  return masked.length;
}
