/**
 * @hybridkem/core: the hybrid KEM suites, the wire format, typed errors and
 * the Backend contract. Pick a backend with {@link getBackend} (or import one
 * directly) and make a KEM with {@link createKem}.
 * @module
 */
export type { Backend, BackendName, Encapsulation, ExpandedPrivateKey } from './backend.js';
export { isPrivateKeyHandle, type PrivateKeyHandle } from './key-handle.js';
export { createKem, type Kem, type KeyPair } from './kem.js';
export {
  BACKEND_ENV,
  BACKEND_ORDER,
  BACKEND_PACKAGES,
  getBackend,
  loadBackend,
  probeBackends,
  registerBackend,
  registerBackendLoader,
  type BackendModule,
  type BackendModuleLoader,
  type BackendLoadFailure,
  type BackendProbe,
  type GetBackendOptions,
} from './registry.js';
export {
  DHKEM_X25519_HKDF_SHA256,
  getSuite,
  HPKE_MLKEM1024_P384,
  HPKE_MLKEM768_P256,
  MLKEM1024_P384,
  MLKEM768_P256,
  ML_KEM_1024,
  ML_KEM_768,
  SUITES,
  X25519_MLKEM1024,
  X25519_MLKEM768,
  XWING,
  type CombinerName,
  type DhkemSuite,
  type GroupParams,
  type HybridSuite,
  type MlKemSuite,
  type MlKemParams,
  type ScalarDerivation,
  type Suite,
  type SuiteFamily,
  type SuiteLengths,
  type SuiteName,
  type SuiteRef,
} from './suites.js';
export * from './errors.js';
export { Kind, KIND_NAMES, KEM_KINDS, WIRE_VERSION, HEADER_LENGTH, type KindName, type KemKindName } from './wire/format.js';
export { decodeEnvelope, encodeEnvelope, type Envelope, type SuiteTable } from './wire/envelope.js';
export { encodeCiphertext, encodePrivateKey, encodePublicKey } from './wire/encode.js';
export {
  decodeCiphertext,
  decodeObject,
  decodePrivateKey,
  decodePublicKey,
  type DecodedKey,
  type DecodedObject,
} from './wire/decode.js';
export { ARMOR_LABELS, armor, dearmor, isArmored } from './wire/armor.js';
export { keyId, KEY_ID_LENGTH } from './wire/key-id.js';
export { composeBackend, type ComposedBackendInfo } from './compose/compose-backend.js';
export { composeSuites, type SuiteSelection } from './compose/compose-backend.js';
export { cgSha3_256, COMBINERS, kitchenSinkHkdfSha256, kitchenSinkHkdfSha512, type Combiner, type CombinerInput } from './compose/combiners.js';
export type { GroupPrimitive, MlKemPrimitive, Primitives } from './compose/primitives.js';
export { dhkem, type Dhkem, type DhkemFactory } from './compose/dhkem.js';
export { bytesToHex, hexToBytes } from './bytes.js';
export type { SpecVector, SpecVectorFile } from './spec-vectors.js';
