/*
 * What each step of the demo must show for the story to have played out, checked on the step's `--format json`
 * document (the contract's shapes, read defensively: the demo proves the CLI, it does not trust it). Each check
 * is pure and returns null when the expectation holds, else one sentence saying what was missing.
 */

export interface StoryFacts {
  readonly person: string;
  readonly pipeline: string;
  readonly fingerprint: string;
  readonly machineUser: string;
  readonly agentPipeline: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function arrayOf(doc: unknown, field: string): Json[] | null {
  if (!isObject(doc)) return null;
  const value = doc[field];
  return Array.isArray(value) ? value.filter(isObject) : null;
}

function pipelineOf(entry: Json): { name: unknown; system: unknown } {
  const p = entry["pipeline"];
  return isObject(p) ? { name: p["name"], system: p["system"] } : { name: entry["name"], system: entry["system"] };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `review`: the deploy pipeline's key is flagged as the person's own key; the machine user's key is not. */
export function expectPersonalKeyFlagged(doc: unknown, facts: StoryFacts): string | null {
  const findings = arrayOf(doc, "findings");
  if (!findings) return "review printed no findings list";
  const hit = findings.find((f) => pipelineOf(f).name === facts.pipeline && f["reason"] === "personal-key");
  if (!hit) return `review did not flag ${facts.pipeline} for using a personal key`;
  if (pipelineOf(hit).system !== "jenkins") return `review named the system of ${facts.pipeline} "${String(pipelineOf(hit).system)}", not jenkins`;
  if (hit["fingerprint"] !== facts.fingerprint) return `review flagged ${facts.pipeline} with key ${String(hit["fingerprint"])}, not the deploy key ${facts.fingerprint}`;
  if (hit["account"] !== facts.person) return `review named the key's owner ${String(hit["account"])}, not ${facts.person}`;
  const botFlagged = findings.find((f) => pipelineOf(f).name === facts.agentPipeline && f["reason"] === "personal-key");
  if (botFlagged) return `review flagged ${facts.agentPipeline} although its key belongs to the machine user ${facts.machineUser}`;
  return null;
}

/** `who-uses`: the key is the person's personal key, present on GitHub, and the deploy pipeline uses it. */
export function expectWhoUses(doc: unknown, facts: StoryFacts): string | null {
  if (!isObject(doc)) return "who-uses printed no JSON object";
  if (doc["fingerprint"] !== facts.fingerprint) return `who-uses answered for ${String(doc["fingerprint"])}, not ${facts.fingerprint}`;
  const registrations = arrayOf(doc, "registrations") ?? [];
  const own = registrations.find((r) => r["kind"] === "user_key" && r["account"] === facts.person);
  if (!own) return `who-uses did not show the key on ${facts.person}'s account`;
  if (own["personal"] !== true) return `who-uses did not call ${facts.person}'s key personal`;
  if (own["present"] !== true) return `who-uses says ${facts.person}'s key is already gone before the deletion`;
  const pipelines = arrayOf(doc, "pipelines") ?? [];
  if (!pipelines.some((p) => p["name"] === facts.pipeline)) return `who-uses did not list ${facts.pipeline} among the key's pipelines`;
  return null;
}

/** `offboard`: the person's departure would break the deploy pipeline. */
export function expectOffboard(doc: unknown, facts: StoryFacts): string | null {
  if (!isObject(doc)) return "offboard printed no JSON object";
  const keys = arrayOf(doc, "keys") ?? [];
  if (!keys.some((k) => k["fingerprint"] === facts.fingerprint)) return `offboard did not list the deploy key among ${facts.person}'s keys`;
  const pipelines = arrayOf(doc, "pipelines") ?? [];
  if (!pipelines.some((p) => p["name"] === facts.pipeline)) return `offboard did not name ${facts.pipeline} as depending on ${facts.person}`;
  return null;
}

/** `check` after the deletion: the deploy pipeline is broken because its key was removed, with a time. */
export function expectBroken(doc: unknown, facts: StoryFacts): string | null {
  const broken = arrayOf(doc, "broken");
  if (!broken) return "check printed no broken list";
  const hit = broken.find((b) => pipelineOf(b).name === facts.pipeline);
  if (!hit) return `check did not report ${facts.pipeline} as broken`;
  if (hit["reason"] !== "key-removed") return `check gave the reason "${String(hit["reason"])}" for ${facts.pipeline}, not key-removed`;
  if (hit["fingerprint"] !== facts.fingerprint) return `check reported key ${String(hit["fingerprint"])}, not the deploy key ${facts.fingerprint}`;
  const removedAt = hit["removedAt"];
  if (typeof removedAt !== "string" || !ISO_TIME.test(removedAt)) return `check gave no time for the removal (removedAt ${String(removedAt)})`;
  return null;
}

/** `check` before the deletion: nothing is broken yet (so the later finding is the deletion's doing). */
export function expectNothingBroken(doc: unknown): string | null {
  const broken = arrayOf(doc, "broken");
  if (!broken) return "check printed no broken list";
  return broken.length === 0 ? null : `check reported ${broken.length} broken pipeline(s) before anything was deleted`;
}
