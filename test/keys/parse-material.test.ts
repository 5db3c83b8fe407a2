import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, PassphraseRequiredError } from "../../src/errors.js";
import { isPrivateKeyText, keyInfoFromBlob, parseKeyMaterial } from "../../src/keys/index.js";
import type { GeneratedKey, KeygenType } from "../helpers/ssh-keygen.js";
import { exportPublic, generateKey, oracle } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";
import { blobOf, signCertificate, skPublicLines, writePpk } from "./key-fixtures.js";

const TYPES: KeygenType[] = ["rsa", "dsa", "ecdsa-256", "ecdsa-384", "ecdsa-521", "ed25519"];
const PRIVATE_FORMATS = ["openssh", "PEM", "PKCS8"] as const;
const PASSPHRASE = "correct horse";

let dir: string;
const keys = new Map<string, GeneratedKey>();
const keyName = (type: KeygenType, format: string, encrypted: boolean): string =>
  `${type}-${format}${encrypted ? "-enc" : ""}`;

beforeAll(() => {
  dir = tempDir("keyward-keys-", { keep: true });
  for (const type of TYPES) {
    for (const format of PRIVATE_FORMATS) {
      for (const encrypted of [false, true]) {
        const name = keyName(type, format, encrypted);
        keys.set(
          name,
          generateKey(dir, type, {
            format,
            name,
            comment: `${name} comment with spaces`,
            ...(encrypted ? { passphrase: PASSPHRASE } : {}),
            ...(type === "rsa" ? { bits: 2048 } : {}),
          }),
        );
      }
    }
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function key(type: KeygenType, format: string, encrypted: boolean): GeneratedKey {
  const found = keys.get(keyName(type, format, encrypted));
  if (!found) throw new Error("fixture missing");
  return found;
}

/** The oracle's view of a key, in KeyInfo shape. */
function expected(generated: GeneratedKey): { type: string; bits: number; sha256: string; md5: string; publicKey: string } {
  const [type = "", b64 = ""] = generated.publicLine.split(/\s+/);
  return { type, bits: generated.bits, sha256: generated.sha256, md5: generated.md5, publicKey: `${type} ${b64}` };
}

const privateCases = TYPES.flatMap((type) =>
  PRIVATE_FORMATS.flatMap((format) => [false, true].map((encrypted) => ({ type, format, encrypted }))),
);

describe("private key files", () => {
  it.for(privateCases)("fingerprints a $type key in $format format (encrypted: $encrypted) as ssh-keygen does", ({ type, format, encrypted }, ctx) => {
    const generated = key(type, format, encrypted);
    const text = readFileSync(generated.privatePath, "utf8");
    // ssh-keygen -m PEM/PKCS8 silently writes ed25519 keys in OpenSSH format (it has no PEM writer for them):
    // that combination does not exist, and the OpenSSH rows cover ed25519.
    if (format !== "openssh" && text.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")) {
      ctx.skip(`ssh-keygen cannot write ${type} keys as ${format}`);
      return;
    }
    expect(isPrivateKeyText(text)).toBe(true);
    const comment = `${keyName(type, format, encrypted)} comment with spaces`;
    if (!encrypted) {
      expect(parseKeyMaterial(text)).toEqual({ ...expected(generated), comment: format === "openssh" ? comment : null });
      return;
    }
    if (format === "openssh") {
      // The public key sits in clear in the header: no passphrase needed, but the comment is encrypted.
      expect(parseKeyMaterial(text)).toEqual({ ...expected(generated), comment: null });
      expect(parseKeyMaterial(text, { passphrase: PASSPHRASE })).toEqual({ ...expected(generated), comment });
      expect(parseKeyMaterial(text, { passphrase: "wrong passphrase" })).toEqual({ ...expected(generated), comment: null });
      return;
    }
    expect(() => parseKeyMaterial(text, { name: "id_test" })).toThrow(PassphraseRequiredError);
    expect(() => parseKeyMaterial(text, { name: "id_test" })).toThrow(
      "id_test is an encrypted private key: give its passphrase, or put its public key in id_test.pub",
    );
    expect(() => parseKeyMaterial(text, { name: "id_test", passphrase: "wrong passphrase" })).toThrow(
      "id_test could not be decrypted: the passphrase given is wrong (or the key is damaged)",
    );
    expect(parseKeyMaterial(text, { passphrase: PASSPHRASE })).toEqual({ ...expected(generated), comment: null });
  });

  it("accepts private key bytes as well as text, and PEM blocks flattened onto one line", () => {
    const generated = key("ecdsa-384", "PEM", false);
    const bytes = readFileSync(generated.privatePath);
    expect(parseKeyMaterial(bytes).sha256).toBe(generated.sha256);
    const flattened = bytes.toString("utf8").replace(/\n/g, " ");
    expect(parseKeyMaterial(flattened).sha256).toBe(generated.sha256);
  });
});

describe("public key formats", () => {
  const publicCases = TYPES.flatMap((type) =>
    (["line", "RFC4716", "PEM", "PKCS8"] as const).map((format) => ({ type, format })),
  );

  it.for(publicCases)("fingerprints a $type public key exported as $format as ssh-keygen does", ({ type, format }, ctx) => {
    const generated = key(type, "openssh", false);
    let text = generated.publicLine;
    if (format !== "line") {
      try {
        text = exportPublic(generated.publicPath, format);
      } catch {
        // ssh-keygen refuses some exports (ed25519 as PEM or PKCS8): nothing to compare against.
        ctx.skip(`ssh-keygen cannot export ${type} as ${format}`);
        return;
      }
    }
    expect(isPrivateKeyText(text)).toBe(false);
    const info = parseKeyMaterial(text);
    expect(info).toMatchObject(expected(generated));
    // The comment is whatever the format carries in clear.
    if (format === "line") expect(info.comment).toBe(`${keyName(type, "openssh", false)} comment with spaces`);
    if (format === "RFC4716") expect(info.comment).toMatch(/converted by .* from OpenSSH$/);
    if (format === "PEM" || format === "PKCS8") expect(info.comment).toBeNull();
  });

  it("fingerprints security-key (sk) public keys as ssh-keygen does", () => {
    const lines = skPublicLines();
    for (const [name, line] of Object.entries(lines)) {
      const path = join(dir, `sk-${name}.pub`);
      writeFileSync(path, `${line}\n`);
      const truth = oracle(path);
      const info = parseKeyMaterial(line);
      expect(info).toEqual({
        type: line.split(" ")[0],
        bits: truth.bits,
        sha256: truth.sha256,
        md5: truth.md5,
        comment: `yubikey ${name === "ed25519" ? "ed" : "ec"}`,
        publicKey: line.split(" ").slice(0, 2).join(" "),
      });
      expect(keyInfoFromBlob(blobOf(line)).sha256).toBe(truth.sha256);
    }
  });

  it("accepts a raw wire blob given as bytes", () => {
    const generated = key("ed25519", "openssh", false);
    expect(parseKeyMaterial(blobOf(generated.publicLine))).toMatchObject({ ...expected(generated), comment: null });
  });

  it("refuses a line whose named type differs from its key data", () => {
    const generated = key("ed25519", "openssh", false);
    const line = generated.publicLine.replace(/^ssh-ed25519/, "ssh-rsa");
    expect(() => parseKeyMaterial(line)).toThrow("the key material names key type ssh-rsa but its key data is of another type");
  });

  it("refuses material holding several key lines, and text that holds no key", () => {
    const a = key("ed25519", "openssh", false).publicLine;
    const b = key("rsa", "openssh", false).publicLine;
    expect(() => parseKeyMaterial(`${a}\n${b}\n`, { name: "keys.txt" })).toThrow(
      "keys.txt holds 2 lines; give a single public key line or a key file",
    );
    expect(() => parseKeyMaterial("# only a comment\n\n", { name: "empty.pub" })).toThrow("empty.pub holds no SSH key");
    expect(() => parseKeyMaterial("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")).toThrow(
      'the key material holds a "CERTIFICATE" block, which is not an SSH key',
    );
  });
});

describe("certificates", () => {
  let caPath: string;
  beforeAll(() => {
    caPath = generateKey(dir, "ed25519", { name: "user_ca" }).privatePath;
  });

  it.each(TYPES)("fingerprints a certified %s key as its plain key, as ssh-keygen does", (type) => {
    const generated = key(type, "openssh", false);
    const certPath = signCertificate(caPath, generated.publicPath);
    const certLine = readFileSync(certPath, "utf8").trim();
    const truth = oracle(certPath);
    const info = parseKeyMaterial(certLine);
    expect(info).toEqual({ ...expected(generated), sha256: truth.sha256, md5: truth.md5, comment: generated.publicLine.split(" ").slice(2).join(" "), certificate: true });
    expect(info.sha256).toBe(generated.sha256);
    expect(keyInfoFromBlob(blobOf(certLine))).toEqual({ ...info, comment: null });
  });
  it("fingerprints certified security keys as their plain key, as ssh-keygen does", () => {
    for (const [name, line] of Object.entries(skPublicLines())) {
      const path = join(dir, `sk-cert-${name}.pub`);
      writeFileSync(path, `${line}\n`);
      const certPath = signCertificate(caPath, path);
      const truth = oracle(certPath);
      const info = parseKeyMaterial(readFileSync(certPath, "utf8"));
      expect(info).toMatchObject({ type: line.split(" ")[0], sha256: truth.sha256, md5: truth.md5, bits: truth.bits, certificate: true });
      expect(info.sha256).toBe(oracle(path).sha256);
    }
  });
});

describe("PuTTY key files", () => {
  it.each([
    { type: "ed25519" as const, version: 2 as const, encrypted: false },
    { type: "rsa" as const, version: 2 as const, encrypted: true },
    { type: "ecdsa-384" as const, version: 3 as const, encrypted: false },
    { type: "dsa" as const, version: 3 as const, encrypted: true },
  ])("reads a PPK v$version $type key (encrypted: $encrypted) from its clear public lines", ({ type, version, encrypted }) => {
    const generated = key(type, "openssh", false);
    const path = writePpk(dir, `${type}-v${version}.ppk`, generated.publicLine, {
      version,
      encrypted,
      comment: "rsa-key-20240101 with spaces",
    });
    const text = readFileSync(path, "utf8");
    expect(isPrivateKeyText(text)).toBe(true);
    expect(parseKeyMaterial(text)).toEqual({ ...expected(generated), comment: "rsa-key-20240101 with spaces" });
  });

  it("refuses a PPK whose header names another algorithm than its public blob", () => {
    const generated = key("ed25519", "openssh", false);
    const path = writePpk(dir, "mismatch.ppk", generated.publicLine, { version: 3, comment: "x" });
    const text = readFileSync(path, "utf8").replace("PuTTY-User-Key-File-3: ssh-ed25519", "PuTTY-User-Key-File-3: ssh-rsa");
    expect(() => parseKeyMaterial(text, { name: "k.ppk" })).toThrow(
      "k.ppk names key type ssh-rsa but its public key is of another type",
    );
  });
});

describe("ssh-keygen agrees with our bit counts for unusual RSA sizes", () => {
  it("reports the modulus bits of a 1032-bit RSA key", () => {
    const generated = generateKey(dir, "rsa", { bits: 1032, name: "rsa1032" });
    expect(parseKeyMaterial(generated.publicLine).bits).toBe(oracle(generated.publicPath).bits);
    expect(execFileSync("ssh-keygen", ["-l", "-f", generated.publicPath], { encoding: "utf8" })).toMatch(/^1032 /);
  });
});

it("raises InputError, not a foreign error, for a damaged PEM key", () => {
  const generated = key("rsa", "PEM", false);
  const text = readFileSync(generated.privatePath, "utf8");
  const damaged = text.replace(/\n([A-Za-z0-9+/]{64})\n/, (_m, line: string) => `\n${line.split("").reverse().join("")}\n`);
  expect(() => parseKeyMaterial(damaged, { name: "id_rsa" })).toThrow(InputError);
});

describe("PEM oddities", () => {
  it("skips the EC PARAMETERS block openssl writes before an EC key", (ctx) => {
    const path = join(dir, "openssl-ec.pem");
    try {
      execFileSync("openssl", ["ecparam", "-name", "secp384r1", "-genkey", "-out", path], { stdio: "pipe" });
    } catch {
      ctx.skip("openssl is not installed");
      return;
    }
    const text = readFileSync(path, "utf8");
    expect(text.startsWith("-----BEGIN EC PARAMETERS-----")).toBe(true);
    chmodSync(path, 0o600); // ssh-keygen refuses private keys others can read
    // ssh-keygen -l does not read PEM private keys; -y derives the public line for it to fingerprint.
    writeFileSync(`${path}.pub`, execFileSync("ssh-keygen", ["-y", "-f", path], { encoding: "utf8" }));
    const truth = oracle(`${path}.pub`);
    expect(parseKeyMaterial(text)).toMatchObject({ type: "ecdsa-sha2-nistp384", sha256: truth.sha256, md5: truth.md5, bits: 384 });
  });

  it("says a key without its END line looks truncated", () => {
    const text = readFileSync(key("ed25519", "openssh", false).privatePath, "utf8");
    const cut = text.slice(0, text.indexOf("-----END"));
    expect(() => parseKeyMaterial(cut, { name: "id_ed25519" })).toThrow(
      'id_ed25519 has a "BEGIN OPENSSH PRIVATE KEY" line but no matching END line; the key looks truncated',
    );
  });
});
