/**
 * keyward as a library: the same functions the CLI calls. Re-exports only; importing this module opens no
 * database, builds no client and starts no server.
 */

/** Errors: every failure is a KeywardError with a one-line message; `exitCode` is what the CLI exits with. */
export {
  KeywardError,
  UsageError,
  InputError,
  PassphraseRequiredError,
  AuthError,
  GitHubApiError,
  StoreError,
  InternalError,
} from "./errors.js";

/**
 * Key material → fingerprints identical to `ssh-keygen -l`.
 * @throws InputError for material that is not a key; PassphraseRequiredError when a passphrase is needed.
 */
export { parseKeyMaterial, parsePublicKeyLines, keyInfoFromBlob, parseFingerprint, readKeyFile, resolveKeyArgument } from "./keys/index.js";
export type { KeyInfo } from "./keys/key-info.js";

/**
 * The SQLite store. `openStore(path)` creates the file with mode 0600 and applies the migrations.
 * @throws StoreError when the file cannot be opened or was written by a newer keyward.
 */
export { openStore, type Store } from "./store/index.js";

/**
 * Crawl GitHub orgs into the store.
 * @throws AuthError on a rejected token; GitHubApiError when GitHub cannot be reached at all.
 */
export { crawl, type CrawlOptions, type CrawlResult } from "./github/index.js";

/** Scan a CI source into the store with one of the adapters of `SOURCES`. @throws InputError when the source cannot be read. */
export { runScan, type ScanSummary } from "./sources/run-scan.js";
export { SOURCES, sourceFor } from "./sources/registry.js";
export type { KeySource, PipelineRecord, KeyUse, KeyRef, ScanContext, ScanWarning } from "./sources/source.js";

/** The answers, as plain objects (the CLI's JSON). @throws InputError for an account no crawl has seen (offboard). */
export { whoUses, offboard, review, check, listKeys, listPipelines } from "./queries/index.js";
export type { WhoUsesResult, OffboardResult, ReviewResult, CheckResult, FailOn } from "./queries/index.js";

/** Ask GitHub's SSH server whose key this is. @throws AuthError when the host key does not match. */
export { probeKey, type ProbeOptions, type ProbeResult } from "./probe/index.js";

/** Run the CLI in-process (argv without node and script); returns the exit code. */
export { runCli } from "./cli/run-cli.js";
