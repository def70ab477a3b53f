/**
 * What the signing commands share: the key id of a signing public key, the
 * --context / --context-hex options, and the private key from --key or
 * --private-key-hex.
 * @module
 */
import { createHash } from 'node:crypto';
import { hexToBytes, KEY_ID_LENGTH } from '@hybridkem/core';
import { decodeSigningPublicKey, MAX_CONTEXT_LENGTH, type SignatureSuite } from '@hybridkem/signing';
import { parseHex, stringOption, UsageError, type ParsedArgs } from './args.js';
import { checkSuiteAgrees, isExposed, readSigningPrivateKeyFile } from './files.js';
import { CliError, warn } from './output.js';
import { decryptSigningKeyFile, passphraseSource } from './passphrase.js';

/**
 * The key id of an encoded signing public key: the rule of core's keyId()
 * (spec/WIRE-FORMAT.md §4), SHA-256 of the encoded object, first 16 bytes,
 * which core applies to KEM public keys only.
 */
export function signingKeyId(encodedPublicKey: Uint8Array): string {
  decodeSigningPublicKey(encodedPublicKey);
  return createHash('sha256').update(encodedPublicKey).digest().subarray(0, KEY_ID_LENGTH).toString('hex');
}

export const CONTEXT_OPTIONS = {
  context: {
    type: 'string',
    value: 'S',
    description: `application context, a UTF-8 string of at most ${MAX_CONTEXT_LENGTH} bytes (default: empty)`,
  },
  'context-hex': { type: 'string', value: 'HEX', description: 'the context as hex instead' },
} as const;

/** The context bytes of --context (UTF-8) or --context-hex; empty when neither is given. */
export function parseContext(args: ParsedArgs, command: string): Uint8Array {
  const text = stringOption(args, 'context');
  const hex = stringOption(args, 'context-hex');
  if (text !== undefined && hex !== undefined) throw new UsageError(`${command}: give only one of --context and --context-hex`);
  const context = text !== undefined ? new TextEncoder().encode(text) : hex !== undefined ? hexToBytes('context', hex.trim()) : new Uint8Array(0);
  if (context.length > MAX_CONTEXT_LENGTH) {
    throw new CliError(`context: at most ${MAX_CONTEXT_LENGTH} bytes, got ${context.length}`);
  }
  return context;
}

/** "0xfe02" */
export function suiteIdHex(suite: { readonly id: number }): string {
  return `0x${suite.id.toString(16).padStart(4, '0')}`;
}

/**
 * A signing private key from a file (`fileOption`: plain, or passphrase-encrypted
 * and then decrypted with the passphrase of --passphrase-file, --passphrase-env
 * or the terminal) or from --private-key-hex with --suite. Secret: wipe it.
 */
export async function readSigningPrivateKey(
  args: ParsedArgs,
  command: string,
  fileOption: string,
  suiteOption: SignatureSuite | undefined,
): Promise<{ suite: SignatureSuite; privateKey: Uint8Array }> {
  const path = stringOption(args, fileOption);
  const hex = stringOption(args, 'private-key-hex');
  if ((path === undefined) === (hex === undefined)) {
    throw new UsageError(`${command}: ${path === undefined ? 'give one' : 'give only one'} of --${fileOption} and --private-key-hex`);
  }
  if (path !== undefined) {
    const what = `--${fileOption} ${path}`;
    const file = await readSigningPrivateKeyFile(path, what);
    if (file.kind === 'signingPrivateKey') file.encoded.fill(0);
    if (isExposed(file.mode)) {
      warn(`${path} is accessible by group or others (mode ${file.mode.toString(8).padStart(4, '0')}); chmod 600 it`);
    }
    try {
      // Before the passphrase: a suite mismatch costs no KDF run.
      checkSuiteAgrees(suiteOption, file, what);
      if (file.kind === 'encryptedPrivateKey') return await decryptSigningKeyFile(file, what, passphraseSource(args, command));
    } catch (error) {
      file.body.fill(0);
      throw error;
    }
    return { suite: file.suite, privateKey: file.body };
  }
  if (suiteOption === undefined) throw new UsageError(`${command}: --private-key-hex needs --suite`);
  return { suite: suiteOption, privateKey: parseHex('privateKey', hex!, suiteOption.lengths.privateKey) };
}
