import { Octokit } from "@octokit/rest";
import { onTestFinished } from "vitest";
import { startSimulator } from "../../../src/demo/simulator/index.js";
import type { SimState, Simulator, SimulatorOptions } from "../../../src/demo/simulator/index.js";

/** Starts a simulator that is closed when the current test finishes. */
export async function simulator(state: SimState, options: Omit<SimulatorOptions, "state"> = {}): Promise<Simulator> {
  const sim = await startSimulator({ state, ...options });
  onTestFinished(() => sim.close());
  return sim;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A real @octokit/rest client against the simulator, without octokit's request log on stderr. */
export function client(sim: Simulator, auth?: string, options: ConstructorParameters<typeof Octokit>[0] = {}): Octokit {
  return new Octokit({ baseUrl: sim.url, log: silent, ...(auth ? { auth } : {}), ...options });
}
