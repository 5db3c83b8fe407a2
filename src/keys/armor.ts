/**
 * The text between `begin` and the next `end` marker, or undefined. indexOf rather than a lazy regex keeps this
 * linear on hostile input full of begin markers.
 */
export function armoredBody(text: string, begin: string, end: string): string | undefined {
  const start = text.indexOf(begin);
  if (start < 0) return undefined;
  const stop = text.indexOf(end, start + begin.length);
  if (stop < 0) return undefined;
  return text.slice(start + begin.length, stop);
}

/** A PEM block: its label, headers (`Proc-Type`, `DEK-Info`) and base64 body without whitespace. */
export interface PemBlock {
  readonly label: string;
  readonly headers: Map<string, string>;
  readonly body: string;
}

/**
 * The first complete PEM block of `text` whose label is in `labels`, skipping others (`openssl ecparam -genkey`
 * writes an `EC PARAMETERS` block before the key).
 */
export function findPem(text: string, labels: ReadonlySet<string>): PemBlock | undefined {
  const pattern = /-----BEGIN ([A-Z0-9 ]{1,40})-----/g;
  for (let begin = pattern.exec(text); begin !== null; begin = pattern.exec(text)) {
    const label = begin[1] ?? "";
    if (!labels.has(label)) continue;
    const inner = armoredBody(text.slice(begin.index), begin[0], `-----END ${label}-----`);
    if (inner === undefined) return undefined;
    return parsePemInner(label, inner);
  }
  return undefined;
}

function parsePemInner(label: string, inner: string): PemBlock {
  const headers = new Map<string, string>();
  const body: string[] = [];
  for (const raw of inner.split("\n")) {
    const line = raw.trim();
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    else body.push(line.replace(/\s+/g, ""));
  }
  return { label, headers, body: body.join("") };
}

/** Rebuilds a canonical PEM (64-column body) for node:crypto, which is stricter than the copies we meet. */
export function renderPem(label: string, headers: Map<string, string>, body: string): string {
  const lines = [`-----BEGIN ${label}-----`];
  for (const [name, value] of headers) lines.push(`${name === "proc-type" ? "Proc-Type" : name === "dek-info" ? "DEK-Info" : name}: ${value}`);
  if (headers.size > 0) lines.push("");
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  lines.push(`-----END ${label}-----`, "");
  return lines.join("\n");
}
