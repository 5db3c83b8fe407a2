import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ed25519PublicKeyRun, publicKeyOfScalar, secretScalar } from "../../../src/demo/simulator/ed25519-run.js";
import { makeEd25519PublicKey } from "../../../src/demo/simulator/index.js";
import { oracle } from "../../helpers/ssh-keygen.js";
import { tempDir } from "../../helpers/temp-dir.js";

/** node:crypto's public key for a 32-byte private seed: the oracle for our curve arithmetic. */
function nodePublicKey(seed: Buffer): Buffer {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });
  return createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(12);
}

describe("ed25519 key runs", () => {
  const seeds = Array.from({ length: 8 }, (_, i) => createHash("sha256").update(`oracle-${i}`).digest());

  it("derives a·B exactly as node:crypto derives the public key of a private seed", () => {
    for (const seed of seeds) {
      expect(publicKeyOfScalar(secretScalar(seed)).toString("hex")).toBe(nodePublicKey(seed).toString("hex"));
      expect(ed25519PublicKeyRun(seed, 1)[0]?.toString("hex")).toBe(nodePublicKey(seed).toString("hex"));
    }
  });

  it("walks (a+i)·B: the run agrees with direct scalar multiplication at any offset", () => {
    const seed = seeds[0] as Buffer;
    const a = secretScalar(seed);
    const run = ed25519PublicKeyRun(seed, 300, 1000);
    for (const i of [0, 1, 2, 150, 299]) {
      expect(run[i]?.toString("hex")).toBe(publicKeyOfScalar(a + 1000n + BigInt(i)).toString("hex"));
    }
    expect(new Set(run.map((b) => b.toString("hex"))).size).toBe(300);
  });

  it("makes deterministic OpenSSH lines that ssh-keygen reads", () => {
    const dir = tempDir();
    const line = makeEd25519PublicKey("alice", "alice@laptop");
    expect(makeEd25519PublicKey("alice", "alice@laptop")).toBe(line);
    expect(makeEd25519PublicKey("bob")).not.toBe(line.split(" ").slice(0, 2).join(" "));
    writeFileSync(join(dir, "alice.pub"), `${line}\n`);
    const blob = Buffer.from(line.split(" ")[1] ?? "", "base64");
    const expected = `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
    expect(oracle(join(dir, "alice.pub"))).toMatchObject({ bits: 256, sha256: expected });
    expect(line.endsWith(" alice@laptop")).toBe(true);
  });
});
