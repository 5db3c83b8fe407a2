import type { KeySource, PipelineRecord, ScanContext } from "../source.js";
import { readRepoName } from "../shared/repo-name.js";
import { parseWorkflows } from "./parse-workflows.js";
import { readCheckoutRoot, readWorkflowFiles } from "./read-workflows.js";

/**
 * GitHub Actions: `ctx.location` is a repository checkout (or its `.github/workflows` folder); `ctx.options.repo`
 * (`owner/name`) defaults to the origin remote of `.git/config`, else the folder name. Pipelines are named
 * `<repo>:<workflow path>#<job id>`; evidence is `<workflow path>:<line>`, repository-relative.
 */
export const githubActionsSource: KeySource = {
  system: "github-actions",
  async *scan(ctx: ScanContext): AsyncGenerator<PipelineRecord> {
    const root = await readCheckoutRoot(ctx.location);
    const repo = await readRepoName(root, ctx.options["repo"]);
    const files = await readWorkflowFiles(root, (w) => ctx.warn(w));
    const { pipelines, warnings } = parseWorkflows(files, repo);
    for (const warning of warnings) ctx.warn(warning);
    yield* pipelines;
  },
};
