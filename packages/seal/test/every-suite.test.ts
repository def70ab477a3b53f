// Sealing with every suite of @hybridkem/core (spec/WIRE-FORMAT.md §7.1):
// each is an HPKE KEM whose id is its wire id, round-trips through seal/open,
// the WHATWG and Node streams and the key stores (MemoryKeyStore and
// FileKeyStore, sealFor/openFrom), and a message sealed for one suite does
// not open with another suite's key (typed errors, before any decryption).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { createKem, encodePrivateKey, encodePublicKey, HybridKemError, keyId, SUITES } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createHpkeSuite,
  HPKE_KEM_IDS,
  HYBRID_HPKE_KEM_IDS,
  HybridHpkeKem,
  KeyStoreError,
  MemoryKeyStore,
  open,
  openFrom,
  openNodeStream,
  openStream,
  parseSealedHeader,
  SEALING_SUITES,
  type HybridHpkeKemName as SuiteName,
  seal,
  sealFor,
  sealNodeStream,
  sealStream,
} from '../src/index.js';
import { FileKeyStore } from '../src/node.js';
import { pattern, rejects, utf8 } from './helpers.js';

/**
 * spec/WIRE-FORMAT.md §7.1's KEM table, copied here from the spec text (not
 * from core) so that a change to either side shows: id, Nenc, Npk. Nsecret
 * and Nsk are 32 for every KEM.
 */
const SPEC_7_1: Record<SuiteName, [id: number, nenc: number, npk: number]> = {
  'X25519-MLKEM768': [0xff01, 1120, 1216],
  'X25519-MLKEM1024': [0xff02, 1600, 1600],
  'X-Wing': [0x647a, 1120, 1216],
  'MLKEM768-P256': [0xff03, 1153, 1249],
  'MLKEM1024-P384': [0xff04, 1665, 1665],
  'HPKE-MLKEM768-P256': [0x0050, 1153, 1249],
  'HPKE-MLKEM1024-P384': [0x0051, 1665, 1665],
};

const NAMES = SEALING_SUITES.map((s) => s.name);
/** spec §1.4's single-algorithm suites, which §7.1 does not seal with. */
const NOT_SEALED = ['ML-KEM-768', 'ML-KEM-1024', 'DHKEM-X25519-HKDF-SHA256'] as const;
const info = utf8('every-suite info');
const aad = utf8('every-suite aad');

/** A WHATWG stream of `bytes` in two pieces. */
function webSource(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, 1000));
      controller.enqueue(bytes.slice(1000));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of stream as unknown as AsyncIterable<Uint8Array>) parts.push(p);
  return new Uint8Array(Buffer.concat(parts));
}

describe('every suite is an HPKE KEM (spec §7.1)', () => {
  it('the seven hybrid suites, with the ids and lengths of the spec table', () => {
    expect(NAMES).toHaveLength(7);
    expect(Object.keys(HYBRID_HPKE_KEM_IDS).sort()).toEqual([...NAMES].sort());
    expect([...HPKE_KEM_IDS].sort()).toEqual(Object.values(SPEC_7_1).map(([id]) => id).sort());
    for (const name of NAMES) {
      const k = new HybridHpkeKem(name, backend);
      const [id, nenc, npk] = SPEC_7_1[name];
      expect([k.id, k.secretSize, k.encSize, k.publicKeySize, k.privateKeySize], name).toEqual([id, 32, nenc, npk, 32]);
    }
  });

  it('the single-algorithm suites of §1.4 are refused with typed errors: by name, and as a sealed header\'s KEM id', () => {
    expect(SUITES.filter((s) => !NAMES.includes(s.name as SuiteName)).map((s) => s.name)).toEqual([...NOT_SEALED]);
    for (const [name, id] of [['ML-KEM-768', 0x0041], ['ML-KEM-1024', 0x0042], ['DHKEM-X25519-HKDF-SHA256', 0x0020]] as const) {
      expect(HPKE_KEM_IDS).not.toContain(id);
      for (const make of [
        () => createHpkeSuite({ kem: name as never, kdf: 'HKDF-SHA256', aead: 'AES-256-GCM', backend }),
        () => new HybridHpkeKem(name as never, backend),
      ]) {
        let caught: unknown;
        try {
          make();
        } catch (e) {
          caught = e;
        }
        expect(caught, name).toBeInstanceOf(HybridKemError);
        expect((caught as HybridKemError).code, name).toBe('ERR_INVALID_ARGUMENT');
      }
      // A sealed header naming the suite: version 1, kind 0x04, the suite id, HKDF-SHA256, AES-256-GCM.
      const header = new Uint8Array(26);
      header.set([0x01, 0x04, id >> 8, id & 0xff, 0x00, 0x01, 0x00, 0x02]);
      header[24] = 16;
      let caught: unknown;
      try {
        parseSealedHeader(header, true);
      } catch (e) {
        caught = e;
      }
      expect((caught as HybridKemError).code, name).toBe('ERR_UNKNOWN_SUITE');
    }
  });

  it('an unknown KEM name lists every suite in its message', () => {
    let caught: unknown;
    try {
      createHpkeSuite({ kem: 'X25519-MLKEM512' as never, kdf: 'HKDF-SHA256', aead: 'AES-256-GCM', backend });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HybridKemError);
    expect((caught as HybridKemError).code).toBe('ERR_INVALID_ARGUMENT');
    for (const name of NAMES) expect((caught as Error).message).toContain(`"${name}"`);
  });
});

describe.each(NAMES)('%s: seal, open, streams', (name) => {
  const kem = createKem(name, backend);
  const { publicKey, privateKey } = kem.keygen(pattern(32, 0x700 + kem.suite.id));
  const [id, nenc] = SPEC_7_1[name];

  it.each(['ChaCha20-Poly1305', 'AES-256-GCM'] as const)('one-shot, %s: header, length, round trip', async (aead) => {
    const suite = createHpkeSuite({ kem: name, kdf: 'HKDF-SHA256', aead, backend });
    for (const size of [0, 70000]) {
      const pt = pattern(size, size + 3);
      const sealed = await seal(suite, publicKey, pt, { info, aad });
      const header = parseSealedHeader(sealed, true)!;
      expect(header.kemId).toBe(id);
      expect(header.keyId).toBe(keyId(encodePublicKey(name, publicKey)));
      expect(sealed.length).toBe(26 + nenc + size + 16 * Math.max(1, Math.ceil(size / 65536)));
      expect(await open(suite, privateKey, sealed, { info, aad })).toEqual(pt);
      await rejects(open(suite, privateKey, sealed, { info, aad: utf8('other') }), 'ERR_AUTHENTICATION');
    }
  });

  it('WHATWG and Node streams give and take the same bytes as seal / open', async () => {
    const suite = createHpkeSuite({ kem: name, kdf: 'HKDF-SHA512', aead: 'AES-128-GCM', backend });
    const pt = pattern(140000, 9);
    const viaWeb = await collect(webSource(pt).pipeThrough(sealStream(suite, publicKey, { aad })));
    expect(await open(suite, privateKey, viaWeb, { aad })).toEqual(pt);
    const sealedOnce = await seal(suite, publicKey, pt, { aad });
    expect(await collect(webSource(sealedOnce).pipeThrough(openStream(suite, privateKey, { aad })))).toEqual(pt);
    const out: Buffer[] = [];
    await pipeline(Readable.from([pt.subarray(0, 1000), pt.subarray(1000)]), sealNodeStream(suite, publicKey, { aad }), async (src) => {
      out.push(await buffer(src));
    });
    const viaNode = new Uint8Array(Buffer.concat(out));
    const back = await buffer(Readable.from([viaNode]).pipe(openNodeStream(suite, privateKey, { aad })));
    expect(new Uint8Array(back)).toEqual(pt);
  });
});

describe('a message for one suite does not open with another suite', () => {
  const keys = Object.fromEntries(NAMES.map((n) => [n, createKem(n, backend).keygen(pattern(32, 0x11))])) as Record<
    SuiteName,
    { publicKey: Uint8Array; privateKey: Uint8Array }
  >;

  it.each(NAMES)('sealed for %s', async (from) => {
    const sealed = await seal(createHpkeSuite({ kem: from, kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend }), keys[from].publicKey, pattern(1000, 5));
    for (const to of NAMES) {
      if (to === from) continue;
      // The reader's suite is the key's: the header names another KEM.
      const other = createHpkeSuite({ kem: to, kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
      const e = await rejects(open(other, keys[to].privateKey, sealed), 'ERR_INVALID_ARGUMENT');
      expect(e.message).toMatch(/^kem: /);
      // The right suite with another suite's private key (the same seed here): the key id differs,
      // since it hashes the suite id with the key (X-Wing and X25519-MLKEM768 keys of one seed have the same bytes).
      const mine = createHpkeSuite({ kem: from, kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
      const wrongKey = createKem(from, backend).keygen(pattern(32, 0x12)).privateKey;
      await rejects(open(mine, wrongKey, sealed), 'ERR_INVALID_ARGUMENT');
    }
  });

  // The header is checked against the reader's suite before enc is awaited
  // (§7.4 step 2 before step 3): the header alone of another suite's message,
  // shorter than either suite's enc, is refused as another KEM, not as truncated.
  it.each(NAMES)('the header alone of a message sealed for %s', async (from) => {
    const sealed = await seal(createHpkeSuite({ kem: from, kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend }), keys[from].publicKey, new Uint8Array(0));
    const header = sealed.subarray(0, 26);
    for (const to of NAMES) {
      if (to === from) continue;
      const other = createHpkeSuite({ kem: to, kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
      const e = await rejects(open(other, keys[to].privateKey, header), 'ERR_INVALID_ARGUMENT');
      expect(e.message).toMatch(/^kem: /);
    }
    const mine = createHpkeSuite({ kem: from, kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
    await rejects(open(mine, keys[from].privateKey, header), 'ERR_TRUNCATED');
  });
});

describe('key stores with every suite (sealFor / openFrom)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seal-every-suite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [label, makeStore] of [
    ['MemoryKeyStore', () => new MemoryKeyStore({ backend })],
    ['FileKeyStore', () => new FileKeyStore(dir, { backend })],
  ] as const) {
    it(`${label}: each suite seals to its name and opens by the key id`, async () => {
      const store = makeStore();
      const ids: Record<string, string> = {};
      for (const name of NAMES) {
        const kem = createKem(name, backend);
        const { publicKey, privateKey } = kem.keygen();
        const encoded = encodePublicKey(kem.suite, publicKey);
        await store.put({ publicKey: encoded, privateKey: encodePrivateKey(kem.suite, privateKey), name: `svc-${name.toLowerCase()}` });
        privateKey.fill(0);
        ids[name] = keyId(encoded);
      }
      for (const name of NAMES) {
        const pt = utf8(`for ${name}`);
        const sealed = await sealFor(store, `svc-${name.toLowerCase()}`, pt, { aad, backend });
        const header = parseSealedHeader(sealed, true)!;
        expect(header.kemId).toBe(SPEC_7_1[name][0]);
        expect(header.keyId).toBe(ids[name]);
        expect(await openFrom(store, sealed, { aad, backend })).toEqual(pt);
      }
      // A store without that key: a typed not-found, whatever the suite.
      const empty = new MemoryKeyStore();
      const sealed = await sealFor(store, 'svc-mlkem1024-p384', utf8('x'), { backend });
      await expect(openFrom(empty, sealed, { backend })).rejects.toBeInstanceOf(KeyStoreError);
    });
  }

  it('FileKeyStore keeps keys of the §1.4 suites (64-byte ML-KEM seeds too), in the clear and under a passphrase; sealFor refuses them', async () => {
    for (const [sub, options] of [
      ['plain', { backend }],
      ['locked', { backend, passphrase: 'pw', kdf: { name: 'scrypt', log2N: 4, r: 8, p: 1 } }],
    ] as const) {
      const store = new FileKeyStore(join(dir, sub), options);
      for (const name of NOT_SEALED) {
        const kem = createKem(name, backend);
        const { publicKey, privateKey } = kem.keygen();
        const encodedPrivate = encodePrivateKey(kem.suite, privateKey);
        await store.put({ publicKey: encodePublicKey(kem.suite, publicKey), privateKey: encodedPrivate, name: `k-${name.toLowerCase()}` });
        const stored = sub === 'plain' ? await store.get(`k-${name.toLowerCase()}`) : await store.unlock(`k-${name.toLowerCase()}`, 'pw');
        expect(stored?.suite.name, name).toBe(name);
        expect(await stored!.privateKey!(), name).toEqual(encodedPrivate);
        await rejects(sealFor(store, `k-${name.toLowerCase()}`, utf8('x'), { backend }), 'ERR_INVALID_ARGUMENT');
      }
    }
  });
});
