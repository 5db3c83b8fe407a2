import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeJenkinsHome } from "./jenkins-home.js";
import type { DemoScenario } from "./scenario.js";

export interface DemoSources {
  readonly jenkinsHome: string;
  /** The folder `scan keys` reads: the agent's `~/.ssh`. */
  readonly agentKeys: string;
}

/**
 * Writes the CI side of the story below `dir`: a Jenkins home (`jenkins-home/`) and a build agent's key folder
 * (`<agent>/.ssh/`, private key 0600 in a 0700 folder, as ssh expects).
 */
export function writeDemoSources(dir: string, scenario: DemoScenario): DemoSources {
  const jenkinsHome = join(dir, "jenkins-home");
  writeJenkinsHome(jenkinsHome, scenario.jenkins);
  const agentKeys = join(dir, scenario.agent.pipeline, ".ssh");
  mkdirSync(agentKeys, { recursive: true, mode: 0o700 });
  for (const [name, content] of Object.entries(scenario.agent.files)) {
    writeFileSync(join(agentKeys, name), content, { mode: name.endsWith(".pub") ? 0o644 : 0o600 });
  }
  return { jenkinsHome, agentKeys };
}
