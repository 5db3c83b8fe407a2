import type { ScanWarning } from "../source.js";
import { sourceText } from "./line-lookup.js";
import { readTextFile } from "./read-capped-file.js";
import { parseYamlTree } from "./yaml-tree.js";
import type { YNode } from "./yaml-tree.js";

/**
 * Reads and parses one YAML file of a CI config. Every fault of the file itself (missing, too large, not UTF-8,
 * invalid YAML, alias bomb) is warned with the file's path and gives null: one bad file never stops a scan.
 * `label` is the name used in evidence (normally the repository-relative path).
 */
export async function readYamlFile(path: string, label: string, warn: (warning: ScanWarning) => void): Promise<readonly YNode[] | null> {
  const read = await readTextFile(path);
  if ("problem" in read) {
    warn({ path, message: read.problem });
    return null;
  }
  const parsed = parseYamlTree(sourceText(label, read.text));
  if ("error" in parsed) {
    warn({ path, message: `${parsed.error}; file skipped` });
    return null;
  }
  return parsed.documents;
}
