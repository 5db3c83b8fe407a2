import type { KeyInfo } from "../keys/key-info.js";
import {
  finishRun,
  saveAccount,
  saveKey,
  saveRegistration,
  saveRepository,
  startRun,
  type Store,
} from "../store/index.js";
import type { ProbeResult } from "./index.js";

/**
 * Keeps what GitHub's SSH server said about a key as a registration "seen by probe", so that who-uses and
 * review stop calling it unknown. A refusal is recorded as a run, not as a registration: GitHub not accepting
 * a key proves nothing about who once held it.
 */
export function recordProbe(store: Store, key: KeyInfo, result: ProbeResult, now: string): void {
  store.transaction(() => {
    const runId = startRun(store, "probe", { host: result.host, port: result.port, fingerprint: result.fingerprint }, now);
    const keyId = saveKey(store, key, now);
    if (result.account) {
      const accountId = saveAccount(store, { login: result.account }, null, now);
      saveRegistration(store, { keyId, kind: "user_key", accountId, source: "probe" }, runId, now);
    } else if (result.repository) {
      const repositoryId = saveRepository(store, { fullName: result.repository, org: result.repository.split("/")[0] ?? null }, null, now);
      saveRegistration(store, { keyId, kind: "deploy_key", repositoryId, source: "probe" }, runId, now);
    }
    finishRun(store, runId, { complete: true, stats: { authenticated: result.authenticated } }, now);
  });
}
