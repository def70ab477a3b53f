// A SignatureBackend over node:crypto, i.e. OpenSSL 3.5's ML-DSA, Ed25519
// and Ed448: an implementation that shares no code with noble, used to check
// that composite signatures interoperate across implementations. Test-only:
// OpenSSL takes no caller randomness, so its ML-DSA signing is always hedged
// (`rnd` is ignored), and its "secret key" is the seed, kept opaque.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { EdDsaParams, MlDsaParams, SignatureBackend } from '@hybridkem/signing';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);

// DER prefixes for the fixed shapes: PKCS#8 with an ML-DSA seed (FIPS 204
// seed-only form, RFC 9881), SubjectPublicKeyInfo, and RFC 8410 EdDSA keys.
const MLDSA_OID = { 'ML-DSA-44': '11', 'ML-DSA-65': '12', 'ML-DSA-87': '13' } as const;
const mldsaAlgorithm = (p: MlDsaParams) => hex(`300b06096086480165030403${MLDSA_OID[p.name]}`);
const mldsaPkcs8 = (p: MlDsaParams, seed: Uint8Array) => cat(hex('3034020100'), mldsaAlgorithm(p), hex('04228020'), seed);
const ED = {
  Ed25519: { pkcs8: '302e020100300506032b657004220420', spki: '302a300506032b6570032100' },
  Ed448: { pkcs8: '3047020100300506032b6571043b0439', spki: '3043300506032b6571033a00' },
} as const;

function rawPublicKey(key: KeyObject, length: number): Uint8Array {
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - length));
}

function spki(p: MlDsaParams, publicKey: Uint8Array): KeyObject {
  // SEQUENCE { SEQUENCE { OID }, BIT STRING { 0x00 ‖ key } } with two-byte lengths.
  const bitString = cat(hex('03 82'), u16(publicKey.length + 1), hex('00'), publicKey);
  const body = cat(mldsaAlgorithm(p), bitString);
  return createPublicKey({ key: cat(hex('30 82'), u16(body.length), body), format: 'der', type: 'spki' });
}

function u16(n: number): Buffer {
  return Buffer.from([n >> 8, n & 0xff]);
}

export const opensslSignatureBackend: SignatureBackend = {
  name: 'openssl (node:crypto, test peer)',
  version: process.versions.openssl,
  implementation: `OpenSSL ${process.versions.openssl} via node:crypto`,
  constantTime: true,
  mldsa(p: MlDsaParams) {
    const key = (seed: Uint8Array) => createPrivateKey({ key: mldsaPkcs8(p, seed), format: 'der', type: 'pkcs8' });
    return {
      keygen: (seed) => ({ publicKey: rawPublicKey(key(seed), p.lengths.publicKey), secretKey: seed.slice() }),
      sign: (seed, message, context) => new Uint8Array(sign(null, message, { key: key(seed), context })),
      verify: (publicKey, message, signature, context) => verify(null, message, { key: spki(p, publicKey), context }, signature),
    };
  },
  eddsa(p: EdDsaParams) {
    const der = ED[p.name];
    const priv = (sk: Uint8Array) => createPrivateKey({ key: cat(hex(der.pkcs8), sk), format: 'der', type: 'pkcs8' });
    return {
      getPublicKey: (sk) => rawPublicKey(priv(sk), p.lengths.publicKey),
      sign: (sk, message) => new Uint8Array(sign(null, message, priv(sk))),
      verify: (publicKey, message, signature) => {
        const key = createPublicKey({ key: cat(hex(der.spki), publicKey), format: 'der', type: 'spki' });
        return verify(null, message, key, signature);
      },
    };
  },
};
