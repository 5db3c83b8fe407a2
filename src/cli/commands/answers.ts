import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { check, offboard, review, type FailOn } from "../../queries/index.js";
import { section } from "../../output/render.js";
import type { Runner } from "../program.js";
import { freshnessNotes, warnFreshness } from "./shared.js";
import { notify, checkMessage } from "../../output/notify.js";

const FAIL_ON: readonly FailOn[] = ["personal", "unknown", "any", "none"];

export function registerAnswers(program: Command, run: Runner): void {
  program
    .command("offboard")
    .description("what breaks if this person leaves: their keys and the pipelines that depend on them")
    .argument("<login>", "GitHub login")
    .action(
      run((ctx, login: string) => {
        const result = offboard(ctx.openStore(), login, ctx.now());
        warnFreshness(ctx, result.freshness);
        const json = {
          ...result,
          keys: result.keys.map((k) => ({ ...k, fingerprint: k.fingerprint, kind: k.kind })),
        };
        const notes =
          result.pipelines.length > 0
            ? [`${result.pipelines.length} pipeline use(s) depend on ${result.login}: re-key them before offboarding`]
            : [`nothing scanned depends on ${result.login}'s keys`];
        return {
          status: result.pipelines.length > 0 ? "findings" : "clean",
          report: {
            json,
            sections: [
              section({
                title: `Keys of ${result.login}${result.machineUser ? " (machine user)" : ""}`,
                rows: result.keys,
                empty: "no keys seen on this account",
                columns: [
                  { header: "fingerprint", value: (k) => k.fingerprint },
                  { header: "kind", value: (k) => k.kind },
                  { header: "present", value: (k) => k.present },
                  { header: "title", value: (k) => k.title },
                  { header: "last used", value: (k) => k.lastUsed },
                ],
              }),
              section({
                title: "Pipelines that depend on them",
                rows: result.pipelines,
                empty: "none",
                columns: [
                  { header: "system", value: (p) => p.system },
                  { header: "pipeline", value: (p) => p.name },
                  { header: "fingerprint", value: (p) => p.fingerprint },
                  { header: "via", value: (p) => p.via },
                  { header: "reaches", value: (p) => p.repository ?? p.target },
                  { header: "evidence", value: (p) => p.evidence },
                ],
              }),
              section({
                title: "Deploy keys this person added",
                rows: result.deployKeysAdded,
                empty: "none (GitHub names who added a deploy key only in REST details)",
                columns: [
                  { header: "repository", value: (d) => d.repository },
                  { header: "fingerprint", value: (d) => d.fingerprint },
                  { header: "title", value: (d) => d.title },
                  { header: "present", value: (d) => d.present },
                ],
              }),
            ],
            notes: [...notes, ...freshnessNotes(result.freshness)],
          },
        };
      }),
    );

  program
    .command("review")
    .description("pipelines on personal, unknown or removed keys, and unresolved references")
    .option("--fail-on <level>", `exit 1 on findings at this level: ${FAIL_ON.join("|")}`, "personal")
    .action(
      run((ctx, options: { failOn: string }) => {
        if (!FAIL_ON.includes(options.failOn as FailOn)) {
          throw new UsageError(`--fail-on ${options.failOn} is not one of ${FAIL_ON.join(", ")}`);
        }
        const result = review(ctx.openStore(), options.failOn as FailOn, ctx.now());
        warnFreshness(ctx, result.freshness);
        return {
          status: result.failed ? "findings" : "clean",
          report: {
            json: result,
            sections: [
              section({
                title: `Review of ${result.pipelinesReviewed} pipeline(s)`,
                rows: result.findings,
                empty: "no findings",
                columns: [
                  { header: "reason", value: (f) => f.reason },
                  { header: "system", value: (f) => f.pipeline.system },
                  { header: "pipeline", value: (f) => f.pipeline.name },
                  { header: "key", value: (f) => f.fingerprint ?? f.reference },
                  { header: "account", value: (f) => f.account },
                  { header: "remedy", value: (f) => f.remediation },
                ],
              }),
            ],
            notes: freshnessNotes(result.freshness),
          },
        };
      }),
    );

  program
    .command("check")
    .description("pipelines whose key GitHub no longer has since an earlier crawl (the silent break)")
    .option("--notify <url>", "also POST the findings as JSON (with a Slack-compatible text field)")
    .action(
      run(async (ctx, options: { notify?: string }) => {
        const result = check(ctx.openStore(), ctx.now());
        warnFreshness(ctx, result.freshness);
        if (options.notify !== undefined) {
          await notify(options.notify, { ...result, text: checkMessage(result) });
          ctx.log.info(`posted ${result.broken.length} finding(s) to ${new URL(options.notify).host}`);
        }
        return {
          status: result.broken.length > 0 ? "findings" : "clean",
          report: {
            json: result,
            sections: [
              section({
                title: `Check of ${result.pipelinesChecked} pipeline(s)`,
                rows: result.broken,
                empty: "nothing broken",
                columns: [
                  { header: "system", value: (b) => b.pipeline.system },
                  { header: "pipeline", value: (b) => b.pipeline.name },
                  { header: "fingerprint", value: (b) => b.fingerprint },
                  { header: "account", value: (b) => b.account ?? b.repository },
                  { header: "reason", value: (b) => b.reason },
                  { header: "since", value: (b) => b.removedAt },
                ],
              }),
            ],
            notes: freshnessNotes(result.freshness),
          },
        };
      }),
    );
}
