import { stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { InputError } from "../../errors.js";
import type { ScanWarning } from "../source.js";
import { readYamlFile } from "../shared/read-yaml-file.js";
import type { CircleciFile } from "./parse-circleci.js";

/**
 * Reads `.circleci/config.yml` of a checkout (or the config file given itself). A missing config is warned about
 * and gives null.
 * @throws InputError when the location does not exist or cannot be read, or the config file is not usable YAML.
 */
export async function readCircleciConfig(location: string, warn: (warning: ScanWarning) => void): Promise<{ root: string; file: CircleciFile | null }> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(location)).isDirectory();
  } catch (error) {
    throw new InputError(`${location} cannot be read (${(error as { code?: string }).code ?? "error"}): give the path of a repository checkout`, { cause: error });
  }
  const path = isDirectory ? join(location, ".circleci", "config.yml") : location;
  const root = isDirectory ? location : dirname(dirname(location));
  try {
    await stat(path);
  } catch {
    warn({ path, message: "no .circleci/config.yml: no CircleCI pipelines scanned" });
    return { root, file: null };
  }
  const relPath = relative(root, path).split(sep).join("/");
  let problem = "cannot be used";
  const documents = await readYamlFile(path, relPath, (w) => (problem = w.message));
  if (documents === null) {
    // The whole source is this one file: scanning it as empty would erase the pipelines the last good scan stored.
    throw new InputError(`${path}: ${problem}; the earlier results of this checkout are kept`);
  }
  const config = documents[0];
  return { root, file: config ? { relPath, path, root: config } : null };
}
