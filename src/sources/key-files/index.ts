import { UsageError } from "../../errors.js";
import type { KeySource, PipelineRecord, ScanContext } from "../source.js";
import { readKeyFiles } from "./read-key-files.js";

/**
 * Key files on a CI agent: `ctx.options.paths` (absolute files or folders, searched recursively; when absent,
 * `ctx.location` is the one path) and `ctx.options.pipeline` (required) name one pipeline with one use per key.
 * The CLI passes `location = "pipeline:<name>"`, which is also the pipeline's `source`. Evidence is the key file's
 * path, or `config:line` of the `IdentityFile` naming a key outside the scanned paths. Optional:
 * `ctx.options.passphrase` (for encrypted PEM/PKCS#8 keys without .pub), `ctx.options.home` (for `~` in configs
 * outside any .ssh folder), `ctx.options.repo`.
 */
export const keyFilesSource: KeySource = {
  system: "keys",
  async *scan(ctx: ScanContext): AsyncGenerator<PipelineRecord> {
    const pipeline = ctx.options["pipeline"];
    if (typeof pipeline !== "string" || pipeline.trim() === "") throw new UsageError("scan keys needs --pipeline <name>: the pipeline these keys belong to");
    const rawPaths = ctx.options["paths"];
    const paths = Array.isArray(rawPaths) ? rawPaths.filter((p): p is string => typeof p === "string") : [ctx.location];
    if (paths.length === 0) throw new UsageError("scan keys needs at least one file or directory");
    const option = (name: string): string | undefined => {
      const value = ctx.options[name];
      return typeof value === "string" ? value : undefined;
    };
    const uses = await readKeyFiles({ paths, passphrase: option("passphrase"), home: option("home"), warn: (w) => ctx.warn(w) });
    yield { name: pipeline, source: ctx.location, repository: option("repo") ?? null, uses };
  },
};
