// What the conformance suite does not cover: the backend's description, the
// Rust suite table against core's, and bad input reaching the backend
// directly (bypassing core's facade checks).
import { readFileSync } from 'node:fs';
import {
  createKem,
  getSuite,
  InvalidGroupElementError,
  InvalidLengthError,
  InvalidMlKemKeyError,
  InvalidSeedError,
  SUITES,
  SuiteNotSupportedError,
  type Suite,
} from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { built, NOT_BUILT } from './built.js';

const run = built();
const { backend } = run ? await import('../src/index.js') : ({} as typeof import('../src/index.js'));
const glue = run ? await import('../build/glue.js') : undefined;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe.skipIf(!run)(`wasm backend${NOT_BUILT ? ` (${NOT_BUILT})` : ''}`, () => {
  it('describes itself', () => {
    expect(backend.name).toBe('wasm');
    expect(backend.version).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
    expect(backend.constantTime).toBe(true);
    expect(backend.suites).toEqual(SUITES.map((s) => s.id));
  });

  it('names the Rust crates and the versions Cargo.lock resolved', () => {
    const lock = readFileSync(new URL('../../../wasm/Cargo.lock', import.meta.url), 'utf8');
    const crates = [...backend.implementation.matchAll(/([a-z0-9-]+) (\d+\.\d+\.\d+)/g)];
    expect(crates.map((m) => m[1])).toEqual(['libcrux-ml-kem', 'libcrux-sha3', 'libcrux-hkdf', 'curve25519-dalek', 'p256', 'p384']);
    for (const [, name, version] of crates) {
      expect(lock, `${name} ${version} in wasm/Cargo.lock`).toContain(`name = "${name}"\nversion = "${version}"`);
    }
  });

  it("the Rust suite table equals core's", () => {
    const rust = JSON.parse(glue!.suites()) as Record<string, unknown>[];
    expect(rust).toEqual(
      SUITES.map((s) => ({
        id: s.id,
        name: s.name,
        family: s.family,
        publicKey: s.lengths.publicKey,
        ciphertext: s.lengths.ciphertext,
        seed: s.lengths.seed,
        randomness: s.lengths.randomness,
        sharedSecret: s.lengths.sharedSecret,
      })),
    );
  });

  describe('bad input reaching the backend directly', () => {
    const xwing = getSuite('X-Wing');
    const p256 = getSuite('MLKEM768-P256');
    const keys = (s: Suite) => createKem(s, backend).keygen(new Uint8Array(32).fill(1));

    it('wrong lengths: InvalidLengthError naming field and sizes', () => {
      const e = thrown(() => backend.derivePublicKey(xwing, new Uint8Array(31)));
      expect(e).toBeInstanceOf(InvalidLengthError);
      expect((e as Error).message).toBe('seed: expected 32 bytes, got 31');
      const { publicKey } = keys(xwing);
      const e2 = thrown(() => backend.encapsulate(xwing, publicKey.subarray(1), new Uint8Array(64)));
      expect((e2 as Error).message).toBe(`publicKey: expected ${xwing.lengths.publicKey} bytes, got ${xwing.lengths.publicKey - 1}`);
      const e3 = thrown(() => backend.decapsulate(xwing, new Uint8Array(32), new Uint8Array(5)));
      expect((e3 as Error).message).toBe(`ciphertext: expected ${xwing.lengths.ciphertext} bytes, got 5`);
    });

    it("an ML-KEM key failing the modulus check: InvalidMlKemKeyError with the coefficient (libcrux's check, not core's)", () => {
      const bad = keys(xwing).publicKey.slice();
      bad[3] = 0xff;
      bad[4] = 0xff; // coefficient 2 := 0xfff
      const e = thrown(() => backend.encapsulate(xwing, bad, new Uint8Array(64)));
      expect(e).toBeInstanceOf(InvalidMlKemKeyError);
      expect((e as Error).message).toContain('publicKey (ML-KEM-768 part)');
      expect((e as Error).message).toContain('coefficient 2 ');
    });

    it("invalid traditional elements: InvalidGroupElementError with the field 'publicKey' / 'ciphertext'", () => {
      const { publicKey } = keys(p256);
      const bad = publicKey.slice();
      bad[bad.length - 1]! ^= 1;
      const e = thrown(() => backend.encapsulate(p256, bad, new Uint8Array(p256.lengths.randomness).fill(3)));
      expect(e).toBeInstanceOf(InvalidGroupElementError);
      expect((e as InvalidGroupElementError).field).toBe('publicKey (P-256 part)');
      const ct = new Uint8Array(p256.lengths.ciphertext);
      const e2 = thrown(() => backend.decapsulate(p256, new Uint8Array(32).fill(1), ct));
      expect(e2).toBeInstanceOf(InvalidGroupElementError);
      expect((e2 as InvalidGroupElementError).field).toBe('ciphertext (P-256 part)');
      // X25519: the all-zero u-coordinate (low order) is rejected, as RFC 7748 §6.1 allows and the TLS draft requires.
      const x = keys(xwing).publicKey.slice();
      x.fill(0, 1184); // after X-Wing's ML-KEM-768 encapsulation key (FIPS 203: 1184 bytes)
      const e3 = thrown(() => backend.encapsulate(xwing, x, new Uint8Array(64).fill(3)));
      expect((e3 as InvalidGroupElementError).field).toBe('publicKey (X25519 part)');
    });

    it('the single-algorithm suites (spec/WIRE-FORMAT.md §1.4): their lengths and checks', () => {
      const mlkem = getSuite('ML-KEM-768');
      const dhkem = getSuite('DHKEM-X25519-HKDF-SHA256');
      // ML-KEM alone takes the 64-byte d ‖ z: a hybrid's 32-byte seed is a wrong length.
      const e = thrown(() => backend.derivePublicKey(mlkem, new Uint8Array(32)));
      expect(e).toBeInstanceOf(InvalidLengthError);
      expect((e as Error).message).toBe('seed: expected 64 bytes, got 32');
      const bad = backend.derivePublicKey(mlkem, new Uint8Array(64).fill(1));
      bad[0] = 0xff;
      bad[1] = bad[1]! | 0x0f; // coefficient 0 := 4095 >= q (FIPS 203 §7.2)
      const e2 = thrown(() => backend.encapsulate(mlkem, bad, new Uint8Array(32).fill(3)));
      expect(e2).toBeInstanceOf(InvalidMlKemKeyError);
      expect((e2 as Error).message).toContain('coefficient 0 ');
      // DHKEM: an all-zero DH (u = 0, low order) is refused both ways (RFC 9180 §7.1.4).
      const e3 = thrown(() => backend.encapsulate(dhkem, new Uint8Array(32), new Uint8Array(32).fill(3)));
      expect((e3 as InvalidGroupElementError).field).toBe('publicKey (X25519 part)');
      const e4 = thrown(() => backend.decapsulate(dhkem, new Uint8Array(32).fill(1), new Uint8Array(32)));
      expect((e4 as InvalidGroupElementError).field).toBe('ciphertext (X25519 part)');
    });

    it('randomness with no valid scalar: InvalidSeedError', () => {
      // HPKE-MLKEM1024-P384 tries one 48-byte window of the randomness; 0xff… is ≥ n.
      const suite = getSuite('HPKE-MLKEM1024-P384');
      const { publicKey } = keys(suite);
      const r = new Uint8Array(suite.lengths.randomness).fill(0xff);
      const e = thrown(() => backend.encapsulate(suite, publicKey, r));
      expect(e).toBeInstanceOf(InvalidSeedError);
      expect((e as Error).message).toBe('randomness: RandomScalar found no valid P-384 scalar in 1 windows');
    });

    it('an unknown suite: SuiteNotSupportedError', () => {
      const fake = { ...xwing, id: 0x1234, name: 'Fake' } as unknown as Suite;
      expect(thrown(() => backend.derivePublicKey(fake, new Uint8Array(32)))).toBeInstanceOf(SuiteNotSupportedError);
    });

    it('leaves caller buffers alone and returns fresh ones', () => {
      const seed = new Uint8Array(32).fill(9);
      const pk = backend.derivePublicKey(xwing, seed);
      expect(seed).toEqual(new Uint8Array(32).fill(9));
      const r = new Uint8Array(64).fill(4);
      const a = backend.encapsulate(xwing, pk, r);
      expect(r).toEqual(new Uint8Array(64).fill(4));
      expect(a.sharedSecret.byteOffset).toBe(0);
      expect(a.sharedSecret.buffer).not.toBe(a.ciphertext.buffer);
      // The secret's bytes were wiped from the ciphertext's buffer.
      expect(new Uint8Array(a.ciphertext.buffer).subarray(xwing.lengths.ciphertext)).toEqual(new Uint8Array(32));
      expect(backend.decapsulate(xwing, seed, a.ciphertext)).toEqual(a.sharedSecret);
    });
  });
});
