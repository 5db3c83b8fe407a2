import type { KeySource, PipelineRecord, ScanContext } from "../source.js";
import { readRepoName } from "../shared/repo-name.js";
import { parseGitlabCi } from "./parse-gitlab-ci.js";
import { readGitlabFiles, readGitlabLocation } from "./read-gitlab-ci.js";

/**
 * GitLab CI: `ctx.location` is a repository checkout (or a `.gitlab-ci.yml` file); `ctx.options.repo` (the
 * project path) defaults to the origin remote, else the folder name. Pipelines are `<repo>:<job>`; evidence is
 * `<repository-relative file>:<line>`, pointing into an included file or template where the line lives there.
 */
export const gitlabSource: KeySource = {
  system: "gitlab-ci",
  async *scan(ctx: ScanContext): AsyncGenerator<PipelineRecord> {
    const { root, main } = await readGitlabLocation(ctx.location);
    const repo = await readRepoName(root, ctx.options["repo"]);
    const { files, notFollowed } = await readGitlabFiles(root, main, (w) => ctx.warn(w));
    const { pipelines, warnings } = parseGitlabCi({ files, notFollowed, repo, source: main });
    for (const warning of warnings) ctx.warn(warning);
    yield* pipelines;
  },
};
