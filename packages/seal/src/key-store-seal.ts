/**
 * Sealing by recipient name: an application calls
 * `sealFor(store, 'billing-service', payload, { aad, backend })` and never
 * handles key bytes; `openFrom(store, sealed, …)` finds the private key by the
 * key id in the message header (spec/WIRE-FORMAT.md §7).
 * @module
 */
import { InvalidArgumentError, decodePrivateKey, type Backend } from '@hybridkem/core';
import { parseHeader } from './format.js';
import { KeyStoreError } from './keys/errors.js';
import { resolveRecipient, type KeyStore } from './keys/store.js';
import { open, seal } from './message.js';
import type { SealOptions } from './raw.js';
import { createHpkeSuite, type HpkeAeadName, type HpkeKdfName, type HpkeKemName, type HpkeSuite } from './suite.js';

export interface KeyStoreSealOptions extends SealOptions {
  /** The backend that does the KEM's arithmetic. */
  backend: Backend;
  /** Default ChaCha20-Poly1305. */
  aead?: HpkeAeadName;
  /** Default HKDF-SHA256. */
  kdf?: HpkeKdfName;
}

// Every name the package may offer; createHpkeSuite refuses the ones it does not.
const AEADS = ['ChaCha20-Poly1305', 'AES-256-GCM', 'AES-128-GCM'] as unknown as readonly HpkeAeadName[];
const KDFS = ['HKDF-SHA256', 'HKDF-SHA384', 'HKDF-SHA512'] as unknown as readonly HpkeKdfName[];

/**
 * Seals `plaintext` to the key the store holds under `recipient` (a key id or
 * a name). The KEM is the recipient key's suite.
 * @throws {KeyStoreError} `not-found` when the store has no such key
 */
export async function sealFor(store: KeyStore, recipient: string, plaintext: Uint8Array, options: KeyStoreSealOptions): Promise<Uint8Array> {
  const r = await resolveRecipient(store, recipient);
  const suite = createHpkeSuite({
    kem: r.suite.name as HpkeKemName,
    kdf: options.kdf ?? 'HKDF-SHA256',
    aead: options.aead ?? 'ChaCha20-Poly1305',
    backend: options.backend,
  });
  return seal(suite, r.publicKey, plaintext, options);
}

/**
 * Opens a sealed message with the private key the store holds for the key id
 * in its header; the KDF and AEAD are the header's (they are bound into the
 * key schedule, so a changed id fails to authenticate).
 *
 * The header is not authenticated until the first chunk opens, so anyone can
 * send a message naming a store key: nothing here may cost a KDF run. A
 * passphrase-encrypted key must have been unlocked beforehand
 * (`FileKeyStore.unlock`); a locked one fails at once.
 * @throws {KeyStoreError} `not-found` when the store has no private key for that id
 * @throws {KeyLockedError} (`ERR_KEY_LOCKED`) when that key is encrypted and not unlocked
 */
export async function openFrom(store: KeyStore, sealed: Uint8Array, options: SealOptions & { backend: Backend }): Promise<Uint8Array> {
  const header = parseHeader(sealed, true)!;
  const key = await store.get(header.keyId);
  if (!key?.privateKey) {
    throw new KeyStoreError('not-found', 'keyId', `the store holds no private key ${header.keyId}`);
  }
  const suite = suiteFor(key.suite.name as HpkeKemName, header.kdfId, header.aeadId, options.backend);
  const encoded = await key.privateKey();
  const { privateKey } = decodePrivateKey(encoded);
  encoded.fill(0);
  try {
    return await open(suite, privateKey, sealed, options);
  } finally {
    privateKey.fill(0);
  }
}

function suiteFor(kem: HpkeKemName, kdfId: number, aeadId: number, backend: Backend): HpkeSuite {
  for (const kdf of KDFS) {
    for (const aead of AEADS) {
      let suite: HpkeSuite;
      try {
        suite = createHpkeSuite({ kem, kdf, aead, backend });
      } catch {
        continue;
      }
      if (suite.ids.kdf === kdfId && suite.ids.aead === aeadId) return suite;
    }
  }
  // parseHeader already refused ids this package does not implement.
  throw new InvalidArgumentError('suite', `no HPKE suite here for kdf 0x${kdfId.toString(16)} and aead 0x${aeadId.toString(16)}`);
}
