import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { resolveKeyArgument } from "../../keys/index.js";
import { findKeyBySha256, findKeysByMd5, removeBinding, saveBinding, saveKey } from "../../store/index.js";
import { section } from "../../output/render.js";
import type { Runner } from "../program.js";

export function registerBind(program: Command, run: Runner): void {
  program
    .command("bind")
    .description("say which key a pipeline's secret or credential reference is, so that review can judge it")
    .argument("<pipeline>", "pipeline name as `keyward pipelines` shows it")
    .argument("<reference>", "the secret, variable or credential name")
    .argument("<key>", "fingerprint, public key line, or key file")
    .option("--system <system>", "only for pipelines of this CI system")
    .action(
      run(async (ctx, pipeline: string, reference: string, key: string, options: { system?: string }) => {
        const resolved = await resolveKeyArgument(key);
        const store = ctx.openStore();
        const now = ctx.now();
        let keyId: number;
        if (resolved.key) keyId = saveKey(store, resolved.key, now);
        else if (resolved.sha256) keyId = findKeyBySha256(store, resolved.sha256)?.id ?? saveKey(store, { sha256: resolved.sha256 }, now);
        else {
          const byMd5 = resolved.md5 ? findKeysByMd5(store, resolved.md5) : [];
          if (byMd5.length !== 1 || !byMd5[0]) {
            throw new UsageError(`no stored key has the fingerprint ${key}: give the SHA256 fingerprint or the public key instead`);
          }
          keyId = byMd5[0].id;
        }
        saveBinding(store, { ...(options.system ? { system: options.system } : {}), pipeline, reference, keyId }, now);
        const binding = { pipeline, reference, system: options.system ?? null, fingerprint: resolved.key?.sha256 ?? resolved.sha256 ?? resolved.md5 ?? key };
        return {
          status: "clean",
          report: {
            json: binding,
            sections: [
              section({
                title: "Bound",
                rows: [binding],
                columns: [
                  { header: "pipeline", value: (b) => b.pipeline },
                  { header: "reference", value: (b) => b.reference },
                  { header: "key", value: (b) => b.fingerprint },
                ],
              }),
            ],
          },
        };
      }),
    );
  program
    .command("unbind")
    .description("forget a binding")
    .argument("<pipeline>")
    .argument("<reference>")
    .option("--system <system>", "the system the binding was made for")
    .action(
      run((ctx, pipeline: string, reference: string, options: { system?: string }) => {
        const removed = removeBinding(ctx.openStore(), { ...(options.system ? { system: options.system } : {}), pipeline, reference });
        if (!removed) throw new UsageError(`no binding of ${reference} in ${pipeline}`);
        return { status: "clean", report: { json: { pipeline, reference, removed }, sections: [], notes: [`unbound ${reference} in ${pipeline}`] } };
      }),
    );
}
