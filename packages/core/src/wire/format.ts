/**
 * Wire format v1 header: version ‖ kind ‖ suite id (spec/WIRE-FORMAT.md §2).
 * @module
 */
import type { Suite } from '../suites.js';

export const WIRE_VERSION = 1;
export const HEADER_LENGTH = 4;

/**
 * The kinds of object; the byte values are fixed by spec/WIRE-FORMAT.md §2.
 * 0x04 (sealed message), 0x08 (passphrase-encrypted private key) and 0x09
 * (multi-recipient sealed message) belong to @hybridkem/seal (spec §7, §8, §10); 0x05-0x07 to the composite signature suites
 * (@hybridkem/signing, spec §6); 0x0a (mesh key envelope), 0x0b (mesh
 * directory record) and 0x0c (mesh PSK exchange message) to @hybridkem/mesh
 * (spec/MESH.md). Every defined kind is
 * listed here so that a decoder of one family answers ERR_WRONG_KIND, not
 * ERR_UNKNOWN_KIND, for an object of another (spec §2 step 3).
 */
export const Kind = /* @__PURE__ */ Object.freeze({
  publicKey: 0x01,
  privateKey: 0x02,
  ciphertext: 0x03,
  sealedMessage: 0x04,
  signingPublicKey: 0x05,
  signingPrivateKey: 0x06,
  signature: 0x07,
  encryptedPrivateKey: 0x08,
  multiRecipientSealedMessage: 0x09,
  meshKeyEnvelope: 0x0a,
  meshDirectoryRecord: 0x0b,
  meshPskExchange: 0x0c,
} as const);
export type KindName = keyof typeof Kind;
export type KemKindName = 'publicKey' | 'privateKey' | 'ciphertext';

export const KIND_NAMES: Readonly<Record<number, KindName>> = /* @__PURE__ */ Object.freeze({
  0x01: 'publicKey',
  0x02: 'privateKey',
  0x03: 'ciphertext',
  0x04: 'sealedMessage',
  0x05: 'signingPublicKey',
  0x06: 'signingPrivateKey',
  0x07: 'signature',
  0x08: 'encryptedPrivateKey',
  0x09: 'multiRecipientSealedMessage',
  0x0a: 'meshKeyEnvelope',
  0x0b: 'meshDirectoryRecord',
  0x0c: 'meshPskExchange',
});

export const KEM_KINDS: readonly KemKindName[] = /* @__PURE__ */ Object.freeze(['publicKey', 'privateKey', 'ciphertext']);

/** The body length a KEM suite declares for a kind. */
export function bodyLength(suite: Suite, kind: KemKindName): number {
  return suite.lengths[kind];
}
