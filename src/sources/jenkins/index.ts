import type { KeySource } from "../source.js";
import { readJenkinsHome } from "./read-home.js";

/** `keyward scan jenkins <JENKINS_HOME>`: `ctx.location` is the absolute path of the Jenkins home. */
export const jenkinsSource: KeySource = {
  system: "jenkins",
  scan: (ctx) => readJenkinsHome(ctx),
};

export { decryptSecret, deriveLegacyKey, deriveMasterKey, loadConfidentialKey, MAGIC, toAes128Key } from "./decrypt.js";
export type { SecretKeys, SecretOutcome } from "./decrypt.js";
export { parseCredentialStore } from "./parse-credentials.js";
export type { ParsedCredentialStore, SshCredentialEntry } from "./parse-credentials.js";
export { parseItemConfig } from "./parse-job.js";
export type { ConfigReference, ParsedItem, ReferenceStyle } from "./parse-job.js";
export { parsePipelineScript } from "./parse-pipeline-script.js";
export type { ScriptReference } from "./parse-pipeline-script.js";
export { parseUsageLog } from "./parse-usage-log.js";
export { parseJenkinsXml } from "./parse-xml.js";
export { parseRepository } from "./resolve-uses.js";
export { readJenkinsHome } from "./read-home.js";
