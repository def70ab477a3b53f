// The asynchronous batch API: same results as the synchronous calls, typed
// errors (rejections) for bad input, no partial results. Whether the event
// loop stays free is not asserted here: that would be a timing assertion.
import { createRequire } from 'node:module';
import { createKem, HybridKemError, SUITES, X25519_MLKEM768, XWING, type ErrorCode } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { requireNative } from './load.js';

const native = requireNative();

async function rejectsWith(p: Promise<unknown>, code: ErrorCode): Promise<HybridKemError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e, `expected a rejection with ${code}`).toBeInstanceOf(HybridKemError);
  expect((e as HybridKemError).code).toBe(code);
  return e as HybridKemError;
}

describe.runIf(native)('async batches', () => {
  const { backend, encapsulateBatch, decapsulateBatch } = native!;

  for (const suite of SUITES) {
    it(`${suite.name}: derandomised batch equals the synchronous calls, decapsulateBatch equals decapsulate`, async () => {
      const kem = createKem(suite, backend);
      const keys = [1, 2, 3].map((n) => kem.keygen(new Uint8Array(suite.lengths.seed).fill(n)));
      const randomness = keys.map((_, i) => new Uint8Array(suite.lengths.randomness).fill(0x30 + i));
      const batch = await encapsulateBatch(suite, keys.map((k) => k.publicKey), { randomness });
      expect(batch).toHaveLength(3);
      batch.forEach((enc, i) => expect(enc).toEqual(kem.encapsulate(keys[i]!.publicKey, randomness[i])));

      const one = keys[0]!;
      const cts = [0, 1, 2].map(() => kem.encapsulate(one.publicKey).ciphertext);
      const secrets = await decapsulateBatch(suite.id, one.privateKey, cts);
      expect(secrets).toEqual(cts.map((ct) => kem.decapsulate(one.privateKey, ct)));
    });
  }

  it('randomised batch: fresh ciphertexts that decapsulate to their secrets', async () => {
    const kem = createKem(XWING, backend);
    const { publicKey, privateKey } = kem.keygen();
    const batch = await encapsulateBatch('X-Wing', [publicKey, publicKey, publicKey]);
    expect(new Set(batch.map((e) => Buffer.from(e.ciphertext).toString('hex'))).size).toBe(3);
    const secrets = await decapsulateBatch('X-Wing', privateKey, batch.map((e) => e.ciphertext));
    expect(secrets).toEqual(batch.map((e) => e.sharedSecret));
  });

  it('empty batches resolve to empty arrays', async () => {
    expect(await encapsulateBatch(XWING, [])).toEqual([]);
    expect(await decapsulateBatch(XWING, new Uint8Array(32), [])).toEqual([]);
  });

  it('inputs are copied before the work starts: changing them afterwards changes nothing', async () => {
    const kem = createKem(X25519_MLKEM768, backend);
    const { publicKey, privateKey } = kem.keygen(new Uint8Array(32).fill(5));
    const r = new Uint8Array(64).fill(6);
    const expected = kem.encapsulate(publicKey, r);
    const pk = publicKey.slice();
    const pending = encapsulateBatch(X25519_MLKEM768, [pk], { randomness: [r] });
    pk.fill(0);
    r.fill(0);
    expect(await pending).toEqual([expected]);
    const ct = expected.ciphertext.slice();
    const sk = privateKey.slice();
    const pendingSecrets = decapsulateBatch(X25519_MLKEM768, sk, [ct]);
    ct.fill(1);
    sk.fill(2);
    expect(await pendingSecrets).toEqual([expected.sharedSecret]);
  });

  it('many concurrent batches all complete correctly', async () => {
    const kem = createKem(XWING, backend);
    const { publicKey, privateKey } = kem.keygen();
    const batches = await Promise.all(Array.from({ length: 8 }, () => encapsulateBatch(XWING, Array(16).fill(publicKey))));
    const all = batches.flat();
    const secrets = await decapsulateBatch(XWING, privateKey, all.map((e) => e.ciphertext));
    expect(secrets).toEqual(all.map((e) => e.sharedSecret));
  });

  describe('bad input rejects with typed errors', () => {
    const kem = createKem(XWING, backend);
    const { publicKey, privateKey } = kem.keygen();
    const { ciphertext } = kem.encapsulate(publicKey);

    it('wrong lengths name the item', async () => {
      const e = await rejectsWith(encapsulateBatch(XWING, [publicKey, publicKey.subarray(1)]), 'ERR_INVALID_LENGTH');
      expect(e.message).toBe('publicKeys[1]: expected 1216 bytes, got 1215');
      const e2 = await rejectsWith(decapsulateBatch(XWING, privateKey, [ciphertext, new Uint8Array(3)]), 'ERR_INVALID_LENGTH');
      expect(e2.message).toBe('ciphertexts[1]: expected 1120 bytes, got 3');
      const e3 = await rejectsWith(decapsulateBatch(XWING, new Uint8Array(31), [ciphertext]), 'ERR_INVALID_LENGTH');
      expect(e3.message).toBe('privateKey: expected 32 bytes, got 31');
      const e4 = await rejectsWith(encapsulateBatch(XWING, [publicKey], { randomness: [new Uint8Array(63)] }), 'ERR_INVALID_LENGTH');
      expect(e4.message).toBe('randomness[0]: expected 64 bytes, got 63');
    });

    it('wrong types', async () => {
      await rejectsWith(encapsulateBatch(XWING, 'keys' as unknown as Uint8Array[]), 'ERR_INVALID_ARGUMENT');
      await rejectsWith(encapsulateBatch(XWING, [Array.from(publicKey) as unknown as Uint8Array]), 'ERR_INVALID_ARGUMENT');
      await rejectsWith(decapsulateBatch(XWING, null as unknown as Uint8Array, [ciphertext]), 'ERR_INVALID_ARGUMENT');
      await rejectsWith(decapsulateBatch(XWING, privateKey, [ciphertext, {} as Uint8Array]), 'ERR_INVALID_ARGUMENT');
      await rejectsWith(encapsulateBatch(XWING, [publicKey], { randomness: [] }), 'ERR_INVALID_ARGUMENT');
    });

    it('holes name their index with InvalidArgumentError (the raw addon: a TypeError)', async () => {
      const e = await rejectsWith(encapsulateBatch(XWING, [publicKey, , publicKey] as Uint8Array[]), 'ERR_INVALID_ARGUMENT');
      expect(e.message).toBe('publicKeys[1]: expected a Uint8Array, got an empty slot');
      const e2 = await rejectsWith(decapsulateBatch(XWING, privateKey, new Array<Uint8Array>(2)), 'ERR_INVALID_ARGUMENT');
      expect(e2.message).toBe('ciphertexts[0]: expected a Uint8Array, got an empty slot');
      const e3 = await rejectsWith(encapsulateBatch(XWING, [publicKey], { randomness: new Array<Uint8Array>(1) }), 'ERR_INVALID_ARGUMENT');
      expect(e3.message).toBe('randomness[0]: expected a Uint8Array, got an empty slot');
      const addon = createRequire(import.meta.url)(`../${native!.addonFile}`);
      expect(() => addon.decapsulateBatch(XWING.id, privateKey, [ciphertext, , ciphertext])).toThrow(/^ciphertexts\[1\]: expected a Uint8Array, got a hole$/);
    });

    it('an array whose constructor[Symbol.species] makes map() add an element: only the caller\'s elements are used', async () => {
      const keys = [publicKey];
      // What map() on `keys` would build: one more element than the caller passed.
      const species = function (n: number) {
        const a = new Array<Uint8Array>(n);
        a[n] = new Uint8Array(5);
        return a;
      };
      Object.defineProperty(keys, 'constructor', { value: { [Symbol.species]: species } });
      const encs = await encapsulateBatch(XWING, keys);
      expect(encs).toHaveLength(1);
      expect(await decapsulateBatch(XWING, privateKey, [encs[0]!.ciphertext])).toEqual([encs[0]!.sharedSecret]);
    });

    it('unknown suite', async () => {
      await rejectsWith(encapsulateBatch(0x1234, [publicKey]), 'ERR_UNKNOWN_SUITE');
      await rejectsWith(decapsulateBatch('Kyber512' as never, privateKey, [ciphertext]), 'ERR_UNKNOWN_SUITE');
    });

    it('an invalid public key: ML-KEM modulus check and low-order X25519 point, at its index', async () => {
      const badMlKem = publicKey.slice();
      badMlKem[0] = 0xff;
      badMlKem[1] = badMlKem[1]! | 0x0f;
      const e = await rejectsWith(encapsulateBatch(XWING, [publicKey, badMlKem]), 'ERR_INVALID_MLKEM_KEY');
      expect(e.message).toMatch(/^publicKeys\[1\] \(ML-KEM-768 part\): .*coefficient 0 /);
      const lowOrder = publicKey.slice();
      lowOrder.fill(0, 1184);
      const e2 = await rejectsWith(encapsulateBatch(XWING, [lowOrder]), 'ERR_INVALID_GROUP_ELEMENT');
      expect(e2.message).toMatch(/^publicKeys\[0\] \(X25519 part\): invalid X25519 element/);
    });

    it('an invalid traditional element in a ciphertext, at its index', async () => {
      const suite = SUITES.find((s) => s.name === 'MLKEM768-P256')!;
      const k = createKem(suite, backend);
      const pair = k.keygen();
      const good = k.encapsulate(pair.publicKey).ciphertext;
      const bad = good.slice();
      bad[bad.length - 1]! ^= 1; // off the curve
      const e = await rejectsWith(decapsulateBatch(suite, pair.privateKey, [good, good, bad]), 'ERR_INVALID_GROUP_ELEMENT');
      expect(e.message).toMatch(/^ciphertexts\[2\] \(P-256 part\): invalid P-256 element/);
    });
  });
});
