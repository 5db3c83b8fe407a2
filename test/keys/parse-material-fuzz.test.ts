import { readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { keyInfoFromBlob, parseKeyMaterial, parsePublicKeyLines } from "../../src/keys/index.js";
import { exportPublic, generateKey } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";
import { blobOf, signCertificate, skPublicLines, writePpk } from "./key-fixtures.js";

/** mulberry32: a tiny seeded PRNG, so every run feeds the parser the same inputs. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let dir: string;
const blobs: Buffer[] = [];
const texts: string[] = [];

beforeAll(() => {
  dir = tempDir("keyward-fuzz-", { keep: true });
  const ed = generateKey(dir, "ed25519");
  const rsa = generateKey(dir, "rsa", { bits: 1024 });
  const ec = generateKey(dir, "ecdsa-521");
  const dsa = generateKey(dir, "dsa");
  const pem = generateKey(dir, "ecdsa-256", { format: "PEM" });
  const pkcs8 = generateKey(dir, "rsa", { bits: 1024, format: "PKCS8" });
  const encrypted = generateKey(dir, "ed25519", { passphrase: "fuzzing!", name: "enc" });
  const cert = readFileSync(signCertificate(ed.privatePath, ec.publicPath), "utf8");
  const sk = skPublicLines();
  for (const line of [ed.publicLine, rsa.publicLine, ec.publicLine, dsa.publicLine, cert, sk.ed25519, sk.ecdsa]) {
    blobs.push(blobOf(line));
    texts.push(line);
  }
  for (const path of [ed.privatePath, rsa.privatePath, pem.privatePath, pkcs8.privatePath, encrypted.privatePath]) {
    texts.push(readFileSync(path, "utf8"));
  }
  texts.push(exportPublic(rsa.publicPath, "RFC4716"), exportPublic(rsa.publicPath, "PEM"), exportPublic(ec.publicPath, "PKCS8"));
  texts.push(readFileSync(writePpk(dir, "k.ppk", dsa.publicLine, { version: 3, comment: "c" }), "utf8"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `fn`; anything thrown that is not an InputError is a finding. */
function total(findings: string[], label: string, fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof InputError)) findings.push(`${label}: ${String(error)}`);
  }
}

function mutateBytes(random: () => number, input: Buffer): Buffer {
  const out = Buffer.from(input);
  const kind = Math.floor(random() * 4);
  if (kind === 0) return out.subarray(0, Math.floor(random() * out.length));
  if (kind === 1) {
    // A huge or off-by-some length field somewhere.
    const at = Math.floor(random() * Math.max(1, out.length - 4));
    out.writeUInt32BE(random() < 0.5 ? 0xfffffff0 : Math.floor(random() * 4096), at);
    return out;
  }
  const flips = 1 + Math.floor(random() * 8);
  for (let i = 0; i < flips && out.length > 0; i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
  return kind === 2 ? out : Buffer.concat([out, Buffer.from([Math.floor(random() * 256)])]);
}

/** Mutates the decoded payload of armoured or base64 text, so the damage gets past the base64 check. */
function mutateText(random: () => number, text: string): string {
  const match = /[A-Za-z0-9+/]{40,}={0,2}(?:\s+[A-Za-z0-9+/]+={0,2})*/.exec(text);
  if (!match || random() < 0.3) {
    const cut = Math.floor(random() * text.length);
    return random() < 0.5 ? text.slice(0, cut) : `${text.slice(0, cut)}${String.fromCharCode(Math.floor(random() * 128))}${text.slice(cut + 1)}`;
  }
  const payload = mutateBytes(random, Buffer.from(match[0].replace(/\s+/g, ""), "base64"));
  const wrapped = (payload.toString("base64").match(/.{1,70}/g) ?? []).join(text.includes("\n") ? "\n" : "");
  return text.slice(0, match.index) + wrapped + text.slice(match.index + match[0].length);
}

describe("the parser is total", () => {
  it("turns random bytes into a result or an InputError, never another error", () => {
    const random = prng(0x5eed);
    const findings: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 600) }, () => Math.floor(random() * 256)));
      total(findings, `random bytes #${i}`, () => parseKeyMaterial(bytes));
      total(findings, `random blob #${i}`, () => keyInfoFromBlob(bytes));
      total(findings, `random text #${i}`, () => parseKeyMaterial(bytes.toString("latin1")));
    }
    expect(findings).toEqual([]);
  });

  it("turns truncated, bit-flipped and length-corrupted keys into a result or an InputError", () => {
    const random = prng(42);
    const findings: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const blob = blobs[i % blobs.length] ?? Buffer.alloc(0);
      total(findings, `blob #${i}`, () => keyInfoFromBlob(mutateBytes(random, blob)));
      const text = texts[i % texts.length] ?? "";
      const mutated = mutateText(random, text);
      total(findings, `text #${i}`, () => parseKeyMaterial(mutated));
      total(findings, `lines #${i}`, () => parsePublicKeyLines(mutated));
    }
    expect(findings).toEqual([]);
  });

  it("refuses inputs larger than 1 MiB up front, and hostile repetition stays cheap", () => {
    expect(() => parseKeyMaterial("A".repeat(1024 * 1024 + 1))).toThrow(InputError);
    const markers = "---- BEGIN SSH2 PUBLIC KEY ----\n-----BEGIN PRIVATE KEY-----\n".repeat(15_000);
    expect(() => parseKeyMaterial(markers)).toThrow(InputError);
    expect(parsePublicKeyLines(`${'command="'.repeat(5000)}\n`.repeat(20)).errors).toHaveLength(20);
  });
});
