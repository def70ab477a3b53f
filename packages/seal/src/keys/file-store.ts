/**
 * A key store in a directory (Node only; `node:fs` is imported lazily, on
 * first use, so importing this module costs a browser bundle nothing):
 *
 *     <dir>/<keyId>.pub    armored v1 public key (HYBRIDKEM PUBLIC KEY), mode 0644
 *     <dir>/<keyId>.key    armored private key, mode 0600: HYBRIDKEM ENCRYPTED PRIVATE KEY
 *                          when the store has a passphrase, else HYBRIDKEM PRIVATE KEY
 *     <dir>/names.json     {"version":1,"names":{"billing-service":"<keyId>",…}}
 *
 * Every file is written to a temporary file in the same directory, flushed
 * and renamed over the target, so a crash leaves the old or the new file,
 * never half of one. Every read is validated with core's strict decoders,
 * and a .pub file's key id must match its file name. Operations of one
 * FileKeyStore object are serialized; several processes writing one
 * directory at once are not coordinated (last index write wins).
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
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { KeyStoreError } from './errors.js';
import { decryptPrivateKey, encryptPrivateKey, type KdfParams } from './key-file.js';
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

type Fs = typeof import('node:fs/promises');
let fsModule: Promise<Fs> | undefined;
const loadFs = (): Promise<Fs> => (fsModule ??= import('node:fs/promises'));

export const INDEX_FILE = 'names.json';
const MAX_INDEX_BYTES = 1 << 20;
/** core's dearmor reads at most 16384 characters; a larger key file is refused before it is read. */
const MAX_ARMORED_LENGTH_HINT = 16384;
const KEY_FILE = /^([0-9a-f]{32})\.pub$/;

export interface FileKeyStoreOptions {
  /** Encrypts new .key files and decrypts encrypted ones. Without it, .key files are written in the clear (mode 0600). */
  readonly passphrase?: string | Uint8Array;
  /** The KDF for new .key files (key-file.ts DEFAULT_KDF when omitted). */
  readonly kdf?: KdfParams;
  /** When given, `put` checks that a private key belongs to its public key. */
  readonly backend?: Backend;
}

function isMissing(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}

export class FileKeyStore implements KeyStore {
  readonly dir: string;
  readonly #passphrase: string | Uint8Array | undefined;
  readonly #kdf: KdfParams | undefined;
  readonly #backend: Backend | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string, options: FileKeyStoreOptions = {}) {
    if (typeof dir !== 'string' || dir.length === 0) throw new KeyStoreError('invalid-name', 'dir', 'expected a directory path');
    this.dir = dir;
    const p = options.passphrase;
    this.#passphrase = p instanceof Uint8Array ? p.slice() : p;
    this.#kdf = options.kdf;
    this.#backend = options.backend;
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
    const fs = await loadFs();
    let handle;
    try {
      handle = await fs.open(this.#path(file), 'r');
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
    try {
      const { size } = await handle.stat();
      if (size > limit) throw new KeyStoreError(reason, file, `${file} is ${size} bytes, more than the ${limit} it may be`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async #writeAtomic(file: string, data: string, mode: number): Promise<void> {
    const fs = await loadFs();
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = this.#path(`.${file}.${bytesToHex(randomBytes(8))}.tmp`);
    const handle = await fs.open(tmp, 'wx', mode);
    try {
      try {
        await handle.writeFile(data, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.chmod(tmp, mode); // in case the umask took bits we want (it cannot add any)
      await fs.rename(tmp, this.#path(file));
    } catch (e) {
      await fs.unlink(tmp).catch(() => undefined);
      throw e;
    }
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
    const fs = await loadFs();
    try {
      await fs.stat(this.#path(`${id}.key`));
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  /** The encoded v1 private key of `id`, validated (and decrypted). Secret. */
  async #readPrivate(id: string, suite: Suite): Promise<Uint8Array> {
    const file = `${id}.key`;
    const raw = await this.#readSmall(file, MAX_ARMORED_LENGTH_HINT, 'corrupt-file');
    if (raw === undefined) throw new KeyStoreError('not-found', file, `key ${id} has no private key`);
    let encoded: Uint8Array;
    try {
      const d = dearmor(raw.toString('utf8'));
      if (d.kind === 'encryptedPrivateKey') {
        if (this.#passphrase === undefined) {
          d.encoded.fill(0);
          throw new KeyStoreError('passphrase-required', file, `the private key of ${id} is encrypted; open the store with its passphrase`);
        }
        encoded = await decryptPrivateKey(d.encoded, this.#passphrase);
      } else if (d.kind === 'privateKey') {
        encoded = d.encoded;
      } else {
        throw new WrongKindError('privateKey or encryptedPrivateKey', d.kind);
      }
    } finally {
      raw.fill(0);
    }
    try {
      const priv = decodePrivateKey(encoded);
      priv.privateKey.fill(0);
      if (priv.suite.id !== suite.id) {
        throw new KeyStoreError('corrupt-file', file, `${file} holds a ${priv.suite.name} key but ${id}.pub a ${suite.name} key`);
      }
    } catch (e) {
      encoded.fill(0);
      throw e;
    }
    return encoded;
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
    return this.#serialize(async () => {
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
          const existing = await this.#readPrivate(id, pub.suite);
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
    const fs = await loadFs();
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
    return this.#serialize(async () => {
      const fs = await loadFs();
      const names = await this.#readIndex();
      const id = isKeyId(idOrName) ? idOrName : names.get(idOrName);
      if (id === undefined) return false;
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
