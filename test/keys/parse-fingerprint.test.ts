import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { looksLikeFingerprint, parseFingerprint } from "../../src/keys/index.js";
import { generateKey } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("parseFingerprint", () => {
  it("normalises the SHA256 and MD5 forms ssh-keygen prints, padded, bare or in another case", () => {
    const key = generateKey(tempDir(), "ed25519");
    const md5Hex = key.md5.slice("MD5:".length);
    expect(parseFingerprint(key.sha256)).toEqual({ sha256: key.sha256 });
    expect(parseFingerprint(`  ${key.sha256}=  `)).toEqual({ sha256: key.sha256 });
    expect(parseFingerprint(`sha256:${key.sha256.slice(7)}`)).toEqual({ sha256: key.sha256 });
    expect(parseFingerprint(key.md5)).toEqual({ md5: key.md5 });
    expect(parseFingerprint(md5Hex.toUpperCase())).toEqual({ md5: key.md5 });
    expect(parseFingerprint(`md5:${md5Hex}`)).toEqual({ md5: key.md5 });
    for (const text of [key.sha256, key.md5, md5Hex]) expect(looksLikeFingerprint(text)).toBe(true);
  });

  it("refuses fingerprints of the wrong length, naming the text", () => {
    expect(() => parseFingerprint("SHA256:abcd")).toThrowErrorMatchingInlineSnapshot(
      `[InputError: "SHA256:abcd" is not a SHA256 fingerprint: expected "SHA256:" and 43 base64 characters, as "ssh-keygen -l" prints]`,
    );
    expect(() => parseFingerprint("MD5:aa:bb:cc")).toThrowErrorMatchingInlineSnapshot(
      `[InputError: "MD5:aa:bb:cc" is not an MD5 fingerprint: expected 16 colon-separated hex bytes, as "ssh-keygen -l -E md5" prints]`,
    );
    expect(() => parseFingerprint("aa:bb:cc:dd")).toThrow(InputError);
    expect(() => parseFingerprint(`SHA256:${"A".repeat(44)}`)).toThrow(InputError);
    expect(() => parseFingerprint(`MD5:${"zz:".repeat(15)}zz`)).toThrow(InputError);
    expect(() => parseFingerprint("0123456789abcdef0123456789abcdef")).toThrowErrorMatchingInlineSnapshot(
      `[InputError: "0123456789abcdef0123456789abcdef" is not a fingerprint: expected "SHA256:…" or "MD5:aa:bb:…"]`,
    );
  });

  it("does not take paths or key lines for fingerprints", () => {
    for (const text of ["~/.ssh/id_ed25519", "./id_rsa.pub", "ssh-ed25519 AAAAC3Nz x", "deploy:key", "ab"]) {
      expect(looksLikeFingerprint(text)).toBe(false);
    }
  });
});
