// Composite signatures made with noble verify under OpenSSL's ML-DSA and
// EdDSA (node:crypto), and the reverse: two implementations that share no
// code agree on M', the component order, ML-DSA's context and the encodings.
import { SIGNATURE_SUITES, createSigner } from '@hybridkem/signing';
import { describe, expect, it } from 'vitest';
import { signatureBackend } from '../src/index.js';
import { opensslSignatureBackend } from './openssl-signature-backend.js';

const message = new TextEncoder().encode('hybridkem cross-implementation check');
const context = new TextEncoder().encode('release-artifacts');

// Node 22 bundles OpenSSL 3.0, which has no ML-DSA; Node 24 and later bundle
// 3.5. The main CI run is on Node 24, so this always runs there.
const opensslHasMlDsa = Number(process.versions.node.split('.')[0]) >= 24;

describe.skipIf(!opensslHasMlDsa).each(SIGNATURE_SUITES.map((s) => [s.name, s] as const))('%s: noble and OpenSSL', (_name, suite) => {
  const noble = createSigner(suite, signatureBackend);
  const openssl = createSigner(suite, opensslSignatureBackend);

  it('derive the same public key from the same private key', () => {
    const { publicKey, privateKey } = noble.keygen();
    expect(openssl.getPublicKey(privateKey)).toEqual(publicKey);
  });

  it('verify each other’s signatures, with and without context', () => {
    const { publicKey, privateKey } = noble.keygen();
    for (const options of [{}, { context }]) {
      const byNoble = noble.sign(privateKey, message, options);
      expect(openssl.verify(publicKey, message, byNoble, options)).toEqual({
        valid: true,
        mldsa: { algorithm: suite.mldsa.name, valid: true },
        eddsa: { algorithm: suite.eddsa.name, valid: true },
      });
      const byOpenssl = openssl.sign(privateKey, message, options);
      expect(noble.verify(publicKey, message, byOpenssl, options).valid).toBe(true);
    }
  });

  it('agree on the EdDSA half byte for byte (EdDSA is deterministic)', () => {
    const { privateKey } = noble.keygen();
    const a = noble.sign(privateKey, message, { deterministic: true });
    const b = openssl.sign(privateKey, message);
    const split = suite.mldsa.lengths.signature;
    expect(b.subarray(split)).toEqual(a.subarray(split));
  });

  it('both reject a signature made under another context', () => {
    const { publicKey, privateKey } = noble.keygen();
    const sig = noble.sign(privateKey, message, { context });
    const r = openssl.verify(publicKey, message, sig);
    expect(r.valid).toBe(false);
    expect(r.mldsa.valid).toBe(false);
    expect(r.eddsa.valid).toBe(false);
  });
});
