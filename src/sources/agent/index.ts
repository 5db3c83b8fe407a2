import { createHash } from "node:crypto";
import { InputError, UsageError } from "../../errors.js";
import { keyInfoFromBlob } from "../../keys/index.js";
import type { KeySource, KeyUse, PipelineRecord, ScanContext } from "../source.js";
import { readAgentIdentities } from "./read-agent.js";

/** The key type name at the start of a blob, for messages about blobs we cannot parse. */
function blobType(blob: Buffer): string {
  if (blob.length < 4) return "unknown";
  const length = blob.readUInt32BE(0);
  return length > 0 && length <= 64 && 4 + length <= blob.length ? blob.subarray(4, 4 + length).toString("latin1").replace(/[^\x20-\x7e]/g, "?") : "unknown";
}

/**
 * ssh-agent: lists every identity of the agent at `ctx.options.socket` (default `$SSH_AUTH_SOCK`) as one pipeline
 * (`ctx.options.pipeline`, required). Evidence: `ssh-agent <socket>: identity <n> (<comment>)`. A blob keys/ cannot
 * parse (a type it does not know) is warned about and still recorded by the SHA256 of its raw blob, which is what
 * ssh-keygen prints for a plain key, so nothing the agent holds goes unrecorded.
 */
export const agentSource: KeySource = {
  system: "agent",
  async *scan(ctx: ScanContext): AsyncGenerator<PipelineRecord> {
    const pipeline = ctx.options["pipeline"];
    if (typeof pipeline !== "string" || pipeline.trim() === "") throw new UsageError("scan agent needs --pipeline <name>: the pipeline this agent serves");
    const option = ctx.options["socket"];
    const socket = typeof option === "string" && option !== "" ? option : process.env["SSH_AUTH_SOCK"];
    if (!socket) throw new InputError("SSH_AUTH_SOCK is not set and no socket was given: start ssh-agent or pass --socket <path>");
    const timeout = ctx.options["timeoutMs"];
    const identities = await readAgentIdentities(socket, typeof timeout === "number" ? { timeoutMs: timeout } : {});
    const uses: KeyUse[] = identities.map(({ blob, comment }, index) => {
      const evidence = `ssh-agent ${socket}: identity ${index + 1} (${comment})`;
      try {
        const key = keyInfoFromBlob(blob, comment || null);
        return { key: { kind: "key", key }, evidence, detail: { socket, identity: index + 1, comment, certificate: key.certificate === true } };
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const sha256 = `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
        ctx.warn({ path: socket, message: `identity ${index + 1} (${comment}) is a ${blobType(blob)} blob keyward cannot parse (${error.message}): recorded by its raw-blob fingerprint ${sha256}` });
        return { key: { kind: "fingerprint", sha256 }, evidence, detail: { socket, identity: index + 1, comment, unparsed: true, type: blobType(blob) } };
      }
    });
    yield { name: pipeline, source: ctx.location, repository: typeof ctx.options["repo"] === "string" ? ctx.options["repo"] : null, uses };
  },
};
