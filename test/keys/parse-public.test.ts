import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseKeyMaterial, parsePublicKeyLines } from "../../src/keys/index.js";
import { generateKey } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("authorized_keys lines", () => {
  it("reads keys behind options, including quoted options holding spaces, commas and escaped quotes", () => {
    const dir = tempDir();
    const ed = generateKey(dir, "ed25519", { comment: "alice@laptop" });
    const ec = generateKey(dir, "ecdsa-256", { comment: "ci deploy key" });
    const [edType, edB64] = ed.publicLine.split(" ");
    const [ecType, ecB64] = ec.publicLine.split(" ");
    const text = [
      "# deploy keys",
      `command="echo \\"hello, world\\"",no-pty,from="10.0.0.0/8" ${edType} ${edB64} alice on her laptop`,
      `no-agent-forwarding ${ecType} ${ecB64}`,
      "",
    ].join("\r\n");
    // ssh-keygen -l reads authorized_keys files with options too: it is the oracle for the whole file.
    const path = join(dir, "authorized_keys");
    writeFileSync(path, text);
    const truth = (hash: string): string[] =>
      execFileSync("ssh-keygen", ["-l", "-E", hash, "-f", path], { encoding: "utf8" })
        .trim()
        .split("\n")
        .map((line) => line.split(" ")[1] ?? "");
    const { keys, errors } = parsePublicKeyLines(text);
    expect(errors).toEqual([]);
    expect(keys.map((k) => k.sha256)).toEqual(truth("sha256"));
    expect(keys.map((k) => k.md5)).toEqual(truth("md5"));
    expect(keys.map((k) => k.comment)).toEqual(["alice on her laptop", null]);
    expect(parseKeyMaterial(text.split("\r\n")[1] ?? "").sha256).toBe(ed.sha256);
  });

  it("reports bad lines with their numbers and keeps the good ones", () => {
    const dir = tempDir();
    const ed = generateKey(dir, "ed25519");
    const [type, b64 = ""] = ed.publicLine.split(" ");
    const text = [
      ed.publicLine,
      "not a key at all",
      `${type} ${b64.slice(0, 20)}`,
      `${type} ${b64}!!`,
      `ssh-rsa ${b64}`,
      "   ",
    ].join("\n");
    const { keys, errors } = parsePublicKeyLines(text);
    expect(keys.map((k) => k.sha256)).toEqual([ed.sha256]);
    expect(errors).toMatchInlineSnapshot(`
      [
        {
          "line": 2,
          "message": "line 2 is not a public key line ("<type> <base64> [comment]" with a known SSH key type)",
        },
        {
          "line": 3,
          "message": "line 3 is not a valid SSH key: it is truncated or a length field is out of range",
        },
        {
          "line": 4,
          "message": "line 4 is not valid base64; check that the key was copied whole",
        },
        {
          "line": 5,
          "message": "line 5 names key type ssh-rsa but its key data is of another type",
        },
      ]
    `);
  });

  it("keeps a comment made of several words and strips a Windows line ending", () => {
    const dir = tempDir();
    const rsa = generateKey(dir, "rsa", { bits: 2048, comment: "build server (old) key" });
    const info = parseKeyMaterial(`${rsa.publicLine}\r\n`);
    expect(info.comment).toBe("build server (old) key");
    expect(info.sha256).toBe(rsa.sha256);
    expect(info.bits).toBe(rsa.bits);
  });
});
