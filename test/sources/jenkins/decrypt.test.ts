import { execFileSync } from "node:child_process";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { parseKeyMaterial } from "../../../src/keys/index.js";
import { decryptSecret, deriveLegacyKey, loadConfidentialKey } from "../../../src/sources/jenkins/index.js";
import type { SecretKeys } from "../../../src/sources/jenkins/index.js";
import { parseCredentialStore, parseJenkinsXml } from "../../../src/sources/jenkins/index.js";
import { makeJenkinsSecrets } from "../../helpers/jenkins-home.js";
import { oracle } from "../../helpers/ssh-keygen.js";
import { tempDir } from "../../helpers/temp-dir.js";

const fixtures = fileURLToPath(new URL("../../fixtures/jenkins/", import.meta.url));

function vector(name: string): { keys: SecretKeys; credentials: ReturnType<typeof parseCredentialStore>; raw: string } {
  const dir = join(fixtures, name);
  const key = loadConfidentialKey(readFileSync(join(dir, "master.key"), "utf8"), readFileSync(join(dir, "hudson.util.Secret")));
  const raw = readFileSync(join(dir, "credentials.xml"), "utf8");
  return { keys: { key }, credentials: parseCredentialStore(parseJenkinsXml(raw), raw), raw };
}

function plain(value: string, keys: SecretKeys): string {
  const outcome = decryptSecret(value, keys);
  if (outcome.status !== "decrypted" && outcome.status !== "plaintext") throw new Error(`not decrypted: ${outcome.status}`);
  return outcome.value;
}

describe("Jenkins secrets from a real Jenkins 2.141 home", () => {
  it("decrypts the SSH key to the fingerprint ssh-keygen gives its public half", () => {
    const { keys, credentials } = vector("jenkins-2.141");
    const credential = credentials.ssh.find((c) => c.id === "production-bastion");
    expect(credential?.sourceKind).toBe("direct-entry");
    const stored = credential?.privateKeyValues[0] ?? "";
    expect(decryptSecret(stored, keys).status).toBe("decrypted");
    const key = plain(stored, keys);
    const info = parseKeyMaterial(key);
    expect(info.sha256).toBe("SHA256:uis7nkQqv6NF1SDNz1+PA1ROeRYKxrLF8pj7RtiNfes");
    expect(info.md5).toBe("MD5:33:7f:eb:ec:f2:af:61:9d:16:e4:a7:a9:83:8e:e1:44");

    // Oracle: ssh-keygen derives the public half from the decrypted key and fingerprints it itself.
    const dir = tempDir();
    const keyPath = join(dir, "bastion");
    writeFileSync(keyPath, key.endsWith("\n") ? key : `${key}\n`, { mode: 0o600 });
    const publicLine = execFileSync("ssh-keygen", ["-y", "-P", "", "-f", keyPath], { encoding: "utf8", stdio: "pipe" });
    writeFileSync(`${keyPath}.pub`, publicLine);
    expect(oracle(`${keyPath}.pub`)).toEqual({ sha256: info.sha256, md5: info.md5, bits: 1024 });
  });

  it("decrypts the passphrase and the password of the other credential", () => {
    const { keys, credentials, raw } = vector("jenkins-2.141");
    expect(plain(credentials.ssh[0]?.passphrase ?? "", keys)).toBe("IEPkO5nYhEG");
    const password = /<password>(\{[^<]+\})<\/password>/.exec(raw)?.[1] ?? "";
    expect(plain(password, keys)).toBe("Drmhze6EPcv0fN_81Bj");
  });

  it("lists the unknown credential class without treating it as an SSH key", () => {
    const { credentials } = vector("jenkins-2.141");
    expect(credentials.ssh.map((c) => c.id)).toEqual(["production-bastion"]);
    expect(credentials.others.get("exampleId")).toBe("com.example.ExampleCredential");
    expect(credentials.others.get("gitlab")).toBe("com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl");
  });

  it("trims master.key before hashing it, as Jenkins does", () => {
    const dir = join(fixtures, "jenkins-2.141");
    const text = readFileSync(join(dir, "master.key"), "utf8");
    const secret = readFileSync(join(dir, "hudson.util.Secret"));
    expect(text.endsWith("\n")).toBe(false);
    expect(loadConfidentialKey(`${text}\n`, secret).equals(loadConfidentialKey(text, secret))).toBe(true);
  });

  it("refuses a hudson.util.Secret from another home with an InputError naming both files", () => {
    const other = makeJenkinsSecrets();
    const secret = readFileSync(join(fixtures, "jenkins-2.141", "hudson.util.Secret"));
    expect(() => loadConfidentialKey(other.masterKey, secret)).toThrow(InputError);
    expect(() => loadConfidentialKey(other.masterKey, secret)).toThrow(/hudson\.util\.Secret.*master\.key/);
  });
});

describe("Jenkins secrets from a real Jenkins 1.625.1 home (legacy format)", () => {
  it("decrypts unbraced AES-ECB secrets that end with the magic suffix", () => {
    const { keys, credentials, raw } = vector("jenkins-1.625.1");
    expect(plain(credentials.ssh[0]?.passphrase ?? "", keys)).toBe("passphrase");
    const password = /<password>([^<]+)<\/password>/.exec(raw)?.[1] ?? "";
    expect(decryptSecret(password, keys)).toEqual({ status: "decrypted", value: "password_1" });
  });

  it("treats the plain-text private key of ssh-credentials 1.10 as plaintext, which is not a valid key", () => {
    const { keys, credentials } = vector("jenkins-1.625.1");
    const outcome = decryptSecret(credentials.ssh[0]?.privateKeyValues[0] ?? "", keys);
    expect(outcome.status).toBe("plaintext");
    expect(() => parseKeyMaterial(outcome.status === "plaintext" ? outcome.value : "")).toThrow(InputError);
  });
});

describe("decryptSecret round trip with an independent Jenkins encrypter", () => {
  const secrets = makeJenkinsSecrets();
  const key = loadConfidentialKey(secrets.masterKey, secrets.hudsonUtilSecret);

  it.each([
    ["a short passphrase", "hunter2"],
    ["an empty string", ""],
    ["text with form feeds and unicode", "first\fsecond — ключ"],
    ["exactly one AES block", "0123456789abcdef"],
  ])("decrypts %s in the current {…} format", (_label, text) => {
    expect(decryptSecret(secrets.encrypt(text), { key })).toEqual({ status: "decrypted", value: text });
  });

  it("decrypts the legacy format with the same key", () => {
    expect(decryptSecret(secrets.encryptLegacy("old secret"), { key })).toEqual({ status: "decrypted", value: "old secret" });
  });

  it("falls back to the legacy secret.key for values older than hudson.util.Secret", () => {
    // Jenkins < 1.498: AES-128-ECB with SHA-256(secret.key)[0:16], plaintext + MAGIC.
    const secretKeyText = randomBytes(32).toString("hex");
    const legacyK = createHash("sha256").update(secretKeyText, "utf8").digest().subarray(0, 16);
    const cipher = createCipheriv("aes-128-ecb", legacyK, null);
    const value = Buffer.concat([cipher.update("from 1.480::::MAGIC::::", "utf8"), cipher.final()]).toString("base64");
    const legacyKey = deriveLegacyKey(`${secretKeyText}\n`);
    expect(decryptSecret(value, { key, legacyKey })).toEqual({ status: "decrypted", value: "from 1.480" });
    expect(decryptSecret(value, { key }).status).toBe("plaintext");
  });

  it("reports a value encrypted by another home as failed, not as plaintext", () => {
    const other = makeJenkinsSecrets();
    expect(decryptSecret(other.encrypt("elsewhere"), { key }).status).toBe("failed");
  });

  it("reports encrypted values as needing secrets when the home has none", () => {
    expect(decryptSecret(secrets.encrypt("x"), { key: null })).toEqual({ status: "no-secrets" });
    expect(decryptSecret(secrets.encryptLegacy("x"), { key: null })).toEqual({ status: "no-secrets" });
  });

  it("returns anything else as plaintext, as Secret.fromString does", () => {
    expect(decryptSecret("not encrypted at all", { key })).toEqual({ status: "plaintext", value: "not encrypted at all" });
    expect(decryptSecret("{not base64!}", { key })).toEqual({ status: "plaintext", value: "{not base64!}" });
  });

  it("rejects a {…} payload whose lengths do not add up", () => {
    const payload = Buffer.from(secrets.encrypt("abc").slice(1, -1), "base64");
    const truncated = `{${payload.subarray(0, payload.length - 1).toString("base64")}}`;
    expect(decryptSecret(truncated, { key }).status).toBe("failed");
  });
});
