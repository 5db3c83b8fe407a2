import { createHash } from "node:crypto";

/*
 * Many distinct, valid ed25519 public keys fast. node:crypto needs ~0.2 ms per key (10,000 members × 3 keys
 * would take seconds), so a run starts at A = a·B for a seed (a = clamped SHA-512 of the seed, exactly as
 * RFC 8032 derives a public key) and walks A, A+B, A+2B, …: each is the public key of the scalar a+i, on the
 * curve and in the prime-order subgroup. One point addition in extended coordinates plus a batched inversion
 * per key (RFC 8032 §5.1; formulas "add-2008-hwcd-3"). test/demo/simulator/ed25519-run.test.ts checks a·B
 * against node:crypto's own public keys.
 */
const P = 2n ** 255n - 19n;

function mod(a: bigint): bigint {
  const r = a % P;
  return r >= 0n ? r : r + P;
}

function pow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

const invert = (a: bigint): bigint => pow(a, P - 2n);
const D = mod(-121665n * invert(121666n));
const D2 = (2n * D) % P;
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

interface Point {
  readonly X: bigint;
  readonly Y: bigint;
  readonly Z: bigint;
  readonly T: bigint;
}

function recoverX(y: bigint, odd: boolean): bigint {
  const y2 = (y * y) % P;
  const ratio = (mod(y2 - 1n) * invert(mod(D * y2 + 1n))) % P;
  let x = pow(ratio, (P + 3n) / 8n);
  if (mod(x * x - ratio) !== 0n) x = (x * SQRT_M1) % P;
  if ((x & 1n) === 1n) x = P - x;
  return odd ? mod(P - x) : x;
}

const baseY = (4n * invert(5n)) % P;
const baseX = recoverX(baseY, false);
const BASE: Point = { X: baseX, Y: baseY, Z: 1n, T: (baseX * baseY) % P };
const IDENTITY: Point = { X: 0n, Y: 1n, Z: 1n, T: 0n };

function add(p: Point, q: Point): Point {
  const a = (mod(p.Y - p.X) * mod(q.Y - q.X)) % P;
  const b = ((p.Y + p.X) * (q.Y + q.X)) % P;
  const c = (((p.T * D2) % P) * q.T) % P;
  const d = (2n * p.Z * q.Z) % P;
  const e = mod(b - a);
  const f = mod(d - c);
  const g = (d + c) % P;
  const h = (b + a) % P;
  return { X: (e * f) % P, Y: (g * h) % P, T: (e * h) % P, Z: (f * g) % P };
}

function multiply(scalar: bigint, point: Point): Point {
  let result = IDENTITY;
  let addend = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

/** RFC 8032 §5.1.5: the secret scalar of a 32-byte private seed. */
export function secretScalar(privateSeed: Buffer): bigint {
  const h = createHash("sha512").update(privateSeed).digest().subarray(0, 32);
  h[0] = (h[0] ?? 0) & 248;
  h[31] = ((h[31] ?? 0) & 127) | 64;
  return BigInt(`0x${Buffer.from(h).reverse().toString("hex")}`);
}

function encode(x: bigint, y: bigint): Buffer {
  const bytes = Buffer.from(y.toString(16).padStart(64, "0"), "hex").reverse();
  if (x & 1n) bytes[31] = (bytes[31] ?? 0) | 0x80;
  return bytes;
}

/** The encoded public key of scalar·B (tests compare it with node:crypto). */
export function publicKeyOfScalar(scalar: bigint): Buffer {
  const point = multiply(scalar, BASE);
  const zInverse = invert(point.Z);
  return encode((point.X * zInverse) % P, (point.Y * zInverse) % P);
}

/** `count` consecutive public keys (a+offset)·B, (a+offset+1)·B, … for the private seed. */
export function ed25519PublicKeyRun(privateSeed: Buffer, count: number, offset = 0): Buffer[] {
  const points: Point[] = [];
  let point = multiply(secretScalar(privateSeed) + BigInt(offset), BASE);
  for (let i = 0; i < count; i += 1) {
    points.push(point);
    point = add(point, BASE);
  }
  // Montgomery's trick: one inversion for the whole run.
  const prefix: bigint[] = [];
  let running = 1n;
  for (const p of points) {
    prefix.push(running);
    running = (running * p.Z) % P;
  }
  let inverse = invert(running);
  const out: Buffer[] = new Array<Buffer>(points.length);
  for (let i = points.length - 1; i >= 0; i -= 1) {
    const p = points[i] as Point;
    const zInverse = (inverse * (prefix[i] as bigint)) % P;
    inverse = (inverse * p.Z) % P;
    out[i] = encode((p.X * zInverse) % P, (p.Y * zInverse) % P);
  }
  return out;
}
