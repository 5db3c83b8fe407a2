import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InputError } from "../../errors.js";
import type { ScanWarning } from "../source.js";
import { readYamlFile } from "../shared/read-yaml-file.js";
import type { WorkflowFile } from "./parse-workflows.js";

const WORKFLOWS_DIR = join(".github", "workflows");

/**
 * Finds the repository root of a location: the checkout itself, or its `.github/workflows` folder when the user
 * pointed there.
 * @throws InputError when the location does not exist or is not a directory.
 */
export async function readCheckoutRoot(location: string): Promise<string> {
  try {
    const stats = await stat(location);
    if (!stats.isDirectory()) throw new InputError(`${location} is not a directory: give the path of a repository checkout`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${location} cannot be read (${(error as { code?: string }).code ?? "error"}): give the path of a repository checkout`, { cause: error });
  }
  if (basename(location) === "workflows" && basename(dirname(location)) === ".github") return dirname(dirname(location));
  return location;
}

/**
 * Reads `.github/workflows/*.yml|yaml` of a checkout (GitHub runs no workflow from subfolders). Files that cannot be
 * read or parsed are warned about and skipped.
 */
export async function readWorkflowFiles(root: string, warn: (warning: ScanWarning) => void): Promise<WorkflowFile[]> {
  const dir = join(root, WORKFLOWS_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as { code?: string }).code;
    warn({ path: dir, message: code === "ENOENT" ? "no .github/workflows directory: no workflows scanned" : `cannot be read (${code ?? "error"}): no workflows scanned` });
    return [];
  }
  const files: WorkflowFile[] = [];
  for (const name of names.filter((n) => /\.ya?ml$/i.test(n)).sort()) {
    const path = join(dir, name);
    const relPath = `.github/workflows/${name}`;
    const documents = await readYamlFile(path, relPath, warn);
    const root = documents?.[0];
    if (root) files.push({ relPath, path, root });
  }
  return files;
}
