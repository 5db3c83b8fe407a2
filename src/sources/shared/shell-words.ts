/** A word of a shell command as written (quotes kept), with its offsets in the script. */
export interface ShellWord {
  readonly text: string;
  readonly start: number;
}

export interface ShellRedirect {
  /** `>`, `>>`, `>|`, `&>`, `<`, `<<<`, `<<` … */
  readonly op: string;
  readonly target: ShellWord;
}

export interface ShellCommand {
  readonly words: ShellWord[];
  readonly redirects: ShellRedirect[];
  /** Here-document bodies and here-strings: what the command reads on stdin. */
  readonly stdin: ShellWord[];
}

/** Commands joined by `|`; lists (`;`, `&&`, `||`, newlines) separate pipelines. */
export type ShellPipeline = ShellCommand[];

function newCommand(): ShellCommand {
  return { words: [], redirects: [], stdin: [] };
}

/** Index just past the `)` matching the `(` at `open` (quotes and nesting respected), or the text end. */
function skipParens(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "'") i = skipSingle(text, i);
    else if (c === '"') i = skipDouble(text, i);
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Index of the closing `'` of a single-quoted string starting at `open`. */
function skipSingle(text: string, open: number): number {
  const end = text.indexOf("'", open + 1);
  return end === -1 ? text.length : end;
}

/** Index of the closing `"` of a double-quoted string starting at `open`. */
function skipDouble(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === '"') return i;
    else if (c === "$" && text[i + 1] === "(") i = skipParens(text, i + 1) - 1;
    else if (c === "$" && text.startsWith("{{", i + 1)) i = skipExpression(text, i) - 1;
  }
  return text.length;
}

/** Index just past the `}}` of a GitHub `${{ … }}` expression at `open`. */
function skipExpression(text: string, open: number): number {
  const end = text.indexOf("}}", open + 3);
  return end === -1 ? text.length : end + 2;
}

const OPERATOR_START = new Set([";", "&", "|", "<", ">", "\n"]);

/**
 * Splits a shell script into pipelines of commands, the way a POSIX shell would closely enough to find what a
 * command reads and where it writes: quotes, `$(…)`, `${…}`, GitHub `${{ … }}` expressions, comments, line
 * continuations, redirections, here-strings and here-documents. Pure; never throws; unbalanced quotes run to the end.
 */
export function splitShell(text: string): ShellPipeline[] {
  const pipelines: ShellPipeline[] = [];
  let pipeline: ShellPipeline = [];
  let command = newCommand();
  let wordStart = -1;
  let pendingOp: string | null = null;
  const pendingHeredocs: { command: ShellCommand; delimiter: string; strip: boolean }[] = [];

  const endWord = (end: number): void => {
    if (wordStart === -1) return;
    const word = { text: text.slice(wordStart, end), start: wordStart };
    wordStart = -1;
    if (pendingOp === null) command.words.push(word);
    else if (pendingOp === "<<" || pendingOp === "<<-") {
      pendingHeredocs.push({ command, delimiter: word.text.replace(/["'\\]/g, ""), strip: pendingOp === "<<-" });
      pendingOp = null;
    } else if (pendingOp === "<<<") {
      command.stdin.push(word);
      pendingOp = null;
    } else {
      command.redirects.push({ op: pendingOp, target: word });
      pendingOp = null;
    }
  };
  const endCommand = (): void => {
    if (command.words.length > 0 || command.redirects.length > 0 || command.stdin.length > 0) pipeline.push(command);
    command = newCommand();
    pendingOp = null;
  };
  const endPipeline = (): void => {
    endCommand();
    if (pipeline.length > 0) pipelines.push(pipeline);
    pipeline = [];
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (c === "\\" && text[i + 1] === "\n") {
      endWord(i);
      i += 2;
      continue;
    }
    if (c === "\\" && text[i + 1] === "\r" && text[i + 2] === "\n") {
      endWord(i);
      i += 3;
      continue;
    }
    if (wordStart === -1 && c === "#") {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      endWord(i);
      i++;
      continue;
    }
    // `<(…)` / `>(…)`: process substitution is part of a word, not a redirection.
    if ((c === "<" || c === ">") && text[i + 1] === "(") {
      if (wordStart === -1) wordStart = i;
      i = skipParens(text, i + 1);
      continue;
    }
    if (OPERATOR_START.has(c)) {
      // `2>` and `&>`: a word made only of digits right before a redirection is its file descriptor.
      if (wordStart !== -1 && (c === ">" || c === "<") && /^\d+$/.test(text.slice(wordStart, i))) wordStart = -1;
      endWord(i);
      if (c === "\n") {
        endPipeline();
        i++;
        for (const heredoc of pendingHeredocs.splice(0)) {
          const bodyStart = i;
          let bodyEnd = text.length;
          while (i < text.length) {
            const nl = text.indexOf("\n", i);
            const lineEnd = nl === -1 ? text.length : nl;
            const line = text.slice(i, lineEnd).replace(/\r$/, "");
            if ((heredoc.strip ? line.replace(/^\t+/, "") : line).trim() === heredoc.delimiter) {
              bodyEnd = i;
              i = nl === -1 ? text.length : nl + 1;
              break;
            }
            i = nl === -1 ? text.length : nl + 1;
          }
          heredoc.command.stdin.push({ text: text.slice(bodyStart, Math.min(bodyEnd, text.length)), start: bodyStart });
        }
        continue;
      }
      const two = text.slice(i, i + 2);
      const three = text.slice(i, i + 3);
      if (two === "&&" || two === "||") {
        endPipeline();
        i += 2;
      } else if (c === ";" || (c === "&" && two !== "&>")) {
        endPipeline();
        i++;
      } else if (c === "|") {
        endCommand();
        i += two === "|&" ? 2 : 1;
      } else if (three === "<<<") {
        pendingOp = "<<<";
        i += 3;
      } else if (three === "<<-") {
        pendingOp = "<<-";
        i += 3;
      } else if (two === "<<") {
        pendingOp = "<<";
        i += 2;
      } else if (two === ">>" || two === ">|" || two === "&>" || two === ">&" || two === "<&") {
        pendingOp = two === ">&" && /\d/.test(text[i + 2] ?? "") ? null : two;
        i += 2;
        if (pendingOp === null) while (/\d|-/.test(text[i] ?? "")) i++; // `2>&1`
      } else {
        pendingOp = c;
        i++;
      }
      continue;
    }
    if (wordStart === -1) wordStart = i;
    if (c === "\\") i += 2;
    else if (c === "'") i = skipSingle(text, i) + 1;
    else if (c === '"') i = skipDouble(text, i) + 1;
    else if (c === "`") {
      const end = text.indexOf("`", i + 1);
      i = end === -1 ? text.length : end + 1;
    } else if (c === "$" && text[i + 1] === "(") i = skipParens(text, i + 1);
    else if (c === "$" && text.startsWith("{{", i + 1)) i = skipExpression(text, i);
    else if (c === "$" && text[i + 1] === "{") {
      const end = text.indexOf("}", i + 2);
      i = end === -1 ? text.length : end + 1;
    } else i++;
  }
  endWord(text.length);
  endPipeline();
  return pipelines;
}

/** A word without its quoting (`"a b"` → `a b`, `'x'` → `x`, `\ ` → ` `); expansions are left as written. */
export function unquote(word: string): string {
  let out = "";
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c === "\\") out += word[++i] ?? "";
    else if (c === "'") {
      const end = skipSingle(word, i);
      out += word.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = skipDouble(word, i);
      out += word.slice(i + 1, end).replace(/\\(["\\$`])/g, "$1");
      i = end;
    } else out += c ?? "";
  }
  return out;
}
