/**
 * The conformance suite every backend runs against itself: published and
 * spec vectors, round trips, implicit rejection, bad input, and cross-checks
 * with other backends. One suite, every backend (node-pqclean style).
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { bytesToHex, concat, hexToBytes } from '../bytes.js';
import { HybridKemError, type ErrorCode } from '../errors.js';
import { createKem } from '../kem.js';
import { SUITES, getSuite, type Suite, type SuiteRef } from '../suites.js';
import { hpkeKemAnswers, HPKE_KEM_IDS, publishedKnownAnswers, specKnownAnswers, type KnownAnswer } from './known-answers.js';
import { inCI, listJson, readJson, sharedVectorsDir, specVectorsDir, type SpecVectorFile } from './vectors.js';

export interface ConformanceOptions {
  /**
   * Backends to cross-check against (each encapsulates for the other). A
   * backend with `derandomizedEncapsulation: false` needs at least one
   * derandomised peer: its encapsulations to every vector's public key are
   * checked by the peer's decapsulation with the vector's private key.
   */
  peers?: readonly Backend[];
  /** Where ../shared/vectors is; found by walking up from the working directory otherwise. */
  sharedVectors?: string;
  /** Where spec/vectors is; found by walking up otherwise. */
  specVectors?: string;
  /**
   * The suites the backend is built to implement; every suite when absent. A
   * backend of some suites only (such as `xWing` from @hybridkem/noble/x-wing)
   * names them: the suite then checks that the backend implements exactly
   * these and runs their vectors, not the others'.
   */
  suites?: readonly SuiteRef[];
}

const hex = (s: string) => hexToBytes('vector', s);

/** Asserts that `fn` throws a HybridKemError with `code`. */
export function expectCode(fn: () => unknown, code: ErrorCode): HybridKemError {
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

/** Whether the backend takes the caller's encapsulation randomness (absent means it does). */
const isDerandomized = (backend: Backend) => backend.derandomizedEncapsulation !== false;

/**
 * The peers that check a non-derandomised backend's encapsulations: those
 * that are derandomised themselves (their own known answers pin them down).
 */
function checkingPeers(peers: readonly Backend[]): readonly Backend[] {
  return peers.filter(isDerandomized);
}

/**
 * A known answer. A derandomised backend must reproduce it exactly. A backend
 * that draws its own randomness must derive the public key, decapsulate the
 * vector's ciphertext to its secret, refuse the vector's randomness with a
 * typed error, and encapsulate to the vector's public key so that every
 * checking peer, holding the vector's private key, decapsulates the same
 * secret.
 */
function checkKnownAnswer(backend: Backend, v: KnownAnswer, peers: readonly Backend[]): void {
  const kem = createKem(v.suite, backend);
  const { publicKey, privateKey } = kem.keygen(hex(v.seed));
  expect(bytesToHex(publicKey), `${v.source}: public key`).toBe(v.publicKey);
  if (isDerandomized(backend)) {
    const { ciphertext, sharedSecret } = kem.encapsulate(publicKey, hex(v.randomness));
    expect(bytesToHex(ciphertext), `${v.source}: ciphertext`).toBe(v.ciphertext);
    expect(bytesToHex(sharedSecret), `${v.source}: shared secret (encapsulate)`).toBe(v.sharedSecret);
  } else {
    expectCode(() => kem.encapsulate(publicKey, hex(v.randomness)), 'ERR_INVALID_ARGUMENT');
    checkEncapsulationWithPeers(backend, v.suite, hex(v.publicKey), hex(v.seed), peers, v.source);
  }
  expect(bytesToHex(kem.decapsulate(privateKey, hex(v.ciphertext))), `${v.source}: shared secret (decapsulate)`).toBe(v.sharedSecret);
  const handle = kem.importPrivateKey(privateKey);
  try {
    expect(bytesToHex(kem.decapsulate(handle, hex(v.ciphertext))), `${v.source}: shared secret (decapsulate with a key handle)`).toBe(v.sharedSecret);
  } finally {
    handle.destroy();
  }
}

/** The backend's encapsulation to `publicKey`, decapsulated by each checking peer with `privateKey`. */
function checkEncapsulationWithPeers(
  backend: Backend,
  suite: SuiteRef,
  publicKey: Uint8Array,
  privateKey: Uint8Array,
  peers: readonly Backend[],
  where: string,
): void {
  const checking = checkingPeers(peers);
  expect(checking.length, `${where}: a backend without derandomised encapsulation needs a derandomised peer`).toBeGreaterThan(0);
  const { ciphertext, sharedSecret } = createKem(suite, backend).encapsulate(publicKey);
  for (const peer of checking) {
    const ss = createKem(suite, peer).decapsulate(privateKey, ciphertext);
    expect(bytesToHex(ss), `${where}: ${peer.name} decapsulates ${backend.name}'s encapsulation`).toBe(bytesToHex(sharedSecret));
  }
}

/** A missing vector folder fails in CI and skips elsewhere, saying why. */
function requireDir(what: string, dir: string | undefined): dir is string {
  if (dir) return true;
  if (inCI) {
    it(`${what} are present`, () => {
      throw new Error(`${what} not found (CI=true): they are required in CI`);
    });
  } else {
    it.skip(`${what} not found: skipped outside CI`, () => {});
  }
  return false;
}

export function runConformanceSuite(backend: Backend, options: ConformanceOptions = {}): void {
  const peers = options.peers ?? [];
  const suites = SUITES.filter((s) => backend.suites.includes(s.id));
  const wanted = options.suites ? options.suites.map((ref) => getSuite(ref)) : SUITES;
  const expected = SUITES.filter((s) => wanted.includes(s));
  // By name or id, without throwing: a vector of an unknown suite still
  // reaches its test (and fails there) when every suite is expected.
  const isExpected = (ref: string | number) => !options.suites || expected.some((s) => s.name === ref || s.id === ref);
  const title = options.suites ? `backend ${backend.name} (${expected.map((s) => s.name).join(', ')})` : `backend ${backend.name}`;

  describe(`${title}: conformance`, () => {
    it(options.suites ? `implements ${expected.map((s) => s.name).join(', ')} and no other suite` : 'implements every suite', () => {
      expect(suites.map((s) => s.name)).toEqual(expected.map((s) => s.name));
      // No id outside core's table either.
      expect([...backend.suites].sort((a, b) => a - b)).toEqual(expected.map((s) => s.id).sort((a, b) => a - b));
    });

    if (!isDerandomized(backend)) {
      it('draws its own encapsulation randomness: checked against a derandomised peer', () => {
        expect(checkingPeers(peers).map((p) => p.name), 'options.peers needs a derandomised backend').not.toEqual([]);
      });
    }

    describe('published vectors (../shared/vectors)', () => {
      const dir = options.sharedVectors ?? sharedVectorsDir();
      if (!requireDir('published vectors', dir)) return;
      const answers = publishedKnownAnswers(dir);
      it('cover the four suites with published known answers', () => {
        expect(new Set(answers.map((a) => a.suite))).toEqual(new Set(['X-Wing', 'X25519-MLKEM768', 'MLKEM768-P256', 'MLKEM1024-P384']));
        expect(answers.length).toBe(3 + 3 + 30);
      });
      for (const v of answers.filter((a) => isExpected(a.suite))) it(v.source, () => checkKnownAnswer(backend, v, peers));

      it(`hpke-pq KEMs (0x647a, 0x0050, 0x0051, 0x0041, 0x0042, 0x0020): public key, ${isDerandomized(backend) ? 'encapsulation from ikmE' : 'encapsulation checked by a peer'}, decapsulation`, () => {
        const cases = hpkeKemAnswers(dir);
        expect(new Set(cases.map((v) => v.kem_id))).toEqual(new Set(HPKE_KEM_IDS));
        for (const v of cases.filter((c) => isExpected(c.kem_id))) {
          const kem = createKem(v.kem_id, backend);
          const where = `hpke-pq kem 0x${v.kem_id.toString(16)}`;
          expect(bytesToHex(kem.getPublicKey(hex(v.skRm))), `${where}: pkRm`).toBe(v.pkRm);
          if (isDerandomized(backend)) {
            const e = kem.encapsulate(hex(v.pkRm), hex(v.ikmE));
            expect(bytesToHex(e.ciphertext), `${where}: enc`).toBe(v.enc);
            expect(bytesToHex(e.sharedSecret), `${where}: shared secret`).toBe(v.shared_secret);
          } else {
            checkEncapsulationWithPeers(backend, v.kem_id, hex(v.pkRm), hex(v.skRm), peers, where);
          }
          expect(bytesToHex(kem.decapsulate(hex(v.skRm), hex(v.enc))), `${where}: decapsulation`).toBe(v.shared_secret);
        }
      });
    });

    describe('spec vectors (spec/vectors)', () => {
      const dir = options.specVectors ?? specVectorsDir();
      if (!requireDir('spec vectors', dir)) return;
      const files = listJson(dir).filter((f) => f !== 'invalid.json');
      it('exist for every suite', () => {
        const named = files.map((f) => readJson<SpecVectorFile>(dir, f).suite).sort();
        expect(named).toEqual(SUITES.map((s) => s.name).sort());
      });
      for (const f of files) {
        const file = readJson<SpecVectorFile>(dir, f);
        if (!isExpected(file.suite)) continue;
        it(f, () => {
          expect(getSuite(file.suite).id).toBe(file.suiteId);
          for (const v of specKnownAnswers(file, f)) checkKnownAnswer(backend, v, peers);
        });
      }
    });

    for (const suite of suites) describeSuite(backend, suite, peers);
  });
}

function describeSuite(backend: Backend, suite: Suite, peers: readonly Backend[]): void {
  const kem = createKem(suite, backend);
  const L = suite.lengths;
  // Where the traditional part starts in a public key / ciphertext: 0 for
  // DHKEM, the whole value for ML-KEM alone (spec/WIRE-FORMAT.md §1.1, §1.4).
  const pqPk = suite.mlkem?.lengths.publicKey ?? 0;
  const pqCt = suite.mlkem?.lengths.ciphertext ?? 0;
  const group = suite.group;
  const derandomized = isDerandomized(backend);
  // Randomness for calls that test something else: the caller's for a
  // derandomised backend, none for one that draws its own.
  const callerRandomness = (r: Uint8Array) => (derandomized ? r : undefined);

  describe(suite.name, () => {
    it('round trip with fresh randomness, sizes as declared', () => {
      for (let i = 0; i < 3; i++) {
        const { publicKey, privateKey } = kem.keygen();
        expect(publicKey.length).toBe(L.publicKey);
        expect(privateKey.length).toBe(L.privateKey);
        const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
        expect(ciphertext.length).toBe(L.ciphertext);
        expect(sharedSecret.length).toBe(L.sharedSecret);
        expect(kem.decapsulate(privateKey, ciphertext)).toEqual(sharedSecret);
        expect(kem.getPublicKey(privateKey)).toEqual(publicKey);
      }
    });

    it('key handles: the same secrets as the seed, typed errors once destroyed or with another KEM', () => {
      const { publicKey, privateKey } = kem.keygen();
      const handle = kem.importPrivateKey(privateKey);
      expect(handle.suite).toBe(suite);
      expect(handle.backend).toBe(backend.name);
      expect(handle.destroyed).toBe(false);
      // The handle keeps no reference to the caller's seed.
      const copy = privateKey.slice();
      privateKey.fill(0);
      for (let i = 0; i < 3; i++) {
        const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
        expect(kem.decapsulate(handle, ciphertext)).toEqual(sharedSecret);
        expect(kem.decapsulate(copy, ciphertext)).toEqual(sharedSecret);
      }
      const { ciphertext } = kem.encapsulate(publicKey);
      expectCode(() => kem.decapsulate(handle, ciphertext.subarray(1)), 'ERR_INVALID_LENGTH');
      expectCode(() => createKem(suite, backend).decapsulate(handle, ciphertext), 'ERR_INVALID_ARGUMENT');
      const dispose = (Symbol as { dispose?: symbol }).dispose;
      if (dispose) (handle as unknown as Record<symbol, () => void>)[dispose]!();
      else handle.destroy();
      expect(handle.destroyed).toBe(true);
      handle.destroy();
      expectCode(() => kem.decapsulate(handle, ciphertext), 'ERR_INVALID_ARGUMENT');
      expect(String(handle)).not.toContain(bytesToHex(copy));
      expectCode(() => kem.importPrivateKey(new Uint8Array(31)), 'ERR_INVALID_LENGTH');
    });

    it('fresh keys and encapsulations differ', () => {
      const a = kem.keygen();
      const b = kem.keygen();
      expect(a.publicKey).not.toEqual(b.publicKey);
      const e1 = kem.encapsulate(a.publicKey);
      const e2 = kem.encapsulate(a.publicKey);
      expect(e1.ciphertext).not.toEqual(e2.ciphertext);
      expect(e1.sharedSecret).not.toEqual(e2.sharedSecret);
    });

    it('does not keep or alter caller buffers', () => {
      const seed = new Uint8Array(L.seed).fill(7);
      const { publicKey, privateKey } = kem.keygen(seed);
      privateKey.fill(0);
      expect(seed).toEqual(new Uint8Array(L.seed).fill(7));
      expect(kem.getPublicKey(seed)).toEqual(publicKey);
      const r = new Uint8Array(L.randomness).fill(9);
      const pkCopy = publicKey.slice();
      kem.encapsulate(publicKey, callerRandomness(r));
      expect(r).toEqual(new Uint8Array(L.randomness).fill(9));
      expect(publicKey).toEqual(pkCopy);
    });

    if (!derandomized) {
      it('refuses caller-chosen randomness with a typed error, and draws its own', () => {
        const { publicKey } = kem.keygen();
        for (const r of [new Uint8Array(L.randomness), new Uint8Array(L.randomness - 1)]) {
          const e = expectCode(() => kem.encapsulate(publicKey, r), 'ERR_INVALID_ARGUMENT');
          expect(e.message).toMatch(/^randomness: /);
        }
        const a = kem.encapsulate(publicKey);
        const b = kem.encapsulate(publicKey);
        expect(a.ciphertext.length).toBe(L.ciphertext);
        expect(a.ciphertext).not.toEqual(b.ciphertext);
      });
    }

    if (suite.mlkem) it('implicit rejection: a changed ML-KEM ciphertext gives another secret, not an error', () => {
      const { publicKey, privateKey } = kem.keygen();
      const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
      for (const pos of [0, Math.floor(pqCt / 2), pqCt - 1]) {
        const bad = ciphertext.slice();
        bad[pos]! ^= 0x01;
        const ss = kem.decapsulate(privateKey, bad);
        expect(ss.length).toBe(32);
        expect(ss).not.toEqual(sharedSecret);
      }
    });

    if (group) it('a changed traditional ciphertext gives another secret or ERR_INVALID_GROUP_ELEMENT', () => {
      const { publicKey, privateKey } = kem.keygen();
      const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
      const bad = ciphertext.slice();
      bad[L.ciphertext - 1]! ^= 0x01;
      if (group.name === 'X25519') {
        expect(kem.decapsulate(privateKey, bad)).not.toEqual(sharedSecret);
      } else {
        // Flipping a bit of Y takes a NIST point off the curve.
        expectCode(() => kem.decapsulate(privateKey, bad), 'ERR_INVALID_GROUP_ELEMENT');
      }
    });

    it('the wrong private key gives another secret', () => {
      const { publicKey } = kem.keygen();
      const other = kem.keygen();
      const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
      expect(kem.decapsulate(other.privateKey, ciphertext)).not.toEqual(sharedSecret);
    });

    it('rejects wrong lengths with expected and actual sizes', () => {
      const { publicKey, privateKey } = kem.keygen();
      const { ciphertext } = kem.encapsulate(publicKey);
      const cases: [string, () => unknown, number, number][] = [
        ['seed', () => kem.keygen(new Uint8Array(L.seed - 1)), L.seed, L.seed - 1],
        ['seed', () => kem.keygen(new Uint8Array(L.seed === 32 ? 64 : 32)), L.seed, L.seed === 32 ? 64 : 32],
        ['privateKey', () => kem.getPublicKey(new Uint8Array(L.privateKey + 1)), L.privateKey, L.privateKey + 1],
        ['privateKey', () => kem.getPublicKey(new Uint8Array(L.privateKey === 32 ? 64 : 32)), L.privateKey, L.privateKey === 32 ? 64 : 32],
        ['publicKey', () => kem.encapsulate(publicKey.subarray(1)), L.publicKey, L.publicKey - 1],
        ['publicKey', () => kem.encapsulate(concat(publicKey, new Uint8Array(1))), L.publicKey, L.publicKey + 1],
        // A backend that draws its own randomness refuses any (checked above).
        ...(derandomized
          ? [['randomness', () => kem.encapsulate(publicKey, new Uint8Array(L.randomness - 1)), L.randomness, L.randomness - 1] as [string, () => unknown, number, number]]
          : []),
        ['privateKey', () => kem.decapsulate(new Uint8Array(0), ciphertext), L.privateKey, 0],
        ['ciphertext', () => kem.decapsulate(privateKey, ciphertext.subarray(0, 20)), L.ciphertext, 20],
      ];
      for (const [field, fn, expected, actual] of cases) {
        const e = expectCode(fn, 'ERR_INVALID_LENGTH');
        expect(e.message).toBe(`${field}: expected ${expected} bytes, got ${actual}`);
      }
    });

    it('rejects non-byte inputs with a typed error', () => {
      const { publicKey } = kem.keygen();
      expectCode(() => kem.encapsulate(Array.from(publicKey) as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
      expectCode(() => kem.keygen('seed' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
      expectCode(() => kem.decapsulate(null as unknown as Uint8Array, new Uint8Array(L.ciphertext)), 'ERR_INVALID_ARGUMENT');
    });

    if (suite.mlkem) it('rejects an ML-KEM key that fails the modulus check (FIPS 203 §7.2)', () => {
      const { publicKey } = kem.keygen();
      for (const index of [0, 1, 255]) {
        const bad = publicKey.slice();
        // Coefficient `index` := 0xfff (≥ q), in its 12-bit slot.
        const byte = Math.floor(index / 2) * 3;
        if (index % 2 === 0) {
          bad[byte] = 0xff;
          bad[byte + 1] = bad[byte + 1]! | 0x0f;
        } else {
          bad[byte + 1] = bad[byte + 1]! | 0xf0;
          bad[byte + 2] = 0xff;
        }
        const e = expectCode(() => kem.encapsulate(bad), 'ERR_INVALID_MLKEM_KEY');
        expect(e.message).toContain(`coefficient ${index} `);
      }
    });

    if (group) it('rejects an invalid traditional public key', () => {
      const { publicKey } = kem.keygen();
      const bad = publicKey.slice();
      if (group.name === 'X25519') bad.fill(0, pqPk); // u = 0: low order
      else bad[L.publicKey - 1]! ^= 0x01; // off the curve
      expectCode(() => kem.encapsulate(bad), 'ERR_INVALID_GROUP_ELEMENT');
      if (group.name !== 'X25519') {
        const compressedTag = publicKey.slice();
        compressedTag[pqPk] = 0x02;
        expectCode(() => kem.encapsulate(compressedTag), 'ERR_INVALID_GROUP_ELEMENT');
      }
    });

    it('error messages carry no secret bytes', () => {
      const seed = new Uint8Array(L.seed).fill(0xab);
      const { publicKey } = kem.keygen(seed);
      const bad = publicKey.slice();
      const randomness = callerRandomness(new Uint8Array(L.randomness).fill(0xcd));
      if (group) {
        bad.fill(0, pqPk);
        bad[pqPk] = group.name === 'X25519' ? 0 : 0x04;
        const e = expectCode(() => kem.encapsulate(bad, randomness), 'ERR_INVALID_GROUP_ELEMENT');
        expect(e.message).not.toMatch(/abab|cdcd/);
      } else {
        bad.fill(0xff, 0, 3); // coefficients 0 and 1 := 0xfff ≥ q
        const e = expectCode(() => kem.encapsulate(bad, randomness), 'ERR_INVALID_MLKEM_KEY');
        expect(e.message).not.toMatch(/abab|cdcd/);
      }
      for (const [fn, code] of [
        [() => kem.decapsulate(seed, new Uint8Array(L.ciphertext + 1)), 'ERR_INVALID_LENGTH'],
        [() => kem.getPublicKey(concat(seed, new Uint8Array([0xab]))), 'ERR_INVALID_LENGTH'],
      ] as const) {
        expect(expectCode(fn, code).message).not.toMatch(/abab/);
      }
    });

    for (const peer of peers) {
      it(`interoperates with the ${peer.name} backend both ways`, () => {
        const other = createKem(suite, peer);
        for (const [a, b] of [
          [kem, other],
          [other, kem],
        ] as const) {
          const { publicKey, privateKey } = a.keygen();
          expect(b.getPublicKey(privateKey)).toEqual(publicKey);
          const { ciphertext, sharedSecret } = b.encapsulate(publicKey);
          expect(a.decapsulate(privateKey, ciphertext)).toEqual(sharedSecret);
        }
      });
    }
  });
}
