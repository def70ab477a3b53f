/**
 * A key store in a directory (Node only, exported from `@hybridkem/seal/node`;
 * `node:fs` is imported lazily, on first use):
 *
 *     <dir>/<keyId>.pub    armored v1 public key (HYBRIDKEM PUBLIC KEY), mode 0644
 *     <dir>/<keyId>.key    armored private key, mode 0600: HYBRIDKEM ENCRYPTED PRIVATE KEY
 *                          when the store has a passphrase, else HYBRIDKEM PRIVATE KEY
 *     <dir>/names.json     {"version":1,"names":{"billing-service":"<keyId>",…}}
 *     <dir>/.lock          while a put or delete runs (dir-lock.ts)
 *
 * Every file is written with node-fs.ts's writeFileAtomic (temporary file,
 * fchmod, fsync, rename, fsync of the directory), so a crash leaves the old
 * or the new file, never half of one. Every read opens with O_NOFOLLOW,
 * requires a regular file and reads a bounded number of bytes, then
 * validates with core's strict decoders; a .pub file's key id must match its
 * file name. Writers (put, delete) hold the directory's lock file, so several
 * processes may write one directory without losing an index entry.
 *
 * Encrypted private keys are used only once unlocked: `unlock(name,
 * passphrase)` runs the KDF (the only place reading a key does) and holds the
 * key until `lock`, `delete` or its lifetime ends. `privateKey()` of a locked
 * key rejects with ERR_KEY_LOCKED at once, so a message naming a store key
 * costs its sender's victim no KDF run.
 * @module
 */
import {
  armor,
  dearmor,
  decodePrivateKey,
  decodePublicKey,
  keyId as computeKeyId,
  WrongKindError,
  type Backend,
  type Suite,
} from '@hybridkem/core';
import { withDirLock } from './dir-lock.js';
import { KeyLockedError, KeyStoreError } from './errors.js';
import { decryptPrivateKey, encryptPrivateKey, type KdfLimitsOverride, type KdfParams } from './key-file.js';
import { errnoCode, FileTooLargeError, loadFs, NotRegularFileError, readRegularFile, writeFileAtomic } from './node-fs.js';
import {
  checkIdOrName,
  equalBytes,
  isKeyId,
  makeStoredKey,
  toKeyInfo,
  validatePut,
  type KeyInfo,
  type KeyStore,
  type PutKeyInput,
  type StoredKey,
} from './store.js';
import { checkLifetime, UnlockedKeys } from './unlocked-keys.js';

export { LOCK_FILE } from './dir-lock.js';
export const INDEX_FILE = 'names.json';
const MAX_INDEX_BYTES = 1 << 20;
/** core's dearmor reads at most 16384 characters; a larger key file is refused before it is read. */
const MAX_ARMORED_LENGTH_HINT = 16384;
const KEY_FILE = /^([0-9a-f]{32})\.pub$/;

export interface FileKeyStoreOptions {
  /**
   * Encrypts new .key files. Without it, .key files are written in the clear
   * (mode 0600). It does not unlock anything: encrypted keys are used only
   * after {@link FileKeyStore.unlock}.
   */
  readonly passphrase?: string | Uint8Array;
  /** The KDF for new .key files (key-file.ts DEFAULT_KDF when omitted; within KDF_LIMITS). */
  readonly kdf?: KdfParams;
  /** When given, `put` and `unlock` check that a private key belongs to its public key. */
  readonly backend?: Backend;
  /** How long a put or delete waits for another process's lock on the directory; default 10 000 ms. */
  readonly lockTimeoutMs?: number;
}

export interface UnlockOptions {
  /** Wipe the unlocked key after this many milliseconds (1 … 2^31 − 1); default: held until `lock`. */
  readonly lifetimeMs?: number;
  /** Read limits for the key file's KDF parameters (KDF_LIMITS by default), checked before the KDF runs. */
  readonly limits?: KdfLimitsOverride;
}

const isMissing = (e: unknown): boolean => errnoCode(e) === 'ENOENT';

export class FileKeyStore implements KeyStore {
  readonly dir: string;
  readonly #passphrase: string | Uint8Array | undefined;
  readonly #kdf: KdfParams | undefined;
  readonly #backend: Backend | undefined;
  readonly #lockTimeoutMs: number;
  readonly #unlocked = new UnlockedKeys();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string, options: FileKeyStoreOptions = {}) {
    if (typeof dir !== 'string' || dir.length === 0) throw new KeyStoreError('invalid-name', 'dir', 'expected a directory path');
    this.dir = dir;
    const p = options.passphrase;
    this.#passphrase = p instanceof Uint8Array ? p.slice() : p;
    this.#kdf = options.kdf;
    this.#backend = options.backend;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  }

  /** Whether new private keys are written encrypted. */
  get encrypted(): boolean {
    return this.#passphrase !== undefined;
  }

  #path(file: string): string {
    return `${this.dir.replace(/[\\/]+$/, '')}/${file}`;
  }

  #serialize<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op, op);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #readSmall(file: string, limit: number, reason: 'corrupt-file' | 'corrupt-index'): Promise<Buffer | undefined> {
    try {
      return await readRegularFile(this.#path(file), limit);
    } catch (e) {
      if (e instanceof NotRegularFileError) {
        throw new KeyStoreError('not-a-regular-file', file, `${file} ${e.message}; refused`);
      }
      if (e instanceof FileTooLargeError) throw new KeyStoreError(reason, file, `${file} is larger than the ${limit} bytes it may be`);
      throw e;
    }
  }

  async #writeAtomic(file: string, data: string, mode: number): Promise<void> {
    await writeFileAtomic(this.#path(file), data, { mode });
  }

  /** Runs a write holding this object's queue and the directory's lock file (other objects, other processes). */
  #writing<T>(op: () => Promise<T>): Promise<T> {
    return this.#serialize(async () => {
      const { fs } = await loadFs();
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      return withDirLock(this.dir.replace(/[\\/]+$/, ''), this.#lockTimeoutMs, op);
    });
  }

  async #readIndex(): Promise<Map<string, string>> {
    const raw = await this.#readSmall(INDEX_FILE, MAX_INDEX_BYTES, 'corrupt-index');
    const names = new Map<string, string>();
    if (raw === undefined) return names;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new KeyStoreError('corrupt-index', INDEX_FILE, `${INDEX_FILE} is not JSON`);
    }
    const bad = (why: string) => new KeyStoreError('corrupt-index', INDEX_FILE, `${INDEX_FILE}: ${why}`);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad('expected an object');
    const o = parsed as { version?: unknown; names?: unknown };
    if (o.version !== 1) throw bad(`expected version 1, got ${JSON.stringify(o.version)?.slice(0, 20)}`);
    if (o.names === null || typeof o.names !== 'object' || Array.isArray(o.names)) throw bad('expected "names" to be an object');
    for (const [name, id] of Object.entries(o.names as Record<string, unknown>)) {
      try {
        checkIdOrName(name);
      } catch {
        throw bad(`invalid name ${JSON.stringify(name.slice(0, 80))}`);
      }
      if (isKeyId(name)) throw bad('a name looks like a key id');
      if (typeof id !== 'string' || !isKeyId(id)) throw bad(`name "${name}" does not map to a key id`);
      names.set(name, id);
    }
    return names;
  }

  async #writeIndex(names: Map<string, string>): Promise<void> {
    const sorted = Object.fromEntries([...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    await this.#writeAtomic(INDEX_FILE, `${JSON.stringify({ version: 1, names: sorted }, null, 2)}\n`, 0o644);
  }

  /** The validated public key of `id`, or undefined when there is no .pub file. */
  async #readPublic(id: string): Promise<{ encoded: Uint8Array; suite: Suite } | undefined> {
    const raw = await this.#readSmall(`${id}.pub`, MAX_ARMORED_LENGTH_HINT, 'corrupt-file');
    if (raw === undefined) return undefined;
    const { encoded } = dearmor(raw.toString('utf8'));
    const { suite } = decodePublicKey(encoded);
    const actual = computeKeyId(encoded);
    if (actual !== id) throw new KeyStoreError('corrupt-file', `${id}.pub`, `${id}.pub holds the key ${actual}`);
    return { encoded, suite };
  }

  async #hasPrivate(id: string): Promise<boolean> {
    const { fs } = await loadFs();
    try {
      await fs.lstat(this.#path(`${id}.key`)); // not followed; reading it refuses a symlink
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  /**
   * The encoded v1 private key of `id`, validated. Secret. An encrypted key
   * comes from the unlocked keys only: never a KDF here.
   * @throws {KeyLockedError} when it is encrypted and not unlocked
   */
  async #readPrivate(id: string, suite: Suite): Promise<Uint8Array> {
    const unlocked = this.#unlocked.copy(id);
    if (unlocked !== undefined) return unlocked;
    const d = await this.#readKeyFile(id);
    if (d.kind === 'encryptedPrivateKey') {
      d.encoded.fill(0);
      throw new KeyLockedError(id);
    }
    return this.#checkPrivate(id, suite, d.encoded);
  }

  /** The dearmored .key file of `id`: a private key or an encrypted one. */
  async #readKeyFile(id: string): Promise<{ kind: 'privateKey' | 'encryptedPrivateKey'; encoded: Uint8Array }> {
    const file = `${id}.key`;
    const raw = await this.#readSmall(file, MAX_ARMORED_LENGTH_HINT, 'corrupt-file');
    if (raw === undefined) throw new KeyStoreError('not-found', file, `key ${id} has no private key`);
    try {
      const d = dearmor(raw.toString('utf8'));
      if (d.kind !== 'privateKey' && d.kind !== 'encryptedPrivateKey') {
        d.encoded.fill(0);
        throw new WrongKindError('privateKey or encryptedPrivateKey', d.kind);
      }
      return { kind: d.kind, encoded: d.encoded };
    } finally {
      raw.fill(0);
    }
  }

  /** `encoded` if it is a v1 private key of `suite` (and, with a backend, of the public key); else wiped and refused. */
  #checkPrivate(id: string, suite: Suite, encoded: Uint8Array, encodedPublicKey?: Uint8Array): Uint8Array {
    const file = `${id}.key`;
    try {
      const priv = decodePrivateKey(encoded);
      try {
        if (priv.suite.id !== suite.id) {
          throw new KeyStoreError('corrupt-file', file, `${file} holds a ${priv.suite.name} key but ${id}.pub a ${suite.name} key`);
        }
      } finally {
        priv.privateKey.fill(0);
      }
      if (encodedPublicKey !== undefined && this.#backend !== undefined) {
        validatePut({ publicKey: encodedPublicKey, privateKey: encoded }, this.#backend);
      }
    } catch (e) {
      encoded.fill(0);
      throw e;
    }
    return encoded;
  }

  /**
   * Decrypts the private key of `idOrName` with `passphrase` — the one place
   * this store runs the KDF to read a key — and holds it until
   * {@link lock}, {@link delete} or `options.lifetimeMs`. A key stored
   * unencrypted needs no unlocking (and gets none: no KDF runs).
   * @throws {KeyStoreError} `not-found` when there is no such key or private key
   * @throws {KdfParameterError} when the file's KDF parameters exceed the read limits (before the KDF)
   * @throws {KeyFileError} (`ERR_AUTHENTICATION`) for a wrong passphrase or a modified file
   */
  async unlock(idOrName: string, passphrase: string | Uint8Array, options: UnlockOptions = {}): Promise<StoredKey> {
    checkLifetime(options.lifetimeMs);
    const key = await this.get(idOrName);
    if (key === undefined) throw new KeyStoreError('not-found', 'idOrName', `no key ${JSON.stringify(idOrName)} in the store`);
    const d = await this.#readKeyFile(key.keyId);
    if (d.kind === 'privateKey') {
      d.encoded.fill(0);
      return key;
    }
    let encoded: Uint8Array;
    try {
      encoded = await decryptPrivateKey(d.encoded, passphrase, options.limits !== undefined ? { limits: options.limits } : {});
    } finally {
      d.encoded.fill(0);
    }
    this.#unlocked.set(key.keyId, this.#checkPrivate(key.keyId, key.suite, encoded, key.publicKey), options.lifetimeMs);
    return key;
  }

  /** Wipes the unlocked private key of `idOrName`; false when it was not unlocked. */
  async lock(idOrName: string): Promise<boolean> {
    checkIdOrName(idOrName);
    const id = isKeyId(idOrName) ? idOrName : (await this.#readIndex()).get(idOrName);
    return id !== undefined && this.#unlocked.wipe(id);
  }

  /** Wipes every unlocked private key (e.g. on shutdown). */
  lockAll(): void {
    this.#unlocked.wipeAll();
  }

  #stored(id: string, pub: { encoded: Uint8Array; suite: Suite }, names: Map<string, string>, hasPrivate: boolean, lookedUpBy?: string): StoredKey {
    return makeStoredKey({
      keyId: id,
      suite: pub.suite,
      encodedPublicKey: pub.encoded,
      names: [...names].filter(([, v]) => v === id).map(([n]) => n),
      ...(lookedUpBy !== undefined ? { lookedUpBy } : {}),
      ...(hasPrivate ? { loadPrivate: () => this.#readPrivate(id, pub.suite) } : {}),
    });
  }

  async get(idOrName: string): Promise<StoredKey | undefined> {
    checkIdOrName(idOrName);
    const names = await this.#readIndex();
    const byName = !isKeyId(idOrName);
    const id = byName ? names.get(idOrName) : idOrName;
    if (id === undefined) return undefined;
    const pub = await this.#readPublic(id);
    if (pub === undefined) {
      if (byName) throw new KeyStoreError('corrupt-index', INDEX_FILE, `"${idOrName}" names key ${id}, which has no ${id}.pub`);
      return undefined;
    }
    return this.#stored(id, pub, names, await this.#hasPrivate(id), byName ? idOrName : undefined);
  }

  async put(input: PutKeyInput): Promise<StoredKey> {
    const { keyId: id } = validatePut(input, this.#backend);
    return this.#writing(async () => {
      const names = await this.#readIndex();
      if (input.name !== undefined) {
        const owner = names.get(input.name);
        if (owner !== undefined && owner !== id) throw new KeyStoreError('name-taken', 'name', `"${input.name}" already names key ${owner}`);
      }
      let pub = await this.#readPublic(id);
      if (pub === undefined) {
        await this.#writeAtomic(`${id}.pub`, armor(input.publicKey), 0o644);
        pub = { encoded: input.publicKey.slice(), suite: decodePublicKey(input.publicKey).suite };
      }
      let hasPrivate = await this.#hasPrivate(id);
      if (input.privateKey !== undefined) {
        if (hasPrivate) {
          const existing = await this.#readPrivate(id, pub.suite); // KeyLockedError when encrypted and locked
          const same = equalBytes(existing, input.privateKey);
          existing.fill(0);
          if (!same) throw new KeyStoreError('key-mismatch', 'privateKey', `key ${id} already has a different private key`);
        } else {
          const sealed =
            this.#passphrase !== undefined
              ? await encryptPrivateKey(input.privateKey, this.#passphrase, this.#kdf !== undefined ? { kdf: this.#kdf } : {})
              : input.privateKey;
          await this.#writeAtomic(`${id}.key`, armor(sealed), 0o600);
          hasPrivate = true;
        }
      }
      if (input.name !== undefined && names.get(input.name) !== id) {
        names.set(input.name, id);
        await this.#writeIndex(names);
      }
      return this.#stored(id, pub, names, hasPrivate, input.name);
    });
  }

  async list(): Promise<KeyInfo[]> {
    const { fs } = await loadFs();
    let files: string[];
    try {
      files = await fs.readdir(this.dir);
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
    const names = await this.#readIndex();
    const present = new Set(files);
    const out: KeyInfo[] = [];
    for (const f of files.sort()) {
      const m = KEY_FILE.exec(f);
      if (!m) continue;
      const id = m[1]!;
      const pub = await this.#readPublic(id);
      if (pub === undefined) continue; // deleted meanwhile
      out.push(toKeyInfo(this.#stored(id, pub, names, present.has(`${id}.key`))));
    }
    return out;
  }

  async delete(idOrName: string): Promise<boolean> {
    checkIdOrName(idOrName);
    const { fs } = await loadFs();
    try {
      await fs.stat(this.dir);
    } catch (e) {
      if (isMissing(e)) return false; // nothing to delete, and no directory to lock
      throw e;
    }
    return this.#writing(async () => {
      const names = await this.#readIndex();
      const id = isKeyId(idOrName) ? idOrName : names.get(idOrName);
      if (id === undefined) return false;
      this.#unlocked.wipe(id);
      let found = false;
      const before = names.size;
      for (const [n, v] of [...names]) if (v === id) names.delete(n);
      if (names.size !== before) {
        await this.#writeIndex(names);
        found = true;
      }
      for (const f of [`${id}.key`, `${id}.pub`]) {
        try {
          await fs.unlink(this.#path(f));
          found = true;
        } catch (e) {
          if (!isMissing(e)) throw e;
        }
      }
      return found;
    });
  }
}
