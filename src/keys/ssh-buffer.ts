import { InputError } from "../errors.js";

/**
 * A bounds-checked reader of SSH wire data (RFC 4251 §5). Every length is checked against the bytes left before
 * anything is sliced, so hostile input cannot make us allocate or read past the end.
 */
export class SshReader {
  private offset = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  uint8(): number {
    this.need(1);
    const value = this.data[this.offset] ?? 0;
    this.offset += 1;
    return value;
  }

  uint32(): number {
    this.need(4);
    const d = this.data;
    const o = this.offset;
    this.offset += 4;
    return ((d[o] ?? 0) * 0x1000000 + ((d[o + 1] ?? 0) << 16) + ((d[o + 2] ?? 0) << 8) + (d[o + 3] ?? 0)) >>> 0;
  }

  /** Skips a uint64 (certificate serials and validity times: we never need their value). */
  skipUint64(): void {
    this.need(8);
    this.offset += 8;
  }

  bytes(length: number): Uint8Array {
    this.need(length);
    const value = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A length-prefixed byte string. */
  string(): Uint8Array {
    return this.bytes(this.uint32());
  }

  /** A length-prefixed string that must be printable ASCII (algorithm, curve and cipher names). */
  name(): string {
    const raw = this.string();
    if (raw.length > 256) this.fail("a name field is too long");
    for (const byte of raw) if (byte < 0x21 || byte > 0x7e) this.fail("a name field holds non-printable bytes");
    return Buffer.from(raw).toString("latin1");
  }

  /**
   * An mpint, returned as its magnitude without leading zeros. Like OpenSSH (sshbuf_get_bignum2_bytes_direct) we
   * refuse negative and oversized values and accept redundant leading zeros, which re-encoding then drops.
   */
  mpint(): Uint8Array {
    const raw = this.string();
    if (raw.length > MAX_BIGNUM_BYTES + 1 || (raw.length === MAX_BIGNUM_BYTES + 1 && raw[0] !== 0)) {
      this.fail("a number is too large");
    }
    if (raw.length > 0 && ((raw[0] ?? 0) & 0x80) !== 0) this.fail("a number is negative");
    let start = 0;
    while (start < raw.length && raw[start] === 0) start++;
    return raw.subarray(start);
  }

  /** Throws unless every byte was consumed (OpenSSH rejects trailing data after a key). */
  end(): void {
    if (this.remaining !== 0) this.fail("trailing bytes after the key");
  }

  private need(length: number): void {
    if (length > this.remaining) this.fail("it is truncated or a length field is out of range");
  }

  fail(reason: string): never {
    throw new InputError(`${this.what} is not a valid SSH key: ${reason}`);
  }
}

/** OpenSSH's SSHBUF_MAX_BIGNUM: 16384-bit numbers at most. */
const MAX_BIGNUM_BYTES = 16384 / 8;

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** Encodes a length-prefixed string. */
export function sshString(value: Uint8Array | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "latin1") : Buffer.from(value);
  return Buffer.concat([uint32(bytes.length), bytes]);
}

/** Encodes an unsigned magnitude (leading zeros allowed) as a canonical mpint. */
export function sshMpint(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const pad = trimmed.length > 0 && ((trimmed[0] ?? 0) & 0x80) !== 0;
  return sshString(pad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** Number of significant bits of an unsigned big-endian magnitude. */
export function bitLength(magnitude: Uint8Array): number {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  if (start === magnitude.length) return 0;
  const top = magnitude[start] ?? 0;
  return (magnitude.length - start - 1) * 8 + (32 - Math.clz32(top));
}
