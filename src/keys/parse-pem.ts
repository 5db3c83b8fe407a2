import { createPrivateKey, createPublicKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { InputError, PassphraseRequiredError } from "../errors.js";
import type { PemBlock } from "./armor.js";
import { renderPem } from "./armor.js";
import { decodeBase64 } from "./base64.js";
import { spkiToSshBlob } from "./der.js";
import { keyInfoFromParsed, parseKeyBlob } from "./key-blob.js";
import type { KeyInfo } from "./key-info.js";

export const PEM_PRIVATE_LABELS: ReadonlySet<string> = new Set([
  "RSA PRIVATE KEY",
  "DSA PRIVATE KEY",
  "EC PRIVATE KEY",
  "PRIVATE KEY",
  "ENCRYPTED PRIVATE KEY",
]);

export const PEM_PUBLIC_LABELS: ReadonlySet<string> = new Set(["PUBLIC KEY", "RSA PUBLIC KEY"]);

function toKeyInfo(key: KeyObject, what: string): KeyInfo {
  const spki = key.export({ type: "spki", format: "der" });
  return keyInfoFromParsed(parseKeyBlob(spkiToSshBlob(spki, what), what), null);
}

/**
 * A PEM private key: PKCS#1/SEC1/DSA (`BEGIN RSA|DSA|EC PRIVATE KEY`, possibly `Proc-Type: 4,ENCRYPTED`) or
 * PKCS#8 (`BEGIN PRIVATE KEY`, `BEGIN ENCRYPTED PRIVATE KEY`). The public half is derived with node:crypto,
 * so encrypted ones need their passphrase. These formats carry no comment.
 * @throws PassphraseRequiredError when encrypted and the passphrase is missing or wrong.
 */
export function parsePemPrivateKey(
  pem: PemBlock,
  what: string,
  passphrase: string | undefined,
): { info: KeyInfo; encrypted: boolean; format: string } {
  const encrypted = pem.label === "ENCRYPTED PRIVATE KEY" || /ENCRYPTED/i.test(pem.headers.get("proc-type") ?? "");
  const format = pem.label.endsWith(" PRIVATE KEY") && pem.label !== "ENCRYPTED PRIVATE KEY" && pem.label !== "PRIVATE KEY" ? "pem" : "pkcs8";
  if (encrypted && !passphrase) {
    throw new PassphraseRequiredError(
      `${what} is an encrypted private key: give its passphrase, or put its public key in ${what}.pub`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: renderPem(pem.label, pem.headers, pem.body), format: "pem", passphrase: passphrase ?? "" });
  } catch (error) {
    if (encrypted) {
      throw new PassphraseRequiredError(
        `${what} could not be decrypted: the passphrase given is wrong (or the key is damaged)`,
        { cause: error },
      );
    }
    throw new InputError(`${what} is not a valid ${pem.label} block; check that the key was copied whole`, { cause: error });
  }
  return { info: toKeyInfo(createPublicKey(key), what), encrypted, format };
}

/** A PEM public key as `ssh-keygen -e -m PEM|PKCS8` writes it (`BEGIN RSA PUBLIC KEY`, `BEGIN PUBLIC KEY`). */
export function parsePemPublicKey(pem: PemBlock, what: string): { info: KeyInfo; format: string } {
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: decodeBase64(pem.body, what),
      format: "der",
      type: pem.label === "RSA PUBLIC KEY" ? "pkcs1" : "spki",
    });
  } catch (error) {
    throw new InputError(`${what} is not a valid ${pem.label} block; check that the key was copied whole`, { cause: error });
  }
  return { info: toKeyInfo(key, what), format: pem.label === "RSA PUBLIC KEY" ? "pkcs1-public" : "pkcs8-public" };
}
