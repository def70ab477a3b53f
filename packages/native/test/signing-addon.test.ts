// The raw addon's signature functions (addon/addon.cc) called wrongly or with
// unusual buffers: a TypeError or a status, never a crash; empty messages and
// contexts, SharedArrayBuffer inputs and subarray views give the signatures
// the backend gives for plain copies. Expected values come from noble.
import { signatureBackend as noble } from '@hybridkem/noble';
import { MLDSA44_ED25519_SHA512, MLDSA87_ED448_SHAKE256 } from '@hybridkem/signing';
import { describe, expect, it } from 'vitest';
import { requireNative } from './load.js';

const native = requireNative();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const EMPTY = new Uint8Array(0);
const ZEROS = new Uint8Array(32);

describe.runIf(native)('signatures through the raw addon', () => {
  const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 7);

  it('empty message and context: the signature noble gives (deterministic), and it verifies', () => {
    const ours = native!.signatureBackend.mldsa(MLDSA44_ED25519_SHA512.mldsa);
    const theirs = noble.mldsa(MLDSA44_ED25519_SHA512.mldsa);
    const { publicKey, secretKey } = ours.keygen(seed);
    expect(hex(secretKey), 'FIPS 204 expanded secret key, as noble encodes it').toBe(hex(theirs.keygen(seed).secretKey));
    const sig = ours.sign(secretKey, EMPTY, EMPTY, ZEROS);
    expect(hex(sig)).toBe(hex(theirs.sign(secretKey, EMPTY, EMPTY, ZEROS)));
    expect(ours.verify(publicKey, EMPTY, sig, EMPTY)).toBe(true);
    const ed = native!.signatureBackend.eddsa(MLDSA87_ED448_SHAKE256.eddsa);
    const edKey = Uint8Array.from({ length: 57 }, (_, i) => 255 - i);
    expect(hex(ed.sign(edKey, EMPTY))).toBe(hex(noble.eddsa(MLDSA87_ED448_SHAKE256.eddsa).sign(edKey, EMPTY)));
  });

  it('SharedArrayBuffer inputs and offset views sign and verify as plain copies do', () => {
    const ours = native!.signatureBackend.mldsa(MLDSA44_ED25519_SHA512.mldsa);
    const { publicKey, secretKey } = ours.keygen(seed);
    const message = new TextEncoder().encode('shared memory');
    const shared = new Uint8Array(new SharedArrayBuffer(message.length + 3)).subarray(3);
    shared.set(message);
    const expected = hex(ours.sign(secretKey, message, EMPTY, ZEROS));
    expect(hex(ours.sign(secretKey, shared, EMPTY, ZEROS))).toBe(expected);
    expect(ours.verify(publicKey, shared, Buffer.from(expected, 'hex'), EMPTY)).toBe(true);
  });

  it('wrong types, overlapping outputs and unknown algorithms: TypeError or a status, never a crash', async () => {
    const raw = await importAddon();
    const pk = new Uint8Array(1312);
    const sk = new Uint8Array(2560);
    expect(() => raw.mldsaKeygen(44, 'seed', pk, sk)).toThrow(TypeError);
    expect(() => raw.mldsaKeygen(70000, seed, pk, sk)).toThrow(TypeError);
    expect(() => raw.mldsaKeygen(44, seed, sk.subarray(0, 1312), sk)).toThrow(TypeError); // overlapping outputs
    expect(raw.mldsaKeygen(45, seed, pk, sk)).toBe(2); // HYBRIDKEM_ERR_UNKNOWN_SUITE
    expect(raw.mldsaKeygen(44, seed.subarray(1), pk, sk)).toBe(3); // HYBRIDKEM_ERR_INVALID_LENGTH
    expect(sk.every((b) => b === 0)).toBe(true);
    expect(raw.mldsaVerify(44, pk, EMPTY, new Uint8Array(2419), EMPTY)).toBe(3);
    expect(raw.mldsaVerify(44, pk, EMPTY, new Uint8Array(2420), EMPTY)).toBe(false);
    expect(raw.eddsaVerify(25519, new Uint8Array(32), EMPTY, new Uint8Array(64))).toBe(false);
    expect(() => raw.eddsaSign(25519, new Uint8Array(32), EMPTY)).toThrow(TypeError);
    expect(raw.eddsaSign(448, new Uint8Array(32), EMPTY, new Uint8Array(114))).toBe(3);
  });
});

async function importAddon() {
  return (await import('../src/addon.js')).addon as unknown as Record<'mldsaKeygen' | 'mldsaVerify' | 'eddsaSign' | 'eddsaVerify', (...args: unknown[]) => unknown>;
}
