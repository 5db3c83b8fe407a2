/** The text of one source file with a precomputed line index, shared by every node parsed from it. */
export interface SourceText {
  /** Name used in evidence: a repository-relative path where there is a repository, else the absolute path. */
  readonly label: string;
  readonly text: string;
  readonly lineStarts: readonly number[];
}

/** Builds the line index of a file's text. */
export function sourceText(label: string, text: string): SourceText {
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  return { label, text, lineStarts };
}

/** 1-based line of a character offset (binary search). */
export function lineAt(src: SourceText, offset: number): number {
  let low = 0;
  let high = src.lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((src.lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/**
 * Finds the source line of a substring of a scalar's (unescaped, unfolded) value. The value's text and the raw
 * source differ by quoting, escapes and folding, so we look for the `occurrence`-th appearance of `needle`
 * within the scalar's source range; when it is not there verbatim, the scalar's first line is the answer.
 */
export function lineOfNeedle(
  src: SourceText,
  range: { readonly start: number; readonly end: number },
  value: string,
  valueOffset: number,
  needle: string,
): number {
  if (needle !== "") {
    let occurrence = 0;
    for (let i = value.indexOf(needle); i !== -1 && i < valueOffset; i = value.indexOf(needle, i + 1)) occurrence++;
    let at = src.text.indexOf(needle, range.start);
    for (let n = 0; n < occurrence && at !== -1; n++) at = src.text.indexOf(needle, at + 1);
    if (at !== -1 && at < Math.max(range.end, range.start + 1)) return lineAt(src, at);
  }
  return lineAt(src, range.start);
}
