/** Whose key GitHub says it is, read from the text its SSH server sends after a successful login. */
export interface GreetingIdentity {
  /** The user login, for a key registered on a user account. */
  readonly account: string | null;
  /** `owner/name`, for a deploy key. */
  readonly repository: string | null;
}

// GitHub's wording (github/docs: authentication/troubleshooting-ssh/testing-your-ssh-connection.md):
// "Hi USERNAME! You've successfully authenticated, but GitHub does not provide shell access." A deploy key gets the
// same sentence with `owner/repo` as the name. Servers typeset the apostrophe either way.
const GREETING = /(?:^|\n)[ \t]*Hi ([^\s!]+)! You['\u2019]ve successfully authenticated/;
// Logins: alphanumerics and single inner hyphens; repository names: alphanumerics, `.`, `_`, `-`.
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const REPOSITORY_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Reads the account or repository out of GitHub's SSH greeting.
 * "Hi octocat! You've successfully authenticated…" → `{ account: "octocat", repository: null }`;
 * "Hi acme/api! …" → `{ account: null, repository: "acme/api" }`; anything else → null.
 */
export function parseGreeting(text: string): GreetingIdentity | null {
  const name = GREETING.exec(text.replace(/\r\n?/g, "\n"))?.[1];
  if (name === undefined) return null;
  const parts = name.split("/");
  if (parts.length === 1 && LOGIN.test(name)) return { account: name, repository: null };
  const [owner, repo] = parts;
  if (parts.length === 2 && owner !== undefined && repo !== undefined && LOGIN.test(owner) && REPOSITORY_NAME.test(repo)) {
    return { account: null, repository: name };
  }
  return null;
}
