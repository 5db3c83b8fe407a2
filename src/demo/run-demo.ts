import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { UsageError, messageOf } from "../errors.js";
import type { CliIo } from "../cli/context.js";
import { runCli } from "../cli/run-cli.js";
import { startSimulator, type Simulator } from "./simulator/index.js";
import {
  expectBroken,
  expectNothingBroken,
  expectOffboard,
  expectPersonalKeyFlagged,
  expectWhoUses,
  type StoryFacts,
} from "./expect-story.js";
import { renderCommand } from "./render-command.js";
import { createScenario, transformScenarioToSimState, type DemoScenario } from "./scenario.js";
import { writeDemoSources } from "./write-sources.js";

/*
 * `keyward demo`: the whole story, offline, through the real code paths. Every step is the real CLI run
 * in-process (`runCli`) against a loopback GitHub simulator and files written the way Jenkins writes them; each
 * step prints the command line it equals, and its `--format json` twin is checked so that the demo fails loudly
 * when keyward no longer tells the story.
 */

export interface DemoOptions {
  /** Keep everything in this folder (new or empty); default a fresh temp folder, also kept. */
  readonly dir?: string;
  readonly io: CliIo;
}

/** A step that did not play out as told. */
class StoryError extends Error {
  override name = "StoryError";
}

interface StepRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface StepSpec {
  readonly heading: string;
  readonly argv: readonly string[];
  /** Exit code the story expects (0 clean, 1 findings). */
  readonly code: number;
  /** Passed to the CLI (GITHUB_TOKEN): shown by name only. */
  readonly env?: Readonly<Record<string, string>>;
  /** Checks the step's `--format json` document; read-only steps only, as it runs the command a second time. */
  readonly expect?: (doc: unknown) => string | null;
  /** Told before the command. */
  readonly say?: readonly string[];
}

const INDENT = "   ";

function indent(text: string): string {
  return text
    .replace(/\n+$/, "")
    .split("\n")
    .map((line) => (line === "" ? "" : `${INDENT}${line}`))
    .join("\n");
}

function prepareDir(dir: string | undefined, cwd: string): string {
  if (dir === undefined) return mkdtempSync(join(tmpdir(), "keyward-demo-"));
  const path = resolve(cwd, dir);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new UsageError(`--dir ${path} is a file: give a new or empty folder`);
    if (readdirSync(path).length > 0) {
      throw new UsageError(`--dir ${path} is not empty: give a new or empty folder (the demo writes keyward.db and its Jenkins home there)`);
    }
  }
  mkdirSync(path, { recursive: true, mode: 0o700 });
  return path;
}

/**
 * Plays the demo and returns the exit code: 0 when every step played out as told, 2 when one did not (the
 * failed step is reported on stderr). The simulator is stopped and the folder, with its database, is kept.
 * @throws UsageError when `dir` is a file or a folder that is not empty.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const { io } = options;
  const dir = prepareDir(options.dir, io.cwd);
  const db = join(dir, "keyward.db");
  const scenario = createScenario();
  const sim = await startSimulator({ state: transformScenarioToSimState(scenario) });
  try {
    await playStory(io, scenario, sim, dir, db);
    return 0;
  } catch (error) {
    if (!(error instanceof StoryError)) throw error;
    io.stderr(
      [
        "",
        "!!! keyward demo FAILED: the story did not play out as told.",
        `!!! ${error.message}`,
        `!!! Everything is left in ${dir} (database ${db}) for a look; this is a bug in keyward.`,
        "",
      ].join("\n"),
    );
    return 2;
  } finally {
    await sim.close();
  }
}

async function playStory(io: CliIo, scenario: DemoScenario, sim: Simulator, dir: string, db: string): Promise<void> {
  const out = (text = ""): void => io.stdout(`${text}\n`);
  const { story } = scenario;
  const person = scenario.people.find((p) => p.login === story.person);
  const facts: StoryFacts = {
    person: story.person,
    pipeline: story.pipeline,
    fingerprint: story.key.sha256,
    machineUser: story.machineUser,
    agentPipeline: scenario.agent.pipeline,
  };
  const scrub = (text: string): string => text.split(scenario.token).join("…");
  const baseEnv: Record<string, string> = "NO_COLOR" in io.env ? { NO_COLOR: "1" } : {};
  let stepNumber = 0;

  const invoke = async (argv: readonly string[], env: Readonly<Record<string, string>>, tty: boolean): Promise<StepRun> => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { ...baseEnv, ...env },
      cwd: dir,
      stdoutIsTTY: tty,
      stderrIsTTY: false,
    });
    return { code, stdout: scrub(stdout), stderr: scrub(stderr) };
  };

  const heading = (text: string): void => {
    stepNumber += 1;
    out();
    out(`${stepNumber}. ${text}`);
  };

  const step = async (spec: StepSpec): Promise<void> => {
    heading(spec.heading);
    for (const line of spec.say ?? []) out(`${INDENT}${line}`);
    const argv = [...spec.argv, "--db", db];
    const what = renderCommand(argv, Object.keys(spec.env ?? {}));
    out(`${INDENT}${what}`);
    const shown = await invoke(argv, spec.env ?? {}, io.stdoutIsTTY);
    if (shown.stdout.trim() !== "") out(indent(shown.stdout));
    if (shown.stderr.trim() !== "") io.stderr(`${indent(shown.stderr)}\n`);
    if (shown.code !== spec.code) {
      throw new StoryError(`step ${stepNumber} (${what}) exited ${shown.code}, expected ${spec.code}`);
    }
    if (!spec.expect) return;
    const checked = await invoke([...argv, "--format", "json"], spec.env ?? {}, false);
    if (checked.code !== spec.code) {
      throw new StoryError(`step ${stepNumber} (${what} --format json) exited ${checked.code}, expected ${spec.code}: ${checked.stderr.trim()}`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(checked.stdout);
    } catch (error) {
      throw new StoryError(`step ${stepNumber} (${what} --format json) printed no JSON document: ${messageOf(error)}`);
    }
    const failure = spec.expect(doc);
    if (failure !== null) throw new StoryError(`step ${stepNumber} (${what}): ${failure}`);
  };

  /** A quiet read-only check between steps: not shown, so it must not change anything. */
  const verify = async (argv: readonly string[], code: number, expect: (doc: unknown) => string | null): Promise<void> => {
    const run = await invoke([...argv, "--db", db, "--format", "json"], {}, false);
    const what = renderCommand([...argv, "--db", db]);
    if (run.code !== code) throw new StoryError(`${what} exited ${run.code}, expected ${code}: ${run.stderr.trim()}`);
    let doc: unknown;
    try {
      doc = JSON.parse(run.stdout);
    } catch (error) {
      throw new StoryError(`${what} --format json printed no JSON document: ${messageOf(error)}`);
    }
    const failure = expect(doc);
    if (failure !== null) throw new StoryError(`${what}: ${failure}`);
  };

  const crawlArgv = ["crawl", "--org", scenario.org, "--api-url", sim.url];
  const crawlEnv = { GITHUB_TOKEN: scenario.token };

  out("keyward demo: a deploy that broke silently, replayed on this machine (nothing leaves it)");
  out();
  out(`${INDENT}acme deploys with a Jenkins pipeline that pushes to ${story.repository} with an SSH key.`);
  out(`${INDENT}Nobody knows that key sits on ${person?.name ?? story.person}'s personal GitHub account. When he tidies`);
  out(`${INDENT}his account and deletes an "old key", the push fails, Jenkins carries on, and for two weeks`);
  out(`${INDENT}"deployments" ship stale code. keyward makes the coupling visible and the break loud.`);
  out(`${INDENT}Everything goes to ${dir}`);

  heading("A GitHub org, simulated on this machine");
  out(`${INDENT}GitHub API at ${sim.url} (a loopback simulator; its token is a throwaway, shown as GITHUB_TOKEN=…)`);
  out(`${INDENT}org ${scenario.org}:`);
  for (const p of scenario.people) {
    out(`${INDENT}  ${p.login.padEnd(18)} ${p.role === "admin" ? "owner " : "member"}  ${p.keys.length} SSH key(s)  ${p.about}`);
  }
  for (const r of scenario.repositories) {
    out(`${INDENT}  ${`${scenario.org}/${r.name}`.padEnd(18)} repo    ${r.deployKeys.length} deploy key(s)`);
  }
  out(`${INDENT}Every key was generated just now.`);

  heading("A Jenkins home and a build agent, written the way Jenkins writes them");
  const sources = writeDemoSources(dir, scenario);
  out(`${INDENT}${relative(dir, sources.jenkinsHome)}/credentials.xml  SSH credentials ${scenario.jenkins.credentials.map((c) => `"${c.id}"`).join(", ")} (encrypted with the home's secrets/)`);
  out(`${INDENT}${relative(dir, sources.jenkinsHome)}/jobs/shop/jobs/deploy-prod  pipeline: sshagent(['${story.credentialId}']) { git push git@github.com:${story.repository}.git || true }`);
  out(`${INDENT}${relative(dir, sources.jenkinsHome)}/jobs/shop/jobs/build-website  freestyle: Git checkout of ${scenario.org}/website with "website-checkout"`);
  out(`${INDENT}${relative(dir, sources.agentKeys)}  the build agent's key (the release bot's)`);

  await step({
    heading: "Crawl the org: which SSH keys sit on which accounts and repositories",
    argv: crawlArgv,
    env: crawlEnv,
    code: 0,
  });
  await step({
    heading: "Mark the release bot as a machine user: its keys are meant for pipelines",
    argv: ["machine-user", "add", story.machineUser],
    code: 0,
  });
  await step({
    heading: "Scan Jenkins: which pipelines use which keys",
    argv: ["scan", "jenkins", sources.jenkinsHome],
    code: 0,
  });
  await step({
    heading: "Scan the build agent's key folder",
    argv: ["scan", "keys", sources.agentKeys, "--pipeline", scenario.agent.pipeline],
    code: 0,
  });
  await step({
    heading: "Review: pipelines that depend on a person's own key",
    argv: ["review"],
    code: 1,
    expect: (doc) => expectPersonalKeyFlagged(doc, facts),
  });
  await step({
    heading: "Whose key is the deploy key, and what uses it?",
    argv: ["who-uses", story.key.sha256],
    code: 0,
    expect: (doc) => expectWhoUses(doc, facts),
  });
  await step({
    heading: `What breaks if ${story.person} leaves?`,
    argv: ["offboard", story.person],
    code: 1,
    expect: (doc) => expectOffboard(doc, facts),
  });
  await verify(["check"], 0, expectNothingBroken);

  heading(`${person?.name ?? story.person} tidies his GitHub account`);
  const user = sim.state.users[story.person];
  const before = user?.keys.length ?? 0;
  if (user) user.keys = user.keys.filter((k) => k.title !== story.keyTitle);
  if (!user || user.keys.length !== before - 1) throw new StoryError(`the simulator holds no key "${story.keyTitle}" on ${story.person}'s account to delete`);
  out(`${INDENT}He deletes the key "${story.keyTitle}" (added 2019) on GitHub: Settings → SSH and GPG keys → Delete.`);
  out(`${INDENT}The next deploy's push is refused; "|| true" keeps the build green, and nobody notices.`);

  await step({
    heading: "The nightly crawl",
    say: ["keyward's scheduled crawl sees the org as it is now."],
    argv: crawlArgv,
    env: crawlEnv,
    code: 0,
  });
  await step({
    heading: "Check: which pipelines lost their key",
    argv: ["check"],
    code: 1,
    expect: (doc) => expectBroken(doc, facts),
  });

  out();
  out("The story played out as told:");
  out(`${INDENT}before the deletion, review flagged ${story.pipeline}: it pushes with ${story.person}'s personal key`);
  out(`${INDENT}after it, check named ${story.pipeline} broken (key-removed) the morning after, not two weeks later`);
  out(`The database is kept: ${db}`);
  out(`${INDENT}look around: ${renderCommand(["pipelines", "--db", db]).slice(2)}`);
  out("On your own org: the same commands with your token and org (no --api-url), your JENKINS_HOME,");
  out(`${INDENT}and keyward check after every crawl, from cron or a CI gate.`);
}
