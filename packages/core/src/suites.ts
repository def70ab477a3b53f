/**
 * The KEM suites (the hybrids, and ML-KEM and DHKEM alone): frozen parameter sets with numeric ids and declared
 * sizes. spec/WIRE-FORMAT.md §1 is the normative table; ../shared/STANDARDS.md
 * gives the sources.
 * @module
 */
import { UnknownSuiteError } from './errors.js';

/** ML-KEM parameter sets (FIPS 203, Table 3). */
export interface MlKemParams {
  readonly name: 'ML-KEM-768' | 'ML-KEM-1024';
  readonly lengths: {
    readonly publicKey: number;
    readonly ciphertext: number;
    /** d ‖ z, KeyGen_internal's inputs */
    readonly seed: 64;
    /** m, Encaps_internal's input */
    readonly randomness: 32;
    readonly sharedSecret: 32;
  };
}

/**
 * How RandomScalar turns bytes into a scalar (spec/WIRE-FORMAT.md §1.1):
 * - `seed-is-scalar`: the bytes are the scalar (X25519);
 * - `nested-shake`: the first Nscalar-byte window of SHAKE256(bytes) that is in
 *   [1, n-1] (the concrete-hybrid-kems vectors);
 * - `main-stream`: the first Nscalar-byte window of the bytes themselves that
 *   is in [1, n-1]. At keygen the bytes are the main SHAKE256(seed) stream
 *   after ML-KEM's 64 bytes (draft-ietf-hpke-pq-04, Go crypto/hpke); at
 *   encapsulation they are the randomness after m.
 */
export type ScalarDerivation = 'seed-is-scalar' | 'nested-shake' | 'main-stream';

/** Traditional groups as nominal groups (draft-irtf-cfrg-concrete-hybrid-kems §3). */
export interface GroupParams {
  readonly name: 'X25519' | 'P-256' | 'P-384';
  readonly scalarDerivation: ScalarDerivation;
  readonly lengths: {
    /** encoded element (public key, ephemeral key) */
    readonly element: number;
    /** encoded scalar (private key) */
    readonly scalar: number;
    /** Nseed: bytes of the expanded private seed spent on RandomScalar */
    readonly seed: number;
    /** bytes of encapsulation randomness spent on the ephemeral scalar */
    readonly randomness: number;
    /** ElementToSharedSecret output */
    readonly sharedSecret: number;
  };
}

export type CombinerName = 'kitchensink-hkdf-sha256' | 'kitchensink-hkdf-sha512' | 'cg-sha3-256';

export type SuiteName =
  | 'X25519-MLKEM768'
  | 'X25519-MLKEM1024'
  | 'X-Wing'
  | 'MLKEM768-P256'
  | 'MLKEM1024-P384'
  | 'HPKE-MLKEM768-P256'
  | 'HPKE-MLKEM1024-P384'
  | 'ML-KEM-768'
  | 'ML-KEM-1024'
  | 'DHKEM-X25519-HKDF-SHA256';

/**
 * What a suite is made of (spec/WIRE-FORMAT.md §1):
 * - `hybrid`: ML-KEM and a traditional group under a combiner (§1.1-§1.2);
 * - `pq`: ML-KEM alone (§1.4);
 * - `classical`: DHKEM(X25519, HKDF-SHA256) of RFC 9180 alone (§1.4).
 */
export type SuiteFamily = 'hybrid' | 'pq' | 'classical';

/** The sizes every suite declares (bytes). */
export interface SuiteLengths {
  readonly publicKey: number;
  /**
   * The private key is the keygen seed: 32 bytes for the hybrids (§1.1) and
   * DHKEM (the X25519 private key), 64 bytes `d ‖ z` for ML-KEM alone (§1.4).
   */
  readonly privateKey: 32 | 64;
  readonly ciphertext: number;
  readonly sharedSecret: 32;
  /** keygen seed (= private key) */
  readonly seed: 32 | 64;
  /**
   * Derandomised encapsulation input: hybrids ML-KEM m ‖ ephemeral scalar
   * seed; ML-KEM alone m; DHKEM ikmE (RFC 9180 §7.1.3 DeriveKeyPair).
   */
  readonly randomness: number;
}

interface SuiteBase {
  /** 16-bit id used on the wire (the HPKE KEM id where one is registered). */
  readonly id: number;
  readonly name: SuiteName;
  /** The construction's full name, as its source spells it. */
  readonly construction: string;
  /** Where the construction is specified. */
  readonly source: string;
  readonly lengths: SuiteLengths;
}

/** ML-KEM + a traditional group + a combiner (spec/WIRE-FORMAT.md §1.1, §1.2). */
export interface HybridSuite extends SuiteBase {
  readonly family: 'hybrid';
  readonly mlkem: MlKemParams;
  readonly group: GroupParams;
  readonly combiner: CombinerName;
  /** Domain-separation label fed to the combiner, as hex. */
  readonly labelHex: string;
}

/** ML-KEM alone, FIPS 203 as draft-ietf-hpke-pq-04 uses it (spec/WIRE-FORMAT.md §1.4). */
export interface MlKemSuite extends SuiteBase {
  readonly family: 'pq';
  readonly mlkem: MlKemParams;
  readonly group?: undefined;
  readonly combiner?: undefined;
  readonly labelHex?: undefined;
}

/**
 * DHKEM(X25519, HKDF-SHA256), RFC 9180 §4.1 (spec/WIRE-FORMAT.md §1.4).
 * `group` is X25519 (the private key is the scalar); `kdf` is the KDF of
 * RFC 9180 §7.2 whose LabeledExtract / LabeledExpand the KEM uses.
 */
export interface DhkemSuite extends SuiteBase {
  readonly family: 'classical';
  readonly mlkem?: undefined;
  readonly group: GroupParams;
  readonly kdf: 'HKDF-SHA256';
  readonly combiner?: undefined;
  readonly labelHex?: undefined;
}

/** A suite of spec/WIRE-FORMAT.md §1; `family` says which of the three shapes it has. */
export type Suite = HybridSuite | MlKemSuite | DhkemSuite;

const MLKEM768_PARAMS: MlKemParams = Object.freeze({
  name: 'ML-KEM-768',
  lengths: Object.freeze({ publicKey: 1184, ciphertext: 1088, seed: 64, randomness: 32, sharedSecret: 32 }),
});
const MLKEM1024_PARAMS: MlKemParams = Object.freeze({
  name: 'ML-KEM-1024',
  lengths: Object.freeze({ publicKey: 1568, ciphertext: 1568, seed: 64, randomness: 32, sharedSecret: 32 }),
});

// Nseed / Nscalar / Nelem / Nss from draft-irtf-cfrg-concrete-hybrid-kems §3 (Curve25519).
const X25519: GroupParams = Object.freeze({
  name: 'X25519',
  scalarDerivation: 'seed-is-scalar',
  lengths: Object.freeze({ element: 32, scalar: 32, seed: 32, randomness: 32, sharedSecret: 32 }),
});
// NIST groups as the published vectors (../shared/vectors/concrete-hybrid-kems,
// commit 0114ace) define them: the seed is Nscalar bytes and RandomScalar reads
// Nscalar-byte windows of SHAKE256(seed). See spec/WIRE-FORMAT.md §1.1 for how
// this differs from the draft's text and from draft-ietf-hpke-pq-04.
const P256: GroupParams = Object.freeze({
  name: 'P-256',
  scalarDerivation: 'nested-shake',
  lengths: Object.freeze({ element: 65, scalar: 32, seed: 32, randomness: 32, sharedSecret: 32 }),
});
const P384: GroupParams = Object.freeze({
  name: 'P-384',
  scalarDerivation: 'nested-shake',
  lengths: Object.freeze({ element: 97, scalar: 48, seed: 48, randomness: 48, sharedSecret: 48 }),
});

// NIST groups as draft-ietf-hpke-pq-04 and Go 1.26 crypto/hpke define them:
// Nscalar-byte windows are read from the main SHAKE256(seed) stream after the
// 64 ML-KEM bytes, bounded here at 16 windows (Nseed = 16 * Nscalar). The
// encapsulation randomness after m is read directly as candidate scalars:
// 3 windows for P-256, 1 for P-384, the lengths of the draft's ikmE vectors.
const P256_HPKE: GroupParams = Object.freeze({
  name: 'P-256',
  scalarDerivation: 'main-stream',
  lengths: Object.freeze({ element: 65, scalar: 32, seed: 16 * 32, randomness: 3 * 32, sharedSecret: 32 }),
});
const P384_HPKE: GroupParams = Object.freeze({
  name: 'P-384',
  scalarDerivation: 'main-stream',
  lengths: Object.freeze({ element: 97, scalar: 48, seed: 16 * 48, randomness: 48, sharedSecret: 48 }),
});

function ascii(s: string): string {
  return Array.from(s, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

function defineSuite(def: Omit<HybridSuite, 'lengths' | 'family'>): HybridSuite {
  const lengths: SuiteLengths = Object.freeze({
    publicKey: def.mlkem.lengths.publicKey + def.group.lengths.element,
    privateKey: 32,
    ciphertext: def.mlkem.lengths.ciphertext + def.group.lengths.element,
    sharedSecret: 32,
    seed: 32,
    randomness: def.mlkem.lengths.randomness + def.group.lengths.randomness,
  });
  return Object.freeze({ ...def, family: 'hybrid', lengths });
}

/** ML-KEM alone: the private key is the 64-byte seed d ‖ z, the randomness is m (§1.4). */
function defineMlKemSuite(def: Omit<MlKemSuite, 'lengths' | 'family'>): MlKemSuite {
  const m = def.mlkem.lengths;
  const lengths: SuiteLengths = Object.freeze({
    publicKey: m.publicKey,
    privateKey: m.seed,
    ciphertext: m.ciphertext,
    sharedSecret: m.sharedSecret,
    seed: m.seed,
    randomness: m.randomness,
  });
  return Object.freeze({ ...def, family: 'pq', lengths });
}

const KS768 = 'KitchenSink-KEM(ML-KEM-768,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-256)';
const KS1024 = 'KitchenSink-KEM(ML-KEM-1024,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-512)';

/**
 * X25519 + ML-KEM-768 with the HKDF-SHA-256 "KitchenSink" combiner
 * (cfrg/draft-irtf-cfrg-hybrid-kems, spec/kitchensink_mlkem768_x25519.py).
 * The label is the construction name itself.
 */
export const X25519_MLKEM768: Suite = defineSuite({
  id: 0xff01,
  name: 'X25519-MLKEM768',
  construction: KS768,
  source: 'draft-irtf-cfrg-hybrid-kems (KitchenSink combiner), vectors at commit fc55078',
  mlkem: MLKEM768_PARAMS,
  group: X25519,
  combiner: 'kitchensink-hkdf-sha256',
  labelHex: ascii(KS768),
});

/** The same construction over ML-KEM-1024 with HKDF-SHA-512; defined by spec/vectors. */
export const X25519_MLKEM1024: Suite = defineSuite({
  id: 0xff02,
  name: 'X25519-MLKEM1024',
  construction: KS1024,
  source: 'draft-irtf-cfrg-hybrid-kems (KitchenSink combiner) over ML-KEM-1024 / HKDF-SHA-512; hybridkem spec/vectors',
  mlkem: MLKEM1024_PARAMS,
  group: X25519,
  combiner: 'kitchensink-hkdf-sha512',
  labelHex: ascii(KS1024),
});

/** X-Wing (draft-connolly-cfrg-xwing-kem-10), HPKE KEM id 0x647a. */
export const XWING: Suite = defineSuite({
  id: 0x647a,
  name: 'X-Wing',
  construction: 'X-Wing (MLKEM768-X25519)',
  source: 'draft-connolly-cfrg-xwing-kem-10; MLKEM768-X25519 in draft-irtf-cfrg-concrete-hybrid-kems',
  mlkem: MLKEM768_PARAMS,
  group: X25519,
  combiner: 'cg-sha3-256',
  labelHex: '5c2e2f2f5e5c', // "\.//^\"
});

/**
 * MLKEM768-P256 as draft-irtf-cfrg-concrete-hybrid-kems' published vectors
 * define it. Not HPKE's 0x0050, which derives keys and labels differently
 * (spec/WIRE-FORMAT.md §1.1), hence an id of our own.
 */
export const MLKEM768_P256: Suite = defineSuite({
  id: 0xff03,
  name: 'MLKEM768-P256',
  construction: 'MLKEM768-P256',
  source: 'draft-irtf-cfrg-concrete-hybrid-kems (CG framework), vectors at commit 0114ace',
  mlkem: MLKEM768_PARAMS,
  group: P256,
  combiner: 'cg-sha3-256',
  labelHex: '7c2d28292d7c', // "|-()-|"
});

/** MLKEM1024-P384 as the same vectors define it; not HPKE's 0x0051 (see MLKEM768_P256). */
export const MLKEM1024_P384: Suite = defineSuite({
  id: 0xff04,
  name: 'MLKEM1024-P384',
  construction: 'MLKEM1024-P384',
  source: 'draft-irtf-cfrg-concrete-hybrid-kems (CG framework), vectors at commit 0114ace',
  mlkem: MLKEM1024_PARAMS,
  group: P384,
  combiner: 'cg-sha3-256',
  labelHex: '207c202f2d5c', // " | /-\"
});

/**
 * MLKEM768-P256 of draft-ietf-hpke-pq-04, HPKE KEM id 0x0050, as Go 1.26
 * crypto/hpke implements it: the P-256 scalar comes from the main SHAKE256
 * stream and the combiner label is ASCII "MLKEM768-P256".
 */
export const HPKE_MLKEM768_P256: Suite = defineSuite({
  id: 0x0050,
  name: 'HPKE-MLKEM768-P256',
  construction: 'MLKEM768-P256 (HPKE KEM 0x0050)',
  source: 'draft-ietf-hpke-pq-04 (HPKE KEM 0x0050); Go 1.26 crypto/hpke MLKEM768P256',
  mlkem: MLKEM768_PARAMS,
  group: P256_HPKE,
  combiner: 'cg-sha3-256',
  labelHex: ascii('MLKEM768-P256'),
});

/** MLKEM1024-P384 of draft-ietf-hpke-pq-04, HPKE KEM id 0x0051 (see HPKE_MLKEM768_P256). */
export const HPKE_MLKEM1024_P384: Suite = defineSuite({
  id: 0x0051,
  name: 'HPKE-MLKEM1024-P384',
  construction: 'MLKEM1024-P384 (HPKE KEM 0x0051)',
  source: 'draft-ietf-hpke-pq-04 (HPKE KEM 0x0051); Go 1.26 crypto/hpke MLKEM1024P384',
  mlkem: MLKEM1024_PARAMS,
  group: P384_HPKE,
  combiner: 'cg-sha3-256',
  labelHex: ascii('MLKEM1024-P384'),
});

/**
 * ML-KEM-768 alone (FIPS 203), HPKE KEM id 0x0041 of draft-ietf-hpke-pq-04:
 * private key d ‖ z (64 bytes), encapsulation randomness m (32 bytes).
 */
export const ML_KEM_768: MlKemSuite = defineMlKemSuite({
  id: 0x0041,
  name: 'ML-KEM-768',
  construction: 'ML-KEM-768',
  source: 'FIPS 203; draft-ietf-hpke-pq-04 (HPKE KEM 0x0041)',
  mlkem: MLKEM768_PARAMS,
});

/** ML-KEM-1024 alone (FIPS 203), HPKE KEM id 0x0042 (see ML_KEM_768). */
export const ML_KEM_1024: MlKemSuite = defineMlKemSuite({
  id: 0x0042,
  name: 'ML-KEM-1024',
  construction: 'ML-KEM-1024',
  source: 'FIPS 203; draft-ietf-hpke-pq-04 (HPKE KEM 0x0042)',
  mlkem: MLKEM1024_PARAMS,
});

/**
 * DHKEM(X25519, HKDF-SHA256), RFC 9180 §4.1 / §7.1, HPKE KEM id 0x0020:
 * private key = the 32-byte X25519 private key, ciphertext = enc = pkE,
 * encapsulation randomness = ikmE for DeriveKeyPair (RFC 9180 §7.1.3).
 */
export const DHKEM_X25519_HKDF_SHA256: DhkemSuite = Object.freeze({
  id: 0x0020,
  name: 'DHKEM-X25519-HKDF-SHA256',
  construction: 'DHKEM(X25519, HKDF-SHA256)',
  source: 'RFC 9180 §4.1, §7.1 (HPKE KEM 0x0020)',
  family: 'classical',
  group: X25519,
  kdf: 'HKDF-SHA256',
  // Npk = Nenc = Nsk = 32, Nsecret = 32 (RFC 9180 §7.1); Nsk of ikmE for DeriveKeyPair.
  lengths: Object.freeze({ publicKey: 32, privateKey: 32, ciphertext: 32, sharedSecret: 32, seed: 32, randomness: 32 }),
});

/** Every suite, in the order of spec/WIRE-FORMAT.md §1. */
export const SUITES: readonly Suite[] = Object.freeze([
  X25519_MLKEM768,
  X25519_MLKEM1024,
  XWING,
  MLKEM768_P256,
  MLKEM1024_P384,
  HPKE_MLKEM768_P256,
  HPKE_MLKEM1024_P384,
  ML_KEM_768,
  ML_KEM_1024,
  DHKEM_X25519_HKDF_SHA256,
]);

export type SuiteRef = Suite | SuiteName | number;

/**
 * Looks a suite up by object, name (case-insensitive) or numeric id.
 * @throws {UnknownSuiteError}
 */
export function getSuite(ref: SuiteRef | string): Suite {
  if (typeof ref === 'object' && ref !== null) {
    const known = SUITES.find((s) => s === ref || s.id === ref.id);
    if (!known) throw new UnknownSuiteError(ref.id);
    return known;
  }
  if (typeof ref === 'number') {
    const s = SUITES.find((x) => x.id === ref);
    if (!s) throw new UnknownSuiteError(ref);
    return s;
  }
  if (typeof ref === 'string') {
    const lower = ref.toLowerCase();
    const s = SUITES.find((x) => x.name.toLowerCase() === lower);
    if (!s) throw new UnknownSuiteError(ref);
    return s;
  }
  throw new UnknownSuiteError(String(ref));
}
