import { readFile, stat } from "node:fs/promises";
import { InputError, messageOf, PassphraseRequiredError } from "../errors.js";
import type { KeyInfo } from "./key-info.js";
import { MAX_KEY_MATERIAL_BYTES, parseKeyMaterialDetailed } from "./parse-material.js";
import type { ParsedKeyMaterial } from "./parse-material.js";

/** A key read from a file, with where its fingerprint came from. */
export type KeyFileInfo = KeyInfo & {
  /** "sidecar": the private key was encrypted and the fingerprint came from `<path>.pub`. */
  readonly source: "public" | "private" | "sidecar";
  readonly encrypted: boolean;
  /** Format of the file at `path` (see ParsedKeyMaterial.format). */
  readonly format: string;
};

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : messageOf(error);
}

async function readBounded(path: string): Promise<Buffer> {
  let size: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new InputError(`${path} is not a regular file; give the path of a key file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (reason(error) === "ENOENT") throw new InputError(`${path} does not exist; check the key file path`, { cause: error });
    throw new InputError(`${path} cannot be read (${reason(error)}); check its permissions`, { cause: error });
  }
  if (size > MAX_KEY_MATERIAL_BYTES) throw new InputError(`${path} is larger than 1 MiB, too large to be an SSH key file`);
  try {
    const data = await readFile(path);
    if (data.length > MAX_KEY_MATERIAL_BYTES) throw new InputError(`${path} is larger than 1 MiB, too large to be an SSH key file`);
    return data;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path} cannot be read (${reason(error)}); check its permissions`, { cause: error });
  }
}

function withSource(parsed: ParsedKeyMaterial, source: KeyFileInfo["source"], format = parsed.format): KeyFileInfo {
  return { ...parsed.info, source, encrypted: parsed.encrypted || source === "sidecar", format };
}

/**
 * Reads a key file (at most 1 MiB, a regular file). When a private key needs a passphrase and none is given, falls
 * back to the sidecar `<path>.pub` if it exists and holds a valid public key.
 * @throws InputError naming the file; PassphraseRequiredError when encrypted with no usable passphrase or sidecar.
 */
export async function readKeyFile(path: string, options: { passphrase?: string } = {}): Promise<KeyFileInfo> {
  const data = await readBounded(path);
  try {
    const parsed = parseKeyMaterialDetailed(data, { passphrase: options.passphrase, name: path });
    return withSource(parsed, parsed.kind);
  } catch (error) {
    if (!(error instanceof PassphraseRequiredError) || options.passphrase) throw error;
    const format = /-----BEGIN (?:ENCRYPTED )?PRIVATE KEY-----/.test(data.toString("latin1")) ? "pkcs8" : "pem";
    let sidecar: ParsedKeyMaterial;
    try {
      sidecar = parseKeyMaterialDetailed(await readBounded(`${path}.pub`), { name: `${path}.pub` });
    } catch {
      throw error;
    }
    if (sidecar.kind !== "public") throw error;
    return withSource(sidecar, "sidecar", format);
  }
}
