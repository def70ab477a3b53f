/**
 * The KEM suites over node:crypto: every primitive — SHAKE256, ML-KEM,
 * X25519, P-256/P-384 ECDH, SHA3-256 and HKDF — is an OpenSSL call. The
 * construction around them (seed expansion and RandomScalar, spec §1.1; the
 * combiners, §1.2; ML-KEM alone and DHKEM(X25519, HKDF-SHA256), §1.4) is the
 * one core composes for the other backends, written here over node:crypto because core's composeSuites takes
 * derandomised ML-KEM encapsulation (Encaps_internal with the caller's m),
 * which node:crypto does not offer, and its hashes are noble's.
 *
 * Encapsulation therefore draws its own randomness (OpenSSL's DRBG for the
 * ML-KEM message and the ephemeral key): `derandomizedEncapsulation: false`.
 * @module
 */
import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  InvalidArgumentError,
  InvalidGroupElementError,
  InvalidSeedError,
  SUITES,
  SuiteNotSupportedError,
  hexToBytes,
  type Backend,
  type Encapsulation,
  type ExpandedPrivateKey,
  type GroupParams,
  type HybridSuite,
  type MlKemParams,
  type Suite,
} from '@hybridkem/core';
import { mlkemSeedPkcs8, mlkemSpki, rfc8410Pkcs8, rfc8410Spki } from './der.js';

type Bytes = Uint8Array;

/** Overwrites secrets we own (best effort: a garbage collector may have copied them). */
function wipe(...buffers: (Bytes | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}

/** Whether every byte is zero, without an early exit (the bytes are a secret). */
function isAllZero(bytes: Bytes): boolean {
  let acc = 0;
  for (let i = 0; i < bytes.length; i++) acc |= bytes[i]!;
  return acc === 0;
}

/** A plain Uint8Array copy (callers compare results with Uint8Arrays), the Buffer wiped. */
function own(buffer: Bytes): Uint8Array {
  const out = new Uint8Array(buffer);
  buffer.fill(0);
  return out;
}

function shake256(input: Bytes, length: number): Buffer {
  return nodeCrypto.createHash('shake256', { outputLength: length }).update(input).digest();
}

/** The raw key at the end of a KeyObject's SubjectPublicKeyInfo. */
function rawPublicKey(key: KeyObject, length: number): Uint8Array {
  const der = nodeCrypto.createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - length));
}

// ---- ML-KEM (FIPS 203) -------------------------------------------------------

/** The decapsulation key for d ‖ z, expanded by OpenSSL (KeyGen_internal). */
function mlkemPrivateKey(params: MlKemParams, seed: Bytes): KeyObject {
  const der = mlkemSeedPkcs8(params.name, seed);
  try {
    return nodeCrypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

function mlkemPublicKey(params: MlKemParams, publicKey: Bytes): KeyObject {
  try {
    return nodeCrypto.createPublicKey({ key: mlkemSpki(params.name, publicKey), format: 'der', type: 'spki' });
  } catch {
    // core's facade has already run the FIPS 203 §7.2 checks; OpenSSL runs them again.
    throw new InvalidArgumentError('publicKey', `OpenSSL refused the ${params.name} encapsulation key`);
  }
}

// ---- traditional groups --------------------------------------------------------

/** A traditional key pair: the encoded public element and how to reach a shared secret. */
interface GroupKey {
  readonly publicKey: Uint8Array;
  /** ElementToSharedSecret(Exp(element, scalar)); throws for an invalid element or an all-zero result. */
  sharedSecret(element: Bytes): Buffer;
}

const CURVE = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' } as const;

function x25519Key(privateKey: KeyObject): GroupKey {
  return {
    publicKey: rawPublicKey(privateKey, 32),
    sharedSecret(element) {
      const publicKey = nodeCrypto.createPublicKey({ key: rfc8410Spki('X25519', element), format: 'der', type: 'spki' });
      // OpenSSL's X25519 derivation fails on an all-zero result (a low-order
      // point), which RFC 7748 §6.1 lets and draft-ietf-tls-ecdhe-mlkem
      // requires us to reject; checked once more here, not trusted.
      const ss = nodeCrypto.diffieHellman({ privateKey, publicKey });
      if (isAllZero(ss)) {
        ss.fill(0);
        throw new Error('all-zero X25519 output');
      }
      return ss;
    },
  };
}

function x25519FromScalar(scalar: Bytes): GroupKey {
  const der = rfc8410Pkcs8('X25519', scalar);
  try {
    return x25519Key(nodeCrypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  } finally {
    der.fill(0);
  }
}

function nistKey(ecdh: nodeCrypto.ECDH, group: GroupParams): GroupKey {
  const elementLength = group.lengths.element;
  return {
    publicKey: new Uint8Array(ecdh.getPublicKey()),
    sharedSecret(element) {
      // Only the uncompressed SEC1 form: OpenSSL would also take the
      // compressed and "hybrid" (0x06/0x07) encodings, which the wire format
      // does not allow (spec/WIRE-FORMAT.md §1). OpenSSL checks that the
      // point is on the curve; the result, the x-coordinate, is never the
      // identity for a point of the prime-order group and a scalar in [1, n-1].
      if (element.length !== elementLength || element[0] !== 0x04) throw new Error('not an uncompressed point');
      return ecdh.computeSecret(element);
    },
  };
}

/**
 * RandomScalar for the NIST groups (spec/WIRE-FORMAT.md §1.1, the same
 * rules as core's compose/seed.ts): the first Nscalar-byte window that is a
 * scalar in [1, n-1]. Whether a window is in range is OpenSSL's own check in
 * ECDH.setPrivateKey (Node compares it with the group order), which also
 * computes the public key. A window is rejected with probability < 2^-32
 * (P-256) or < 2^-190 (P-384), so the one bit this branch reveals is
 * practically constant.
 */
const MAX_SCALAR_WINDOWS = 16;

function nistFromSeed(suite: HybridSuite, groupSeed: Bytes): GroupKey {
  const n = suite.group.lengths.scalar;
  const stream = suite.group.scalarDerivation === 'nested-shake' ? shake256(groupSeed, n * MAX_SCALAR_WINDOWS) : groupSeed;
  const windows = Math.min(MAX_SCALAR_WINDOWS, Math.floor(stream.length / n));
  try {
    for (let i = 0; i < windows; i++) {
      const ecdh = nodeCrypto.createECDH(CURVE[suite.group.name as 'P-256' | 'P-384']);
      try {
        ecdh.setPrivateKey(stream.subarray(i * n, (i + 1) * n));
      } catch {
        continue; // 0 or ≥ n: the next window
      }
      return nistKey(ecdh, suite.group);
    }
  } finally {
    if (stream !== groupSeed) stream.fill(0);
  }
  throw new InvalidSeedError('seed', `RandomScalar found no valid ${suite.group.name} scalar in ${windows} windows`);
}

/** The traditional key pair of a private seed's group part. */
function groupFromSeed(suite: HybridSuite, groupSeed: Bytes): GroupKey {
  return suite.group.name === 'X25519' ? x25519FromScalar(groupSeed) : nistFromSeed(suite, groupSeed);
}

/**
 * A fresh ephemeral key pair from OpenSSL's DRBG. For the NIST groups OpenSSL
 * draws the scalar uniformly from [1, n-1], the distribution RandomScalar's
 * rejection sampling gives.
 */
function ephemeralGroupKey(group: GroupParams): GroupKey {
  if (group.name === 'X25519') return x25519Key(nodeCrypto.generateKeyPairSync('x25519').privateKey);
  const ecdh = nodeCrypto.createECDH(CURVE[group.name]);
  ecdh.generateKeys();
  return nistKey(ecdh, group);
}

function groupSharedSecret(group: GroupParams, key: GroupKey, element: Bytes, field: string): Buffer {
  try {
    return key.sharedSecret(element);
  } catch {
    throw new InvalidGroupElementError(`${field} (${group.name} part)`, group.name, 'invalid or low-order element');
  }
}

// ---- DHKEM(X25519, HKDF-SHA256), RFC 9180 §4.1 (spec/WIRE-FORMAT.md §1.4) ------------

/**
 * ExtractAndExpand(dh, kem_context) = LabeledExpand(LabeledExtract("",
 * "eae_prk", dh), "shared_secret", kem_context, 32) with suite_id = "KEM" ‖
 * I2OSP(kem_id, 2) (RFC 9180 §4, §4.1). HKDF-Extract then HKDF-Expand is
 * exactly what hkdfSync computes (RFC 5869 §2), with salt "" and the
 * labeled IKM and info.
 */
function dhkemSharedSecret(suite: Suite, dh: Bytes, kemContext: Bytes): Uint8Array {
  const suiteId = Buffer.concat([Buffer.from('KEM', 'ascii'), Buffer.from([suite.id >> 8, suite.id & 0xff])]);
  const hpke = Buffer.from('HPKE-v1', 'ascii');
  const labeledIkm = Buffer.concat([hpke, suiteId, Buffer.from('eae_prk', 'ascii'), dh]);
  const length = suite.lengths.sharedSecret;
  const labeledInfo = Buffer.concat([Buffer.from([length >> 8, length & 0xff]), hpke, suiteId, Buffer.from('shared_secret', 'ascii'), kemContext]);
  try {
    return own(new Uint8Array(nodeCrypto.hkdfSync('sha256', labeledIkm, new Uint8Array(0), labeledInfo, length)));
  } finally {
    labeledIkm.fill(0);
  }
}

// ---- combiners (spec/WIRE-FORMAT.md §1.2) -----------------------------------------

interface CombinerInput {
  ssM: Bytes;
  ssT: Bytes;
  ctM: Bytes;
  pkM: Bytes;
  ctT: Bytes;
  pkT: Bytes;
}

const labels = new Map<number, Uint8Array>();
function label(suite: HybridSuite): Uint8Array {
  let l = labels.get(suite.id);
  if (!l) labels.set(suite.id, (l = hexToBytes('label', suite.labelHex)));
  return l;
}

const HYBRID_PRK = Buffer.from('hybrid_prk', 'ascii');
// info = I2OSP(32, 2) ‖ "shared_secret" (cfrg/draft-irtf-cfrg-hybrid-kems, KitchenSink).
const SHARED_SECRET_INFO = Buffer.concat([Buffer.from([0x00, 0x20]), Buffer.from('shared_secret', 'ascii')]);

function combine(suite: HybridSuite, x: CombinerInput): Uint8Array {
  if (suite.combiner === 'cg-sha3-256') {
    // SHA3-256(ss_M ‖ ss_T ‖ ct_T ‖ pk_T ‖ label): X-Wing §5.3, concrete-hybrid-kems' CG combiner.
    const h = nodeCrypto.createHash('sha3-256');
    for (const part of [x.ssM, x.ssT, x.ctT, x.pkT, label(suite)]) h.update(part);
    return own(h.digest());
  }
  // KitchenSink: HKDF-Extract(salt = Nh zero bytes, IKM = "hybrid_prk" ‖ ss_M ‖ ss_T ‖ ct_M ‖ pk_M ‖ ct_T ‖ pk_T ‖ label),
  // then HKDF-Expand(prk, info, 32); hkdfSync does both (RFC 5869).
  const hash = suite.combiner === 'kitchensink-hkdf-sha256' ? 'sha256' : 'sha512';
  const ikm = Buffer.concat([HYBRID_PRK, x.ssM, x.ssT, x.ctM, x.pkM, x.ctT, x.pkT, label(suite)]);
  try {
    return own(new Uint8Array(nodeCrypto.hkdfSync(hash, ikm, new Uint8Array(hash === 'sha256' ? 32 : 64), SHARED_SECRET_INFO, 32)));
  } finally {
    ikm.fill(0);
  }
}

// ---- the backend -------------------------------------------------------------------

/** A private key expanded by OpenSSL: the parts the suite has (ML-KEM, the group, or both). */
interface DerivedKeys {
  mlkem?: KeyObject;
  /** The ML-KEM encapsulation key; empty for DHKEM. */
  pkM: Uint8Array;
  group?: GroupKey;
}

const NO_BYTES = new Uint8Array(0);

/**
 * Hybrids: SHAKE256(seed) → ML-KEM d ‖ z and the traditional seed (spec
 * §1.1). ML-KEM alone: the seed is d ‖ z; DHKEM: the seed is the X25519
 * private key (§1.4). OpenSSL expands each part.
 */
function deriveKeys(suite: Suite, seed: Bytes): DerivedKeys {
  if (suite.family === 'pq') {
    const mlkem = mlkemPrivateKey(suite.mlkem, seed);
    return { mlkem, pkM: rawPublicKey(mlkem, suite.mlkem.lengths.publicKey) };
  }
  if (suite.family === 'classical') return { pkM: NO_BYTES, group: x25519FromScalar(seed) };
  const expanded = shake256(seed, 64 + suite.group.lengths.seed);
  try {
    const mlkem = mlkemPrivateKey(suite.mlkem, expanded.subarray(0, 64));
    const group = groupFromSeed(suite, expanded.subarray(64));
    return { mlkem, pkM: rawPublicKey(mlkem, suite.mlkem.lengths.publicKey), group };
  } finally {
    expanded.fill(0);
  }
}

/** Decapsulation with keys OpenSSL has expanded (from the seed, or held by an expanded key). */
function decapsulateWith(suite: Suite, k: DerivedKeys, ciphertext: Uint8Array): Uint8Array {
  // ML-KEM alone: a wrong ciphertext gives FIPS 203's implicit-rejection secret.
  if (suite.family === 'pq') return own(nodeCrypto.decapsulate(k.mlkem!, ciphertext));
  if (suite.family === 'classical') {
    // Decap(enc, skR): dh = DH(skR, enc), kem_context = enc ‖ pkR (RFC 9180 §4.1); all-zero dh is refused.
    const dh = groupSharedSecret(suite.group, k.group!, ciphertext, 'ciphertext');
    try {
      return dhkemSharedSecret(suite, dh, Buffer.concat([ciphertext, k.group!.publicKey]));
    } finally {
      dh.fill(0);
    }
  }
  const split = suite.mlkem.lengths.ciphertext;
  const ctM = ciphertext.subarray(0, split);
  const ctT = ciphertext.subarray(split);
  let ssT: Buffer | undefined;
  let ssM: Buffer | undefined;
  try {
    ssT = groupSharedSecret(suite.group, k.group!, ctT, 'ciphertext');
    // A wrong ciphertext gives FIPS 203's implicit-rejection secret, not an error.
    ssM = nodeCrypto.decapsulate(k.mlkem!, ctM);
    return combine(suite, { ssM, ssT, ctM, pkM: k.pkM, ctT, pkT: k.group!.publicKey });
  } finally {
    wipe(ssM, ssT);
  }
}

export interface OpensslBackendInfo {
  version: string;
  implementation: string;
}

/** The openssl backend of every suite in core's table. */
export function createOpensslBackend(info: OpensslBackendInfo): Backend {
  const ids = Object.freeze(SUITES.map((s) => s.id));
  // Expanded keys: the token core's facade holds has only destroy(); the
  // ML-KEM KeyObject, the X25519 KeyObject or ECDH object and the public
  // values stay here.
  const expandedKeys = new WeakMap<ExpandedPrivateKey, { suite: Suite; keys: DerivedKeys | undefined }>();
  const known = (suite: Suite) => {
    if (!ids.includes(suite?.id)) throw new SuiteNotSupportedError('openssl', String(suite?.name));
  };

  return Object.freeze({
    name: 'openssl',
    version: info.version,
    implementation: info.implementation,
    constantTime: true,
    derandomizedEncapsulation: false,
    suites: ids,

    derivePublicKey(suite: Suite, seed: Uint8Array): Uint8Array {
      known(suite);
      const k = deriveKeys(suite, seed);
      const pk = new Uint8Array(suite.lengths.publicKey);
      pk.set(k.pkM);
      if (k.group) pk.set(k.group.publicKey, k.pkM.length);
      return pk;
    },

    encapsulate(suite: Suite, publicKey: Uint8Array, randomness?: Uint8Array): Encapsulation {
      known(suite);
      if (randomness !== undefined) {
        // core's facade never passes it (derandomizedEncapsulation: false); a direct caller learns why.
        throw new InvalidArgumentError('randomness', 'the openssl backend draws its own encapsulation randomness (node:crypto has no derandomised ML-KEM)');
      }
      if (suite.family === 'pq') {
        // ML-KEM alone (§1.4): OpenSSL draws m.
        const { sharedKey, ciphertext } = nodeCrypto.encapsulate(mlkemPublicKey(suite.mlkem, publicKey));
        return { ciphertext: new Uint8Array(ciphertext), sharedSecret: own(sharedKey) };
      }
      if (suite.family === 'classical') {
        // Encap(pkR) with GenerateKeyPair() from OpenSSL's DRBG (RFC 9180 §4.1):
        // enc = pkE, dh = DH(skE, pkR), kem_context = enc ‖ pkR. A low-order pkR gives an all-zero dh, refused.
        const eph = ephemeralGroupKey(suite.group);
        const dh = groupSharedSecret(suite.group, eph, publicKey, 'publicKey');
        try {
          const enc = eph.publicKey;
          return { ciphertext: enc, sharedSecret: dhkemSharedSecret(suite, dh, Buffer.concat([enc, publicKey])) };
        } finally {
          dh.fill(0);
        }
      }
      const split = suite.mlkem.lengths.publicKey;
      const pkM = publicKey.subarray(0, split);
      const pkT = publicKey.subarray(split);
      const eph = ephemeralGroupKey(suite.group);
      let ssT: Buffer | undefined;
      let ssM: Buffer | undefined;
      try {
        ssT = groupSharedSecret(suite.group, eph, pkT, 'publicKey');
        const { sharedKey, ciphertext: ctM } = nodeCrypto.encapsulate(mlkemPublicKey(suite.mlkem, pkM));
        ssM = sharedKey;
        const ctT = eph.publicKey;
        const sharedSecret = combine(suite, { ssM, ssT, ctM, pkM, ctT, pkT });
        const ciphertext = new Uint8Array(ctM.length + ctT.length);
        ciphertext.set(ctM);
        ciphertext.set(ctT, ctM.length);
        return { ciphertext, sharedSecret };
      } finally {
        wipe(ssM, ssT);
      }
    },

    decapsulate(suite: Suite, seed: Uint8Array, ciphertext: Uint8Array): Uint8Array {
      known(suite);
      return decapsulateWith(suite, deriveKeys(suite, seed), ciphertext);
    },

    expandPrivateKey(suite: Suite, seed: Uint8Array): ExpandedPrivateKey {
      known(suite);
      const entry: { suite: Suite; keys: DerivedKeys | undefined } = { suite, keys: deriveKeys(suite, seed) };
      const token: ExpandedPrivateKey = Object.freeze({
        destroy(): void {
          // Drops the references only: a KeyObject's (and an ECDH object's)
          // key lives in OpenSSL memory that JavaScript cannot wipe; OpenSSL
          // cleanses it when the garbage collector frees the object.
          entry.keys = undefined;
          expandedKeys.delete(token);
        },
      });
      expandedKeys.set(token, entry);
      return token;
    },

    decapsulateExpanded(suite: Suite, key: ExpandedPrivateKey, ciphertext: Uint8Array): Uint8Array {
      known(suite);
      const entry = expandedKeys.get(key);
      if (!entry || entry.suite.id !== suite.id || !entry.keys) {
        throw new InvalidArgumentError('privateKey', `not a live ${String(suite.name)} key of the openssl backend`);
      }
      return decapsulateWith(suite, entry.keys, ciphertext);
    },
  } satisfies Backend);
}
