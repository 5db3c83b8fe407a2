/** POSIX shell quoting: bare when the word is safe, else single-quoted with `'\''` for inner quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * The shell line a demo step is equivalent to, for the user to repeat on their own org. Environment variables
 * are shown by name only (`GITHUB_TOKEN=…`): their values never reach the output.
 */
export function renderCommand(argv: readonly string[], envNames: readonly string[] = []): string {
  const env = envNames.map((name) => `${name}=…`);
  return ["$", ...env, "keyward", ...argv.map(shellQuote)].join(" ");
}
