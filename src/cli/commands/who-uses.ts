import type { Command } from "commander";
import { resolveKeyArgument } from "../../keys/index.js";
import { whoUses, type WhoUsesResult } from "../../queries/index.js";
import { section, type Report } from "../../output/render.js";
import type { Runner } from "../program.js";
import { freshnessNotes, warnFreshness } from "./shared.js";

export function whoUsesReport(result: WhoUsesResult): Report<WhoUsesResult> {
  const notes: string[] = [`key ${result.fingerprint}${result.key?.type ? ` (${result.key.type}${result.key.bits ? ` ${result.key.bits}` : ""})` : ""}`];
  if (!result.known) notes.push("nothing is known about this key yet: no crawl saw it on GitHub and no scanned pipeline uses it");
  else {
    const live = result.registrations.filter((r) => r.present);
    if (result.registrations.length === 0) notes.push("no crawl has seen this key on GitHub (unknown key)");
    else if (live.length === 0) notes.push("GitHub no longer shows this key: pipelines using it are broken");
  }
  return {
    json: result,
    sections: [
      section({
        title: "Registrations on GitHub",
        rows: result.registrations,
        empty: "none seen by any crawl",
        columns: [
          { header: "kind", value: (r) => r.kind },
          { header: "account", value: (r) => r.account },
          { header: "repository", value: (r) => r.repository },
          { header: "personal", value: (r) => r.personal },
          { header: "present", value: (r) => (r.present ? (r.enabled === false ? "disabled" : "yes") : "no") },
          { header: "removed", value: (r) => (r.removedAt ? `${r.removedAt} (${r.removalReason ?? "removed"})` : "") },
          { header: "title", value: (r) => r.title },
          { header: "last used", value: (r) => r.lastUsed },
        ],
      }),
      section({
        title: "Pipelines using it",
        rows: result.pipelines,
        empty: "no scanned pipeline uses it",
        columns: [
          { header: "system", value: (p) => p.system },
          { header: "pipeline", value: (p) => p.name },
          { header: "reaches", value: (p) => p.repository ?? p.target },
          { header: "evidence", value: (p) => p.evidence },
        ],
      }),
    ],
    notes: [...notes, ...freshnessNotes(result.freshness)],
  };
}

export function registerWhoUses(program: Command, run: Runner): void {
  program
    .command("who-uses")
    .description("whose key is this, and which pipelines use it")
    .argument("<key>", "SHA256:… or MD5 fingerprint, a public key line, or a public/private key file")
    .action(
      run(async (ctx, key: string) => {
        const query = await resolveKeyArgument(key);
        const store = ctx.openStore();
        const result = whoUses(store, query, ctx.now());
        warnFreshness(ctx, result.freshness);
        return { status: "clean", report: whoUsesReport(result) };
      }),
    );
}
