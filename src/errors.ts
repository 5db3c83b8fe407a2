/**
 * The error hierarchy. Every failure that reaches the user is a KeywardError whose message is one line naming
 * the file, argument or request at fault and, where there is one, the next step. Messages never carry tokens,
 * headers, passphrases or key bytes. Only `src/cli/main.ts` turns these into exit codes.
 */
export class KeywardError extends Error {
  override name = "KeywardError";
  /** Exit code the CLI uses for this error (the contract: 2 for every error). */
  readonly exitCode: number = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bad command-line usage: unknown flag, missing argument, malformed value. */
export class UsageError extends KeywardError {
  override name = "UsageError";
}

/** Input that cannot be used: an unreadable file, a malformed key, a fingerprint of the wrong length. */
export class InputError extends KeywardError {
  override name = "InputError";
}

/** A private key is encrypted and no passphrase was given (or the one given is wrong). */
export class PassphraseRequiredError extends InputError {
  override name = "PassphraseRequiredError";
}

/** GitHub (or an SSH server) refused our credentials. */
export class AuthError extends KeywardError {
  override name = "AuthError";
}

/** GitHub answered with an error we cannot work around (after retries). */
export class GitHubApiError extends KeywardError {
  override name = "GitHubApiError";
  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The database cannot be opened, migrated or written. */
export class StoreError extends KeywardError {
  override name = "StoreError";
}

/** Something that should not happen: a bug in keyward. */
export class InternalError extends KeywardError {
  override name = "InternalError";
}

/** Message of any thrown value, for wrapping foreign errors at the boundary. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
