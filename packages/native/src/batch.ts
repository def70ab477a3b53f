/**
 * Asynchronous batches on the libuv thread pool, for servers that must keep
 * their event loop free: the addon copies the inputs on the calling thread,
 * runs every operation on a pool thread and resolves with fresh arrays.
 * Inputs are checked here first, so a bad one rejects with the same typed
 * errors as the synchronous API, its field named with its index
 * (`publicKeys[3]: expected 1216 bytes, got 12`).
 * @module
 */
import { getSuite, InvalidArgumentError, type Encapsulation, type SuiteRef } from '@hybridkem/core';
import { addon, type AddonBatchError } from './addon.js';
import { bytesArg, nativeSuite } from './backend.js';
import { statusError } from './errors.js';

export interface EncapsulateBatchOptions {
  /**
   * One derandomisation input per public key (suite.lengths.randomness
   * bytes), for test vectors only. Without it, each encapsulation draws
   * fresh randomness from the operating system's CSPRNG in the native core.
   */
  readonly randomness?: readonly Uint8Array[];
}

/**
 * A fresh plain array of the checked elements, each read once. The caller's
 * array may be a subclass (its Symbol.species would shape the result of
 * map()) or carry getters; the addon only ever sees this copy. Holes are
 * refused by index, like any other non-Uint8Array element.
 */
function bytesArrayArg(field: string, value: unknown, length: number): Uint8Array[] {
  if (!Array.isArray(value)) throw new InvalidArgumentError(field, 'expected an array of Uint8Array');
  const items: readonly unknown[] = value;
  return Array.from({ length: items.length }, (_, i) => {
    if (!Object.hasOwn(items, i)) throw new InvalidArgumentError(`${field}[${i}]`, 'expected a Uint8Array, got an empty slot');
    return bytesArg(`${field}[${i}]`, items[i], length);
  });
}

function isAddonBatchError(error: unknown): error is AddonBatchError {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

/**
 * Encapsulates to every public key, off the JavaScript thread.
 * Rejects with the typed error of the first item that fails (no partial result).
 */
export async function encapsulateBatch(
  suiteRef: SuiteRef,
  publicKeys: readonly Uint8Array[],
  options: EncapsulateBatchOptions = {},
): Promise<Encapsulation[]> {
  const suite = nativeSuite(getSuite(suiteRef));
  const L = suite.lengths;
  const keys = bytesArrayArg('publicKeys', publicKeys, L.publicKey);
  let randomness: Uint8Array[] | undefined;
  if (options.randomness !== undefined) {
    randomness = bytesArrayArg('randomness', options.randomness, L.randomness);
    if (randomness.length !== keys.length) {
      throw new InvalidArgumentError('randomness', `expected one entry per public key (${keys.length}), got ${randomness.length}`);
    }
  }
  try {
    return await addon.encapsulateBatch(suite.id, keys, randomness);
  } catch (error) {
    if (!isAddonBatchError(error)) throw error;
    const i = error.index;
    throw statusError(error.status, suite, {
      operation: 'encapsulate',
      fields: { publicKey: `publicKeys[${i}]`, randomness: `randomness[${i}]` },
      ...(keys[i] ? { publicKey: keys[i] } : {}),
      ...(randomness?.[i] ? { randomness: randomness[i] } : {}),
    });
  }
}

/**
 * Decapsulates every ciphertext with one private key, off the JavaScript
 * thread. A tampered ML-KEM ciphertext yields the implicit-rejection secret,
 * not an error (FIPS 203 §7.3). Rejects with the typed error of the first
 * item that fails (no partial result).
 */
export async function decapsulateBatch(
  suiteRef: SuiteRef,
  privateKey: Uint8Array,
  ciphertexts: readonly Uint8Array[],
): Promise<Uint8Array[]> {
  const suite = nativeSuite(getSuite(suiteRef));
  const L = suite.lengths;
  const cts = bytesArrayArg('ciphertexts', ciphertexts, L.ciphertext);
  // Checked after the array, whose getters run above and could have detached it.
  bytesArg('privateKey', privateKey, L.privateKey);
  try {
    return await addon.decapsulateBatch(suite.id, privateKey, cts);
  } catch (error) {
    if (!isAddonBatchError(error)) throw error;
    const i = error.index;
    throw statusError(error.status, suite, {
      operation: 'decapsulate',
      fields: { ciphertext: `ciphertexts[${i}]` },
      privateKey,
      ...(cts[i] ? { ciphertext: cts[i] } : {}),
    });
  }
}
