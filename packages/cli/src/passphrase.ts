/**
 * Passphrases for encrypted private keys (kind 0x08, spec/WIRE-FORMAT.md §8):
 * from --passphrase-file FILE, from the environment variable named by
 * --passphrase-env NAME, or asked for on the terminal (/dev/tty, so that
 * stdin and stdout stay free for data) without echo — the sources
 * ssh-keygen, gpg and age offer. Passphrases never appear in a message.
 * @module
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { decodePrivateKey, HybridKemError, type Suite } from '@hybridkem/core';
import { decryptPrivateKey } from '@hybridkem/seal';
import { decodeSigningPrivateKey, type SignatureSuite } from '@hybridkem/signing';
import { stringOption, UsageError, type OptionSpec, type ParsedArgs } from './args.js';
import type { PrivateKeyFile, SigningPrivateKeyFile } from './files.js';
import { CliError } from './output.js';
import { fsReason } from './sealing.js';

export const PASSPHRASE_READ_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.freeze({
  'passphrase-file': {
    type: 'string',
    value: 'FILE',
    description: "passphrase of an encrypted key: the file's first line (default: asked on the terminal)",
  },
  'passphrase-env': {
    type: 'string',
    value: 'NAME',
    description: 'passphrase of an encrypted key: the value of the environment variable NAME',
  },
});

/** A passphrase file holds one line; more than this is not a passphrase file. */
const MAX_PASSPHRASE_FILE_BYTES = 4096;

export interface PassphraseSource {
  /**
   * The passphrase for `what` (a file name, in the prompt). With `confirm`, a
   * prompt asks twice and fails when the two differ. Secret.
   */
  get(what: string, confirm: boolean): Promise<string>;
}

/** --passphrase-file, --passphrase-env or the terminal (at most one of the first two). */
export function passphraseSource(args: ParsedArgs, command: string): PassphraseSource {
  const file = stringOption(args, 'passphrase-file');
  const env = stringOption(args, 'passphrase-env');
  if (file !== undefined && env !== undefined) throw new UsageError(`${command}: give only one of --passphrase-file and --passphrase-env`);
  if (file !== undefined) {
    return {
      async get() {
        let text: string;
        try {
          const bytes = readFileSync(file);
          if (bytes.length > MAX_PASSPHRASE_FILE_BYTES) throw new CliError(`--passphrase-file ${file}: more than ${MAX_PASSPHRASE_FILE_BYTES} bytes`);
          text = bytes.toString('utf8');
        } catch (error) {
          if (error instanceof CliError) throw error;
          throw new CliError(`--passphrase-file ${file}: cannot read: ${fsReason(error)}`, { cause: error });
        }
        const line = text.split(/\r?\n/, 1)[0]!;
        if (line === '') throw new CliError(`--passphrase-file ${file}: the first line is empty`);
        return line;
      },
    };
  }
  if (env !== undefined) {
    return {
      async get() {
        const value = process.env[env];
        if (value === undefined) throw new CliError(`--passphrase-env: ${env.slice(0, 64)} is not set`);
        if (value === '') throw new CliError(`--passphrase-env: ${env.slice(0, 64)} is empty`);
        return value;
      },
    };
  }
  return {
    async get(what, confirm) {
      const first = await promptHidden(`Passphrase for ${what}: `);
      if (first === '') throw new CliError('passphrase: empty, nothing entered');
      if (confirm && (await promptHidden('Repeat the passphrase: ')) !== first) throw new CliError('passphrase: the two entries differ');
      return first;
    },
  };
}

/** Asks on /dev/tty with echo off (raw mode); Enter ends, Backspace and Ctrl-U edit, Ctrl-C and Ctrl-D give up. */
function promptHidden(prompt: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new CliError('passphrase: no terminal to ask on; use --passphrase-file FILE or --passphrase-env NAME');
  }
  const input = new ReadStream(fd);
  input.setRawMode(true);
  writeSync(fd, prompt);
  return new Promise((resolve, reject) => {
    let entered = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      writeSync(fd, '\n');
      input.destroy();
      if (error) reject(error);
      else resolve(entered);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CliError('passphrase: interrupted'));
        if (ch === '\u0004') return finish(new CliError('passphrase: input ended'));
        if (ch === '\u007f' || ch === '\b') entered = Array.from(entered).slice(0, -1).join('');
        else if (ch === '\u0015') entered = '';
        else if (ch >= ' ') entered += ch;
      }
    };
    input.on('data', onData);
    input.on('error', (error) => finish(new CliError(`passphrase: cannot read the terminal: ${fsReason(error)}`)));
  }).finally(() => {
    try {
      closeSync(fd);
    } catch {
      // closed with the stream
    }
  }) as Promise<string>;
}

/** The encoded private key of an encrypted key file; a wrong passphrase is one line naming the file. Secret. */
async function decryptFile(file: { readonly path: string; readonly body: Uint8Array }, source: string, passphrase: PassphraseSource): Promise<Uint8Array> {
  const pass = await passphrase.get(file.path, false);
  try {
    return await decryptPrivateKey(file.body, pass);
  } catch (error) {
    if (error instanceof HybridKemError) throw new CliError(`${source}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Decrypts an encrypted key file: its suite and seed. A wrong passphrase is one line naming the file. Secret: wipe the seed. */
export async function decryptKeyFile(
  file: PrivateKeyFile,
  source: string,
  passphrase: PassphraseSource,
): Promise<{ suite: Suite; seed: Uint8Array }> {
  const encoded = await decryptFile(file, source, passphrase);
  try {
    const { suite, privateKey } = decodePrivateKey(encoded);
    return { suite, seed: privateKey };
  } finally {
    encoded.fill(0);
  }
}

/**
 * Decrypts an encrypted signing key file (kind 0x08 wrapping 0x06,
 * spec/WIRE-FORMAT.md §8): its suite and raw composite private key. A wrong
 * passphrase is one line naming the file. Secret: wipe the private key.
 */
export async function decryptSigningKeyFile(
  file: SigningPrivateKeyFile,
  source: string,
  passphrase: PassphraseSource,
): Promise<{ suite: SignatureSuite; privateKey: Uint8Array }> {
  const encoded = await decryptFile(file, source, passphrase);
  try {
    // decryptPrivateKey checked it with this decoder already (the header named a signing suite).
    return decodeSigningPrivateKey(encoded);
  } finally {
    encoded.fill(0);
  }
}
