// Envelopes built byte by byte from spec/MESH.md §2's offsets, independently
// of src/envelope (which the tests check against these).

/** Composite signature lengths of spec/WIRE-FORMAT.md §6.1. */
export const SIGNATURE_LENGTHS: Readonly<Record<number, number>> = { 0xfe01: 2484, 0xfe02: 3373, 0xfe03: 4741 };

export interface HandFields {
  suite: number;
  issuerKeyId: Uint8Array; // 16
  recipientKeyId: Uint8Array; // 16
  envelopeId: Uint8Array; // 16
  version: bigint;
  issuedAt: bigint;
  expiresAt: bigint;
  keyName: string;
  sealed: Uint8Array;
  signature?: Uint8Array; // default: S bytes of 0x5a
}

export function handHeader(f: HandFields): Uint8Array {
  const n = f.keyName.length;
  const b = new Uint8Array(77 + n);
  const dv = new DataView(b.buffer);
  b[0] = 0x01;
  b[1] = 0x0a;
  dv.setUint16(2, f.suite);
  b.set(f.issuerKeyId, 4);
  b.set(f.recipientKeyId, 20);
  b.set(f.envelopeId, 36);
  dv.setBigUint64(52, f.version);
  dv.setBigUint64(60, f.issuedAt);
  dv.setBigUint64(68, f.expiresAt);
  b[76] = n;
  for (let i = 0; i < n; i++) b[77 + i] = f.keyName.charCodeAt(i);
  return b;
}

export function handSigned(f: HandFields): Uint8Array {
  const h = handHeader(f);
  const n = f.keyName.length;
  const L = f.sealed.length;
  const b = new Uint8Array(81 + n + L);
  b.set(h);
  new DataView(b.buffer).setUint32(77 + n, L);
  b.set(f.sealed, 81 + n);
  return b;
}

export function handEnvelope(f: HandFields): Uint8Array {
  const s = handSigned(f);
  const sig = f.signature ?? new Uint8Array(SIGNATURE_LENGTHS[f.suite] ?? 0).fill(0x5a);
  const b = new Uint8Array(s.length + sig.length);
  b.set(s);
  b.set(sig, s.length);
  return b;
}

export const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A small valid envelope's fields (suite 0xfe01, name "svc-db", 10-byte payload). */
export function sampleFields(over: Partial<HandFields> = {}): HandFields {
  return {
    suite: 0xfe01,
    issuerKeyId: fill(16, 0x11),
    recipientKeyId: fill(16, 0x22),
    envelopeId: fill(16, 0x33),
    version: 7n,
    issuedAt: 1_767_225_600_000n,
    expiresAt: 1_767_226_500_000n,
    keyName: 'svc-db',
    sealed: fill(10, 0x44),
    ...over,
  };
}
