/**
 * The Noise machinery of the channel (spec/TRANSPORT.md §6.1): PQNoise KEM
 * handshakes over core suites, Noise CipherState/SymmetricState, and the
 * portable crypto provider. Runtime-neutral: no `node:` import here
 * (nodeCrypto is exported by the Node entry only).
 * @module
 */
export {
  CIPHER_IDS,
  CIPHER_NAMES,
  HASH_IDS,
  HASH_NAMES,
  PATTERN_IDS,
  PATTERN_NAMES,
  kemPattern,
  noiseKemName,
  patternNeeds,
  protocolName,
  type CipherName,
  type HashName,
  type KemPattern,
  type KemToken,
  type PatternName,
} from './names.js';
export { KEY_LENGTH, TAG_LENGTH, hashLength, type ChannelCrypto, type Plaintext, type SealOptions } from './crypto.js';
export { portableCrypto } from './crypto-portable.js';
export { platformCrypto } from './platform-crypto.js';
export { CipherState, MAX_NONCE, aeadNonce } from './cipher-state.js';
export { SymmetricState, noiseHkdf } from './symmetric-state.js';
export { HandshakeState, MAX_NOISE_MESSAGE, type HandshakeOptions, type StaticKeyPair } from './handshake-state.js';
