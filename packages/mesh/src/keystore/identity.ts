/**
 * Identities kept in a key-storage tier (spec/MESH.md §14). The directory
 * holds what {@link saveIdentity} writes (identity.json, kem.pub,
 * signing.pub), with the private keys as the tier's blobs:
 *
 *     passphrase-file   kem.key, signing.key   armored spec/WIRE-FORMAT.md §8 objects (loadIdentity reads these too)  0600
 *     pkcs11            kem.p11, signing.p11   pkcs11 blobs (./pkcs11.ts)                                              0600
 *
 * Every file is written atomically (seal's writeFileAtomic), identity.json
 * last. Loading checks each file's type and size before reading it, checks
 * the blobs' bindings, and, given the crypto, that each private key gives
 * the public key identity.json and the .pub files name.
 * @module
 */
import { armor, dearmor, decodePrivateKey, decodePublicKey, encodePublicKey, keyId } from '@hybridkem/core';
import { writeFileAtomic } from '@hybridkem/seal/node';
import { decodeSigningPrivateKey, decodeSigningPublicKey, encodeSigningPublicKey, signingKeyId } from '@hybridkem/signing';
import type { MeshCrypto } from '../crypto.js';
import type { StorageTier } from '../directory/record.js';
import { IDENTITY_FILES, IDENTITY_FORMAT_VERSION, loadPublicIdentity, publicIdentity, type MeshIdentity, type PublicIdentity } from '../identity.js';
import { KeyStoreError, type KeyStorageTier, type ProtectedKeyKind } from './tier.js';

/** The private-key file names of each tier. */
export const TIER_KEY_FILES = Object.freeze({
  'passphrase-file': Object.freeze({ kem: IDENTITY_FILES.kemPrivateKey, signing: IDENTITY_FILES.signingPrivateKey }),
  pkcs11: Object.freeze({ kem: 'kem.p11', signing: 'signing.p11' }),
} as const satisfies Record<StorageTier, Record<ProtectedKeyKind, string>>);

const MAX_FILE_BYTES = 16_384;

export interface SaveTieredIdentityOptions {
  /** Replace an identity already in `dir` (default false: `key-exists`). */
  readonly overwrite?: boolean;
}

/**
 * Saves `identity` in `dir` with its private keys protected by `tier`.
 * Both keys are protected before any file is written.
 * @throws {KeyStoreError} `key-exists` when a file is there and `overwrite` is not set; the tier's errors
 */
export async function saveTieredIdentity(dir: string, identity: MeshIdentity, tier: KeyStorageTier, options: SaveTieredIdentityOptions = {}): Promise<void> {
  if (typeof dir !== 'string' || dir === '') throw new KeyStoreError('invalid-argument', 'dir: expected a non-empty path');
  if (identity.role === 'node' && identity.kem === undefined) throw new KeyStoreError('invalid-argument', 'kem: a node has a KEM key pair');
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const names = TIER_KEY_FILES[tier.tier];
  const signingBlob = await tier.protect(identity.signing.privateKey, { identity: identity.name, key: 'signing' });
  const kemBlob = identity.kem === undefined ? undefined : await tier.protect(identity.kem.privateKey, { identity: identity.name, key: 'kem' });
  const blobFile = (b: Uint8Array): string | Uint8Array => (tier.tier === 'passphrase-file' ? armor(b) : b);
  const manifest = {
    version: IDENTITY_FORMAT_VERSION,
    name: identity.name,
    role: identity.role,
    kem: identity.kem === undefined ? null : { suite: decodePublicKey(identity.kem.publicKey).suite.name, keyId: keyId(identity.kem.publicKey) },
    signing: { suite: decodeSigningPublicKey(identity.signing.publicKey).suite.name, keyId: signingKeyId(identity.signing.publicKey) },
  };
  const files: [string, string | Uint8Array, number][] = [
    ...(kemBlob === undefined ? [] : ([[names.kem, blobFile(kemBlob), 0o600]] as [string, string | Uint8Array, number][])),
    [names.signing, blobFile(signingBlob), 0o600],
    ...(identity.kem === undefined ? [] : ([[IDENTITY_FILES.kemPublicKey, armor(identity.kem.publicKey), 0o644]] as [string, string, number][])),
    [IDENTITY_FILES.signingPublicKey, armor(identity.signing.publicKey), 0o644],
    [IDENTITY_FILES.manifest, `${JSON.stringify(manifest, null, 2)}\n`, 0o644],
  ];
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const overwrite = options.overwrite === true;
  if (!overwrite) {
    for (const [name] of files) {
      const there = await fs.lstat(path.join(dir, name)).then(
        () => true,
        () => false,
      );
      if (there) throw new KeyStoreError('key-exists', `${path.join(dir, name)}: exists (pass overwrite: true to replace the identity)`);
    }
  }
  for (const [name, data, mode] of files) await writeFileAtomic(path.join(dir, name), data, { mode, overwrite });
}

export interface LoadTieredIdentityOptions {
  /** When given, each private key must give the identity's public key (a blob swapped in from another identity is refused). */
  readonly crypto?: MeshCrypto;
}

/**
 * Loads the identity in `dir` whose private keys `tier` protects.
 * @throws {IdentityError} for identity.json and the public key files (loadPublicIdentity)
 * @throws {KeyStoreError} `key-not-found` (no blob file of this tier), `malformed`, `mismatch`, `authentication`, the tier's errors
 */
export async function loadTieredIdentity(dir: string, tier: KeyStorageTier, options: LoadTieredIdentityOptions = {}): Promise<MeshIdentity> {
  const pub = await loadPublicIdentity(dir);
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const names = TIER_KEY_FILES[tier.tier];
  const readBlob = async (which: ProtectedKeyKind): Promise<Uint8Array> => {
    const file = path.join(dir, names[which]);
    const st = await fs.lstat(file).catch(() => undefined);
    if (st === undefined) throw new KeyStoreError('key-not-found', `${file}: missing (is the identity in the ${tier.tier} tier?)`);
    if (!st.isFile()) throw new KeyStoreError('malformed', `${file}: not a regular file`);
    if (st.size > MAX_FILE_BYTES) throw new KeyStoreError('malformed', `${file}: ${st.size} bytes, more than ${MAX_FILE_BYTES}`);
    const raw = new Uint8Array(await fs.readFile(file));
    if (tier.tier !== 'passphrase-file') return raw;
    try {
      return dearmor(new TextDecoder('utf-8', { fatal: true }).decode(raw)).encoded;
    } catch (e) {
      throw new KeyStoreError('malformed', `${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  const secrets: Uint8Array[] = [];
  try {
    const signingPrivate = await tier.unprotect(await readBlob('signing'), { identity: pub.name, key: 'signing' });
    secrets.push(signingPrivate);
    const kemPrivate = pub.kemPublicKey === undefined ? undefined : await tier.unprotect(await readBlob('kem'), { identity: pub.name, key: 'kem' });
    if (kemPrivate !== undefined) secrets.push(kemPrivate);
    const crypto = options.crypto;
    if (crypto !== undefined) {
      const s = decodeSigningPrivateKey(signingPrivate);
      try {
        if (signingKeyId(encodeSigningPublicKey(s.suite, crypto.signer.getPublicKey(s.privateKey))) !== pub.signingKeyId) {
          throw new KeyStoreError('mismatch', `${path.join(dir, names.signing)}: not the private key of ${IDENTITY_FILES.signingPublicKey}`);
        }
      } finally {
        s.privateKey.fill(0);
      }
      if (kemPrivate !== undefined) {
        const k = decodePrivateKey(kemPrivate);
        try {
          if (keyId(encodePublicKey(k.suite, crypto.hpke.hpkeKem.kem.getPublicKey(k.privateKey))) !== pub.kemKeyId) {
            throw new KeyStoreError('mismatch', `${path.join(dir, names.kem)}: not the private key of ${IDENTITY_FILES.kemPublicKey}`);
          }
        } finally {
          k.privateKey.fill(0);
        }
      }
    } else {
      // Without the crypto, still decode both strictly (kind, suite, lengths).
      decodeSigningPrivateKey(signingPrivate).privateKey.fill(0);
      if (kemPrivate !== undefined) decodePrivateKey(kemPrivate).privateKey.fill(0);
    }
    const result = withPublicViews(pub, kemPrivate, signingPrivate);
    secrets.length = 0;
    return result;
  } finally {
    for (const s of secrets) s.fill(0);
  }
}

/** A MeshIdentity whose JSON, string and inspect forms are the public part only (as identity.ts's). */
function withPublicViews(pub: PublicIdentity, kemPrivate: Uint8Array | undefined, signingPrivate: Uint8Array): MeshIdentity {
  const publicPart = publicIdentity(pub);
  const summary = `MeshIdentity(${pub.role} ${pub.name}, signing ${pub.signingKeyId}${pub.kemKeyId === undefined ? '' : `, kem ${pub.kemKeyId}`})`;
  const identity = {
    ...publicPart,
    kem: pub.kemPublicKey === undefined || kemPrivate === undefined ? undefined : Object.freeze({ publicKey: pub.kemPublicKey, privateKey: kemPrivate }),
    signing: Object.freeze({ publicKey: pub.signingPublicKey, privateKey: signingPrivate }),
  };
  Object.defineProperties(identity, {
    toJSON: { value: () => publicPart, enumerable: false },
    toString: { value: () => summary, enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => summary, enumerable: false },
  });
  return Object.freeze(identity) as MeshIdentity;
}
