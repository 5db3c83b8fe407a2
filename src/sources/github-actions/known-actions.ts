/**
 * Actions that take an SSH key, by `owner/repo[/path]` (lower case, without `@ref`): the inputs holding a key
 * (or a key path), and environment variables the action reads a key from.
 * Sources: each action's `action.yml` (webfactory/ssh-agent, actions/checkout, shimataro/ssh-key-action,
 * appleboy/ssh-action, appleboy/scp-action, burnett01/rsync-deployments, wlixcc/SFTP-Deploy-Action) and
 * easingthemes/ssh-deploy's README (it reads `SSH_PRIVATE_KEY` from `env:`).
 */
export interface KnownAction {
  readonly inputs: readonly string[];
  /** Inputs whose value is a path on the runner rather than key material. */
  readonly pathInputs?: readonly string[];
  readonly env?: readonly string[];
}

export const KNOWN_ACTIONS: ReadonlyMap<string, KnownAction> = new Map<string, KnownAction>([
  ["webfactory/ssh-agent", { inputs: ["ssh-private-key"] }],
  ["actions/checkout", { inputs: ["ssh-key"] }],
  ["shimataro/ssh-key-action", { inputs: ["key"] }],
  ["appleboy/ssh-action", { inputs: ["key", "proxy_key", "key_path", "proxy_key_path"], pathInputs: ["key_path", "proxy_key_path"] }],
  ["appleboy/scp-action", { inputs: ["key", "proxy_key", "key_path", "proxy_key_path"], pathInputs: ["key_path", "proxy_key_path"] }],
  ["burnett01/rsync-deployments", { inputs: ["remote_key"] }],
  ["wlixcc/sftp-deploy-action", { inputs: ["ssh_private_key"] }],
  ["easingthemes/ssh-deploy", { inputs: [], env: ["SSH_PRIVATE_KEY"] }],
]);

/** Input names that hold an SSH key in actions we don't know (`ssh-key`, `deploy_key`, `private-key` …). */
export const KEYISH_INPUT = /ssh.?(?:private.?)?key|private.?key|deploy.?key|identity.?file/i;
/** Inputs next to keys that are not client keys: host keys, fingerprints of servers, passphrases. */
export const NOT_KEY_INPUT = /known.?hosts|fingerprint|host.?key|passphrase|password/i;

/** `owner/repo[/path]` of a `uses:` value, lower case, without `@ref`; null for docker:// and local actions. */
export function actionId(uses: string): string | null {
  const value = uses.trim();
  if (value.startsWith("./") || value.startsWith("docker://")) return null;
  return value.replace(/@.*$/, "").toLowerCase();
}
