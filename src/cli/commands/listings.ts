import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { listKeys, listMachineUsers, listPipelines, type PipelineListing, type UseView } from "../../queries/index.js";
import { setMachineUser } from "../../store/index.js";
import { section } from "../../output/render.js";
import type { Runner } from "../program.js";
import { freshnessNotes, warnFreshness } from "./shared.js";

// GitHub logins: alphanumerics and single hyphens, at most 39 characters; bots end in [bot].
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/;

export function registerListings(program: Command, run: Runner): void {
  program
    .command("keys")
    .description("list the stored SSH keys and where GitHub has them")
    .option("--account <login>", "only this account's keys")
    .action(
      run((ctx, options: { account?: string }) => {
        const store = ctx.openStore();
        const result = listKeys(store, options.account === undefined ? {} : { account: options.account }, ctx.now());
        warnFreshness(ctx, result.freshness);
        return {
          status: "clean",
          report: {
            json: result,
            sections: [
              section({
                rows: result.keys,
                empty: "no keys stored yet: run keyward crawl or keyward scan",
                columns: [
                  { header: "fingerprint", value: (k) => k.fingerprint },
                  { header: "type", value: (k) => k.type },
                  { header: "kind", value: (k) => k.kind ?? "(not on GitHub)" },
                  { header: "account", value: (k) => k.account },
                  { header: "repository", value: (k) => k.repository },
                  { header: "present", value: (k) => k.present },
                  { header: "title", value: (k) => k.title },
                  { header: "pipelines", value: (k) => k.pipelines },
                ],
              }),
            ],
            notes: freshnessNotes(result.freshness),
          },
        };
      }),
    );

  program
    .command("pipelines")
    .description("list the scanned pipelines and the keys they use")
    .action(
      run((ctx) => {
        const store = ctx.openStore();
        const result = listPipelines(store, ctx.now());
        warnFreshness(ctx, result.freshness);
        type Row = { p: PipelineListing; u: UseView | undefined };
        const rows = result.pipelines.flatMap((p): Row[] =>
          p.uses.length === 0 ? [{ p, u: undefined }] : p.uses.map((u) => ({ p, u })),
        );
        return {
          status: "clean",
          report: {
            json: result,
            sections: [
              section({
                rows,
                empty: "no pipelines scanned yet: run keyward scan …",
                columns: [
                  { header: "system", value: (r) => r.p.system },
                  { header: "pipeline", value: (r) => r.p.name },
                  { header: "key", value: (r) => r.u?.fingerprint ?? (r.u ? `${r.u.referenceKind ?? "ref"}:${r.u.reference ?? ""} (unresolved)` : "(no key)") },
                  { header: "reaches", value: (r) => r.u?.repository ?? r.u?.target ?? r.p.repository },
                  { header: "evidence", value: (r) => r.u?.evidence },
                ],
              }),
              ...(result.bindings.length > 0
                ? [
                    section({
                      title: "Bindings",
                      rows: result.bindings,
                      columns: [
                        { header: "pipeline", value: (b) => b.pipeline },
                        { header: "reference", value: (b) => b.reference },
                        { header: "key", value: (b) => b.sha256 },
                        { header: "system", value: (b) => b.system || "(any)" },
                      ],
                    }),
                  ]
                : []),
            ],
            notes: freshnessNotes(result.freshness),
          },
        };
      }),
    );

  const machineUser = program
    .command("machine-user")
    .description("mark accounts as machine users (their keys are not personal)");
  const machineUserList = (ctx: Parameters<Parameters<Runner>[0]>[0]) => {
    const users = listMachineUsers(ctx.openStore());
    return {
      status: "clean" as const,
      report: {
        json: { machineUsers: users.map((u) => ({ login: u.login, githubId: u.githubId, lastSeen: u.lastSeen })) },
        sections: [
          section({
            rows: users,
            empty: "no machine users marked: keyward machine-user add <login>",
            columns: [
              { header: "login", value: (u) => u.login },
              { header: "last seen", value: (u) => u.lastSeen },
            ],
          }),
        ],
      },
    };
  };
  for (const [name, flag] of [
    ["add", true],
    ["remove", false],
  ] as const) {
    machineUser
      .command(name)
      .description(`${name === "add" ? "mark" : "unmark"} logins as machine users`)
      .argument("<login...>", "GitHub logins")
      .action(
        run((ctx, logins: string[]) => {
          const bad = logins.find((l) => !GITHUB_LOGIN.test(l));
          if (bad !== undefined) throw new UsageError(`"${bad}" is not a GitHub login`);
          setMachineUser(ctx.openStore(), logins, flag, ctx.now());
          return machineUserList(ctx);
        }),
      );
  }
  machineUser
    .command("list")
    .description("list machine users")
    .action(run((ctx) => machineUserList(ctx)));
}
