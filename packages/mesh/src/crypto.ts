/**
 * The primitives the mesh runs on, chosen by the caller: an HPKE suite of
 * @hybridkem/seal (its backend does the KEM arithmetic) and a composite
 * signer of @hybridkem/signing (its backend does ML-DSA and EdDSA). The mesh
 * never picks a backend itself.
 * @module
 */
import type { HpkeSuite } from '@hybridkem/seal';
import type { CompositeSigner } from '@hybridkem/signing';

export interface MeshCrypto {
  readonly hpke: HpkeSuite;
  readonly signer: CompositeSigner;
}
