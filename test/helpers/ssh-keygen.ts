import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Key types ssh-keygen can make here without hardware (sk keys need a token: see `skPublicKeyLine`). */
export type KeygenType = "rsa" | "dsa" | "ecdsa-256" | "ecdsa-384" | "ecdsa-521" | "ed25519";

export interface GeneratedKey {
  /** Path of the private key file; the public half is at `${privatePath}.pub`. */
  readonly privatePath: string;
  readonly publicPath: string;
  /** The `.pub` line as ssh-keygen wrote it. */
  readonly publicLine: string;
  /** What `ssh-keygen -l -E sha256` prints: the oracle. */
  readonly sha256: string;
  /** What `ssh-keygen -l -E md5` prints. */
  readonly md5: string;
  readonly bits: number;
}

export interface KeygenOptions {
  readonly format?: "openssh" | "PEM" | "PKCS8" | "RFC4716";
  readonly passphrase?: string;
  readonly comment?: string;
  readonly bits?: number;
  readonly name?: string;
}

/** Generates a real key with ssh-keygen in `dir` and reads its fingerprints back from ssh-keygen itself. */
export function generateKey(dir: string, type: KeygenType, options: KeygenOptions = {}): GeneratedKey {
  const name = options.name ?? `id_${type}_${options.format ?? "openssh"}${options.passphrase ? "_enc" : ""}`;
  const privatePath = join(dir, name);
  const [t, curve] = type.split("-") as [string, string | undefined];
  const args = ["-q", "-t", t, "-f", privatePath, "-N", options.passphrase ?? "", "-C", options.comment ?? `${name}@keyward-test`];
  if (curve) args.push("-b", curve);
  else if (options.bits) args.push("-b", String(options.bits));
  if (options.format && options.format !== "openssh") args.push("-m", options.format);
  execFileSync("ssh-keygen", args, { stdio: "pipe" });
  const publicPath = `${privatePath}.pub`;
  return { privatePath, publicPath, publicLine: readFileSync(publicPath, "utf8").trim(), ...oracle(publicPath) };
}

/** The oracle: ssh-keygen's own fingerprints and bit count for any key file it accepts. */
export function oracle(path: string): { sha256: string; md5: string; bits: number } {
  const line = (hash: string): string[] =>
    execFileSync("ssh-keygen", ["-l", "-E", hash, "-f", path], { encoding: "utf8", stdio: "pipe" }).trim().split(/\s+/);
  const sha = line("sha256");
  const md5 = line("md5");
  return { sha256: sha[1] ?? "", md5: md5[1] ?? "", bits: Number(sha[0]) };
}

/** Exports a public key in another format (`RFC4716`, `PEM`, `PKCS8`) with `ssh-keygen -e`. */
export function exportPublic(publicPath: string, format: "RFC4716" | "PEM" | "PKCS8"): string {
  return execFileSync("ssh-keygen", ["-e", "-m", format, "-f", publicPath], { encoding: "utf8", stdio: "pipe" });
}
