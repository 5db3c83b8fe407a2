import { createPublicKey } from "node:crypto";
import { md5Fingerprint, sha256Fingerprint } from "./fingerprint.js";
import type { KeyInfo } from "./key-info.js";
import { bitLength, SshReader, sshMpint, sshString } from "./ssh-buffer.js";

/** A public key blob after validation, re-encoded the way OpenSSH re-encodes it before hashing. */
export interface ParsedKeyBlob {
  readonly type: string;
  readonly bits: number;
  /** The canonical plain-key blob: what ssh-keygen hashes (certificates: the key inside). */
  readonly plainBlob: Buffer;
  readonly certificate: boolean;
}

interface Curve {
  readonly name: string;
  readonly jwk: string;
  readonly bits: number;
  readonly fieldBytes: number;
}

const CURVES: Readonly<Record<string, Curve>> = {
  "ecdsa-sha2-nistp256": { name: "nistp256", jwk: "P-256", bits: 256, fieldBytes: 32 },
  "ecdsa-sha2-nistp384": { name: "nistp384", jwk: "P-384", bits: 384, fieldBytes: 48 },
  "ecdsa-sha2-nistp521": { name: "nistp521", jwk: "P-521", bits: 521, fieldBytes: 66 },
  "sk-ecdsa-sha2-nistp256@openssh.com": { name: "nistp256", jwk: "P-256", bits: 256, fieldBytes: 32 },
};

/** Certificate algorithm → the plain key algorithm it wraps (PROTOCOL.certkeys). */
const CERT_TYPES: Readonly<Record<string, string>> = {
  "ssh-rsa-cert-v01@openssh.com": "ssh-rsa",
  "ssh-dss-cert-v01@openssh.com": "ssh-dss",
  "ecdsa-sha2-nistp256-cert-v01@openssh.com": "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384-cert-v01@openssh.com": "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521-cert-v01@openssh.com": "ecdsa-sha2-nistp521",
  "ssh-ed25519-cert-v01@openssh.com": "ssh-ed25519",
  "sk-ssh-ed25519-cert-v01@openssh.com": "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com": "sk-ecdsa-sha2-nistp256@openssh.com",
};

const PLAIN_TYPES = new Set([
  "ssh-rsa",
  "ssh-dss",
  "ssh-ed25519",
  "sk-ssh-ed25519@openssh.com",
  ...Object.keys(CURVES),
]);

/** Every algorithm name we accept at the start of a public key line. */
export const KEY_TYPES: ReadonlySet<string> = new Set([...PLAIN_TYPES, ...Object.keys(CERT_TYPES)]);

/**
 * Reads the plain key fields of `type` from `reader` and returns them canonically re-encoded with the type
 * prefix, plus the bit count ssh-keygen prints.
 */
function readPlainKey(reader: SshReader, type: string): { blob: Buffer; bits: number } {
  const prefix = sshString(type);
  switch (type) {
    case "ssh-rsa": {
      const e = reader.mpint();
      const n = reader.mpint();
      if (n.length === 0 || e.length === 0) reader.fail("the RSA key has an empty modulus or exponent");
      return { blob: Buffer.concat([prefix, sshMpint(e), sshMpint(n)]), bits: bitLength(n) };
    }
    case "ssh-dss": {
      const parts = [reader.mpint(), reader.mpint(), reader.mpint(), reader.mpint()];
      if (parts.some((part) => part.length === 0)) reader.fail("the DSA key has an empty parameter");
      return { blob: Buffer.concat([prefix, ...parts.map(sshMpint)]), bits: bitLength(parts[0] ?? new Uint8Array()) };
    }
    case "ssh-ed25519":
    case "sk-ssh-ed25519@openssh.com": {
      const key = reader.string();
      if (key.length !== 32) reader.fail("the ed25519 key is not 32 bytes");
      const parts = [prefix, sshString(key)];
      if (type.startsWith("sk-")) parts.push(sshString(reader.string()));
      return { blob: Buffer.concat(parts), bits: 256 };
    }
    default: {
      const curve = CURVES[type];
      if (!curve) return reader.fail(`unsupported key type ${type.length <= 40 ? JSON.stringify(type) : "(a long name)"}`);
      if (reader.name() !== curve.name) reader.fail("the curve name does not match the key type");
      const point = reader.string();
      checkPoint(reader, curve, point);
      const parts = [prefix, sshString(curve.name), sshString(point)];
      if (type.startsWith("sk-")) parts.push(sshString(reader.string()));
      return { blob: Buffer.concat(parts), bits: curve.bits };
    }
  }
}

/** OpenSSH refuses points off the curve (sshkey_ec_validate_public); node:crypto's JWK import checks the same. */
function checkPoint(reader: SshReader, curve: Curve, point: Uint8Array): void {
  if (point.length !== 1 + 2 * curve.fieldBytes || point[0] !== 4) {
    reader.fail("the ECDSA point is not an uncompressed point of its curve");
  }
  const x = Buffer.from(point.subarray(1, 1 + curve.fieldBytes)).toString("base64url");
  const y = Buffer.from(point.subarray(1 + curve.fieldBytes)).toString("base64url");
  try {
    createPublicKey({ key: { kty: "EC", crv: curve.jwk, x, y }, format: "jwk" });
  } catch {
    reader.fail("the ECDSA point is not on its curve");
  }
}

/** Validates an SSH wire-format public key or certificate blob. `what` names the input in errors. */
export function parseKeyBlob(blob: Uint8Array, what = "the key blob"): ParsedKeyBlob {
  const reader = new SshReader(blob, what);
  const type = reader.name();
  const plainType = CERT_TYPES[type];
  if (plainType === undefined) {
    const { blob: plainBlob, bits } = readPlainKey(reader, type);
    reader.end();
    return { type, bits, plainBlob, certificate: false };
  }
  reader.string(); // nonce
  const { blob: plainBlob, bits } = readPlainKey(reader, plainType);
  // The rest of the certificate (PROTOCOL.certkeys): only its framing is checked, not the CA signature.
  reader.skipUint64(); // serial
  reader.uint32(); // cert type
  for (let i = 0; i < 2; i++) reader.string(); // key id, principals
  reader.skipUint64(); // valid after
  reader.skipUint64(); // valid before
  for (let i = 0; i < 5; i++) reader.string(); // critical options, extensions, reserved, CA key, signature
  reader.end();
  return { type: plainType, bits, plainBlob, certificate: true };
}

/** KeyInfo of an already validated blob. */
export function keyInfoFromParsed(parsed: ParsedKeyBlob, comment: string | null): KeyInfo {
  const info: KeyInfo = {
    type: parsed.type,
    bits: parsed.bits,
    sha256: sha256Fingerprint(parsed.plainBlob),
    md5: md5Fingerprint(parsed.plainBlob),
    comment: comment === "" ? null : comment,
    publicKey: `${parsed.type} ${parsed.plainBlob.toString("base64")}`,
  };
  return parsed.certificate ? { ...info, certificate: true } : info;
}

/**
 * Fingerprints of a raw SSH wire-format public key blob (ssh-agent identities, etc.). Certificate blobs give the
 * fingerprint of the plain key they carry, as ssh-keygen prints it.
 * @throws InputError when the blob is not a valid public key.
 */
export function keyInfoFromBlob(blob: Uint8Array, comment: string | null = null): KeyInfo {
  return keyInfoFromParsed(parseKeyBlob(blob), comment);
}
