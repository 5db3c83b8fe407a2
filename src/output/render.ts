/**
 * The one renderer behind `--format table|json|csv|markdown`. Commands hand over a report: the JSON document
 * of the contract plus the same facts as table sections for people. Pure: no streams, no env.
 */
export type Format = "table" | "json" | "csv" | "markdown";
export const FORMATS: readonly Format[] = ["table", "json", "csv", "markdown"];

export type Cell = string | number | boolean | null | undefined;

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => Cell;
}

export interface Section<Row = never> {
  readonly title?: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  /** Said instead of an empty table. */
  readonly empty?: string;
}

export interface Report<J = unknown> {
  readonly json: J;
  // Sections are heterogeneous; each is checked where it is built with `section()`.
  readonly sections: readonly Section<never>[];
  /** Sentences for people, after the tables (table and markdown only). */
  readonly notes?: readonly string[];
}

/** Builds a section with its row type checked against its columns. */
export function section<Row>(s: Section<Row>): Section<never> {
  return s as unknown as Section<never>;
}

export interface RenderOptions {
  readonly color?: boolean;
}

export function render(report: Report, format: Format, options: RenderOptions = {}): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(report.json, null, 2)}\n`;
    case "csv":
      return report.sections.map(renderCsv).join("\n");
    case "markdown":
      return joinBlocks([...report.sections.map(renderMarkdown), ...(report.notes ?? []).map((n) => `> ${n}\n`)]);
    case "table":
      return joinBlocks([
        ...report.sections.map((s) => renderTable(s, options.color ?? false)),
        (report.notes ?? []).map((n) => `${n}\n`).join(""),
      ]);
  }
}

function joinBlocks(blocks: string[]): string {
  return blocks.filter((b) => b.length > 0).join("\n");
}

function text(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "boolean") return cell ? "yes" : "no";
  return String(cell);
}

function cellsOf(s: Section<never>): string[][] {
  return s.rows.map((row) => s.columns.map((c) => text(c.value(row))));
}

/** RFC 4180: quote fields holding a comma, quote, CR or LF; double inner quotes; CRLF line ends. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function renderCsv(s: Section<never>): string {
  const lines = [s.columns.map((c) => c.header), ...cellsOf(s)];
  return lines.map((cells) => cells.map(csvField).join(",")).join("\r\n") + "\r\n";
}

function mdEscape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

function renderMarkdown(s: Section<never>): string {
  const title = s.title ? `### ${s.title}\n\n` : "";
  if (s.rows.length === 0) return `${title}${s.empty ?? "(none)"}\n`;
  const header = `| ${s.columns.map((c) => mdEscape(c.header)).join(" | ")} |`;
  const rule = `| ${s.columns.map(() => "---").join(" | ")} |`;
  const rows = cellsOf(s).map((cells) => `| ${cells.map(mdEscape).join(" | ")} |`);
  return `${title}${[header, rule, ...rows].join("\n")}\n`;
}

// Terminal cells must not carry control characters from the data (a crafted job name could move the cursor).
function printable(value: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === "\n" ? " " : "?"));
}

const BOLD = (s: string): string => `\u001b[1m${s}\u001b[22m`;
const DIM = (s: string): string => `\u001b[2m${s}\u001b[22m`;

function renderTable(s: Section<never>, color: boolean): string {
  const title = s.title ? `${color ? BOLD(s.title) : s.title}\n` : "";
  if (s.rows.length === 0) return `${title}  ${s.empty ?? "(none)"}\n`;
  const headers = s.columns.map((c) => c.header.toUpperCase());
  const rows = cellsOf(s).map((cells) => cells.map(printable));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const head = line(headers);
  return `${title}${color ? DIM(head) : head}\n${rows.map((r) => `${line(r)}\n`).join("")}`;
}
