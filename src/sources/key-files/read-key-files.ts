import { readdir, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";
import { InputError, messageOf, PassphraseRequiredError } from "../../errors.js";
import { isPrivateKeyText, parseKeyMaterial, parsePublicKeyLines, readKeyFile } from "../../keys/index.js";
import type { KeyInfo } from "../../keys/index.js";
import type { KeyUse, ScanWarning } from "../source.js";
import { decodeUtf8, readCappedFile } from "../shared/read-capped-file.js";
import { walkFiles } from "../shared/walk-files.js";
import { expandConfigPath, parseSshConfig } from "./parse-ssh-config.js";

/** Lists of keys that may log in TO a host, and host keys: neither is a key the host uses to connect out. */
const NOT_OUR_KEYS = /^(?:authorized_keys2?|known_hosts2?)(?:\.old|\.bak|~)?$/;
const CONFIG_NAME = /^(?:config|ssh_config)$|\.conf$/;
const PUBLIC_ARMOUR = /---- BEGIN SSH2 PUBLIC KEY ----|-----BEGIN (?:RSA )?PUBLIC KEY-----/;
/** ssh_config Include nesting OpenSSH allows (readconf.c READCONF_MAX_DEPTH). */
const MAX_INCLUDE_DEPTH = 16;

interface FoundKey {
  key: KeyInfo;
  evidence: string;
  isPrivate: boolean;
  files: string[];
  format: string;
  encrypted: boolean;
  fingerprintFrom: string;
  identityFile: string[];
  hosts: string[];
}

export interface KeyFilesOptions {
  readonly paths: readonly string[];
  readonly passphrase?: string | undefined;
  /** Home directory for `~` in ssh configs found outside any `.ssh` folder (default: the scanning user's). */
  readonly home?: string | undefined;
  readonly warn: (warning: ScanWarning) => void;
}

function plainKey(info: KeyInfo): KeyInfo {
  return {
    type: info.type,
    bits: info.bits,
    sha256: info.sha256,
    md5: info.md5,
    comment: info.comment,
    publicKey: info.publicKey,
    ...(info.certificate ? { certificate: true } : {}),
  };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : messageOf(error);
}

/** The home an ssh config belongs to: the parent of its `.ssh` folder. */
function homeOf(path: string, fallback: string): string {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) if (basename(dir) === ".ssh") return dirname(dir);
  return fallback;
}

/**
 * Reads key files below the given paths: private keys (any format keys/ reads; encrypted ones through their OpenSSH
 * header or `.pub` sidecar), public keys and certificates (by content, not name), and ssh configs whose
 * `IdentityFile` entries name more keys (`Include` followed within the scanned paths). `authorized_keys` and
 * `known_hosts` are skipped: they list keys that may log in to this host and host keys, not keys it uses.
 * A key found several times (private + .pub, certificate, IdentityFile) is one use.
 * @throws InputError naming a path that does not exist or cannot be read at all.
 */
export async function readKeyFiles(options: KeyFilesOptions): Promise<KeyUse[]> {
  const { warn } = options;
  const roots = options.paths.map((p) => resolve(p));
  for (const root of roots) {
    try {
      const stats = await stat(root);
      if (stats.isDirectory()) await readdir(root);
    } catch (error) {
      const code = codeOf(error);
      throw new InputError(code === "ENOENT" ? `${root} does not exist: check the key path` : `${root} cannot be read (${code}): check its permissions`, { cause: error });
    }
  }
  const found = new Map<string, FoundKey>();
  const configs: string[] = [];
  const seenFiles = new Set<string>();

  const record = (info: KeyInfo, file: string, evidence: string, facts: { isPrivate: boolean; format: string; encrypted: boolean; from: string }): FoundKey => {
    const existing = found.get(info.sha256);
    if (!existing) {
      const entry: FoundKey = { key: plainKey(info), evidence, isPrivate: facts.isPrivate, files: [file], format: facts.format, encrypted: facts.encrypted, fingerprintFrom: facts.from, identityFile: [], hosts: [] };
      found.set(info.sha256, entry);
      return entry;
    }
    if (!existing.files.includes(file)) existing.files.push(file);
    if (facts.isPrivate && !existing.isPrivate) {
      // The private key is the file a pipeline uses; its .pub or certificate only names it.
      Object.assign(existing, { evidence, isPrivate: true, format: facts.format, encrypted: facts.encrypted, fingerprintFrom: facts.from });
      if (info.comment && !existing.key.comment) existing.key = plainKey(info);
    }
    return existing;
  };

  /** Reads one file as a key; returns what it found or why not (null: not key material). */
  const readKey = async (file: string, evidence: string, explicit: boolean): Promise<FoundKey[] | null> => {
    if (NOT_OUR_KEYS.test(basename(file))) return null;
    const read = await readCappedFile(file);
    if (!read.ok) {
      if (read.code !== "not-file" || explicit) warn({ path: file, message: read.reason });
      return null;
    }
    const text = decodeUtf8(read.bytes);
    if (text === null) {
      if (explicit) warn({ path: file, message: "not valid UTF-8 and not a key file: skipped" });
      return null;
    }
    if (isPrivateKeyText(text)) {
      try {
        const info = await readKeyFile(file, options.passphrase === undefined ? {} : { passphrase: options.passphrase });
        return [record(info, file, evidence, { isPrivate: info.source !== "public", format: info.format, encrypted: info.encrypted, from: info.source })];
      } catch (error) {
        if (error instanceof PassphraseRequiredError) {
          warn({ path: file, message: "encrypted private key with no readable .pub beside it: not fingerprinted (add the .pub file or pass the passphrase)" });
          return [];
        }
        if (error instanceof InputError) {
          warn({ path: file, message: `${error.message}: skipped` });
          return [];
        }
        throw error;
      }
    }
    if (PUBLIC_ARMOUR.test(text)) {
      try {
        const info = parseKeyMaterial(text, { name: file });
        return [record(info, file, evidence, { isPrivate: false, format: "public", encrypted: false, from: "public" })];
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        warn({ path: file, message: `${error.message}: skipped` });
        return [];
      }
    }
    const { keys } = parsePublicKeyLines(text);
    if (keys.length === 0) return null;
    return keys.map((info) => record(info, file, evidence, { isPrivate: false, format: info.certificate ? "certificate" : "public-line", encrypted: false, from: "public" }));
  };

  for (const root of roots) {
    const explicit = !(await stat(root)).isDirectory();
    for await (const file of walkFiles(root, { warn })) {
      if (seenFiles.has(file)) continue;
      seenFiles.add(file);
      const keys = await readKey(file, file, explicit);
      if (keys === null && !NOT_OUR_KEYS.test(basename(file)) && CONFIG_NAME.test(basename(file))) configs.push(file);
    }
  }

  const inScannedTree = (path: string): boolean => roots.some((root) => path === root || path.startsWith(root + sep));
  const fallbackHome = options.home ?? homedir();
  const visitedConfigs = new Set<string>();
  const readConfig = async (config: string, depth: number): Promise<void> => {
    if (visitedConfigs.has(config)) return;
    visitedConfigs.add(config);
    if (depth > MAX_INCLUDE_DEPTH) {
      warn({ path: config, message: `Include nested deeper than ${MAX_INCLUDE_DEPTH}: not followed` });
      return;
    }
    const read = await readCappedFile(config);
    const text = read.ok ? decodeUtf8(read.bytes) : null;
    if (!read.ok || text === null) {
      warn({ path: config, message: read.ok ? "not valid UTF-8: skipped" : read.reason });
      return;
    }
    const home = homeOf(config, fallbackHome);
    const user = basename(home);
    for (const entry of parseSshConfig(text)) {
      const where = `${config}:${entry.line}`;
      if (entry.keyword === "identityfile" && entry.value.toLowerCase() === "none") continue;
      // Include paths without a leading / or ~ are relative to ~/.ssh (ssh_config(5)); IdentityFile ones to home.
      const expanded = expandConfigPath(entry.value, home, user, entry.keyword === "include" ? join(home, ".ssh") : home);
      if ("unexpanded" in expanded) {
        warn({ path: config, message: `${where}: ${entry.keyword === "include" ? "Include" : "IdentityFile"} ${entry.value} uses ${expanded.unexpanded}, which cannot be expanded offline: not read` });
        continue;
      }
      if (entry.keyword === "include") {
        for (const target of await expandGlob(expanded.path)) {
          if (!inScannedTree(target)) {
            warn({ path: config, message: `${where}: Include ${target} is outside the scanned paths: not followed` });
            continue;
          }
          await readConfig(target, depth + 1);
        }
        continue;
      }
      let keys: FoundKey[] | null;
      try {
        await stat(expanded.path);
        keys = seenFiles.has(expanded.path) ? [...found.values()].filter((k) => k.files.includes(expanded.path)) : await readKey(expanded.path, where, true);
      } catch {
        warn({ path: config, message: `${where}: IdentityFile ${expanded.path} does not exist` });
        continue;
      }
      if (keys === null || keys.length === 0) {
        if (keys === null) warn({ path: config, message: `${where}: IdentityFile ${expanded.path} holds no SSH key` });
        continue;
      }
      for (const key of keys) {
        if (!key.identityFile.includes(where)) key.identityFile.push(where);
        if (entry.host && !key.hosts.includes(entry.host)) key.hosts.push(entry.host);
      }
    }
  };
  for (const config of configs) await readConfig(config, 0);

  return [...found.values()].map((k) => ({
    key: { kind: "key", key: k.key },
    evidence: k.evidence,
    detail: {
      files: k.files,
      format: k.format,
      encrypted: k.encrypted,
      fingerprintFrom: k.fingerprintFrom,
      ...(k.identityFile.length ? { identityFile: k.identityFile } : {}),
      ...(k.hosts.length ? { hosts: k.hosts } : {}),
    },
  }));
}

/** Expands `*` and `?` in the last path component (the common `Include config.d/*`); a plain path is kept. */
async function expandGlob(path: string): Promise<string[]> {
  const name = basename(path);
  if (!/[*?]/.test(name)) return [path];
  const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  try {
    return (await readdir(dirname(path))).filter((n) => pattern.test(n)).sort().map((n) => join(dirname(path), n));
  } catch {
    return [];
  }
}
