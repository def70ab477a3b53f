/**
 * Mesh identities at rest: a name, a role, an optional hybrid KEM key pair
 * (required for a node) and a composite signing key pair, as encoded v1
 * objects (KEM 0x01/0x02, signing 0x05/0x06, spec/WIRE-FORMAT.md §2, §6.3).
 * On disk, one directory per identity:
 *
 *     identity.json   {"version":1,"name","role","kem":{"suite","keyId"}|null,"signing":{"suite","keyId"}}  0644
 *     kem.pub         armored KEM public key (HYBRIDKEM PUBLIC KEY), absent without a KEM key           0644
 *     kem.key         the KEM private key, passphrase-encrypted (HYBRIDKEM ENCRYPTED PRIVATE KEY)       0600
 *     signing.pub     armored signing public key (HYBRIDKEM SIGNING PUBLIC KEY)                         0644
 *     signing.key     the signing private key, passphrase-encrypted (kind 0x08 wrapping 0x06, §8)       0600
 *
 * Both private keys are always encrypted (spec/WIRE-FORMAT.md §8), each
 * under its own salt. Every file is written with @hybridkem/seal/node's
 * writeFileAtomic (temporary file created with its mode, fsync, rename,
 * directory fsync), identity.json last, so an identity directory without
 * identity.json is an unfinished one and is not loaded. Reading checks each
 * file's type and size before reading it, decodes every object strictly,
 * checks the key ids and suites against identity.json, and runs the KDF
 * only for the private keys of an explicit {@link loadIdentity}.
 * @module
 */
import {
  armor,
  dearmor,
  decodePrivateKey,
  decodePublicKey,
  encodePrivateKey,
  encodePublicKey,
  HybridKemError,
  keyId,
  type ErrorCode,
} from '@hybridkem/core';
import {
  decryptPrivateKeyArmored,
  encryptPrivateKeyArmored,
  parseEncryptedPrivateKey,
  type DecryptPrivateKeyOptions,
  type KdfLimitsOverride,
  type KdfParams,
} from '@hybridkem/seal';
import { writeFileAtomic } from '@hybridkem/seal/node';
import { decodeSigningPrivateKey, decodeSigningPublicKey, encodeSigningPrivateKey, encodeSigningPublicKey, signingKeyId } from '@hybridkem/signing';
import type { MeshCrypto } from './crypto.js';
import { isValidRecordName, MAX_RECORD_NAME_LENGTH } from './directory/record.js';

/** The roles of spec/MESH.md: a node receives keys, an issuer signs envelopes, the anchor signs directory records. */
export const IDENTITY_ROLES = Object.freeze(['node', 'issuer', 'anchor'] as const);
export type IdentityRole = (typeof IDENTITY_ROLES)[number];

/** The file names inside an identity directory. */
export const IDENTITY_FILES = Object.freeze({
  manifest: 'identity.json',
  kemPublicKey: 'kem.pub',
  kemPrivateKey: 'kem.key',
  signingPublicKey: 'signing.pub',
  signingPrivateKey: 'signing.key',
} as const);

/** The version field of identity.json. */
export const IDENTITY_FORMAT_VERSION = 1;

/**
 * The most bytes read from any identity file, checked before reading: the
 * longest armored object here is an MLDSA87-Ed448 signing public key (2653
 * bytes, 3,600 characters armored), and core refuses armor over 16,384.
 */
const MAX_FILE_BYTES = 16_384;

/** Why an identity could not be made, saved or loaded. */
export type IdentityFailure = 'invalid-argument' | 'exists' | 'not-found' | 'not-a-regular-file' | 'corrupt' | 'mismatch' | 'authentication';

const FAILURE_CODES = Object.freeze({
  'invalid-argument': 'ERR_INVALID_ARGUMENT',
  exists: 'ERR_INVALID_ARGUMENT',
  'not-found': 'ERR_INVALID_ARGUMENT',
  'not-a-regular-file': 'ERR_INVALID_ARGUMENT',
  corrupt: 'ERR_INVALID_ARGUMENT',
  mismatch: 'ERR_INVALID_ARGUMENT',
  authentication: 'ERR_AUTHENTICATION',
} as const satisfies Record<IdentityFailure, ErrorCode>);

/**
 * An identity operation failed. `reason` says why; `authentication` is a
 * wrong passphrase or a modified private key file (the two cannot be told
 * apart, spec/WIRE-FORMAT.md §8.3), with seal's KeyFileError as the cause.
 * Messages name files and fields, never a passphrase or key bytes.
 */
export class IdentityError extends HybridKemError {
  readonly reason: IdentityFailure;
  /** The file concerned, when there is one. */
  readonly file: string | undefined;
  constructor(reason: IdentityFailure, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(FAILURE_CODES[reason], message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IdentityError';
    this.reason = reason;
    this.file = options.file;
  }
}

/** A key pair as encoded v1 objects (public key and, secret, private key). */
export interface EncodedKeyPair {
  readonly publicKey: Uint8Array;
  /** Secret: wipe it when done ({@link wipeIdentity}). */
  readonly privateKey: Uint8Array;
}

/** What others may know of an identity: no private key. */
export interface PublicIdentity {
  readonly name: string;
  readonly role: IdentityRole;
  /** Encoded v1 KEM public key (kind 0x01), absent for an issuer or anchor made without one. */
  readonly kemPublicKey: Uint8Array | undefined;
  /** keyId of the KEM public key (spec/WIRE-FORMAT.md §4), lower-case hex. */
  readonly kemKeyId: string | undefined;
  /** Encoded v1 signing public key (kind 0x05). */
  readonly signingPublicKey: Uint8Array;
  /** signingKeyId of the signing public key (spec/WIRE-FORMAT.md §6.5), lower-case hex. */
  readonly signingKeyId: string;
}

/**
 * An identity with its private keys. `toJSON`, `toString` and
 * `util.inspect` give the public part only, so logging one leaks no key.
 */
export interface MeshIdentity extends PublicIdentity {
  /** KEM key pair: public kind 0x01, private kind 0x02. */
  readonly kem: EncodedKeyPair | undefined;
  /** Composite signing key pair: public kind 0x05, private kind 0x06. */
  readonly signing: EncodedKeyPair;
}

export interface GenerateIdentityOptions {
  /** Its KEM suite is the HPKE suite's KEM, its signing suite the signer's. */
  readonly crypto: MeshCrypto;
  readonly role: IdentityRole;
  /** 1-64 characters of [a-z0-9-] (spec/MESH.md's directory record name). */
  readonly name: string;
  /** Make a KEM key pair: always for a node; for an issuer or anchor only when true (default false). */
  readonly kem?: boolean;
}

export interface SaveIdentityOptions {
  /** Encrypts both private keys (non-empty; a string is used as UTF-8 of its NFC form). */
  readonly passphrase: string | Uint8Array;
  /** KDF and cost for both private keys; seal's DEFAULT_KDF (Argon2id m = 19 MiB, t = 2, p = 1) when omitted. */
  readonly kdf?: KdfParams;
  /** Replace the files of an identity already in `dir` (default false: `exists`). */
  readonly overwrite?: boolean;
}

export interface LoadIdentityOptions {
  readonly passphrase: string | Uint8Array;
  /** Read limits for the KDF parameters in the key files (seal's KDF_LIMITS by default). */
  readonly limits?: KdfLimitsOverride;
  /**
   * When given, each private key must give its public key (the KEM's and the
   * signer's getPublicKey), so a key file swapped in from another identity
   * under the same passphrase is refused (`mismatch`). Its suites must be the
   * identity's.
   */
  readonly crypto?: MeshCrypto;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function checkRole(role: unknown): IdentityRole {
  if (typeof role !== 'string' || !(IDENTITY_ROLES as readonly string[]).includes(role)) {
    throw new IdentityError('invalid-argument', `role: expected one of ${IDENTITY_ROLES.join(', ')}, got ${JSON.stringify(String(role).slice(0, 32))}`);
  }
  return role as IdentityRole;
}

function checkName(name: unknown): string {
  if (!isValidRecordName(name)) {
    throw new IdentityError(
      'invalid-argument',
      `name: expected 1-${MAX_RECORD_NAME_LENGTH} characters of [a-z0-9-], got ${typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : typeof name}`,
    );
  }
  return name;
}

function publicPart(i: PublicIdentity): PublicIdentity {
  return Object.freeze({
    name: i.name,
    role: i.role,
    kemPublicKey: i.kemPublicKey?.slice(),
    kemKeyId: i.kemKeyId,
    signingPublicKey: i.signingPublicKey.slice(),
    signingKeyId: i.signingKeyId,
  });
}

function summary(i: PublicIdentity): string {
  return `MeshIdentity(${i.role} ${JSON.stringify(i.name)}, signing key ${i.signingKeyId}${i.kemKeyId === undefined ? '' : `, KEM key ${i.kemKeyId}`})`;
}

/** Builds the frozen identity object; its private keys are left out of JSON and inspection. */
function makeIdentity(name: string, role: IdentityRole, kem: EncodedKeyPair | undefined, signing: EncodedKeyPair): MeshIdentity {
  const pub: PublicIdentity = {
    name,
    role,
    kemPublicKey: kem?.publicKey,
    kemKeyId: kem === undefined ? undefined : keyId(kem.publicKey),
    signingPublicKey: signing.publicKey,
    signingKeyId: signingKeyId(signing.publicKey),
  };
  const identity = { ...pub, kem: kem === undefined ? undefined : Object.freeze({ ...kem }), signing: Object.freeze({ ...signing }) };
  Object.defineProperties(identity, {
    toJSON: { value: () => ({ ...pub, kemPublicKey: kem === undefined ? null : armor(kem.publicKey), signingPublicKey: armor(signing.publicKey) }) },
    toString: { value: () => summary(pub) },
    [INSPECT]: { value: () => summary(pub) },
  });
  return Object.freeze(identity);
}

/**
 * A new identity: a composite signing key pair of `crypto.signer`'s suite
 * and, for a node (or when `kem` is true), a KEM key pair of
 * `crypto.hpke`'s KEM, from the backends' CSPRNG.
 * @throws {IdentityError} `invalid-argument` for a bad role or name
 */
export function generateIdentity(options: GenerateIdentityOptions): MeshIdentity {
  if (typeof options !== 'object' || options === null) throw new IdentityError('invalid-argument', 'options: expected an object');
  const role = checkRole(options.role);
  const name = checkName(options.name);
  if (options.kem !== undefined && typeof options.kem !== 'boolean') throw new IdentityError('invalid-argument', 'kem: expected a boolean');
  if (role === 'node' && options.kem === false) throw new IdentityError('invalid-argument', 'kem: a node needs a KEM key pair (envelopes are sealed to it)');
  const { crypto } = options;
  let kem: EncodedKeyPair | undefined;
  if (role === 'node' || options.kem === true) {
    const k = crypto.hpke.hpkeKem.kem;
    const kp = k.keygen();
    try {
      kem = { publicKey: encodePublicKey(k.suite, kp.publicKey), privateKey: encodePrivateKey(k.suite, kp.privateKey) };
    } finally {
      kp.privateKey.fill(0);
    }
  }
  const sp = crypto.signer.keygen();
  let signing: EncodedKeyPair;
  try {
    signing = { publicKey: encodeSigningPublicKey(crypto.signer.suite, sp.publicKey), privateKey: encodeSigningPrivateKey(crypto.signer.suite, sp.privateKey) };
  } finally {
    sp.privateKey.fill(0);
  }
  return makeIdentity(name, role, kem, signing);
}

/** Overwrites the identity's private keys with zeros (the object is unusable for signing or opening afterwards). */
export function wipeIdentity(identity: MeshIdentity): void {
  identity.kem?.privateKey.fill(0);
  identity.signing.privateKey.fill(0);
}

/** The public part of an identity (copies), e.g. to publish in a directory record. */
export function publicIdentity(identity: PublicIdentity): PublicIdentity {
  return publicPart(identity);
}

interface Manifest {
  readonly version: number;
  readonly name: string;
  readonly role: IdentityRole;
  readonly kem: { readonly suite: string; readonly keyId: string } | null;
  readonly signing: { readonly suite: string; readonly keyId: string };
}

function manifestOf(i: MeshIdentity): Manifest {
  return {
    version: IDENTITY_FORMAT_VERSION,
    name: i.name,
    role: i.role,
    kem: i.kem === undefined ? null : { suite: decodePublicKey(i.kem.publicKey).suite.name, keyId: i.kemKeyId! },
    signing: { suite: decodeSigningPublicKey(i.signing.publicKey).suite.name, keyId: i.signingKeyId },
  };
}

type Fs = typeof import('node:fs/promises');
type FsConstants = typeof import('node:fs').constants;
let fsModule: Promise<{ fs: Fs; constants: FsConstants; join: (...p: string[]) => string }> | undefined;
/** node:fs/promises, fs constants and path.join, loaded once (kept out of the module's top level like seal's node entry). */
function loadFs() {
  return (fsModule ??= Promise.all([import('node:fs/promises'), import('node:fs'), import('node:path')]).then(([fs, sync, path]) => ({
    fs,
    constants: sync.constants,
    join: path.join,
  })));
}

function errnoCode(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Reads a small regular file: opened without following a final symlink
 * (O_NOFOLLOW), fstat'ed, its size checked against {@link MAX_FILE_BYTES}
 * before any buffer is allocated. Absent with `optional` gives undefined.
 */
async function readSmall(path: string, optional = false): Promise<Buffer | undefined> {
  const { fs, constants } = await loadFs();
  let handle: Awaited<ReturnType<Fs['open']>>;
  try {
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') {
      if (optional) return undefined;
      throw new IdentityError('not-found', `${path}: no such file`, { file: path });
    }
    if (code === 'ELOOP') throw new IdentityError('not-a-regular-file', `${path}: is a symbolic link`, { file: path });
    throw new IdentityError('not-found', `${path}: cannot open (${code ?? 'error'})`, { file: path, cause: e });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new IdentityError('not-a-regular-file', `${path}: not a regular file`, { file: path });
    if (st.size > MAX_FILE_BYTES) throw new IdentityError('corrupt', `${path}: ${st.size} bytes, more than ${MAX_FILE_BYTES}`, { file: path });
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < buf.length) {
      const { bytesRead } = await handle.read(buf, at, buf.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buf.subarray(0, at);
  } finally {
    await handle.close();
  }
}

const HEX32 = /^[0-9a-f]{32}$/;

function parseManifest(path: string, raw: Buffer): Manifest {
  const bad = (what: string): never => {
    throw new IdentityError('corrupt', `${path}: ${what}`, { file: path });
  };
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch {
    return bad('not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('expected a JSON object');
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (keys !== 'kem,name,role,signing,version') return bad(`expected the fields kem, name, role, signing, version, got ${keys.slice(0, 120)}`);
  if (o.version !== IDENTITY_FORMAT_VERSION) return bad(`version: expected ${IDENTITY_FORMAT_VERSION}, got ${JSON.stringify(o.version)?.slice(0, 20)}`);
  const keyRef = (field: string, x: unknown): { suite: string; keyId: string } => {
    if (typeof x !== 'object' || x === null || Object.keys(x).sort().join(',') !== 'keyId,suite') return bad(`${field}: expected {suite, keyId}`);
    const r = x as { suite: unknown; keyId: unknown };
    if (typeof r.suite !== 'string' || r.suite.length > 64) return bad(`${field}.suite: expected a suite name`);
    if (typeof r.keyId !== 'string' || !HEX32.test(r.keyId)) return bad(`${field}.keyId: expected 32 lower-case hex digits`);
    return { suite: r.suite, keyId: r.keyId };
  };
  let name: string;
  let role: IdentityRole;
  try {
    name = checkName(o.name);
    role = checkRole(o.role);
  } catch (e) {
    return bad((e as Error).message);
  }
  const kem = o.kem === null ? null : keyRef('kem', o.kem);
  if (role === 'node' && kem === null) return bad('kem: a node has a KEM key');
  return { version: IDENTITY_FORMAT_VERSION, name, role, kem, signing: keyRef('signing', o.signing) };
}

/** Decodes an armored public key file with `decode`, its errors kept as the cause of a `corrupt`. */
function decodeFile<T>(path: string, raw: Buffer, decode: (encoded: Uint8Array) => T): T & { encoded: Uint8Array } {
  try {
    const { encoded } = dearmor(raw.toString('utf8'));
    return { ...decode(encoded), encoded };
  } catch (e) {
    throw new IdentityError('corrupt', `${path}: ${e instanceof Error ? e.message : String(e)}`, { file: path, cause: e });
  }
}

/** The public files of `dir`, checked against identity.json; shared by both loaders. */
async function readPublic(dir: string): Promise<{ manifest: Manifest; pub: PublicIdentity }> {
  const { join } = await loadFs();
  const manifestPath = join(dir, IDENTITY_FILES.manifest);
  const manifest = parseManifest(manifestPath, (await readSmall(manifestPath))!);
  const mismatch = (file: string, what: string): never => {
    throw new IdentityError('mismatch', `${file}: ${what} does not match ${IDENTITY_FILES.manifest}`, { file });
  };
  const signingPath = join(dir, IDENTITY_FILES.signingPublicKey);
  const signing = decodeFile(signingPath, (await readSmall(signingPath))!, decodeSigningPublicKey);
  if (signing.suite.name !== manifest.signing.suite) mismatch(signingPath, `suite ${signing.suite.name}`);
  const sid = signingKeyId(signing.encoded);
  if (sid !== manifest.signing.keyId) mismatch(signingPath, `key id ${sid}`);
  const kemPath = join(dir, IDENTITY_FILES.kemPublicKey);
  const kemRaw = await readSmall(kemPath, true);
  let kemPublicKey: Uint8Array | undefined;
  let kemKeyId: string | undefined;
  if (manifest.kem === null) {
    if (kemRaw !== undefined) mismatch(kemPath, 'a KEM public key');
  } else {
    if (kemRaw === undefined) throw new IdentityError('not-found', `${kemPath}: no such file`, { file: kemPath });
    const kem = decodeFile(kemPath, kemRaw, decodePublicKey);
    if (kem.suite.name !== manifest.kem.suite) mismatch(kemPath, `suite ${kem.suite.name}`);
    kemKeyId = keyId(kem.encoded);
    if (kemKeyId !== manifest.kem.keyId) mismatch(kemPath, `key id ${kemKeyId}`);
    kemPublicKey = kem.encoded;
  }
  return {
    manifest,
    pub: { name: manifest.name, role: manifest.role, kemPublicKey, kemKeyId, signingPublicKey: signing.encoded, signingKeyId: sid },
  };
}

/**
 * Writes `identity` to `dir` (created with mode 0700 if absent): both
 * private keys encrypted under `passphrase` (mode 0600), the public keys
 * armored and identity.json (mode 0644), each file atomically, identity.json
 * last.
 * @throws {IdentityError} `exists` when `dir` already holds an identity file and `overwrite` is not set
 * @throws {KdfParameterError} for `kdf` beyond seal's KDF_LIMITS (before anything is written)
 */
export async function saveIdentity(dir: string, identity: MeshIdentity, options: SaveIdentityOptions): Promise<void> {
  if (typeof dir !== 'string' || dir === '') throw new IdentityError('invalid-argument', 'dir: expected a non-empty path');
  if (typeof options !== 'object' || options === null) throw new IdentityError('invalid-argument', 'options: expected an object with a passphrase');
  checkName(identity.name);
  checkRole(identity.role);
  if (identity.role === 'node' && identity.kem === undefined) throw new IdentityError('invalid-argument', 'kem: a node has a KEM key pair');
  const { fs, join } = await loadFs();
  const manifest = manifestOf(identity);
  // Encrypt first: a bad passphrase or KDF fails before any file is touched.
  const kdf = options.kdf === undefined ? {} : { kdf: options.kdf };
  const signingKey = await encryptPrivateKeyArmored(identity.signing.privateKey, options.passphrase, kdf);
  const kemKey = identity.kem === undefined ? undefined : await encryptPrivateKeyArmored(identity.kem.privateKey, options.passphrase, kdf);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const files: [string, string, number][] = [
    ...(kemKey === undefined ? [] : ([[IDENTITY_FILES.kemPrivateKey, kemKey, 0o600]] as [string, string, number][])),
    [IDENTITY_FILES.signingPrivateKey, signingKey, 0o600],
    ...(identity.kem === undefined ? [] : ([[IDENTITY_FILES.kemPublicKey, armor(identity.kem.publicKey), 0o644]] as [string, string, number][])),
    [IDENTITY_FILES.signingPublicKey, armor(identity.signing.publicKey), 0o644],
    [IDENTITY_FILES.manifest, `${JSON.stringify(manifest, null, 2)}\n`, 0o644],
  ];
  if (options.overwrite !== true) {
    for (const name of Object.values(IDENTITY_FILES)) {
      const path = join(dir, name);
      const there = await fs.lstat(path).then(
        () => true,
        (e: unknown) => (errnoCode(e) === 'ENOENT' ? false : Promise.reject(e)),
      );
      if (there) throw new IdentityError('exists', `${path}: exists (pass overwrite: true to replace the identity)`, { file: path });
    }
  } else if (identity.kem === undefined) {
    // Replacing an identity that had a KEM key with one that has none: its stale KEM files must go.
    for (const name of [IDENTITY_FILES.manifest, IDENTITY_FILES.kemPublicKey, IDENTITY_FILES.kemPrivateKey]) {
      await fs.rm(join(dir, name), { force: true });
    }
  }
  for (const [name, text, mode] of files) {
    const path = join(dir, name);
    try {
      await writeFileAtomic(path, text, { mode, overwrite: options.overwrite === true });
    } catch (e) {
      if (errnoCode(e) === 'EEXIST') throw new IdentityError('exists', `${path}: exists (pass overwrite: true to replace the identity)`, { file: path, cause: e });
      throw e;
    }
  }
}

/**
 * Reads the public part of the identity in `dir` (no passphrase, no KDF):
 * identity.json and the public key files, strictly decoded and checked
 * against each other.
 * @throws {IdentityError} `not-found`, `not-a-regular-file`, `corrupt` (with the decoder's error as cause) or `mismatch`
 */
export async function loadPublicIdentity(dir: string): Promise<PublicIdentity> {
  return publicPart((await readPublic(dir)).pub);
}

/**
 * Reads and decrypts the identity in `dir`. The key files' headers are
 * checked (family, suite equal to identity.json's, KDF parameters within
 * the read limits) before the passphrase is used; each private key is then
 * decrypted (one KDF run per key).
 * @throws {IdentityError} `authentication` for a wrong passphrase or a modified key file (seal's KeyFileError as cause)
 * @throws {IdentityError} `not-found`, `not-a-regular-file`, `corrupt` or `mismatch` for missing or inconsistent files
 * @throws {KdfParameterError} (ERR_INVALID_ARGUMENT) for KDF parameters beyond the read limits, before any KDF runs
 */
export async function loadIdentity(dir: string, options: LoadIdentityOptions): Promise<MeshIdentity> {
  if (typeof options !== 'object' || options === null) throw new IdentityError('invalid-argument', 'options: expected an object with a passphrase');
  const { join } = await loadFs();
  const { manifest, pub } = await readPublic(dir);
  const read: DecryptPrivateKeyOptions = options.limits === undefined ? {} : { limits: options.limits };
  const crypto = options.crypto;
  if (crypto !== undefined) {
    if (crypto.signer.suite.name !== manifest.signing.suite) {
      throw new IdentityError('mismatch', `crypto: the signer is ${crypto.signer.suite.name}, the identity's signing key ${manifest.signing.suite}`);
    }
    if (manifest.kem !== null && crypto.hpke.hpkeKem.kem.suite.name !== manifest.kem.suite) {
      throw new IdentityError('mismatch', `crypto: the HPKE KEM is ${crypto.hpke.hpkeKem.kem.suite.name}, the identity's KEM key ${manifest.kem.suite}`);
    }
  }

  /** Reads a key file and checks its header: the family and suite identity.json names, KDF parameters within the limits. No KDF. */
  const readKeyFile = async (name: string, family: 'kem' | 'signing', suite: string): Promise<{ path: string; text: string }> => {
    const path = join(dir, name);
    const raw = await readSmall(path);
    const text = raw!.toString('utf8');
    let info: ReturnType<typeof parseEncryptedPrivateKey>;
    try {
      info = parseEncryptedPrivateKey(dearmor(text).encoded, read);
    } catch (e) {
      if (e instanceof HybridKemError && e.code === 'ERR_INVALID_ARGUMENT') throw e; // KdfParameterError: names the parameter and limit
      throw new IdentityError('corrupt', `${path}: ${e instanceof Error ? e.message : String(e)}`, { file: path, cause: e });
    }
    if (info.family !== family || info.suite.name !== suite) {
      throw new IdentityError('mismatch', `${path}: an encrypted ${info.family} key of ${info.suite.name}, ${IDENTITY_FILES.manifest} names ${family} ${suite}`, {
        file: path,
      });
    }
    return { path, text };
  };
  const decrypt = async ({ path, text }: { path: string; text: string }): Promise<Uint8Array> => {
    try {
      return await decryptPrivateKeyArmored(text, options.passphrase, read);
    } catch (e) {
      if (e instanceof HybridKemError && e.code === 'ERR_AUTHENTICATION') {
        throw new IdentityError('authentication', `${path}: wrong passphrase or modified file`, { file: path, cause: e });
      }
      throw e;
    }
  };

  // Every header is checked before the first KDF runs.
  const signingFile = await readKeyFile(IDENTITY_FILES.signingPrivateKey, 'signing', manifest.signing.suite);
  const kemFile = manifest.kem === null ? undefined : await readKeyFile(IDENTITY_FILES.kemPrivateKey, 'kem', manifest.kem.suite);
  if (manifest.kem === null) {
    const strayPath = join(dir, IDENTITY_FILES.kemPrivateKey);
    const stray = await readSmall(strayPath, true);
    if (stray !== undefined) throw new IdentityError('mismatch', `${strayPath}: a KEM private key, ${IDENTITY_FILES.manifest} names none`, { file: strayPath });
  }
  const secrets: Uint8Array[] = [];
  try {
    const signingPrivate = await decrypt(signingFile);
    secrets.push(signingPrivate);
    const kemPrivate = kemFile === undefined ? undefined : await decrypt(kemFile);
    if (kemPrivate !== undefined) secrets.push(kemPrivate);
    if (crypto !== undefined) {
      const s = decodeSigningPrivateKey(signingPrivate);
      try {
        const derived = encodeSigningPublicKey(s.suite, crypto.signer.getPublicKey(s.privateKey));
        if (signingKeyId(derived) !== pub.signingKeyId) {
          const file = join(dir, IDENTITY_FILES.signingPrivateKey);
          throw new IdentityError('mismatch', `${file}: not the private key of ${IDENTITY_FILES.signingPublicKey}`, { file });
        }
      } finally {
        s.privateKey.fill(0);
      }
      if (kemPrivate !== undefined) {
        const k = decodePrivateKey(kemPrivate);
        try {
          const derived = encodePublicKey(k.suite, crypto.hpke.hpkeKem.kem.getPublicKey(k.privateKey));
          if (keyId(derived) !== pub.kemKeyId) {
            const file = join(dir, IDENTITY_FILES.kemPrivateKey);
            throw new IdentityError('mismatch', `${file}: not the private key of ${IDENTITY_FILES.kemPublicKey}`, { file });
          }
        } finally {
          k.privateKey.fill(0);
        }
      }
    }
    return makeIdentity(
      pub.name,
      pub.role,
      kemPrivate === undefined ? undefined : { publicKey: pub.kemPublicKey!, privateKey: kemPrivate },
      { publicKey: pub.signingPublicKey, privateKey: signingPrivate },
    );
  } catch (e) {
    for (const s of secrets) s.fill(0);
    throw e;
  }
}
