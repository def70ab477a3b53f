/**
 * Composite ML-DSA suites of draft-ietf-lamps-pq-composite-sigs-19: frozen
 * parameter sets with wire ids, OIDs, labels and declared sizes.
 * @module
 */
import { UnknownSuiteError } from '@hybridkem/core';

/** ML-DSA parameter sets (FIPS 204, Table 2); private keys are 32-byte seeds. */
export interface MlDsaParams {
  readonly name: 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';
  readonly lengths: { readonly publicKey: number; readonly seed: 32; readonly signature: number };
}

/** EdDSA parameter sets (RFC 8032). */
export interface EdDsaParams {
  readonly name: 'Ed25519' | 'Ed448';
  readonly lengths: { readonly publicKey: number; readonly privateKey: number; readonly signature: number };
}

export type SignatureSuiteName = 'MLDSA44-Ed25519-SHA512' | 'MLDSA65-Ed25519-SHA512' | 'MLDSA87-Ed448-SHAKE256';

export interface SignatureSuite {
  /** 16-bit id on the wire (spec/WIRE-FORMAT.md §6). */
  readonly id: number;
  readonly name: SignatureSuiteName;
  /** The draft's algorithm OID (SubjectPublicKeyInfo / PKCS#8). */
  readonly oid: string;
  /** Label: domain separator in M' and ML-DSA's context string (draft-19, "Algorithm Identifiers and Parameters"). */
  readonly label: string;
  /** PH: SHA-512, or SHAKE256 with 64 bytes of output (draft-19, "Algorithm Identifiers and Parameters"). */
  readonly prehash: 'SHA-512' | 'SHAKE256-64';
  readonly mldsa: MlDsaParams;
  readonly eddsa: EdDsaParams;
  readonly lengths: {
    /** mldsaPK ‖ tradPK */
    readonly publicKey: number;
    /** 32-byte ML-DSA seed ‖ EdDSA private key */
    readonly privateKey: number;
    /** mldsaSig ‖ tradSig */
    readonly signature: number;
    /** keygen seed: the ML-DSA seed ‖ the EdDSA private key */
    readonly seed: number;
  };
}

const ML_DSA_44: MlDsaParams = Object.freeze({ name: 'ML-DSA-44', lengths: Object.freeze({ publicKey: 1312, seed: 32, signature: 2420 }) });
const ML_DSA_65: MlDsaParams = Object.freeze({ name: 'ML-DSA-65', lengths: Object.freeze({ publicKey: 1952, seed: 32, signature: 3309 }) });
const ML_DSA_87: MlDsaParams = Object.freeze({ name: 'ML-DSA-87', lengths: Object.freeze({ publicKey: 2592, seed: 32, signature: 4627 }) });
const ED25519: EdDsaParams = Object.freeze({ name: 'Ed25519', lengths: Object.freeze({ publicKey: 32, privateKey: 32, signature: 64 }) });
const ED448: EdDsaParams = Object.freeze({ name: 'Ed448', lengths: Object.freeze({ publicKey: 57, privateKey: 57, signature: 114 }) });

function define(def: Omit<SignatureSuite, 'lengths'>): SignatureSuite {
  const privateKey = def.mldsa.lengths.seed + def.eddsa.lengths.privateKey;
  return Object.freeze({
    ...def,
    lengths: Object.freeze({
      publicKey: def.mldsa.lengths.publicKey + def.eddsa.lengths.publicKey,
      privateKey,
      signature: def.mldsa.lengths.signature + def.eddsa.lengths.signature,
      seed: privateKey,
    }),
  });
}

/** id-MLDSA44-Ed25519-SHA512 (draft-19 algorithm table, OID 1.3.6.1.5.5.7.6.39). */
export const MLDSA44_ED25519_SHA512: SignatureSuite = define({
  id: 0xfe01,
  name: 'MLDSA44-Ed25519-SHA512',
  oid: '1.3.6.1.5.5.7.6.39',
  label: 'COMPSIG-MLDSA44-Ed25519-SHA512',
  prehash: 'SHA-512',
  mldsa: ML_DSA_44,
  eddsa: ED25519,
});

/** id-MLDSA65-Ed25519-SHA512 (draft-19 algorithm table, OID 1.3.6.1.5.5.7.6.48). */
export const MLDSA65_ED25519_SHA512: SignatureSuite = define({
  id: 0xfe02,
  name: 'MLDSA65-Ed25519-SHA512',
  oid: '1.3.6.1.5.5.7.6.48',
  label: 'COMPSIG-MLDSA65-Ed25519-SHA512',
  prehash: 'SHA-512',
  mldsa: ML_DSA_65,
  eddsa: ED25519,
});

/** id-MLDSA87-Ed448-SHAKE256 (draft-19 algorithm table, OID 1.3.6.1.5.5.7.6.51). */
export const MLDSA87_ED448_SHAKE256: SignatureSuite = define({
  id: 0xfe03,
  name: 'MLDSA87-Ed448-SHAKE256',
  oid: '1.3.6.1.5.5.7.6.51',
  label: 'COMPSIG-MLDSA87-Ed448-SHAKE256',
  prehash: 'SHAKE256-64',
  mldsa: ML_DSA_87,
  eddsa: ED448,
});

export const SIGNATURE_SUITES: readonly SignatureSuite[] = Object.freeze([
  MLDSA44_ED25519_SHA512,
  MLDSA65_ED25519_SHA512,
  MLDSA87_ED448_SHAKE256,
]);

export type SignatureSuiteRef = SignatureSuite | SignatureSuiteName | number;

/**
 * Looks a composite suite up by object, name (case-insensitive) or wire id.
 * @throws {UnknownSuiteError}
 */
export function getSignatureSuite(ref: SignatureSuiteRef | string): SignatureSuite {
  const found =
    typeof ref === 'object' && ref !== null
      ? SIGNATURE_SUITES.find((s) => s.id === ref.id)
      : typeof ref === 'number'
        ? SIGNATURE_SUITES.find((s) => s.id === ref)
        : typeof ref === 'string'
          ? SIGNATURE_SUITES.find((s) => s.name.toLowerCase() === ref.toLowerCase())
          : undefined;
  if (!found) throw new UnknownSuiteError(typeof ref === 'object' && ref !== null ? ref.id : (ref as string | number));
  return found;
}
