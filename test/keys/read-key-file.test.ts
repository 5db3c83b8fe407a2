import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, PassphraseRequiredError } from "../../src/errors.js";
import { readKeyFile, resolveKeyArgument } from "../../src/keys/index.js";
import { generateKey } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";
import { writePpk } from "./key-fixtures.js";

/** Error message with the temp dir replaced, for stable snapshots. */
async function messageOf(promise: Promise<unknown>, dir: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message.split(dir).join("<dir>")}`;
  }
  throw new Error("expected a rejection");
}

describe("readKeyFile", () => {
  it("reads public and private key files and says where the fingerprint came from", async () => {
    const dir = tempDir();
    const key = generateKey(dir, "ed25519", { comment: "ops key" });
    await expect(readKeyFile(key.publicPath)).resolves.toMatchObject({
      sha256: key.sha256, comment: "ops key", source: "public", encrypted: false, format: "public-line",
    });
    await expect(readKeyFile(key.privatePath)).resolves.toMatchObject({
      sha256: key.sha256, md5: key.md5, comment: "ops key", source: "private", encrypted: false, format: "openssh",
    });
  });

  it("fingerprints an encrypted OpenSSH key from its header, without passphrase or sidecar", async () => {
    const dir = tempDir();
    const key = generateKey(dir, "ecdsa-256", { passphrase: "secret words" });
    const lone = join(dir, "lonely");
    copyFileSync(key.privatePath, lone);
    await expect(readKeyFile(lone)).resolves.toMatchObject({
      sha256: key.sha256, comment: null, source: "private", encrypted: true, format: "openssh",
    });
  });

  it("falls back to the .pub sidecar for an encrypted PEM key given no passphrase", async () => {
    const dir = tempDir();
    const key = generateKey(dir, "rsa", { bits: 2048, format: "PKCS8", passphrase: "secret words", comment: "pkcs8 key" });
    await expect(readKeyFile(key.privatePath)).resolves.toMatchObject({
      sha256: key.sha256, comment: "pkcs8 key", source: "sidecar", encrypted: true, format: "pkcs8",
    });
    await expect(readKeyFile(key.privatePath, { passphrase: "secret words" })).resolves.toMatchObject({
      sha256: key.sha256, comment: null, source: "private", encrypted: true, format: "pkcs8",
    });
    await expect(readKeyFile(key.privatePath, { passphrase: "wrong words" })).rejects.toThrow(PassphraseRequiredError);
  });

  it("asks for the passphrase or the .pub file when an encrypted PEM key has no sidecar", async () => {
    const dir = tempDir();
    const key = generateKey(dir, "rsa", { bits: 2048, format: "PEM", passphrase: "secret words" });
    const lone = join(dir, "id_lone");
    copyFileSync(key.privatePath, lone);
    await expect(readKeyFile(lone)).rejects.toThrow(PassphraseRequiredError);
    expect(await messageOf(readKeyFile(lone), dir)).toMatchInlineSnapshot(
      `"PassphraseRequiredError: <dir>/id_lone is an encrypted private key: give its passphrase, or put its public key in <dir>/id_lone.pub"`,
    );
    // A sidecar that is not a public key is no help.
    writeFileSync(`${lone}.pub`, "garbage\n");
    await expect(readKeyFile(lone)).rejects.toThrow(PassphraseRequiredError);
  });

  it("reads an encrypted PuTTY key from its clear public lines", async () => {
    const dir = tempDir();
    const key = generateKey(dir, "ed25519");
    const path = writePpk(dir, "putty.ppk", key.publicLine, { version: 3, encrypted: true, comment: "eddsa-key-20240101" });
    await expect(readKeyFile(path)).resolves.toMatchObject({
      sha256: key.sha256, comment: "eddsa-key-20240101", source: "private", encrypted: true, format: "ppk-v3",
    });
  });

  it("refuses missing files, directories and oversized files, naming them", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "keys.d"));
    writeFileSync(join(dir, "huge"), Buffer.alloc(2 * 1024 * 1024, 0x41));
    writeFileSync(join(dir, "notes.txt"), "hello\n");
    expect(await messageOf(readKeyFile(join(dir, "missing")), dir)).toMatchInlineSnapshot(
      `"InputError: <dir>/missing does not exist; check the key file path"`,
    );
    expect(await messageOf(readKeyFile(join(dir, "keys.d")), dir)).toMatchInlineSnapshot(
      `"InputError: <dir>/keys.d is not a regular file; give the path of a key file"`,
    );
    expect(await messageOf(readKeyFile(join(dir, "huge")), dir)).toMatchInlineSnapshot(
      `"InputError: <dir>/huge is larger than 1 MiB, too large to be an SSH key file"`,
    );
    expect(await messageOf(readKeyFile(join(dir, "notes.txt")), dir)).toMatchInlineSnapshot(
      `"InputError: <dir>/notes.txt is not a public key line ("<type> <base64> [comment]" with a known SSH key type)"`,
    );
  });
});

describe("resolveKeyArgument", () => {
  it("accepts a fingerprint, a public key line or a key file path", async () => {
    const dir = tempDir();
    const key = generateKey(dir, "ed25519", { comment: "bob" });
    await expect(resolveKeyArgument(key.sha256)).resolves.toEqual({ sha256: key.sha256 });
    await expect(resolveKeyArgument(key.md5)).resolves.toEqual({ md5: key.md5 });
    const fromLine = await resolveKeyArgument(key.publicLine);
    expect(fromLine).toMatchObject({ sha256: key.sha256, md5: key.md5, key: { comment: "bob" } });
    const fromFile = await resolveKeyArgument(key.privatePath);
    expect(fromFile.sha256).toBe(key.sha256);
    expect(fromFile.key).not.toHaveProperty("source");
    await expect(resolveKeyArgument(join(dir, "nope"))).rejects.toThrow(InputError);
    await expect(resolveKeyArgument("SHA256:short")).rejects.toThrow(InputError);
  });
});
