import type { KeySource, PipelineRecord, ScanContext } from "../source.js";
import { readRepoName } from "../shared/repo-name.js";
import { parseCircleci } from "./parse-circleci.js";
import { readCircleciConfig } from "./read-circleci.js";

/**
 * CircleCI: `ctx.location` is a repository checkout (or its `.circleci/config.yml`); `ctx.options.repo` defaults to
 * the origin remote, else the folder name. Pipelines are `<repo>:<job>`; evidence `.circleci/config.yml:<line>`.
 */
export const circleciSource: KeySource = {
  system: "circleci",
  async *scan(ctx: ScanContext): AsyncGenerator<PipelineRecord> {
    const { root, file } = await readCircleciConfig(ctx.location, (w) => ctx.warn(w));
    if (!file) return;
    const repo = await readRepoName(root, ctx.options["repo"]);
    const { pipelines, warnings } = parseCircleci(file, repo);
    for (const warning of warnings) ctx.warn(warning);
    yield* pipelines;
  },
};
