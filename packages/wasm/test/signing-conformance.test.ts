// @hybridkem/signing's conformance suite on the wasm backend's signature
// primitives (hybridkem-signing.wasm): the published composite vectors
// (draft-ietf-lamps-pq-composite-sigs-19, from ../shared/vectors),
// Wycheproof ML-DSA-44/65/87 and Ed25519/Ed448, the properties of every
// suite, and cross-checks both ways with noble.
import { signatureBackend as nobleSignatures } from '@hybridkem/noble';
import { createSigner, SIGNATURE_SUITES } from '@hybridkem/signing';
import { runSignatureConformanceSuite, testMessage, testSeed } from '@hybridkem/signing/testing';
import { describe, expect, it } from 'vitest';
import { built, NOT_BUILT } from './built.js';

const run = built();
const wasm = run ? await import('../src/index.js') : undefined;

if (wasm) {
  runSignatureConformanceSuite(wasm.signatureBackend, { peers: [nobleSignatures] });
} else {
  describe.skip(`wasm signatures (${NOT_BUILT})`, () => it('conformance', () => {}));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.runIf(wasm)('wasm signatures: the module and its loading', () => {
  it('names the crates and versions wasm/signing/Cargo.lock resolves', async () => {
    const { readFileSync } = await import('node:fs');
    const lock = readFileSync(new URL('../../../wasm/signing/Cargo.lock', import.meta.url), 'utf8');
    const implementation = wasm!.signatureBackend.implementation;
    for (const crate of ['libcrux-ml-dsa', 'ed25519-dalek', 'ed448-goldilocks']) {
      const version = new RegExp(`^name = "${crate}"\\nversion = "([^"]+)"`, 'm').exec(lock)?.[1];
      expect(version, crate).toBeDefined();
      expect(implementation).toContain(`${crate} ${version}`);
    }
    expect(wasm!.signatureBackend.name).toBe('wasm');
  });

  it('awaiting signatureBackend (as getSignatureBackend() does) resolves to a ready backend without then', async () => {
    const ready = await (async () => wasm!.signatureBackend)();
    expect(ready).not.toBe(wasm!.signatureBackend);
    expect('then' in ready).toBe(false);
    expect(await wasm!.initSigning()).toBe(ready);
    const suite = SIGNATURE_SUITES[0]!;
    const seed = testSeed(suite, 7);
    const message = testMessage(100, suite.id);
    const [a, b] = [createSigner(suite, ready), createSigner(suite, nobleSignatures)];
    const { publicKey, privateKey } = a.keygen(seed);
    expect(hex(b.getPublicKey(privateKey))).toBe(hex(publicKey));
    expect(hex(a.sign(privateKey, message, { deterministic: true }))).toBe(hex(b.sign(privateKey, message, { deterministic: true })));
  });

  it('initSigning refuses a source that is not the signature module', async () => {
    await expect(wasm!.initSigning(new Uint8Array([1, 2, 3]))).resolves.toBeDefined(); // loaded already: the source is not read
    const { readFileSync } = await import('node:fs');
    const fresh = await import('../src/signing.js');
    const loader = fresh.createSigningLoader({});
    const kem = readFileSync(new URL('../dist/hybridkem.wasm', import.meta.url));
    await expect(loader.initSigning(kem)).rejects.toMatchObject({ code: 'ERR_BACKEND_UNAVAILABLE' });
    await expect(loader.initSigning(new Uint8Array(16))).rejects.toMatchObject({ code: 'ERR_BACKEND_UNAVAILABLE' });
    expect(() => loader.signatureBackend.eddsa(SIGNATURE_SUITES[0]!.eddsa).getPublicKey(new Uint8Array(32))).toThrow(/await initSigning/);
    await expect((async () => loader.signatureBackend)()).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});
