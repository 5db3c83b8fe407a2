import { UsageError } from "../errors.js";
import { agentSource } from "./agent/index.js";
import { circleciSource } from "./circleci/index.js";
import { githubActionsSource } from "./github-actions/index.js";
import { gitlabSource } from "./gitlab/index.js";
import { jenkinsSource } from "./jenkins/index.js";
import { keyFilesSource } from "./key-files/index.js";
import type { KeySource } from "./source.js";

/** The `scan` subcommand name → its adapter. A new CI system is one folder and one line here. */
export const SOURCES: Readonly<Record<string, KeySource>> = {
  jenkins: jenkinsSource,
  workflows: githubActionsSource,
  gitlab: gitlabSource,
  circleci: circleciSource,
  keys: keyFilesSource,
  agent: agentSource,
};

export function sourceFor(name: string): KeySource {
  const source = SOURCES[name];
  if (!source) throw new UsageError(`unknown CI system ${name}: one of ${Object.keys(SOURCES).join(", ")}`);
  return source;
}
