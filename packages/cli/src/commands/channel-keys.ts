/**
 * The key files and the key-exchange mode of `hybridkem channel`: the
 * CLI's own key formats (a KEM public key for --server-key and --allow, a
 * private key, plain or passphrase-encrypted, for --key), and the check that
 * --mode agrees with the keys' suite (spec/TRANSPORT.md §6.2: classical is
 * DHKEM-X25519-HKDF-SHA256, pq-only ML-KEM-768 and ML-KEM-1024, hybrid every
 * hybrid suite: core's Suite.family).
 * @module
 */
import { createKem, encodePublicKey, keyId, type Backend, type Suite } from '@hybridkem/core';
import { UsageError } from '../args.js';
import { isExposed, readPrivateKeyFile, readWireFile } from '../files.js';
import { unlockIdentity } from '../identities.js';
import { warn } from '../output.js';
import type { PassphraseSource } from '../passphrase.js';

export const MODE_NAMES = Object.freeze(['classical', 'hybrid', 'pq-only'] as const);
export type ModeName = (typeof MODE_NAMES)[number];

/** The mode of each suite family (spec/TRANSPORT.md §6.2; core's Suite.family). */
const MODE_OF_FAMILY: Readonly<Record<Suite['family'], ModeName>> = Object.freeze({ classical: 'classical', hybrid: 'hybrid', pq: 'pq-only' });

/** The mode a suite belongs to. */
export function modeOfSuite(suite: Suite): ModeName {
  return MODE_OF_FAMILY[suite.family];
}

export function parseMode(command: string, value: string | undefined): ModeName {
  if (value === undefined) return 'hybrid';
  if (!(MODE_NAMES as readonly string[]).includes(value)) {
    throw new UsageError(`${command}: --mode: unknown mode ${JSON.stringify(value.slice(0, 40))}, expected one of ${MODE_NAMES.join(', ')}`);
  }
  return value as ModeName;
}

/** --mode must be the mode of the keys' suite: a usage error naming the file and its suite otherwise. */
export function checkMode(command: string, mode: ModeName, suite: Suite, what: string): void {
  const actual = modeOfSuite(suite);
  if (actual !== mode) {
    throw new UsageError(`${command}: --mode ${mode} does not match ${what}, whose suite ${suite.name} is mode ${actual}`);
  }
}

export interface PublicKeyFile {
  readonly suite: Suite;
  readonly publicKey: Uint8Array;
  readonly keyId: string;
  /** "--server-key server.pub", for errors. */
  readonly source: string;
}

/** A KEM public key file (armored or binary). */
export async function readPublicKey(flag: string, path: string): Promise<PublicKeyFile> {
  const source = `--${flag} ${path}`;
  const file = await readWireFile(path, source, 'publicKey');
  return { suite: file.suite, publicKey: file.body, keyId: keyId(file.encoded), source };
}

export interface StaticKey {
  readonly suite: Suite;
  readonly publicKey: Uint8Array;
  /** The private key (the suite's seed). Secret: wipe it. */
  readonly privateKey: Uint8Array;
  readonly keyId: string;
  readonly source: string;
}

/**
 * A private key file, decrypted with the passphrase source if it is
 * encrypted, and its public key. `check` sees the suite (read from the
 * header of an encrypted key) before any passphrase is asked for. Warns, as
 * the other commands do, when group or others can read the file.
 */
export async function readStaticKey(
  flag: string,
  path: string,
  passphrase: PassphraseSource,
  backend: () => Promise<Backend>,
  check: (suite: Suite, source: string) => void,
): Promise<StaticKey> {
  const source = `--${flag} ${path}`;
  const file = await readPrivateKeyFile(path, source);
  let unlocked: { suite: Suite; seed: Uint8Array };
  try {
    check(file.suite, source);
    if (isExposed(file.mode)) warn(`${path} is accessible by group or others (mode ${file.mode.toString(8).padStart(4, '0')}); chmod 600 it`);
    unlocked = await unlockIdentity({ file, source }, passphrase);
  } finally {
    file.body.fill(0);
    file.encoded.fill(0);
  }
  try {
    const publicKey = createKem(unlocked.suite, await backend()).getPublicKey(unlocked.seed);
    return { suite: unlocked.suite, publicKey, privateKey: unlocked.seed, keyId: keyId(encodePublicKey(unlocked.suite, publicKey)), source };
  } catch (error) {
    unlocked.seed.fill(0);
    throw error;
  }
}
