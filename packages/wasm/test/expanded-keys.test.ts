// Private-key handles on the wasm backend: the facade expands the key once in
// WebAssembly memory (wasm/src/expanded.rs) and decapsulates through it, not
// through the seed; destroy() frees it, and then no byte of it (the seed, its
// SHAKE256 expansion, the ML-KEM decapsulation key, the traditional scalar)
// is left in linear memory. The conformance suite checks the secrets.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createKem, InvalidArgumentError, SUITES, type Suite } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import type { Glue } from '../src/instantiate.js';
import { built, NOT_BUILT } from './built.js';
import { expandedSeed, mlkemSeed } from './suite-secrets.js';

const run = built();
// Loading the package instantiates the module and binds the glue to it.
if (run) await import('../src/index.js');
const glue = run ? ((await import('../build/glue.js')) as unknown as Glue) : undefined;
const { createWasmBackend } = await import('../src/backend.js');
const { memoryForTesting } = await import('../src/instantiate.js');
// noble's ML-KEM, only to compute the decapsulation key the memory scan looks for
// (FIPS 203's dk encoding, which is libcrux's private key).
type MlKem = { keygen(seed: Uint8Array): { secretKey: Uint8Array } };
const nobleMlKem: { ml_kem768: MlKem; ml_kem1024: MlKem } = await import(
  pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('@hybridkem/noble')), '..', 'node_modules', '@noble', 'post-quantum', 'ml-kem.js')).href
);

const names = ['derivePublicKey', 'decapsulate', 'expandPrivateKey', 'decapsulateExpanded', 'freeExpandedKey'] as const;

/** A backend over the real glue that counts calls into the module. */
function counted(g: Glue) {
  const calls = Object.fromEntries(names.map((n) => [n, 0])) as Record<(typeof names)[number], number>;
  const wrapped = { ...g } as Record<string, unknown>;
  for (const n of names) {
    const f = g[n] as (...a: unknown[]) => unknown;
    wrapped[n] = (...a: unknown[]) => {
      calls[n]++;
      return f(...a);
    };
  }
  return { backend: createWasmBackend(wrapped as Glue), calls };
}

/** 16-byte pieces of `secret`: a partial copy counts too. */
function pieces(label: string, secret: Uint8Array): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (let i = 0; i + 16 <= secret.length; i += 16) out.push([`${label}[${i}..${i + 16}]`, Buffer.from(secret.subarray(i, i + 16))]);
  return out;
}

function found(secrets: [string, Buffer][]): string[] {
  const memory = Buffer.from(memoryForTesting()!.buffer);
  return secrets.filter(([, bytes]) => memory.indexOf(bytes) !== -1).map(([label]) => label);
}

/** The ML-KEM decapsulation key of a suite's private key; empty for DHKEM, which has none. */
function dk(suite: Suite, seed: Uint8Array): Uint8Array {
  const dz = mlkemSeed(suite, seed);
  if (!suite.mlkem || !dz) return new Uint8Array(0);
  const mlkem = suite.mlkem.name === 'ML-KEM-768' ? nobleMlKem.ml_kem768 : nobleMlKem.ml_kem1024;
  return mlkem.keygen(dz).secretKey;
}

describe.skipIf(!run)(`wasm expanded private keys${NOT_BUILT ? ` (${NOT_BUILT})` : ''}`, () => {
  for (const suite of SUITES) {
    it(`${suite.name}: a handle decapsulates through the expanded key, and destroy() leaves none of it in memory`, () => {
      const { backend, calls } = counted(glue!);
      const kem = createKem(suite, backend);
      const seed = new Uint8Array(suite.lengths.seed).map((_, i) => (i * 53 + 11 + suite.id) & 0xff || 5);
      const publicKey = kem.getPublicKey(seed);
      const live = glue!.liveExpandedKeys();
      const handle = kem.importPrivateKey(seed);
      expect(calls.expandPrivateKey).toBe(1);
      expect(glue!.liveExpandedKeys()).toBe(live + 1);

      const before = calls.decapsulate;
      for (let i = 0; i < 3; i++) {
        const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
        expect(kem.decapsulate(handle, ciphertext)).toEqual(sharedSecret);
        expect(kem.decapsulate(seed, ciphertext)).toEqual(sharedSecret);
      }
      expect(calls.decapsulateExpanded).toBe(3);
      expect(calls.decapsulate - before).toBe(3); // only the seed calls

      const secrets = [
        ...pieces('seed', seed),
        ...pieces('expanded seed', expandedSeed(suite, seed)),
        ...pieces('ML-KEM decapsulation key', dk(suite, seed)),
      ];
      // While the key is live its decapsulation key (DHKEM: its private key,
      // the scalar) is in memory: the scan can see it.
      const held = suite.mlkem ? 'ML-KEM' : 'seed';
      expect(found(secrets).filter((l) => l.startsWith(held))).not.toEqual([]);

      handle.destroy();
      expect(calls.freeExpandedKey).toBe(1);
      expect(glue!.liveExpandedKeys()).toBe(live);
      expect(found(secrets)).toEqual([]);
    });
  }

  it('a destroyed, foreign or other-suite key is refused', () => {
    const [a, b] = SUITES as readonly Suite[];
    const backend = createWasmBackend(glue!);
    const seed = new Uint8Array(32).fill(7);
    const key = backend.expandPrivateKey!(a!, seed);
    const ct = new Uint8Array(a!.lengths.ciphertext);
    expect(() => backend.decapsulateExpanded!(b!, key, new Uint8Array(b!.lengths.ciphertext))).toThrow(InvalidArgumentError);
    expect(() => createWasmBackend(glue!).decapsulateExpanded!(a!, key, ct)).toThrow(InvalidArgumentError);
    key.destroy();
    key.destroy();
    expect(() => backend.decapsulateExpanded!(a!, key, ct)).toThrow(InvalidArgumentError);
    // The module itself refuses a number that is not a live key.
    expect(glue!.freeExpandedKey(0xffff_fff0)).toBe(false);
    expect(() => glue!.decapsulateExpanded(a!.id, 0xffff_fff0, ct)).toThrow(/not a live key/);
  });

  it('a key never destroyed is freed once its handle is garbage-collected (best effort; destroy() is the guarantee)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const suite = SUITES[0]!;
    const live = glue!.liveExpandedKeys();
    (() => {
      const kem = createKem(suite, createWasmBackend(glue!));
      kem.importPrivateKey(new Uint8Array(32).fill(9));
    })();
    expect(glue!.liveExpandedKeys()).toBe(live + 1);
    for (let i = 0; i < 50 && glue!.liveExpandedKeys() > live; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(glue!.liveExpandedKeys()).toBe(live);
  });
});
