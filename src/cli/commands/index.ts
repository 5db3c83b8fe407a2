import type { Command } from "commander";
import type { Runner } from "../program.js";
import { registerAnswers } from "./answers.js";
import { registerBind } from "./bind.js";
import { registerCrawl } from "./crawl.js";
import { registerDemo } from "./demo.js";
import { registerListings } from "./listings.js";
import { registerProbe } from "./probe.js";
import { registerScan } from "./scan.js";
import { registerWhoUses } from "./who-uses.js";

/** Every command, in the order `keyward --help` lists them. */
export function registerCommands(program: Command, run: Runner): void {
  registerCrawl(program, run);
  registerScan(program, run);
  registerWhoUses(program, run);
  registerAnswers(program, run);
  registerListings(program, run);
  registerBind(program, run);
  registerDemo(program, run);
  registerProbe(program, run);
}
