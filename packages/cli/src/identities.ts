/**
 * Private KEM keys of the commands that decrypt (open, decapsulate):
 * -i/--identity FILE, repeatable for open, the name age uses
 * (age-encryption.org/v1, age(1)). A file holds a v1 private key (kind
 * 0x02) or a passphrase-encrypted one (kind 0x08, spec/WIRE-FORMAT.md §8),
 * which is decrypted only when it is needed.
 * @module
 */
import { createKem, encodePublicKey, keyId, type Backend, type Suite } from '@hybridkem/core';
import type { OptionSpec } from './args.js';
import { isExposed, readPrivateKeyFile, type PrivateKeyFile } from './files.js';
import { warn } from './output.js';
import { decryptKeyFile, type PassphraseSource } from './passphrase.js';

export function identityOption(description: string, alias: string, multiple: boolean): OptionSpec {
  return { type: 'string', short: 'i', value: 'FILE', aliases: [alias], ...(multiple ? { multiple: true } : {}), description };
}

export interface Identity {
  readonly file: PrivateKeyFile;
  /** "--identity alice.key", for errors. */
  readonly source: string;
}

/** Reads the identity files (not yet decrypting any), warning about those others can read. */
export async function readIdentities(paths: readonly string[]): Promise<Identity[]> {
  const out: Identity[] = [];
  for (const path of paths) {
    const source = `--identity ${path}`;
    const file = await readPrivateKeyFile(path, source);
    if (isExposed(file.mode)) {
      warn(`${path} is accessible by group or others (mode ${file.mode.toString(8).padStart(4, '0')}); chmod 600 it`);
    }
    out.push({ file, source });
  }
  return out;
}

/** The 32-byte private key (seed) of an identity, decrypting it if it is encrypted. Secret: the caller wipes it. */
export async function unlockIdentity(identity: Identity, passphrase: PassphraseSource): Promise<{ suite: Suite; seed: Uint8Array }> {
  const { file } = identity;
  if (file.kind === 'privateKey') return { suite: file.suite, seed: file.body.slice() };
  return decryptKeyFile(file, identity.source, passphrase);
}

/** The key id (spec §4) of the public key of `seed`. */
export function identityKeyId(suite: Suite, seed: Uint8Array, backend: Backend): string {
  return keyId(encodePublicKey(suite, createKem(suite, backend).getPublicKey(seed)));
}

/** Wipes what the identity files hold (the seeds of unencrypted keys). */
export function wipeIdentities(identities: readonly Identity[]): void {
  for (const { file } of identities) {
    file.body.fill(0);
    file.encoded.fill(0);
  }
}
