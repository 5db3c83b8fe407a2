import { InputError } from "../errors.js";
import { sshMpint, sshString } from "./ssh-buffer.js";

interface Tlv {
  readonly tag: number;
  readonly content: Uint8Array;
  readonly next: number;
}

/** One DER TLV at `offset`, bounds-checked (X.690 §8.1; definite lengths only). */
function readTlv(data: Uint8Array, offset: number, what: string): Tlv {
  const bad = (): never => {
    throw new InputError(`${what} holds malformed DER data`);
  };
  const tag = data[offset] ?? bad();
  let length = data[offset + 1] ?? bad();
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) bad();
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (data[start + i] ?? bad());
    start += count;
  }
  if (start + length > data.length) bad();
  return { tag, content: data.subarray(start, start + length), next: start + length };
}

/** The children of a constructed DER value. */
function children(content: Uint8Array, what: string): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < content.length; ) {
    const tlv = readTlv(content, offset, what);
    out.push(tlv);
    offset = tlv.next;
  }
  return out;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OID = 0x06;

const OIDS: Readonly<Record<string, string>> = {
  "2a864886f70d010101": "rsa",
  "2a8648ce380401": "dsa",
  "2a8648ce3d0201": "ec",
  "2b6570": "ed25519",
};

const EC_CURVES: Readonly<Record<string, string>> = {
  "2a8648ce3d030107": "nistp256",
  "2b81040022": "nistp384",
  "2b81040023": "nistp521",
};

function expect(tlv: Tlv | undefined, tag: number, what: string): Uint8Array {
  if (tlv?.tag !== tag) throw new InputError(`${what} holds an unexpected DER structure`);
  return tlv.content;
}

/**
 * Converts a DER SubjectPublicKeyInfo (RFC 5280 §4.1; as node:crypto exports it) to an SSH wire-format blob
 * (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4).
 */
export function spkiToSshBlob(spki: Uint8Array, what: string): Buffer {
  const [algorithm, bits] = children(expect(readTlv(spki, 0, what), SEQUENCE, what), what);
  const [oid, params] = children(expect(algorithm, SEQUENCE, what), what);
  const kind = OIDS[Buffer.from(expect(oid, OID, what)).toString("hex")];
  const bitString = expect(bits, BIT_STRING, what);
  if (bitString[0] !== 0) throw new InputError(`${what} holds an unexpected DER structure`);
  const key = bitString.subarray(1);
  switch (kind) {
    case "rsa": {
      const [n, e] = children(expect(readTlv(key, 0, what), SEQUENCE, what), what);
      return Buffer.concat([sshString("ssh-rsa"), sshMpint(expect(e, INTEGER, what)), sshMpint(expect(n, INTEGER, what))]);
    }
    case "dsa": {
      const pqg = children(expect(params, SEQUENCE, what), what).map((tlv) => sshMpint(expect(tlv, INTEGER, what)));
      const y = sshMpint(expect(readTlv(key, 0, what), INTEGER, what));
      return Buffer.concat([sshString("ssh-dss"), ...pqg, y]);
    }
    case "ec": {
      const curve = EC_CURVES[Buffer.from(expect(params, OID, what)).toString("hex")];
      if (curve === undefined) throw new InputError(`${what} is an EC key on a curve SSH does not use`);
      return Buffer.concat([sshString(`ecdsa-sha2-${curve}`), sshString(curve), sshString(key)]);
    }
    case "ed25519":
      return Buffer.concat([sshString("ssh-ed25519"), sshString(key)]);
    default:
      throw new InputError(`${what} is a key of a type SSH does not use`);
  }
}
