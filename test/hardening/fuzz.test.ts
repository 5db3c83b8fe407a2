import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { keyInfoFromBlob, parseKeyMaterial } from "../../src/keys/index.js";
import { decryptSecret, loadConfidentialKey } from "../../src/sources/jenkins/index.js";
import { makeJenkinsSecrets } from "../helpers/jenkins-home.js";
import { exportPublic, generateKey } from "../helpers/ssh-keygen.js";
import { blobOf, writePpk } from "../keys/key-fixtures.js";
import { prng, type Prng } from "./support.js";

/*
 * Random and mutated input for the parsers that meet untrusted bytes: the key parser and the Jenkins secret
 * decryption. The only acceptable outcomes are a result or an InputError (whose message carries no key
 * material); any other exception is a crash the CLI would report as an internal error. Seeded: a failure names
 * the seed and case number, which reproduce it.
 */

const SEED = 0x6b657977; // "keyw"
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

let dir = "";
/** Text seeds: private keys (several formats), public keys (several formats). */
const texts: { text: string; passphrase?: string }[] = [];
const blobs: Buffer[] = [];
/** Every 40-character window of every private key body: no error message may contain one. */
const secretWindows = new Set<string>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "keyward-hardening-fuzz-"));
  const keys = [
    generateKey(dir, "ed25519"),
    generateKey(dir, "rsa", { bits: 1024 }),
    generateKey(dir, "ecdsa-384"),
    generateKey(dir, "ecdsa-256", { format: "PEM" }),
    generateKey(dir, "rsa", { bits: 1024, format: "PKCS8" }),
    generateKey(dir, "ed25519", { passphrase: "correct horse", name: "enc-openssh" }),
  ];
  const encPem = generateKey(dir, "rsa", { bits: 1024, format: "PEM", passphrase: "pem pass", name: "enc-pem" });
  for (const k of keys) {
    const privateText = readFileSync(k.privatePath, "utf8");
    texts.push({ text: privateText }, { text: k.publicLine }, { text: exportPublic(k.publicPath, "RFC4716") });
    blobs.push(blobOf(k.publicLine));
    addWindows(privateText);
  }
  // The encrypted PEM key with its passphrase (and a wrong one): node:crypto decrypts, quickly.
  const encPemText = readFileSync(encPem.privatePath, "utf8");
  texts.push({ text: encPemText, passphrase: "pem pass" }, { text: encPemText, passphrase: "wrong" });
  addWindows(encPemText);
  texts.push({ text: readFileSync(writePpk(dir, "k.ppk", keys[0]?.publicLine ?? "", { version: 3, comment: "c", encrypted: true }), "utf8") });
  texts.push({ text: readFileSync(writePpk(dir, "k2.ppk", keys[1]?.publicLine ?? "", { version: 2, comment: "c" }), "utf8") });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function addWindows(privateText: string): void {
  const body = privateText
    .split("\n")
    .filter((l) => !l.startsWith("-----") && !/^[A-Za-z-]+: /.test(l))
    .join("");
  for (let i = 0; i + 40 <= body.length; i++) secretWindows.add(body.slice(i, i + 40));
}

function leaksSecret(message: string): boolean {
  for (let i = 0; i + 40 <= message.length; i++) if (secretWindows.has(message.slice(i, i + 40))) return true;
  return false;
}

/** One random change: flip, overwrite, insert, delete, truncate, duplicate a slice, or splice in random bytes. */
function mutateBytes(r: Prng, input: Buffer): Buffer {
  const data = Buffer.from(input);
  if (data.length === 0) return r.bytes(r.int(64));
  const at = r.int(data.length);
  switch (r.int(7)) {
    case 0:
      data[at] = (data[at] ?? 0) ^ (1 << r.int(8));
      return data;
    case 1:
      data[at] = r.pick([0x00, 0xff, 0x7f, 0x80, 0x01, 0x20]);
      return data;
    case 2:
      return Buffer.concat([data.subarray(0, at), r.bytes(r.between(1, 8)), data.subarray(at)]);
    case 3:
      return Buffer.concat([data.subarray(0, at), data.subarray(Math.min(data.length, at + r.between(1, 16)))]);
    case 4:
      return data.subarray(0, at);
    case 5:
      return Buffer.concat([data.subarray(0, at), data.subarray(r.int(data.length)), data.subarray(at)]);
    default: {
      // A big-endian length field set to something absurd: the classic parser crash.
      const value = r.pick([0, 1, 0x7fffffff, 0xffffffff, data.length, data.length + 1, 0x10000]);
      if (at + 4 <= data.length) data.writeUInt32BE(value >>> 0, at);
      return data;
    }
  }
}

/** Mutates inside the base64 body of an armoured key, so that the change reaches the binary parser. */
function mutateArmoured(r: Prng, text: string): string {
  const lines = text.split("\n");
  const bodyLines = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^[A-Za-z0-9+/=]{16,}$/.test(l));
  if (bodyLines.length === 0) return mutateBytes(r, Buffer.from(text)).toString("latin1");
  const body = Buffer.from(bodyLines.map(({ l }) => l).join(""), "base64");
  let mutated = mutateBytes(r, body);
  if (r.int(3) === 0) mutated = mutateBytes(r, mutated);
  const encoded = mutated.toString("base64").match(/.{1,70}/g) ?? [""];
  const first = bodyLines[0]?.i ?? 0;
  const last = bodyLines.at(-1)?.i ?? 0;
  return [...lines.slice(0, first), ...encoded, ...lines.slice(last + 1)].join("\n");
}

/** Records an outcome that is neither a result nor an InputError (or an InputError that leaks key text). */
function check(failures: string[], label: string, run: () => void): "ok" | "refused" | "crashed" {
  try {
    run();
    return "ok";
  } catch (error) {
    if (!(error instanceof InputError)) {
      failures.push(`${label}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      return "crashed";
    }
    if (leaksSecret(error.message) || error.message.includes("\n")) {
      failures.push(`${label}: InputError message leaks key material or spans lines`);
    }
    return "refused";
  }
}

/** Both outcomes must occur: a fuzzer that only ever hits the first check proves nothing. */
function expectBothOutcomes(outcomes: Record<string, number>, total: number): void {
  expect(outcomes["ok"] ?? 0).toBeGreaterThan(total / 100);
  expect(outcomes["refused"] ?? 0).toBeGreaterThan(total / 10);
}

describe("fuzzing the parsers that read untrusted bytes", () => {
  it("parseKeyMaterial gives a key or an InputError for 3,000 mutated and random inputs", () => {
    const r = prng(SEED);
    const failures: string[] = [];
    const outcomes: Record<string, number> = {};
    for (let n = 0; n < 3000; n++) {
      const seed = r.pick(texts);
      let input: string | Buffer;
      const how = r.int(10);
      if (how < 5) input = mutateArmoured(r, seed.text);
      else if (how < 8) input = mutateBytes(r, Buffer.from(seed.text));
      else if (how < 9) input = r.bytes(r.int(600));
      else input = `-----BEGIN OPENSSH PRIVATE KEY-----\n${r.bytes(r.int(300)).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`;
      const asString = r.int(2) === 0 && typeof input !== "string" ? input.toString("latin1") : input;
      // A passphrase only for the PEM seed: an OpenSSH key's bcrypt rounds come from the (mutated) file.
      const options = seed.passphrase !== undefined && seed.text.includes("BEGIN RSA PRIVATE KEY") ? { passphrase: seed.passphrase, name: "fuzz" } : { name: "fuzz" };
      const outcome = check(failures, `seed ${SEED} case ${n}`, () => {
        const info = parseKeyMaterial(asString, options);
        if (!FINGERPRINT.test(info.sha256)) throw new Error(`bad fingerprint ${info.sha256}`);
      });
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expectBothOutcomes(outcomes, 3000);
  });

  it("keyInfoFromBlob gives a key or an InputError for 3,000 mutated and random blobs", () => {
    const r = prng(SEED + 1);
    const failures: string[] = [];
    const outcomes: Record<string, number> = {};
    for (let n = 0; n < 3000; n++) {
      const blob = r.int(8) === 0 ? r.bytes(r.int(200)) : mutateBytes(r, r.int(4) === 0 ? mutateBytes(r, r.pick(blobs)) : r.pick(blobs));
      const outcome = check(failures, `seed ${SEED + 1} case ${n}`, () => {
        const info = keyInfoFromBlob(blob);
        if (!FINGERPRINT.test(info.sha256)) throw new Error(`bad fingerprint ${info.sha256}`);
      });
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expectBothOutcomes(outcomes, 3000);
  });

  it("decryptSecret gives an outcome for 3,000 mutated and random stored secrets, never throwing", () => {
    const r = prng(SEED + 2);
    const secrets = makeJenkinsSecrets();
    const key = loadConfidentialKey(secrets.masterKey, secrets.hudsonUtilSecret);
    const stored = [secrets.encrypt("hunter2"), secrets.encrypt("a".repeat(300)), secrets.encryptLegacy("old-secret"), "plain text", "{}", "{AQ==}"];
    const keySets = [{ key }, { key: null }, { key, legacyKey: r.bytes(16) }, { key: r.bytes(16) }, { key: null, legacyKey: null }];
    const failures: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const base = r.pick(stored);
      let value: string;
      const how = r.int(6);
      if (how < 2) {
        const inner = base.startsWith("{") ? base.slice(1, -1) : base;
        const bytes = mutateBytes(r, Buffer.from(inner, "base64"));
        value = base.startsWith("{") ? `{${bytes.toString("base64")}}` : bytes.toString("base64");
      } else if (how < 4) {
        value = mutateBytes(r, Buffer.from(base)).toString("utf8");
      } else if (how < 5) {
        value = `{${r.bytes(r.int(120)).toString("base64")}}`;
      } else {
        value = r.bytes(r.int(80)).toString("latin1");
      }
      check(failures, `seed ${SEED + 2} case ${n}`, () => {
        const outcome = decryptSecret(value, r.pick(keySets));
        if (!["decrypted", "plaintext", "no-secrets", "failed"].includes(outcome.status)) throw new Error(`status ${outcome.status}`);
      });
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it("loadConfidentialKey gives a 16-byte key or an InputError for 1,000 mutated and random secrets files", () => {
    const r = prng(SEED + 3);
    const secrets = makeJenkinsSecrets();
    const failures: string[] = [];
    for (let n = 0; n < 1000; n++) {
      const master = r.int(4) === 0 ? r.bytes(r.int(300)).toString("latin1") : r.int(3) === 0 ? mutateBytes(r, Buffer.from(secrets.masterKey)).toString("latin1") : secrets.masterKey;
      const file = r.int(5) === 0 ? r.bytes(r.int(400)) : mutateBytes(r, secrets.hudsonUtilSecret);
      check(failures, `seed ${SEED + 3} case ${n}`, () => {
        const k = loadConfidentialKey(master, file);
        if (k.length !== 16) throw new Error(`key of ${k.length} bytes`);
      });
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it("fingerprints an encrypted OpenSSH key whose KDF asks for 2^31 bcrypt rounds without trying to decrypt it", () => {
    // Decrypting only yields the comment; a file asking for 2^31 rounds would otherwise hang the scan for days.
    const key = generateKey(dir, "ed25519", { passphrase: "pw", name: "many-rounds" });
    const lines = readFileSync(key.privatePath, "utf8").trim().split("\n");
    const body = Buffer.from(lines.slice(1, -1).join(""), "base64");
    let offset = 15; // "openssh-key-v1\0"
    const skip = (): number => {
      const length = body.readUInt32BE(offset);
      offset += 4 + length;
      return length;
    };
    skip(); // cipher
    skip(); // kdf name
    const optionsEnd = offset + 4 + body.readUInt32BE(offset);
    body.writeUInt32BE(0x80000000, optionsEnd - 4);
    const text = `${lines[0]}\n${(body.toString("base64").match(/.{1,70}/g) ?? []).join("\n")}\n${lines.at(-1)}\n`;
    const info = parseKeyMaterial(text, { passphrase: "pw", name: "many-rounds" });
    expect(info.sha256).toBe(key.sha256);
    expect(info.comment).toBeNull();
  }, 20_000);
});
