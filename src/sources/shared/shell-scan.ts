import { splitShell, unquote } from "./shell-words.js";
import type { ShellCommand, ShellPipeline, ShellWord } from "./shell-words.js";

/** A variable or GitHub expression a script mentions, with where (offset into that script) and as written. */
export interface ShellRef {
  /** `var`: `$NAME` / `${NAME}`; `expr`: the inside of a GitHub `${{ … }}` expression. */
  readonly kind: "var" | "expr";
  readonly name: string;
  readonly raw: string;
  readonly offset: number;
}

/** How a script hands a key to SSH. */
export type ShellHow = "ssh-add" | "identity-file" | "ssh-command" | "key-file-write";

/** One key use found in a script chunk: a variable/expression that carries the key, or a literal key path. */
export type ShellUse<C> =
  | { readonly kind: "ref"; readonly chunk: C; readonly how: ShellHow; readonly ref: ShellRef }
  | { readonly kind: "path"; readonly chunk: C; readonly how: ShellHow; readonly path: string; readonly offset: number; readonly raw: string };

const REF_PATTERN = /\$\{\{([\s\S]*?)\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Variables every CI runner or shell provides: they locate a key but never carry one. */
const CONTEXT_VARIABLES = new Set(["HOME", "USER", "PWD", "TMPDIR", "TMP", "TEMP", "PATH", "SHELL", "SSH_AUTH_SOCK", "SSH_AGENT_PID", "OLDPWD", "LOGNAME", "HOSTNAME", "UID"]);
const CONTEXT_PREFIX = /^(?:CI|GITLAB|GITHUB|RUNNER|CIRCLE)_/;
const KEYISH_NAME = /KEY|SSH|IDENTITY|PEM/i;

/** True for variables the CI system or shell sets itself (`$HOME`, `$CI_PROJECT_DIR`, `$RUNNER_TEMP` …). */
export function isContextVariable(name: string): boolean {
  return CONTEXT_VARIABLES.has(name) || (CONTEXT_PREFIX.test(name) && !KEYISH_NAME.test(name));
}

/** Every `$VAR`, `${VAR…}` and `${{ … }}` in a piece of script text. */
export function findRefs(text: string, baseOffset: number): ShellRef[] {
  const refs: ShellRef[] = [];
  for (const match of text.matchAll(REF_PATTERN)) {
    const offset = baseOffset + (match.index ?? 0);
    if (match[1] !== undefined) refs.push({ kind: "expr", name: match[1].trim(), raw: match[0], offset });
    else refs.push({ kind: "var", name: match[2] ?? match[3] ?? "", raw: match[0], offset });
  }
  return refs;
}

const PREFIX_WORDS = new Set(["sudo", "exec", "command", "nohup", "time", "env", "if", "then", "else", "elif", "do", "while", "until", "!", "(", "{", "xargs", "eval"]);
const SSH_CLIENTS = new Set(["ssh", "scp", "sftp", "ssh-copy-id", "sshfs", "autossh"]);
/** ssh/scp/sftp options that take a value (`ssh(1)`, `scp(1)`), so `-vi key` and `-p 22` parse right. */
const SSH_VALUE_OPTIONS = new Set([..."BbcDEeFIiJLlmOopPQRSWwX"]);
const SSH_ADD_VALUE_OPTIONS = new Set(["-t", "-E", "-h", "-H", "-S", "-e", "-s"]);
const SSH_ADD_NON_LOADING = /^-[a-zA-Z]*[dDlLxXTe]/;
const SSH_COMMAND_VARIABLES = new Set(["GIT_SSH_COMMAND", "RSYNC_RSH"]);
const NOT_KEY_FILES = /^(?:known_hosts2?|authorized_keys2?|config|environment|rc)$|\.pub$/;
const KEYISH_FILE = /(?:^id_|_rsa$|_dsa$|_ed25519$|_ecdsa$|\.pem$|\.key$|\.ppk$|private|deploy|ssh.?key|identity)/i;
const KEY_VARIABLE = /SSH|PRIVATE.?KEY|DEPLOY.?KEY|IDENTITY|PEM/i;
const PRIVATE_MODE = /^(?:0?[46]00|go-rwx|og-rwx|u=rw?,go=|g-rwx,o-rwx)$/;

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\+?=([\s\S]*)$/;

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** A path as scripts write it, normalised so `"$HOME/.ssh/k"`, `${HOME}/.ssh/k` and `~/.ssh/k` compare equal. */
export function normalisePath(word: string): string {
  return unquote(word)
    .replace(/^(?:\$\{HOME\}|\$HOME)(?=\/|$)/, "~")
    .replace(/\/{2,}/g, "/")
    .trim();
}

function isKeyishFile(path: string): boolean {
  const name = basename(path);
  if (NOT_KEY_FILES.test(name)) return false;
  return path.includes(".ssh/") || KEYISH_FILE.test(name);
}

interface Write<C> {
  readonly chunk: C;
  readonly target: string;
  readonly refs: ShellRef[];
}

/**
 * Finds how scripts hand SSH keys to ssh: variables or expressions piped/passed to `ssh-add`, passed as `ssh -i`
 * / `-o IdentityFile=` (also inside `GIT_SSH_COMMAND`, `core.sshCommand`, `rsync -e`), or written to a file that
 * is a key file by its name (`~/.ssh/…`, `id_*`, `*.pem` …), by `chmod 600` on it, or by a later use of it as
 * an identity. Chunks (a job's script lines or a workflow's steps) share state, as a job's shell and disk do.
 * Pure: `add` every chunk, then `finish` once.
 */
export class ShellScanner<C> {
  private readonly uses: ShellUse<C>[] = [];
  private readonly writes: Write<C>[] = [];
  private readonly privateModePaths = new Set<string>();
  /** Script-local variables: name → the refs of the value assigned to it. */
  private readonly locals = new Map<string, ShellRef[]>();

  /** Scans one chunk of script. */
  add(chunk: C, script: string): void {
    for (const pipeline of splitShell(script)) this.scanPipeline(chunk, pipeline);
  }

  /** The uses found, with literal key paths that a write turned out to fill replaced by what was written. */
  finish(): ShellUse<C>[] {
    const identityPaths = new Set<string>();
    for (const use of this.uses) if (use.kind === "path") identityPaths.add(use.path);
    const written = new Set<string>();
    const result = [...this.uses];
    for (const write of this.writes) {
      const keyish = isKeyishFile(write.target) || identityPaths.has(write.target) || this.privateModePaths.has(write.target);
      const refs = keyish ? write.refs : write.refs.filter((ref) => ref.kind === "var" && KEY_VARIABLE.test(ref.name) && isKeyishFile(write.target));
      if (refs.length === 0) continue;
      written.add(write.target);
      for (const ref of refs) result.push({ kind: "ref", chunk: write.chunk, how: "key-file-write", ref });
    }
    return dedupe(result.filter((use) => use.kind === "ref" || !written.has(use.path)));
  }

  /** The refs of a word, script-local variables replaced by what was assigned to them. */
  private refsOf(word: ShellWord): ShellRef[] {
    const out: ShellRef[] = [];
    for (const ref of findRefs(word.text, word.start)) {
      if (ref.kind === "var" && isContextVariable(ref.name)) continue;
      const local = ref.kind === "var" ? this.locals.get(ref.name) : undefined;
      if (local) out.push(...local);
      else if (!(ref.kind === "var" && this.locals.has(ref.name))) out.push(ref);
    }
    return out;
  }

  private scanPipeline(chunk: C, pipeline: ShellPipeline): void {
    const upstream: ShellRef[] = [];
    for (const command of pipeline) {
      this.scanCommand(chunk, command, upstream);
      for (const word of [...command.words, ...command.stdin]) upstream.push(...this.refsOf(word));
    }
  }

  private scanCommand(chunk: C, command: ShellCommand, upstream: readonly ShellRef[]): void {
    const words = [...command.words];
    const stdinRefs = command.stdin.flatMap((word) => this.refsOf(word));
    // Leading assignments (`GIT_SSH_COMMAND="ssh -i k" git …`) and wrappers (`sudo`, `env`, `if` …).
    while (words.length > 0) {
      const first = words[0] as ShellWord;
      const assignment = ASSIGNMENT.exec(first.text);
      if (assignment) {
        this.assignment(chunk, first, assignment, words.length === 1);
        words.shift();
        continue;
      }
      const bare = unquote(first.text).replace(/^[({]+/, "");
      if (PREFIX_WORDS.has(bare) || bare === "") {
        words.shift();
        while (bare === "sudo" && words[0] && unquote(words[0].text).startsWith("-")) words.shift();
        continue;
      }
      break;
    }
    const head = words[0];
    const name = head ? basename(unquote(head.text).replace(/^[({]+/, "").replace(/[)};]+$/, "")) : "";
    const args = words.slice(1);

    if (name === "export" || name === "declare" || name === "local" || name === "readonly") {
      for (const arg of args) {
        const assignment = ASSIGNMENT.exec(arg.text);
        if (assignment) this.assignment(chunk, arg, assignment, true);
      }
    } else if (name === "ssh-add") {
      this.sshAdd(chunk, args, [...upstream, ...stdinRefs]);
    } else if (SSH_CLIENTS.has(name)) {
      this.identityOptions(chunk, args, "identity-file");
    } else if (name === "git") {
      this.gitSshCommand(chunk, args);
    } else if (name === "rsync") {
      args.forEach((arg, index) => {
        const text = unquote(arg.text);
        if (text === "-e" || text === "--rsh") this.sshCommandText(chunk, args[index + 1]);
        else if (text.startsWith("--rsh=") || text.startsWith("-e")) this.sshCommandText(chunk, arg, text.startsWith("-e") ? 2 : 6);
      });
    } else if (name === "chmod") {
      const mode = args.find((arg) => !unquote(arg.text).startsWith("-") || PRIVATE_MODE.test(unquote(arg.text)));
      if (mode && PRIVATE_MODE.test(unquote(mode.text))) {
        for (const arg of args) if (arg !== mode && !unquote(arg.text).startsWith("-")) this.privateModePaths.add(normalisePath(arg.text));
      }
    }

    // Writes: redirections, tee, cp/mv/install, dd of=.
    const writerRefs = [...upstream, ...stdinRefs, ...args.flatMap((arg) => this.refsOf(arg))];
    for (const redirect of command.redirects) {
      if (redirect.op.startsWith(">") || redirect.op === "&>") this.writes.push({ chunk, target: normalisePath(redirect.target.text), refs: writerRefs });
    }
    const plainArgs = args.filter((arg) => !unquote(arg.text).startsWith("-"));
    if (name === "tee") {
      for (const arg of plainArgs) this.writes.push({ chunk, target: normalisePath(arg.text), refs: [...upstream, ...stdinRefs] });
    } else if ((name === "cp" || name === "mv" || name === "install") && plainArgs.length >= 2) {
      const sources = name === "install" ? plainArgs.filter((arg) => !/^\d+$/.test(unquote(arg.text))) : plainArgs;
      const target = sources[sources.length - 1] as ShellWord;
      this.writes.push({ chunk, target: normalisePath(target.text), refs: sources.slice(0, -1).flatMap((arg) => this.refsOf(arg)) });
    } else if (name === "dd") {
      const of = args.find((arg) => unquote(arg.text).startsWith("of="));
      if (of) this.writes.push({ chunk, target: normalisePath(unquote(of.text).slice(3)), refs: [...upstream, ...stdinRefs, ...args.filter((a) => a !== of).flatMap((a) => this.refsOf(a))] });
    }
  }

  private assignment(chunk: C, word: ShellWord, match: RegExpExecArray, standalone: boolean): void {
    const variable = match[1] ?? "";
    const valueOffset = word.text.length - (match[2] ?? "").length;
    const value: ShellWord = { text: match[2] ?? "", start: word.start + valueOffset };
    if (SSH_COMMAND_VARIABLES.has(variable)) {
      this.sshCommandText(chunk, value);
      return;
    }
    // Only a standalone assignment sets a script variable; `X=1 cmd` sets it for cmd alone.
    if (standalone) this.locals.set(variable, /\$\(|`/.test(value.text) ? [] : this.refsOf(value));
  }

  private sshAdd(chunk: C, args: readonly ShellWord[], input: readonly ShellRef[]): void {
    const texts = args.map((arg) => unquote(arg.text));
    if (texts.some((text) => SSH_ADD_NON_LOADING.test(text))) return; // listing or deleting keys
    for (let i = 0; i < args.length; i++) {
      const text = texts[i] ?? "";
      const arg = args[i] as ShellWord;
      if (SSH_ADD_VALUE_OPTIONS.has(text)) {
        i++;
        continue;
      }
      if (text.startsWith("-")) continue; // includes `-`: the key comes on stdin, from `input`
      this.keyArgument(chunk, arg, "ssh-add");
    }
    for (const ref of input) this.uses.push({ kind: "ref", chunk, how: "ssh-add", ref });
  }

  /** A word naming a key: its variables carry the key (or its path); without any it is a literal path. */
  private keyArgument(chunk: C, arg: ShellWord, how: ShellHow): void {
    const refs = this.refsOf(arg);
    if (refs.length > 0) {
      for (const ref of refs) this.uses.push({ kind: "ref", chunk, how, ref });
      return;
    }
    const path = normalisePath(arg.text);
    if (path === "" || /\$\(|`/.test(path) || path === "none") return;
    this.uses.push({ kind: "path", chunk, how, path, offset: arg.start, raw: arg.text });
  }

  /** getopt-style options of ssh/scp/sftp: `-i key`, `-ikey`, `-vi key`, `-o IdentityFile=key`, `-oIdentityFile=key`. */
  private identityOptions(chunk: C, args: readonly ShellWord[], how: ShellHow): void {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as ShellWord;
      const text = unquote(arg.text);
      if (!text.startsWith("-") || text.startsWith("--")) continue;
      for (let j = 1; j < text.length; j++) {
        const option = text[j] ?? "";
        if (!SSH_VALUE_OPTIONS.has(option)) continue;
        let value: ShellWord | undefined;
        if (j + 1 < text.length) {
          const at = arg.text.indexOf(option, 1) + 1;
          value = { text: arg.text.slice(at), start: arg.start + at };
        } else {
          value = args[++i];
        }
        if (value && option === "i") this.keyArgument(chunk, value, how);
        else if (value && option === "o") this.identityOption(chunk, value, how);
        break;
      }
    }
  }

  private identityOption(chunk: C, option: ShellWord, how: ShellHow): void {
    const match = /^(["']?)IdentityFile(?:\s*=\s*|\s+)/i.exec(option.text);
    if (!match) return;
    const rest = option.text.slice(match[0].length).replace(new RegExp(`${match[1] ?? ""}$`), "");
    this.keyArgument(chunk, { text: rest, start: option.start + match[0].length }, how);
  }

  /** A word holding an ssh command line (`GIT_SSH_COMMAND`, `core.sshCommand`, `rsync -e`). */
  private sshCommandText(chunk: C, word: ShellWord | undefined, skip = 0): void {
    if (!word) return;
    const raw = word.text.slice(skip);
    const quote = raw[0] === '"' || raw[0] === "'" ? 1 : 0;
    const inner = quote ? raw.slice(1, raw.endsWith(raw[0] ?? "") && raw.length > 1 ? -1 : undefined) : raw;
    const base = word.start + skip + quote;
    for (const pipeline of splitShell(inner)) {
      for (const command of pipeline) {
        const words = command.words.map((w) => ({ text: w.text, start: w.start + base }));
        const head = words[0] ? basename(unquote(words[0].text)) : "";
        if (SSH_CLIENTS.has(head)) this.identityOptions(chunk, words.slice(1), "ssh-command");
      }
    }
  }

  private gitSshCommand(chunk: C, args: readonly ShellWord[]): void {
    for (let i = 0; i < args.length; i++) {
      const text = unquote((args[i] as ShellWord).text);
      if (text === "-c" && args[i + 1]) {
        const setting = args[i + 1] as ShellWord;
        const match = /^(["']?)core\.sshCommand=/i.exec(setting.text);
        if (match) this.sshCommandText(chunk, { text: `${match[1] ?? ""}${setting.text.slice(match[0].length)}`, start: setting.start + match[0].length - (match[1]?.length ?? 0) });
        i++;
      } else if (/^core\.sshCommand$/i.test(text) && args[i + 1]) {
        this.sshCommandText(chunk, args[i + 1]);
        return;
      }
    }
  }
}

function dedupe<C>(uses: ShellUse<C>[]): ShellUse<C>[] {
  const seen = new Map<C, Set<string>>();
  return uses.filter((use) => {
    const key = use.kind === "ref" ? `r:${use.ref.kind}:${use.ref.name}:${use.ref.offset}` : `p:${use.path}:${use.offset}`;
    const chunkSeen = seen.get(use.chunk) ?? new Set<string>();
    seen.set(use.chunk, chunkSeen);
    if (chunkSeen.has(key)) return false;
    chunkSeen.add(key);
    return true;
  });
}
