import { KeywardError, UsageError, messageOf } from "../errors.js";
import type { CheckResult } from "../queries/index.js";

/** One message a person reads in a chat channel. */
export function checkMessage(result: CheckResult): string {
  if (result.broken.length === 0) return `keyward check: ${result.pipelinesChecked} pipeline(s) checked, nothing broken.`;
  const lines = result.broken.map(
    (b) => `• ${b.pipeline.system} ${b.pipeline.name}: key ${b.fingerprint}${b.account ? ` (${b.account})` : ""} ${b.reason} at ${b.removedAt}`,
  );
  return [`keyward check: ${result.broken.length} pipeline key(s) broken`, ...lines].join("\n");
}

/**
 * POSTs the findings as JSON. A failed notification fails the command: an alert that silently did not go out
 * is the very failure keyward exists to prevent.
 */
export async function notify(url: string, body: unknown, timeoutMs = 15_000): Promise<void> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UsageError(`--notify ${url} is not a URL`);
  }
  if (target.protocol !== "https:" && target.protocol !== "http:") throw new UsageError(`--notify ${url} must be http(s)`);
  // The URL may carry a webhook secret in its path: name only the host in messages.
  const where = target.host;
  let response: Response;
  try {
    response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new KeywardError(`notification to ${where} failed: ${messageOf(error)}`);
  }
  if (!response.ok) {
    throw new KeywardError(`notification to ${where} failed: HTTP ${response.status}`);
  }
}
