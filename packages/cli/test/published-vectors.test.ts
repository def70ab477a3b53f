/**
 * keygen / encapsulate / decapsulate through the CLI against vectors published
 * by the constructions' authors (../shared/vectors), not by this project.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dearmor, decodeCiphertext, decodePublicKey, getSuite, keyId, type Suite } from '@hybridkem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, ok, okJson, SHARED_VECTORS, sharedVectorsState } from './helpers.js';

interface Published {
  seed: string;
  randomness: string;
  publicKey: string;
  ciphertext: string;
  sharedSecret: string;
}

interface KeygenJson {
  suite: string;
  publicKey: string;
  privateKey: string;
  keyId: string;
  encoded: { publicKey: string; privateKey: string };
}
interface EncapsulateJson {
  suite: string;
  keyId: string;
  publicKey: string;
  ciphertext: string;
  sharedSecret: string;
  encoded: { publicKey: string; ciphertext: string };
}
interface DecapsulateJson {
  suite: string;
  keyId: string;
  ciphertext: string;
  sharedSecret: string;
}

function load(): { suite: Suite; source: string; vectors: Published[] }[] {
  const read = (p: string): unknown => JSON.parse(readFileSync(join(SHARED_VECTORS, p), 'utf8'));
  const xwing = read('xwing/test-vectors.json') as Record<string, string>[];
  const kitchen = read('hybrid-kems/kitchensink-mlkem768-x25519-hkdf-sha256.json') as Record<string, string>[];
  const concrete = read('concrete-hybrid-kems/test-vectors.json') as Record<string, Record<string, string>[]>;
  return [
    {
      suite: getSuite('X-Wing'),
      source: 'xwing/test-vectors.json',
      vectors: xwing.map((v) => ({ seed: v.seed!, randomness: v.eseed!, publicKey: v.pk!, ciphertext: v.ct!, sharedSecret: v.ss! })),
    },
    {
      suite: getSuite('X25519-MLKEM768'),
      source: 'hybrid-kems/kitchensink-mlkem768-x25519-hkdf-sha256.json',
      vectors: kitchen.map((v) => ({ seed: v.seed!, randomness: v.randomness!, publicKey: v.pk!, ciphertext: v.ct!, sharedSecret: v.ss! })),
    },
    {
      suite: getSuite('MLKEM768-P256'),
      source: 'concrete-hybrid-kems/test-vectors.json mlkem768_p256',
      vectors: concrete.mlkem768_p256!.map((v) => ({
        seed: v.seed!,
        randomness: v.randomness!,
        publicKey: v.encapsulation_key!,
        ciphertext: v.ciphertext!,
        sharedSecret: v.shared_secret!,
      })),
    },
  ];
}

const state = sharedVectorsState();

if (state === 'fail') {
  describe('published vectors', () => {
    it('needs ../shared/vectors in CI', () => {
      throw new Error(`CI=true but the published vectors are missing at ${SHARED_VECTORS}`);
    });
  });
} else if (state === 'skip') {
  console.warn(`[cli tests] skipping published-vector tests: ${SHARED_VECTORS} not found (set up ../shared/vectors; CI fails instead)`);
  describe.skip('published vectors (../shared/vectors not found)', () => {
    it('skipped', () => {});
  });
} else {
  beforeAll(cliBuilt);
  for (const { suite, source, vectors } of load()) {
    describe(`${suite.name} against ${source}`, () => {
      it('has vectors', () => {
        expect(vectors.length).toBeGreaterThan(0);
      });
      vectors.forEach((v, i) => {
        it(`vector ${i}: keygen --seed gives the published public key`, async () => {
          const out = await okJson<KeygenJson>(['keygen', '--suite', suite.name, '--seed', v.seed]);
          expect(out.suite).toBe(suite.name);
          expect(out.publicKey).toBe(v.publicKey.toLowerCase());
          expect(out.privateKey).toBe(v.seed.toLowerCase());
          const pub = dearmor(out.encoded.publicKey);
          expect(pub.kind).toBe('publicKey');
          const decoded = decodePublicKey(pub.encoded);
          expect(decoded.suite.id).toBe(suite.id);
          expect(Buffer.from(decoded.publicKey).toString('hex')).toBe(v.publicKey.toLowerCase());
          expect(out.keyId).toBe(keyId(pub.encoded));
          expect(dearmor(out.encoded.privateKey).kind).toBe('privateKey');
        });

        it(`vector ${i}: encapsulate --public-key-hex --randomness gives the published ct and ss`, async () => {
          const out = await okJson<EncapsulateJson>([
            'encapsulate', '--suite', suite.name, '--public-key-hex', v.publicKey, '--randomness', v.randomness,
          ]);
          expect(out.suite).toBe(suite.name);
          // auto: the fastest backend that loads here (native where its addon is built).
          expect(['native', 'wasm', 'noble']).toContain((out as { backend?: string }).backend);
          expect(out.ciphertext).toBe(v.ciphertext.toLowerCase());
          expect(out.sharedSecret).toBe(v.sharedSecret.toLowerCase());
          expect(out.publicKey).toBe(v.publicKey.toLowerCase());
          const ct = decodeCiphertext(dearmor(out.encoded.ciphertext).encoded);
          expect(Buffer.from(ct.ciphertext).toString('hex')).toBe(v.ciphertext.toLowerCase());
          expect(out.keyId).toBe(keyId(dearmor(out.encoded.publicKey).encoded));
        });

        it(`vector ${i}: decapsulate --private-key-hex --ciphertext-hex gives the published ss`, async () => {
          const out = await okJson<DecapsulateJson>([
            'decapsulate', '--suite', suite.name, '--private-key-hex', v.seed, '--ciphertext-hex', v.ciphertext,
          ]);
          expect(out.sharedSecret).toBe(v.sharedSecret.toLowerCase());
          expect(out.ciphertext).toBe(v.ciphertext.toLowerCase());
          expect(out).not.toHaveProperty('privateKey');
        });
      });

      it('decapsulate without --json prints just the shared secret', async () => {
        const v = vectors[0]!;
        const out = await ok(['decapsulate', '--suite', suite.name, '--private-key-hex', v.seed, '--ciphertext-hex', v.ciphertext]);
        expect(out).toBe(`${v.sharedSecret.toLowerCase()}\n`);
      });
    });
  }
}
