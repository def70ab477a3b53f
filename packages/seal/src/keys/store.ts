/**
 * Key stores: public keys (and optionally their private keys) by key id
 * (spec/WIRE-FORMAT.md §4) with optional human names, e.g.
 * `await store.get('billing-service')`. {@link MemoryKeyStore} keeps them in
 * memory; `FileKeyStore` (file-store.ts) in a directory.
 *
 * A {@link StoredKey} never carries private bytes as a property: they are
 * behind the `privateKey()` method, which returns a fresh copy each call, so
 * `JSON.stringify`, `toString`, `util.inspect` and loggers do not see them.
 * @module
 */
import {
  armor,
  createKem,
  decodePrivateKey,
  decodePublicKey,
  keyId as computeKeyId,
  type Backend,
  type Suite,
} from '@hybridkem/core';
import { expectBytes } from '../bytes.js';
import { KeyStoreError } from './errors.js';

/** A key as a store hands it out. */
export interface StoredKey {
  /** 32 lower-case hex digits (spec §4). */
  readonly keyId: string;
  /** The name it was looked up by, or else its first name in sorted order. */
  readonly name?: string;
  /** Every name of this key, sorted. */
  readonly names: readonly string[];
  readonly suite: Suite;
  /** The encoded v1 public key (a copy of the store's). */
  readonly publicKey: Uint8Array;
  /** Whether the store holds the private key. */
  readonly hasPrivateKey: boolean;
  /**
   * Present only when the store holds the private key: resolves to a fresh
   * copy of the encoded v1 private key. Secret: wipe it (`.fill(0)`) when
   * done. A passphrase-encrypted key must be unlocked first
   * (`FileKeyStore.unlock`): this never runs a KDF, and rejects at once with
   * `KeyLockedError` (`ERR_KEY_LOCKED`) for a locked key.
   */
  readonly privateKey?: () => Promise<Uint8Array>;
}

/** What {@link KeyStore.list} returns: a key without any access to its private bytes. */
export type KeyInfo = Omit<StoredKey, 'privateKey'>;

export interface PutKeyInput {
  /** Encoded v1 public key. */
  readonly publicKey: Uint8Array;
  /** Encoded v1 private key of the same suite. */
  readonly privateKey?: Uint8Array;
  /** A name to give the key: [a-z0-9._-]{1,64}, not 32 hex digits (those are key ids). */
  readonly name?: string;
}

export interface KeyStore {
  /** A key by id (32 hex digits) or name; `undefined` when there is none. */
  get(idOrName: string): Promise<StoredKey | undefined>;
  /**
   * Adds a key, or adds a name or the private key to a key already there.
   * @throws {KeyStoreError} `name-taken` when the name is another key's; `key-mismatch` when the private key is not the public key's
   */
  put(input: PutKeyInput): Promise<StoredKey>;
  /** Every key, by key id; never private bytes. */
  list(): Promise<KeyInfo[]>;
  /** Removes a key (by id or any of its names) with all its names; false when there was none. */
  delete(idOrName: string): Promise<boolean>;
}

const NAME = /^[a-z0-9._-]{1,64}$/;
const KEY_ID = /^[0-9a-f]{32}$/;

/** True for a key id: 32 lower-case hex digits. */
export function isKeyId(s: string): boolean {
  return typeof s === 'string' && KEY_ID.test(s);
}

/**
 * Checks a key name: [a-z0-9._-]{1,64}, and not 32 hex digits (a key id) nor
 * `.` or `..`.
 * @throws {KeyStoreError} `invalid-name`
 */
export function checkKeyName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new KeyStoreError(
      'invalid-name',
      'name',
      `expected [a-z0-9._-]{1,64}, got ${typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : typeof name}`,
    );
  }
  if (KEY_ID.test(name)) throw new KeyStoreError('invalid-name', 'name', 'a name must not look like a key id (32 hex digits)');
  if (name === '.' || name === '..') throw new KeyStoreError('invalid-name', 'name', `"${name}" is reserved`);
  return name;
}

/** Checks a get/delete argument: a key id or a valid name. */
export function checkIdOrName(idOrName: unknown): string {
  if (typeof idOrName === 'string' && KEY_ID.test(idOrName)) return idOrName;
  return checkKeyName(idOrName);
}

/**
 * Validates a put's keys with core's strict decoders: the public key, the
 * private key of the same suite, and — with a backend — that the private key
 * is the public key's.
 */
export function validatePut(input: PutKeyInput, backend?: Backend): { keyId: string; suite: Suite } {
  if (input === null || typeof input !== 'object') throw new KeyStoreError('key-mismatch', 'input', 'expected { publicKey, privateKey?, name? }');
  expectBytes('publicKey', input.publicKey);
  const { suite, publicKey } = decodePublicKey(input.publicKey);
  if (input.name !== undefined) checkKeyName(input.name);
  if (input.privateKey !== undefined) {
    expectBytes('privateKey', input.privateKey);
    const priv = decodePrivateKey(input.privateKey);
    try {
      if (priv.suite.id !== suite.id) {
        throw new KeyStoreError('key-mismatch', 'privateKey', `private key is ${priv.suite.name}, public key is ${suite.name}`);
      }
      if (backend !== undefined) {
        const derived = createKem(suite, backend).getPublicKey(priv.privateKey);
        if (!equalBytes(derived, publicKey)) {
          throw new KeyStoreError('key-mismatch', 'privateKey', 'the private key does not belong to the public key');
        }
      }
    } finally {
      priv.privateKey.fill(0);
    }
  }
  return { keyId: computeKeyId(input.publicKey), suite };
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/**
 * Builds the frozen {@link StoredKey} a store hands out. `loadPrivate`, when
 * given, is kept in a closure only; the object has no enumerable or
 * serializable path to private bytes.
 */
export function makeStoredKey(args: {
  keyId: string;
  suite: Suite;
  encodedPublicKey: Uint8Array;
  names: readonly string[];
  lookedUpBy?: string;
  loadPrivate?: () => Promise<Uint8Array>;
  /** For {@link KeyInfo}: says a private key exists without giving access to it. */
  hasPrivateKey?: boolean;
}): StoredKey {
  const names = Object.freeze([...args.names].sort());
  const name = args.lookedUpBy !== undefined && names.includes(args.lookedUpBy) ? args.lookedUpBy : names[0];
  const publicKey = args.encodedPublicKey.slice();
  const load = args.loadPrivate;
  const hasPrivateKey = args.hasPrivateKey ?? load !== undefined;
  const key: StoredKey = {
    keyId: args.keyId,
    ...(name !== undefined ? { name } : {}),
    names,
    suite: args.suite,
    publicKey,
    hasPrivateKey,
    ...(load !== undefined ? { privateKey: () => load() } : {}),
  };
  const describe = () => `StoredKey(${args.keyId}${name !== undefined ? ` "${name}"` : ''}, ${args.suite.name}${hasPrivateKey ? ', with private key' : ''})`;
  Object.defineProperties(key, {
    toJSON: {
      value: () => ({
        keyId: args.keyId,
        ...(name !== undefined ? { name } : {}),
        names,
        suite: args.suite.name,
        publicKey: armor(publicKey),
        hasPrivateKey,
      }),
    },
    toString: { value: describe },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: describe },
  });
  return Object.freeze(key);
}

/** The public part of a stored key, for {@link KeyStore.list}. */
export function toKeyInfo(k: StoredKey): KeyInfo {
  return makeStoredKey({
    keyId: k.keyId,
    suite: k.suite,
    encodedPublicKey: k.publicKey,
    names: k.names,
    hasPrivateKey: k.hasPrivateKey,
    ...(k.name !== undefined ? { lookedUpBy: k.name } : {}),
  }) as KeyInfo;
}

export interface ResolvedRecipient {
  readonly keyId: string;
  readonly suite: Suite;
  /** The raw public key (the suite's bytes, no header). */
  readonly publicKey: Uint8Array;
  /** The encoded v1 public key. */
  readonly encodedPublicKey: Uint8Array;
}

/**
 * The public key to seal to, by key id or name. Re-checks the key with
 * core's strict decoder and its id against the store's.
 * @throws {KeyStoreError} `not-found` when the store has no such key; `corrupt-file` when the id does not match
 */
export async function resolveRecipient(store: KeyStore, idOrName: string): Promise<ResolvedRecipient> {
  checkIdOrName(idOrName);
  const k = await store.get(idOrName);
  if (k === undefined) throw new KeyStoreError('not-found', 'idOrName', `no key ${JSON.stringify(idOrName)} in the store`);
  const { suite, publicKey } = decodePublicKey(k.publicKey);
  const id = computeKeyId(k.publicKey);
  if (id !== k.keyId) throw new KeyStoreError('corrupt-file', 'keyId', `store says ${k.keyId} but the public key's id is ${id}`);
  return Object.freeze({ keyId: id, suite, publicKey, encodedPublicKey: k.publicKey.slice() });
}

interface MemoryEntry {
  readonly suite: Suite;
  readonly publicKey: Uint8Array;
  privateKey?: Uint8Array;
}

/**
 * A key store in memory (tests, short-lived apps). Private keys are held as
 * copies; {@link MemoryKeyStore.clear} wipes them.
 */
export class MemoryKeyStore implements KeyStore {
  readonly #keys = new Map<string, MemoryEntry>();
  readonly #names = new Map<string, string>();
  readonly #backend: Backend | undefined;

  /** @param options.backend - when given, `put` checks that a private key belongs to its public key */
  constructor(options: { backend?: Backend } = {}) {
    this.#backend = options.backend;
  }

  #resolve(idOrName: string): string | undefined {
    checkIdOrName(idOrName);
    return isKeyId(idOrName) ? (this.#keys.has(idOrName) ? idOrName : undefined) : this.#names.get(idOrName);
  }

  #namesOf(id: string): string[] {
    return [...this.#names].filter(([, v]) => v === id).map(([n]) => n);
  }

  #stored(id: string, lookedUpBy?: string): StoredKey {
    const e = this.#keys.get(id)!;
    const priv = e.privateKey;
    return makeStoredKey({
      keyId: id,
      suite: e.suite,
      encodedPublicKey: e.publicKey,
      names: this.#namesOf(id),
      ...(lookedUpBy !== undefined ? { lookedUpBy } : {}),
      ...(priv !== undefined
        ? {
            loadPrivate: async () => {
              const current = this.#keys.get(id)?.privateKey;
              if (current === undefined) throw new KeyStoreError('not-found', 'privateKey', `key ${id} was deleted`);
              return current.slice();
            },
          }
        : {}),
    });
  }

  async get(idOrName: string): Promise<StoredKey | undefined> {
    const id = this.#resolve(idOrName);
    return id === undefined ? undefined : this.#stored(id, isKeyId(idOrName) ? undefined : idOrName);
  }

  async put(input: PutKeyInput): Promise<StoredKey> {
    const { keyId: id, suite } = validatePut(input, this.#backend);
    if (input.name !== undefined) {
      const owner = this.#names.get(input.name);
      if (owner !== undefined && owner !== id) throw new KeyStoreError('name-taken', 'name', `"${input.name}" already names key ${owner}`);
    }
    const existing = this.#keys.get(id);
    if (existing?.privateKey !== undefined && input.privateKey !== undefined && !equalBytes(existing.privateKey, input.privateKey)) {
      throw new KeyStoreError('key-mismatch', 'privateKey', `key ${id} already has a different private key`);
    }
    if (existing === undefined) {
      this.#keys.set(id, { suite, publicKey: input.publicKey.slice(), ...(input.privateKey ? { privateKey: input.privateKey.slice() } : {}) });
    } else if (existing.privateKey === undefined && input.privateKey !== undefined) {
      existing.privateKey = input.privateKey.slice();
    }
    if (input.name !== undefined) this.#names.set(input.name, id);
    return this.#stored(id, input.name);
  }

  async list(): Promise<KeyInfo[]> {
    return [...this.#keys.keys()].sort().map((id) => toKeyInfo(this.#stored(id)));
  }

  async delete(idOrName: string): Promise<boolean> {
    const id = this.#resolve(idOrName);
    if (id === undefined) return false;
    for (const n of this.#namesOf(id)) this.#names.delete(n);
    this.#keys.get(id)?.privateKey?.fill(0);
    this.#keys.delete(id);
    return true;
  }

  /** Wipes every private key and empties the store. */
  clear(): void {
    for (const e of this.#keys.values()) e.privateKey?.fill(0);
    this.#keys.clear();
    this.#names.clear();
  }
}
