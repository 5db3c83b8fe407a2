import { join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import type { KeyUse, PipelineRecord, ScanContext, ScanWarning } from "../source.js";
import { parseBuildScripts } from "./parse-build.js";
import { USER_STORE_PROPERTY } from "./parse-credentials.js";
import { parseItemConfig } from "./parse-job.js";
import type { ConfigReference } from "./parse-job.js";
import { parseNodeConfig } from "./parse-node.js";
import { parseUsageLog } from "./parse-usage-log.js";
import type { XmlElement } from "./parse-xml.js";
import { child, childText, parseJenkinsXml, XmlRejectedError } from "./parse-xml.js";
import { loadCredentialStore, credentialFiles } from "./read-stores.js";
import { readHomeSecrets } from "./read-secrets.js";
import type { HomeSecrets } from "./read-secrets.js";
import type { CredentialIndex, CredentialStore, LocatedReference } from "./resolve-uses.js";
import { parseRepository, resolveCredentialId, usesOfReference } from "./resolve-uses.js";
import type { CredentialFiles } from "./transform-credential.js";
import { isDirectory, listDirectories, listFiles, MAX_CONFIG_BYTES, readTextFile, realPathOf } from "./walk.js";

/**
 * Scans a JENKINS_HOME: credential stores (system, folders, users), every item below `jobs/` (folders,
 * multibranch branches, organization folders), the newest build of SCM pipelines, SSH agents under `nodes/`,
 * and the credential usage log under `fingerprints/`. Everything that cannot be read is a warning, never fatal.
 */

/** How many build directories to try, newest first, for a recorded Jenkinsfile. */
const MAX_BUILDS_TRIED = 20;

interface Scan {
  readonly home: string;
  readonly secrets: HomeSecrets;
  readonly files: CredentialFiles;
  readonly index: { system: CredentialStore | null; users: CredentialStore[] };
  readonly folderStores: Map<string, CredentialStore>;
  readonly usage: Map<string, LocatedReference[]>;
  readonly visited: Set<string>;
  readonly warn: (warning: ScanWarning) => void;
  secretsWarned: boolean;
}

async function readXml(scan: Scan, relativePath: string, missingIsSilent: boolean): Promise<{ root: XmlElement; raw: string } | null> {
  const path = join(scan.home, relativePath);
  const result = await readTextFile(path, MAX_CONFIG_BYTES);
  if (!("text" in result)) {
    if (!(missingIsSilent && result.error === "not-found")) scan.warn({ path, message: `${relativePath} ${result.reason}` });
    return null;
  }
  return parseDocument(scan, relativePath, result.text);
}

function parseDocument(scan: Scan, relativePath: string, raw: string): { root: XmlElement; raw: string } | null {
  try {
    return { root: parseJenkinsXml(raw), raw };
  } catch (error) {
    const reason = error instanceof XmlRejectedError ? error.message : "cannot be parsed";
    scan.warn({ path: join(scan.home, relativePath), message: `${relativePath} ${reason}; skipped` });
    return null;
  }
}

function loadStore(scan: Scan, container: XmlElement, raw: string, label: string, relativePath: string): CredentialStore {
  return loadCredentialStore(container, raw, label, relativePath, join(scan.home, relativePath), scan.secrets.keys, scan.files, scan.warn, () => {
    if (scan.secretsWarned || scan.secrets.problem === null) return;
    scan.secretsWarned = true;
    const { file, reason } = scan.secrets.problem;
    scan.warn({
      path: join(scan.home, file),
      message: `${file} ${reason}: SSH credentials cannot be decrypted, so their ids stay unresolved; copy JENKINS_HOME/secrets/ with the home to fingerprint them`,
    });
  });
}

async function readUserStores(scan: Scan): Promise<void> {
  const dirs = await listDirectories(join(scan.home, "users"));
  if ("error" in dirs) {
    scan.warn({ path: join(scan.home, "users"), message: `users/ ${dirs.reason}` });
    return;
  }
  for (const dir of dirs.names) {
    const relativePath = `users/${dir}/config.xml`;
    const document = await readXml(scan, relativePath, true);
    const property = child(child(document?.root, "properties"), USER_STORE_PROPERTY);
    if (document === null || property === undefined) continue;
    const userId = childText(document.root, "id") ?? dir;
    scan.index.users.push(loadStore(scan, property, document.raw, `user:${userId}`, relativePath));
  }
}

/** Reads `fingerprints/**.xml` and files each credential usage under the job that used it. */
async function readUsageLog(scan: Scan, relativeDir: string, depth: number): Promise<void> {
  const dir = join(scan.home, relativeDir);
  const real = await realPathOf(dir);
  if (real === null || scan.visited.has(real)) return;
  scan.visited.add(real);
  const files = await listFiles(dir);
  const dirs = await listDirectories(dir);
  if ("error" in files || "error" in dirs) {
    scan.warn({ path: dir, message: `${relativeDir}/ cannot be listed; skipped` });
    return;
  }
  for (const name of files.names) {
    if (!name.endsWith(".xml")) continue;
    const relativePath = `${relativeDir}/${name}`;
    const text = await readTextFile(join(scan.home, relativePath), MAX_CONFIG_BYTES);
    // Most fingerprints are of archived artifacts; only credential fingerprints are parsed.
    if (!("text" in text)) {
      scan.warn({ path: join(scan.home, relativePath), message: `${relativePath} ${text.reason}; skipped` });
      continue;
    }
    if (!text.text.includes("Credential id=")) continue;
    const document = parseDocument(scan, relativePath, text.text);
    if (document === null) continue;
    const log = parseUsageLog(document.root, document.raw);
    if (log === null) continue;
    for (const usage of log.usages) {
      const list = scan.usage.get(usage.job) ?? [];
      list.push({
        style: "usage-log",
        credentialId: log.credentialId,
        expression: null,
        url: null,
        line: usage.line,
        detail: usage.ranges === null ? {} : { builds: usage.ranges },
        file: relativePath,
      });
      scan.usage.set(usage.job, list);
    }
  }
  if (depth >= 4) return;
  for (const name of dirs.names) await readUsageLog(scan, `${relativeDir}/${name}`, depth + 1);
}

/** Folder stores enclosing `fullName`, innermost first. */
function enclosingStores(scan: Scan, fullName: string): CredentialStore[] {
  const parts = fullName.split("/");
  const stores: CredentialStore[] = [];
  for (let n = parts.length - 1; n >= 1; n--) {
    const store = scan.folderStores.get(parts.slice(0, n).join("/"));
    if (store !== undefined) stores.push(store);
  }
  return stores;
}

function usesFor(scan: Scan, pipeline: string, references: readonly LocatedReference[], extraDetail: Record<string, unknown> = {}): KeyUse[] {
  const stores = enclosingStores(scan, pipeline);
  const index: CredentialIndex = scan.index;
  const uses: KeyUse[] = [];
  for (const reference of references) {
    const resolution = reference.credentialId === null ? null : resolveCredentialId(reference.credentialId, stores, index);
    if (resolution?.kind === "missing") {
      scan.warn({
        path: join(scan.home, reference.file),
        message: `${pipeline} uses credential "${reference.credentialId}" (line ${reference.line}), which no credential store of this home defines`,
      });
    }
    const detail = reference.style === "scm" ? { ...reference.detail, ...extraDetail } : reference.detail;
    uses.push(...usesOfReference({ ...reference, detail }, resolution));
  }
  return uses;
}

function locate(file: string, references: readonly ConfigReference[]): LocatedReference[] {
  return references.map((reference) => ({ ...reference, file }));
}

/** The scripts the newest build of an SCM pipeline ran, as references; null when no build recorded one. */
async function readNewestBuild(scan: Scan, relativeDir: string): Promise<{ file: string; references: LocatedReference[] } | null> {
  const builds = await listDirectories(join(scan.home, relativeDir, "builds"));
  if ("error" in builds) return null;
  const numbers = builds.names.filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a));
  for (const number of numbers.slice(0, MAX_BUILDS_TRIED)) {
    const file = `${relativeDir}/builds/${number}/build.xml`;
    const document = await readXml(scan, file, true);
    if (document === null) continue;
    return { file, references: locate(file, parseBuildScripts(document.root, document.raw)) };
  }
  return null;
}

/** `source` is absolute so that pipelines of several Jenkins homes stay apart; evidence stays home-relative. */
function record(scan: Scan, name: string, relativeSource: string, uses: KeyUse[]): PipelineRecord {
  const source = join(scan.home, relativeSource);
  const repository = uses.map((use) => parseRepository(use.target ?? null)).find((r) => r !== null) ?? null;
  return { name, source, repository, uses };
}

async function* readItems(scan: Scan, relativeDir: string, parentName: string): AsyncGenerator<PipelineRecord> {
  for (const container of ["jobs", "branches"]) {
    const containerDir = relativeDir === "" ? container : `${relativeDir}/${container}`;
    const listing = await listDirectories(join(scan.home, containerDir));
    if ("error" in listing) {
      scan.warn({ path: join(scan.home, containerDir), message: `${containerDir}/ ${listing.reason}; skipped` });
      continue;
    }
    for (const dirName of listing.names) {
      const itemDir = `${containerDir}/${dirName}`;
      const real = await realPathOf(join(scan.home, itemDir));
      if (real === null || scan.visited.has(real)) {
        scan.warn({ path: join(scan.home, itemDir), message: `${itemDir} links back to a directory already scanned (symlink loop); skipped` });
        continue;
      }
      scan.visited.add(real);
      const configPath = `${itemDir}/config.xml`;
      const document = await readXml(scan, configPath, true);
      const parsed = document === null ? null : parseItemConfig(document.root, document.raw);
      const itemName = container === "branches" && parsed?.branchName ? encodeURIComponent(parsed.branchName) : dirName;
      const fullName = parentName === "" ? itemName : `${parentName}/${itemName}`;
      if (parsed !== null && document !== null) {
        if (parsed.folderStore !== null) {
          scan.folderStores.set(fullName, loadStore(scan, parsed.folderStore, document.raw, `folder:${fullName}`, configPath));
        }
        const references = locate(configPath, parsed.references);
        let scmDetail: Record<string, unknown> = {};
        if (parsed.scriptFromScm !== null) {
          const build = await readNewestBuild(scan, itemDir);
          if (build === null) {
            scmDetail = { jenkinsfile: "not read: no build of this job recorded its script" };
          } else {
            scmDetail = { jenkinsfile: `read from ${build.file}` };
            references.push(...build.references);
          }
        }
        const usage = scan.usage.get(fullName) ?? [];
        scan.usage.delete(fullName);
        const uses = usesFor(scan, fullName, [...references, ...usage], scmDetail);
        if (uses.length > 0) yield record(scan, fullName, configPath, uses);
      }
      yield* readItems(scan, itemDir, fullName);
    }
  }
}

async function* readNodes(scan: Scan): AsyncGenerator<PipelineRecord> {
  const listing = await listDirectories(join(scan.home, "nodes"));
  if ("error" in listing) {
    scan.warn({ path: join(scan.home, "nodes"), message: `nodes/ ${listing.reason}; skipped` });
    return;
  }
  for (const dir of listing.names) {
    const file = `nodes/${dir}/config.xml`;
    const document = await readXml(scan, file, true);
    if (document === null) continue;
    const node = parseNodeConfig(document.root, document.raw);
    if (node === null) continue;
    const target = node.host === null ? null : node.port === null || node.port === 22 ? node.host : `${node.host}:${node.port}`;
    const reference: LocatedReference = {
      style: "node-launcher",
      credentialId: node.credentialId,
      expression: null,
      url: target,
      line: node.line,
      detail: { node: node.name ?? dir },
      file,
    };
    // Agents are launched by the controller with system (or user) credentials: no folder store applies.
    const name = `node:${node.name ?? dir}`;
    const uses = usesFor(scan, name, [reference]);
    if (uses.length > 0) yield { name, source: join(scan.home, file), repository: null, uses };
  }
}

/**
 * Scans the Jenkins home at `ctx.location`.
 * @throws InputError when the location does not exist or is not a directory.
 */
export async function* readJenkinsHome(ctx: ScanContext): AsyncGenerator<PipelineRecord> {
  const home = resolve(ctx.location);
  if (!(await isDirectory(home))) {
    throw new InputError(`JENKINS_HOME ${home} does not exist or is not a directory: give the path of a Jenkins home (the directory holding jobs/ and credentials.xml)`);
  }
  const scan: Scan = {
    home,
    secrets: await readHomeSecrets(home),
    files: credentialFiles(home),
    index: { system: null, users: [] },
    folderStores: new Map(),
    usage: new Map(),
    visited: new Set(),
    warn: (warning) => ctx.warn(warning),
    secretsWarned: false,
  };
  const system = await readXml(scan, "credentials.xml", true);
  if (system !== null) scan.index.system = loadStore(scan, system.root, system.raw, "system", "credentials.xml");
  await readUserStores(scan);
  await readUsageLog(scan, "fingerprints", 1);
  scan.visited.clear();
  const homeReal = await realPathOf(home);
  if (homeReal !== null) scan.visited.add(homeReal);

  yield* readItems(scan, "", "");
  yield* readNodes(scan);

  // Jobs the usage log names that no longer exist (or were not found): still uses, with the log as evidence.
  for (const [job, references] of scan.usage) {
    const uses = usesFor(scan, job, references);
    if (uses.length > 0) yield record(scan, job, references[0]?.file ?? "fingerprints", uses);
  }
}
