/**
 * Set-up shared by the Noise handshake tests (noise-handshake, noise-providers):
 * X-Wing over the noble backend, both crypto providers, every protocol
 * (pattern × cipher × hash), and the static keys a pattern gives each side
 * before the handshake.
 */
import { createKem, getSuite, type KeyPair } from '@hybridkem/core';
import { nodeCrypto } from '../../src/channel/noise/crypto-node.js';
import {
  CIPHER_NAMES,
  HASH_NAMES,
  PATTERN_NAMES,
  patternNeeds,
  portableCrypto,
  type ChannelCrypto,
  type CipherName,
  type HashName,
  type PatternName,
} from '../../src/channel/noise/index.js';
import { backend } from './channel-pair.js';

export { backend };
export const suite = getSuite('X-Wing');
export const kem = createKem(suite, backend);
export const EMPTY = new Uint8Array(0);
export const providers: readonly ChannelCrypto[] = [nodeCrypto, portableCrypto];

export interface Protocol {
  pattern: PatternName;
  cipher: CipherName;
  hash: HashName;
}
/** Every pattern × cipher × hash, patterns outermost (the order the tests are listed in). */
export const PROTOCOLS: readonly Protocol[] = PATTERN_NAMES.flatMap((pattern) =>
  CIPHER_NAMES.flatMap((cipher) => HASH_NAMES.map((hash) => ({ pattern, cipher, hash }))),
);

/** The static keys `pattern` has one side hold before the handshake: its own pair, and the server's public key when known in advance. */
export function preMessageKeys(
  pattern: PatternName,
  initiator: boolean,
  own: KeyPair,
  serverPublicKey: Uint8Array,
): { localStatic?: KeyPair; remoteStatic?: Uint8Array } {
  const needs = patternNeeds(pattern, initiator);
  return {
    ...(needs.localStatic && { localStatic: own }),
    ...(needs.remoteStaticKnown && { remoteStatic: serverPublicKey }),
  };
}
