import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "./helpers/cli.js";

/**
 * The README cannot drift from the code: every `keyward …` example in it names a command that exists, with
 * flags that command accepts. (What the examples do is exercised by the CLI tests and by `keyward demo`.)
 */
const README = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");

function help(path: readonly string[]): string {
  return execFileSync(process.execPath, [CLI, ...path, "--help"], { encoding: "utf8" });
}

/** Every keyward invocation: lines of code blocks and inline code spans that start with it. */
function examples(): string[] {
  const found: string[] = [];
  for (const block of README.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    for (const line of (block[1] ?? "").split("\n")) {
      const at = line.search(/(^|\s)keyward\s/);
      if (at >= 0 && !line.trimStart().startsWith("//")) found.push(line.slice(at).trim());
    }
  }
  for (const span of README.matchAll(/`(keyward [^`]+)`/g)) found.push(span[1] ?? "");
  return found.map((e) => e.replace(/\s+#.*$/, "").split(/\s(?:\|\||&&|>|\|)\s/)[0]?.trim() ?? "").filter((e) => e.startsWith("keyward "));
}

const commandsOf = (text: string): string[] =>
  [...text.split(/\nCommands:\n/)[1]?.matchAll(/^ {2}([a-z][a-z-]*)/gm) ?? []].map((m) => m[1] ?? "").filter((c) => c !== "help");

describe("the README", () => {
  const globalHelp = help([]);
  const topLevel = commandsOf(globalHelp);
  const cases = [...new Set(examples())];

  it("shows examples of every command keyward has", () => {
    const shown = new Set(cases.map((e) => e.split(/\s+/)[1]));
    expect(topLevel.filter((c) => !shown.has(c))).toEqual([]);
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases)("%s: the command exists and takes these flags", (example) => {
    const words = example.replace(/\\\|/g, "|").replace(/[[\]]/g, " ").split(/\s+/).slice(1);
    const path: string[] = [];
    let commands = topLevel;
    for (const word of words) {
      if (!commands.includes(word)) break;
      path.push(word);
      commands = commandsOf(help(path));
    }
    expect(path.length, `no such command in: ${example}`).toBeGreaterThan(0);
    const text = `${help(path)}\n${globalHelp}`;
    for (const flag of words.filter((w) => /^--?[a-z]/.test(w)).map((w) => w.split("=")[0] ?? w)) {
      expect(text, `${flag} in: ${example}`).toMatch(new RegExp(`(^|[\\s,])${flag}([\\s,]|$)`, "m"));
    }
  });
});
