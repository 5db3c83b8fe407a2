import { createDecipheriv, createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createJenkinsSecrets, writeJenkinsHome, type JenkinsHomeSpec } from "../../src/demo/jenkins-home.js";
import { generateDemoKeyPair } from "../../src/demo/key-pair.js";
import { readJenkinsHome } from "../../src/sources/jenkins/index.js";
import type { PipelineRecord, ScanWarning } from "../../src/sources/source.js";
import { generateKey } from "../helpers/ssh-keygen.js";
import { tempDir } from "../helpers/temp-dir.js";

async function scanHome(home: string): Promise<{ pipelines: PipelineRecord[]; warnings: ScanWarning[] }> {
  const pipelines: PipelineRecord[] = [];
  const warnings: ScanWarning[] = [];
  for await (const p of readJenkinsHome({ location: home, options: {}, warn: (w) => warnings.push(w) })) pipelines.push(p);
  return { pipelines, warnings };
}

function fingerprintsOf(p: PipelineRecord | undefined): string[] {
  return (p?.uses ?? []).flatMap((u) => (u.key.kind === "key" ? [u.key.key.sha256] : u.key.kind === "fingerprint" && u.key.sha256 ? [u.key.sha256] : []));
}

describe("writeJenkinsHome", () => {
  it("writes master.key as 256 hex characters without a newline and hudson.util.Secret as 272 bytes ending in MAGIC", () => {
    const home = tempDir();
    const secrets = writeJenkinsHome(home, { credentials: [], jobs: [] });
    const masterKey = readFileSync(join(home, "secrets", "master.key"), "utf8");
    expect(masterKey).toMatch(/^[0-9a-f]{256}$/);
    const sealed = readFileSync(join(home, "secrets", "hudson.util.Secret"));
    expect(sealed.length).toBe(272);
    // Decrypted here with openssl-equivalent primitives, straight from the Jenkins algorithm.
    const km = createHash("sha256").update(masterKey.trim(), "utf8").digest().subarray(0, 16);
    const decipher = createDecipheriv("aes-128-ecb", km, null);
    const plain = Buffer.concat([decipher.update(sealed), decipher.final()]);
    expect(plain.length).toBe(256 + "::::MAGIC::::".length);
    expect(plain.subarray(256).toString("utf8")).toBe("::::MAGIC::::");
    expect(secrets.masterKey).toBe(masterKey);
    expect((statSync(join(home, "secrets", "master.key")).mode & 0o777).toString(8)).toBe("600");
  });

  it("encrypts a Secret as version 1, IV length 16, data length, IV and CBC ciphertext that decrypts to the value", () => {
    const secrets = createJenkinsSecrets();
    const value = secrets.encrypt("hello ünïcode");
    expect(value).toMatch(/^\{[A-Za-z0-9+/=]+\}$/);
    const bytes = Buffer.from(value.slice(1, -1), "base64");
    expect(bytes[0]).toBe(1);
    expect(bytes.readUInt32BE(1)).toBe(16);
    const dataLength = bytes.readUInt32BE(5);
    expect(bytes.length).toBe(9 + 16 + dataLength);
    const km = createHash("sha256").update(secrets.masterKey, "utf8").digest().subarray(0, 16);
    const unseal = createDecipheriv("aes-128-ecb", km, null);
    const k = Buffer.concat([unseal.update(secrets.hudsonUtilSecret), unseal.final()]).subarray(0, 16);
    const decipher = createDecipheriv("aes-128-cbc", k, bytes.subarray(9, 25));
    expect(Buffer.concat([decipher.update(bytes.subarray(25)), decipher.final()]).toString("utf8")).toBe("hello ünïcode");
    expect(secrets.encrypt("hello ünïcode")).not.toBe(value);
  });

  it("writes a home the Jenkins scanner reads: credentials decrypted, folder jobs named folder/job, keys fingerprinted as ssh-keygen does", async () => {
    const home = tempDir();
    const keys = tempDir();
    const openssh = generateKey(keys, "ed25519");
    const rsaPem = generateKey(keys, "rsa", { format: "PEM", bits: 2048 });
    const pkcs8 = generateDemoKeyPair("demo@keyward");
    const spec: JenkinsHomeSpec = {
      credentials: [
        { id: "deploy-key", description: "production <deploy> & 'key'", privateKey: readFileSync(openssh.privatePath, "utf8") },
        { id: "website-checkout", username: "git", privateKey: readFileSync(rsaPem.privatePath, "utf8") },
        { id: "pkcs8-key", privateKey: pkcs8.privateKeyPem },
      ],
      jobs: [
        {
          kind: "folder",
          name: "shop",
          jobs: [
            {
              kind: "pipeline",
              name: "deploy-prod",
              script: "node {\n  sshagent(['deploy-key']) {\n    sh 'git push git@github.com:acme/production.git || true'\n  }\n}\n",
            },
            { kind: "freestyle", name: "build-website", gitUrl: "git@github.com:acme/website.git", credentialsId: "website-checkout", shell: "make && make test" },
          ],
        },
        { kind: "pipeline", name: "top-level", script: 'node { sshagent(credentials: ["pkcs8-key"]) { sh "git fetch" } }' },
      ],
    };
    writeJenkinsHome(home, spec);
    expect(readFileSync(join(home, "credentials.xml"), "utf8")).toMatch(/^<\?xml version='1\.1' encoding='UTF-8'\?>\n<com\.cloudbees\.plugins\.credentials\.SystemCredentialsProvider/);
    expect(readFileSync(join(home, "credentials.xml"), "utf8")).not.toContain("PRIVATE KEY");
    expect(readFileSync(join(home, "jobs", "shop", "jobs", "deploy-prod", "config.xml"), "utf8")).toContain("sshagent([&apos;deploy-key&apos;])");

    const { pipelines, warnings } = await scanHome(home);
    expect(warnings).toEqual([]);
    const byName = new Map(pipelines.map((p) => [p.name, p]));
    expect([...byName.keys()].sort()).toEqual(["shop/build-website", "shop/deploy-prod", "top-level"]);
    expect(fingerprintsOf(byName.get("shop/deploy-prod"))).toEqual([openssh.sha256]);
    expect(fingerprintsOf(byName.get("shop/build-website"))).toEqual([rsaPem.sha256]);
    expect(byName.get("shop/build-website")?.repository).toBe("acme/website");
    expect(fingerprintsOf(byName.get("top-level"))).toEqual([pkcs8.sha256]);
  });

  it("refuses a job name that is not one path segment", () => {
    const home = tempDir();
    expect(() => writeJenkinsHome(home, { credentials: [], jobs: [{ kind: "pipeline", name: "../escape", script: "" }] })).toThrow(RangeError);
  });
});
