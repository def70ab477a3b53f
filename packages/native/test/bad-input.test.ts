// The backend object called directly (without core's kem.ts facade in front),
// and the raw addon: wrong lengths, wrong types and unknown suites give typed
// errors or a TypeError, never a crash.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { HybridKemError, getSuite, MLKEM768_P256, XWING, type ErrorCode, type Suite } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { requireNative } from './load.js';

const native = requireNative();

function throwsCode(fn: () => unknown, code: ErrorCode): HybridKemError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(HybridKemError);
  expect((caught as HybridKemError).code).toBe(code);
  return caught as HybridKemError;
}

describe.runIf(native)('bad input', () => {
  const { backend, generatePrivateKey, encapsulateRandom } = native!;
  const seed = new Uint8Array(32).fill(3);
  const pk = backend.derivePublicKey(XWING, seed);
  const r = new Uint8Array(64).fill(4);
  const { ciphertext } = backend.encapsulate(XWING, pk, r);

  it('wrong lengths: InvalidLengthError with the field and both sizes', () => {
    expect(throwsCode(() => backend.derivePublicKey(XWING, seed.subarray(1)), 'ERR_INVALID_LENGTH').message).toBe('seed: expected 32 bytes, got 31');
    expect(throwsCode(() => backend.encapsulate(XWING, pk.subarray(2), r), 'ERR_INVALID_LENGTH').message).toBe('publicKey: expected 1216 bytes, got 1214');
    expect(throwsCode(() => backend.encapsulate(XWING, pk, r.subarray(1)), 'ERR_INVALID_LENGTH').message).toBe('randomness: expected 64 bytes, got 63');
    expect(throwsCode(() => backend.decapsulate(XWING, seed, new Uint8Array(0)), 'ERR_INVALID_LENGTH').message).toBe('ciphertext: expected 1120 bytes, got 0');
    expect(throwsCode(() => encapsulateRandom(XWING, new Uint8Array(5)), 'ERR_INVALID_LENGTH').message).toBe('publicKey: expected 1216 bytes, got 5');
  });

  it('wrong types: InvalidArgumentError', () => {
    throwsCode(() => backend.derivePublicKey(XWING, 'seed' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    throwsCode(() => backend.encapsulate(XWING, Array.from(pk) as unknown as Uint8Array, r), 'ERR_INVALID_ARGUMENT');
    throwsCode(() => backend.decapsulate(XWING, seed, null as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    throwsCode(() => backend.decapsulate(null as unknown as Suite, seed, ciphertext), 'ERR_INVALID_ARGUMENT');
  });

  it('a suite the native core does not know: SuiteNotSupportedError / UnknownSuiteError', () => {
    const fake = { ...getSuite('X-Wing'), id: 0x7777, name: 'Fake' } as unknown as Suite;
    throwsCode(() => backend.derivePublicKey(fake, seed), 'ERR_INVALID_ARGUMENT');
    throwsCode(() => getSuite(0x7777), 'ERR_UNKNOWN_SUITE');
  });

  it('invalid elements: InvalidGroupElementError naming publicKey / ciphertext as composeBackend does', () => {
    const bad = pk.slice();
    bad.fill(0, 1184);
    expect(throwsCode(() => backend.encapsulate(XWING, bad, r), 'ERR_INVALID_GROUP_ELEMENT').message).toBe(
      'publicKey (X25519 part): invalid X25519 element (invalid or low-order element)',
    );
    const p256Pk = backend.derivePublicKey(MLKEM768_P256, seed);
    const { ciphertext: ct } = backend.encapsulate(MLKEM768_P256, p256Pk, r);
    const badCt = ct.slice();
    badCt[badCt.length - 1]! ^= 1;
    expect(throwsCode(() => backend.decapsulate(MLKEM768_P256, seed, badCt), 'ERR_INVALID_GROUP_ELEMENT').message).toBe(
      'ciphertext (P-256 part): invalid P-256 element (invalid or low-order element)',
    );
  });

  it('an ML-KEM key failing the modulus check, called without the facade: InvalidMlKemKeyError', () => {
    const bad = pk.slice();
    bad[4] = bad[4]! | 0xf0;
    bad[5] = 0xff; // coefficient 3
    expect(throwsCode(() => backend.encapsulate(XWING, bad, r), 'ERR_INVALID_MLKEM_KEY').message).toMatch(/^publicKey \(ML-KEM-768 part\): .*coefficient 3 /);
  });

  it('generatePrivateKey and encapsulateRandom draw from the CSPRNG', () => {
    const a = generatePrivateKey(XWING);
    const b = generatePrivateKey(XWING);
    expect(a).toHaveLength(32);
    expect(a).not.toEqual(b);
    const enc = encapsulateRandom(XWING, pk);
    expect(backend.decapsulate(XWING, seed, enc.ciphertext)).toEqual(enc.sharedSecret);
  });

  it('the raw addon rejects wrong argument types with a TypeError and wrong lengths with a status, zeroing outputs', () => {
    const addon = createRequire(import.meta.url)(`../${native!.addonFile}`);
    expect(() => addon.derivePublicKey('x', seed, new Uint8Array(1216))).toThrow(TypeError);
    expect(() => addon.derivePublicKey(70000, seed, new Uint8Array(1216))).toThrow(TypeError);
    expect(() => addon.derivePublicKey(XWING.id, new Uint16Array(16), new Uint8Array(1216))).toThrow(TypeError);
    expect(() => addon.encapsulateDerand(XWING.id, pk)).toThrow(TypeError);
    expect(() => addon.encapsulateBatch(XWING.id, [pk, 'x'])).toThrow(TypeError);
    const out = new Uint8Array(1216).fill(0xee);
    expect(addon.derivePublicKey(XWING.id, seed, out.subarray(1))).toBe(3); // HYBRIDKEM_ERR_INVALID_LENGTH
    expect(out.subarray(1).every((b) => b === 0)).toBe(true);
    expect(addon.derivePublicKey(0x7777, seed, out)).toBe(2); // HYBRIDKEM_ERR_UNKNOWN_SUITE
    expect(addon.statusName(5)).toBe('HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT');
  });

  it('the raw addon refuses a status that is not an int32 instead of wrapping it (2**40 is not HYBRIDKEM_OK)', () => {
    const addon = createRequire(import.meta.url)(`../${native!.addonFile}`);
    for (const status of [2 ** 40, 2 ** 31, -(2 ** 31) - 1, 0.5, NaN, Infinity, '0']) {
      expect(() => addon.statusName(status), String(status)).toThrow(TypeError);
    }
    expect(addon.statusName(-(2 ** 31))).toBe('HYBRIDKEM_ERR_UNKNOWN_STATUS');
    expect(addon.statusName(0)).toBe('HYBRIDKEM_OK');
  });

  it('the raw addon refuses an output that overlaps another argument with a TypeError, leaving it untouched', () => {
    const addon = createRequire(import.meta.url)(`../${native!.addonFile}`);
    const memory = new Uint8Array(4096);
    const ct = memory.subarray(0, 1120);
    ct.set(ciphertext);
    // Decapsulating into the ciphertext's own memory, at its start and at its end.
    expect(() => addon.decapsulate(XWING.id, seed, ct, memory.subarray(0, 32))).toThrow(/^sharedSecret: overlaps ciphertext$/);
    expect(() => addon.decapsulate(XWING.id, seed, ct, memory.subarray(1119, 1151))).toThrow(TypeError);
    expect(ct).toEqual(ciphertext);
    // Two outputs sharing memory, and an output over the public key.
    expect(() => addon.encapsulateDerand(XWING.id, pk, r, memory.subarray(0, 1120), memory.subarray(1000, 1032))).toThrow(TypeError);
    const pkCopy = memory.subarray(2000, 3216);
    pkCopy.set(pk);
    expect(() => addon.encapsulate(XWING.id, pkCopy, memory.subarray(2100, 3220), new Uint8Array(32))).toThrow(TypeError);
    expect(() => addon.derivePublicKey(XWING.id, memory.subarray(2000, 2032), pkCopy)).toThrow(TypeError);
    // Adjacent, not overlapping: accepted.
    expect(addon.decapsulate(XWING.id, seed, ct, memory.subarray(1120, 1152))).toBe(0);
    expect(memory.subarray(1120, 1152)).toEqual(backend.decapsulate(XWING, seed, ciphertext));
  });

  it('a public key in a SharedArrayBuffer that another thread keeps changing: each result is that of one whole key', async () => {
    // The other thread flips one byte of the X25519 part (a single byte
    // cannot tear), so a call that reads its input once sees key A or key B.
    // Read twice (X25519, then the combiner), a call mixes them and the
    // result is neither A's nor B's.
    const pkB = pk.slice();
    pkB[1184]! ^= 1;
    const key = (e: { ciphertext: Uint8Array; sharedSecret: Uint8Array }) => Buffer.concat([e.ciphertext, e.sharedSecret]).toString('hex');
    const [a, b] = [key(backend.encapsulate(XWING, pk, r)), key(backend.encapsulate(XWING, pkB, r))];
    const sab = new SharedArrayBuffer(1220);
    const shared = new Uint8Array(sab, 0, 1216);
    shared.set(pk);
    const stop = new Int32Array(sab, 1216, 1);
    const flipper = new Worker(
      `const { workerData: sab } = require('node:worker_threads');
       const key = new Uint8Array(sab, 0, 1216), stop = new Int32Array(sab, 1216, 1);
       while (Atomics.load(stop, 0) === 0) key[1184] ^= 1;`,
      { eval: true, workerData: sab },
    );
    try {
      await new Promise((resolve) => flipper.once('online', resolve));
      const seen = { a: 0, b: 0, mixed: 0 };
      for (let i = 0; i < 3000; i++) {
        const k = key(backend.encapsulate(XWING, shared, r));
        seen[k === a ? 'a' : k === b ? 'b' : 'mixed']++;
      }
      expect(seen.mixed, JSON.stringify(seen)).toBe(0);
    } finally {
      Atomics.store(stop, 0, 1);
      await flipper.terminate();
    }
  }, 60_000);

  it('inputs and outputs in a SharedArrayBuffer give the same results as ordinary ones', () => {
    const shared = (bytes: Uint8Array) => {
      const view = new Uint8Array(new SharedArrayBuffer(bytes.length));
      view.set(bytes);
      return view;
    };
    const viaShared = backend.encapsulate(XWING, shared(pk), shared(r));
    expect(viaShared).toEqual(backend.encapsulate(XWING, pk, r));
    expect(backend.decapsulate(XWING, shared(seed), shared(ciphertext))).toEqual(viaShared.sharedSecret);
    const addon = createRequire(import.meta.url)(`../${native!.addonFile}`);
    const out = shared(new Uint8Array(1216));
    expect(addon.derivePublicKey(XWING.id, shared(seed), out)).toBe(0);
    expect(out).toEqual(pk);
  });
});
