// @hybridkem/signing's conformance suite on the native backend's signature
// primitives: the published composite vectors (draft-ietf-lamps-pq-composite-sigs-19),
// Wycheproof ML-DSA-44/65/87 and Ed25519/Ed448, the properties of every
// suite, and cross-checks both ways with noble. OpenSSL (node:crypto, through
// @hybridkem/openssl) is a second, independent peer; it signs ML-DSA hedged
// only, so the suite's peer check (which compares deterministic signatures)
// does not apply to it, and the checks below do the rest both ways.
import { signatureBackend as nobleSignatures } from '@hybridkem/noble';
import { createSigner, SIGNATURE_SUITES } from '@hybridkem/signing';
import { expectValid, runSignatureConformanceSuite, testMessage, testSeed } from '@hybridkem/signing/testing';
import { describe, expect, it } from 'vitest';
import { requireNative } from './load.js';

const native = requireNative();
if (native) runSignatureConformanceSuite(native.signatureBackend, { peers: [nobleSignatures] });

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// OpenSSL's ML-DSA is in node:crypto from Node 24.7 (OpenSSL 3.5): on an older
// Node @hybridkem/openssl refuses to load, and that refusal is what is checked.
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const nodeHasMlDsa = major > 24 || (major === 24 && minor >= 7);
const opensslLoad = await import('@hybridkem/openssl').then(
  (m) => ({ ok: true as const, signatures: m.signatureBackend }),
  (error: unknown) => ({ ok: false as const, error }),
);
const opensslSignatures = opensslLoad.ok ? opensslLoad.signatures : undefined;

it(`@hybridkem/openssl ${nodeHasMlDsa ? 'loads' : 'refuses to load'} on Node ${process.versions.node}`, () => {
  expect(opensslLoad.ok).toBe(nodeHasMlDsa);
  if (!opensslLoad.ok) expect(String((opensslLoad.error as Error).message)).toContain('needs Node.js >= 24.7.0');
});

describe.runIf(native && opensslSignatures)('signatures: cross-checks with OpenSSL (node:crypto)', () => {
  for (const suite of SIGNATURE_SUITES) {
    it(`${suite.name}: same keys from a seed; each verifies the other's hedged signatures; EdDSA signatures are equal`, () => {
      const ours = native!.signatureBackend;
      const message = testMessage(1000, suite.id);
      const context = new TextEncoder().encode('openssl');
      for (let n = 0; n < 3; n++) {
        const seed = testSeed(suite, n);
        const [a, b] = [createSigner(suite, ours), createSigner(suite, opensslSignatures!)];
        const { publicKey, privateKey } = a.keygen(seed);
        expect(hex(b.getPublicKey(privateKey)), 'public key').toBe(hex(publicKey));
        expectValid(b.verify(publicKey, message, a.sign(privateKey, message, { context }), { context }), suite, 'native → openssl');
        expectValid(a.verify(publicKey, message, b.sign(privateKey, message, { context }), { context }), suite, 'openssl → native');

        const [m, o] = [ours.mldsa(suite.mldsa), opensslSignatures!.mldsa(suite.mldsa)];
        expect(hex(m.keygen(seed.subarray(0, 32)).publicKey)).toBe(hex(o.keygen(seed.subarray(0, 32)).publicKey));
        const [e, f] = [ours.eddsa(suite.eddsa), opensslSignatures!.eddsa(suite.eddsa)];
        const edKey = seed.subarray(32);
        expect(hex(e.sign(edKey, message)), `${suite.eddsa.name} signature`).toBe(hex(f.sign(edKey, message)));
      }
    });
  }
});
