export { probeKey } from "./probe-key.js";
export type { ProbeOptions, ProbeResult } from "./probe-key.js";
export { parseGreeting } from "./greeting.js";
export type { GreetingIdentity } from "./greeting.js";
export {
  GITHUB_HOST_KEY_FINGERPRINTS,
  checkHostKey,
  fingerprintOfBlob,
  hostKeyPolicyFromKnownHosts,
  knownHostMatches,
  knownHostName,
  parseKnownHosts,
  readHostKeyPolicy,
} from "./host-keys.js";
export type { HostKeyPolicy, KnownHostEntry } from "./host-keys.js";
