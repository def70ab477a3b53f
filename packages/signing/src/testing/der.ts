/**
 * Just enough DER to read the published certificates and PKCS#8 keys: TLVs
 * with definite lengths, and OIDs encoded from their dotted form.
 * @module
 */

export interface DerNode {
  readonly tag: number;
  /** The whole TLV. */
  readonly bytes: Uint8Array;
  /** The value. */
  readonly content: Uint8Array;
}

/** Reads the TLV at `offset`; throws on an indefinite or overlong length or truncation. */
export function readDer(buf: Uint8Array, offset = 0): DerNode {
  const tag = buf[offset];
  const first = buf[offset + 1];
  if (tag === undefined || first === undefined) throw new Error(`DER: truncated header at ${offset}`);
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new Error(`DER: unsupported length form at ${offset}`);
    length = 0;
    for (let i = 0; i < n; i++) {
      const b = buf[offset + 2 + i];
      if (b === undefined) throw new Error(`DER: truncated length at ${offset}`);
      length = length * 256 + b;
    }
    header = 2 + n;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new Error(`DER: value at ${offset} runs past the end`);
  return { tag, bytes: buf.subarray(offset, end), content: buf.subarray(offset + header, end) };
}

/** The children of a constructed node (SEQUENCE, SET, [n]). */
export function derChildren(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let o = 0; o < node.content.length; ) {
    const child = readDer(node.content, o);
    out.push(child);
    o += child.bytes.length;
  }
  return out;
}

/** The DER encoding (tag 0x06 included) of a dotted OID. */
export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const [a, b, ...rest] = arcs;
  if (a === undefined || b === undefined || arcs.some((x) => !Number.isInteger(x) || x < 0)) throw new Error(`bad OID ${dotted}`);
  const body: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    body.push(...groups);
  }
  return Uint8Array.from([0x06, body.length, ...body]);
}

/** The pieces of an X.509 certificate the suite checks. */
export function parseCertificate(der: Uint8Array): { tbs: DerNode; signatureAlgorithm: DerNode; signature: Uint8Array; spkiAlgorithm: DerNode; spkiKey: Uint8Array } {
  const cert = readDer(der);
  if (cert.bytes.length !== der.length) throw new Error('certificate: trailing bytes');
  const [tbs, signatureAlgorithm, signatureValue] = derChildren(cert);
  if (!tbs || !signatureAlgorithm || signatureValue?.tag !== 0x03) throw new Error('certificate: expected tbsCertificate, signatureAlgorithm, BIT STRING');
  const fields = derChildren(tbs);
  // [0] version is optional; then serial, signature, issuer, validity, subject, subjectPublicKeyInfo.
  const spki = fields[(fields[0]?.tag === 0xa0 ? 1 : 0) + 5];
  if (!spki) throw new Error('certificate: no subjectPublicKeyInfo');
  const [spkiAlgorithm, spkiKey] = derChildren(spki);
  if (!spkiAlgorithm || spkiKey?.tag !== 0x03) throw new Error('certificate: malformed subjectPublicKeyInfo');
  return { tbs, signatureAlgorithm, signature: bitString(signatureValue), spkiAlgorithm, spkiKey: bitString(spkiKey) };
}

/** PKCS#8 OneAsymmetricKey: version, privateKeyAlgorithm, privateKey (OCTET STRING). */
export function parsePkcs8(der: Uint8Array): { algorithm: DerNode; privateKey: Uint8Array } {
  const top = readDer(der);
  if (top.bytes.length !== der.length) throw new Error('PKCS#8: trailing bytes');
  const [version, algorithm, privateKey] = derChildren(top);
  if (version?.tag !== 0x02 || !algorithm || privateKey?.tag !== 0x04) throw new Error('PKCS#8: expected version, algorithm, OCTET STRING');
  return { algorithm, privateKey: privateKey.content };
}

function bitString(node: DerNode): Uint8Array {
  if (node.content[0] !== 0) throw new Error('BIT STRING with unused bits');
  return node.content.subarray(1);
}
