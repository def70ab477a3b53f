/**
 * Reading wire objects from files (armored text or binary), KEM and signing
 * alike; writing key files (the private key created with mode 0600, never
 * over an existing file unless asked to) and output files; streaming the
 * message a signature covers.
 * @module
 */
import { createReadStream } from 'node:fs';
import { lstat, open, rm, stat } from 'node:fs/promises';
import {
  dearmor,
  decodeObject,
  isArmored,
  Kind,
  KIND_NAMES,
  WIRE_VERSION,
  WrongKindError,
  type Suite,
  type DecodedObject,
  type KemKindName,
} from '@hybridkem/core';
import { parseEncryptedPrivateKey, type EncryptedPrivateKeyInfo } from '@hybridkem/seal';
import { writeFileAtomic } from '@hybridkem/seal/node';
import { decodeSigningObject, type DecodedSigningObject, type SignatureSuite, type SigningKindName } from '@hybridkem/signing';
import { CliError } from './output.js';

/** Larger than any armored v1 object (core reads at most 16 KiB of armor). */
const MAX_INPUT_BYTES = 64 * 1024;

interface FileInfo {
  readonly path: string;
  readonly format: 'armored' | 'binary';
  /** The encoded v1 object (header included). */
  readonly encoded: Uint8Array;
  /** File mode bits (permissions), for the private-key check. */
  readonly mode: number;
}

/** A KEM object read from a file. */
export interface WireFile extends DecodedObject, FileInfo {}

/** A composite-signature object (signing key or signature) read from a file. */
export interface SigningFile extends DecodedSigningObject, FileInfo {}

/** Either family, told apart by the kind byte. */
export type AnyFile = ({ readonly family: 'kem' } & WireFile) | ({ readonly family: 'signing' } & SigningFile);

const SIGNING_KINDS: readonly string[] = ['signingPublicKey', 'signingPrivateKey', 'signature'];

/** "no such file or directory" from a Node fs error, else its message. */
function fsReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const m = /^[A-Z]+: ([^,]+)/.exec(e?.message ?? '');
  return m ? m[1]! : String(e?.message ?? error);
}

/**
 * Reads one wire object and decodes it with `decode`; errors start with
 * `what`, the source (e.g. "--public-key key.pub"). The armored text is
 * wiped once decoded (it may hold a private key).
 */
async function readObject<T>(path: string, what: string, decode: (encoded: Uint8Array) => T): Promise<T & FileInfo> {
  let bytes: Uint8Array;
  let mode: number;
  try {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new CliError(`${what}: not a regular file`);
      if (st.size > MAX_INPUT_BYTES) {
        throw new CliError(`${what}: file is ${st.size} bytes, larger than any hybridkem object`);
      }
      mode = st.mode & 0o777;
      bytes = new Uint8Array(await handle.readFile());
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${what}: cannot read: ${fsReason(error)}`, { cause: error });
  }
  try {
    const text = new TextDecoder('utf-8').decode(bytes);
    const armored = isArmored(text);
    const encoded = armored ? dearmor(text).encoded : bytes;
    const decoded = decode(encoded);
    if (armored) bytes.fill(0);
    return { ...decoded, path, format: armored ? 'armored' : 'binary', encoded, mode };
  } catch (error) {
    bytes.fill(0);
    throw new CliError(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Reads and strictly decodes one KEM wire object. `what` names the source in
 * errors (e.g. "--public-key key.pub"); `kind`, when given, is the kind the
 * caller needs (ERR_WRONG_KIND otherwise).
 */
export function readWireFile(path: string, what: string, kind?: KemKindName): Promise<WireFile> {
  return readObject(path, what, (encoded) => decodeObject(encoded, kind));
}

/** Reads and strictly decodes one composite-signature object (signing key or signature). */
export function readSigningFile(path: string, what: string, kind?: SigningKindName): Promise<SigningFile> {
  return readObject(path, what, (encoded) => decodeSigningObject(encoded, kind));
}

/** A private KEM key file: a v1 private key, or a passphrase-encrypted one (kind 0x08) whose body is the whole object. */
export interface PrivateKeyFile extends FileInfo {
  readonly kind: 'privateKey' | 'encryptedPrivateKey';
  /** The wrapped key's suite (read from the header for kind 0x08). */
  readonly suite: Suite;
  /** The 32-byte seed (kind 0x02) or the encoded encrypted key (kind 0x08). Wipe it. */
  readonly body: Uint8Array;
}

const isEncrypted = (encoded: Uint8Array) => encoded.length >= 2 && encoded[0] === WIRE_VERSION && encoded[1] === Kind.encryptedPrivateKey;

/** The kind an encrypted key wraps, in ERR_WRONG_KIND messages: "encryptedPrivateKey (signingPrivateKey)". */
const wrapped = (info: EncryptedPrivateKeyInfo) => `encryptedPrivateKey (${info.wrappedKind})`;

/**
 * Reads a private KEM key file, plain or passphrase-encrypted (spec/WIRE-FORMAT.md §8);
 * the encrypted one's header is checked (KDF parameters within the read limits) but
 * not decrypted. An encrypted signing key is ERR_WRONG_KIND, before any passphrase.
 */
export function readPrivateKeyFile(path: string, what: string): Promise<PrivateKeyFile> {
  return readObject(path, what, (encoded) => {
    if (isEncrypted(encoded)) {
      const info = parseEncryptedPrivateKey(encoded);
      if (info.family !== 'kem') throw new WrongKindError('privateKey or encryptedPrivateKey (privateKey)', wrapped(info));
      return { kind: 'encryptedPrivateKey' as const, suite: info.suite, body: encoded };
    }
    const o = decodeObject(encoded, 'privateKey');
    return { kind: 'privateKey' as const, suite: o.suite, body: o.body };
  });
}

/** A private signing key file: a v1 signing private key, or a passphrase-encrypted one (kind 0x08). */
export interface SigningPrivateKeyFile extends FileInfo {
  readonly kind: 'signingPrivateKey' | 'encryptedPrivateKey';
  /** The key's suite (read from the header for kind 0x08). */
  readonly suite: SignatureSuite;
  /** The raw composite private key (kind 0x06) or the encoded encrypted key (kind 0x08). Wipe it. */
  readonly body: Uint8Array;
}

/**
 * Reads a signing private key file, plain (kind 0x06) or passphrase-encrypted
 * (kind 0x08 wrapping 0x06, spec/WIRE-FORMAT.md §8), header checked, not
 * decrypted. An encrypted KEM key is ERR_WRONG_KIND, before any passphrase.
 */
export function readSigningPrivateKeyFile(path: string, what: string): Promise<SigningPrivateKeyFile> {
  return readObject(path, what, (encoded) => {
    if (isEncrypted(encoded)) {
      const info = parseEncryptedPrivateKey(encoded);
      if (info.family !== 'signing') throw new WrongKindError('signingPrivateKey or encryptedPrivateKey (signingPrivateKey)', wrapped(info));
      return { kind: 'encryptedPrivateKey' as const, suite: info.suite, body: encoded };
    }
    const o = decodeSigningObject(encoded, 'signingPrivateKey');
    return { kind: 'signingPrivateKey' as const, suite: o.suite, body: o.body };
  });
}

/** A passphrase-encrypted key file of either family: its header, read without the passphrase. */
export interface EncryptedKeyFile extends FileInfo {
  readonly info: EncryptedPrivateKeyInfo;
}

/** Reads a passphrase-encrypted private key file (kind 0x08) of either family, for inspect; not decrypted. */
export function readEncryptedKeyFile(path: string, what: string): Promise<EncryptedKeyFile> {
  return readObject(path, what, (encoded) => {
    if (!isEncrypted(encoded)) throw new WrongKindError('encryptedPrivateKey', KIND_NAMES[encoded[1] ?? -1] ?? 'another object');
    return { info: parseEncryptedPrivateKey(encoded) };
  });
}

/** Reads any v1 object: the kind byte picks the KEM or the signing decoder. */
export function readAnyFile(path: string, what: string): Promise<AnyFile> {
  return readObject(path, what, (encoded): DecodedObject & { family: 'kem' } | DecodedSigningObject & { family: 'signing' } => {
    const kind = encoded.length >= 2 ? KIND_NAMES[encoded[1]!] : undefined;
    return kind !== undefined && SIGNING_KINDS.includes(kind)
      ? { family: 'signing', ...decodeSigningObject(encoded) }
      : { family: 'kem', ...decodeObject(encoded) };
  }) as Promise<AnyFile>;
}

/** True when group or others may read or write the file (POSIX only). */
export function isExposed(mode: number): boolean {
  return process.platform !== 'win32' && (mode & 0o077) !== 0;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `path` with `mode` through @hybridkem/seal's writeFileAtomic (the
 * key store's writer too, one copy of the logic): a temporary file beside
 * it, created exclusively with the mode, fchmod'ed and fsync'ed through its
 * handle, then renamed over `path` (with `force`) or hard-linked to it (which
 * fails when `path` exists, so nothing is ever overwritten without `force`),
 * then the directory fsync'ed. A crash leaves the old file or the complete
 * new one, never an empty key file.
 */
async function createFile(path: string, data: string, mode: number, force: boolean): Promise<void> {
  try {
    await writeFileAtomic(path, data, { mode, overwrite: force });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && !force) {
      throw new CliError(`${path} already exists (use --force to overwrite)`);
    }
    throw new CliError(`cannot write ${path}: ${fsReason(error)}`, { cause: error });
  }
}

export interface KeyFiles {
  readonly publicKey: string;
  readonly privateKey: string;
}

/** Writes PREFIX.pub (0644 before umask) and PREFIX.key (0600); all or nothing. */
export async function writeKeyFiles(prefix: string, publicText: string, privateText: string, force: boolean): Promise<KeyFiles> {
  const files: KeyFiles = { publicKey: `${prefix}.pub`, privateKey: `${prefix}.key` };
  if (!force) {
    for (const p of [files.publicKey, files.privateKey]) {
      if (await exists(p)) throw new CliError(`${p} already exists (use --force to overwrite)`);
    }
  }
  const created: string[] = [];
  try {
    await createFile(files.privateKey, privateText, 0o600, force);
    created.push(files.privateKey);
    await createFile(files.publicKey, publicText, 0o644, force);
    created.push(files.publicKey);
  } catch (error) {
    for (const p of created) await rm(p, { force: true });
    throw error;
  }
  return files;
}

interface Named {
  readonly id: number;
  readonly name: string;
}

/** --suite, when given alongside a file, must name the file's suite. */
export function checkSuiteAgrees(suiteOption: Named | undefined, file: { readonly suite: Named }, what: string): void {
  if (suiteOption !== undefined && suiteOption.id !== file.suite.id) {
    throw new CliError(`--suite ${suiteOption.name} does not match ${what}, which is ${file.suite.name}`);
  }
}

/**
 * Writes a non-secret output file (a signature), replacing an existing one
 * only once the new content is complete: written beside it, then renamed.
 */
export async function writeOutputFile(path: string, data: string): Promise<void> {
  await createFile(path, data, 0o644, true);
}

/**
 * The bytes of FILE (`-`: stdin) as a stream of chunks, for signing and
 * verifying in bounded memory whatever the size. Read errors become one-line
 * errors naming `what`.
 */
export async function messageChunks(path: string, what: string): Promise<AsyncIterable<Uint8Array>> {
  if (path === '-') return wrapReadErrors(process.stdin, what);
  // Checked now, so that a missing file is reported before any work.
  let st;
  try {
    st = await stat(path);
  } catch (error) {
    throw new CliError(`${what}: cannot read: ${fsReason(error)}`, { cause: error });
  }
  if (st.isDirectory()) throw new CliError(`${what}: is a directory`);
  return wrapReadErrors(createReadStream(path, { highWaterMark: 1 << 20 }), what);
}

async function* wrapReadErrors(stream: AsyncIterable<Uint8Array>, what: string): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    throw new CliError(`${what}: cannot read: ${fsReason(error)}`, { cause: error });
  }
}
