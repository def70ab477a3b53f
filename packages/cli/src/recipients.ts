/**
 * The recipients of `seal`: -r/--recipient FILE (one public key file each,
 * armored or binary) and -R/--recipients-file FILE (several armored public
 * keys in one file, one per block, with # comments and blank lines), the
 * same flags as age (age-encryption.org/v1, age(1)).
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { dearmor, decodeObject, type Suite } from '@hybridkem/core';
import { listOption, type OptionSpec, type ParsedArgs } from './args.js';
import { readWireFile } from './files.js';
import { CliError } from './output.js';
import { fsReason } from './sealing.js';

/** A recipients file holds keys of about 1.7 KiB of armor each: 1 MiB is thousands of them. */
const MAX_RECIPIENTS_FILE_BYTES = 1 << 20;

export const RECIPIENT_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.freeze({
  recipient: {
    type: 'string',
    short: 'r',
    value: 'FILE',
    aliases: ['to'],
    multiple: true,
    description: 'recipient public key file (armored or binary; a KEM key of any suite)',
  },
  'recipients-file': {
    type: 'string',
    short: 'R',
    value: 'FILE',
    multiple: true,
    description: 'file of armored public keys, one per block; lines starting with # and blank lines are skipped',
  },
});

export interface Recipient {
  readonly suite: Suite;
  /** The raw public key. */
  readonly publicKey: Uint8Array;
  /** Where it came from, for errors: "-r alice.pub" or "-R team.txt (key 2)". */
  readonly source: string;
}

/**
 * The public keys of a recipients file. Outside a BEGIN … END block only
 * blank lines and # comments may appear; an error names the line, never its
 * content (a private key pasted there by mistake must not be echoed).
 */
export function parseRecipientsFile(text: string, what: string): Recipient[] {
  const lines = text.split(/\r?\n/);
  const keys: Recipient[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith('-----BEGIN ')) throw new CliError(`${what}: line ${i + 1}: expected an armored public key, a # comment or a blank line`);
    const start = i;
    while (i < lines.length && !lines[i]!.trim().startsWith('-----END ')) i++;
    if (i === lines.length) throw new CliError(`${what}: line ${start + 1}: armored block without its END line`);
    const source = `${what} (key ${keys.length + 1}, line ${start + 1})`;
    try {
      const block = `${lines.slice(start, i + 1).map((l) => l.trim()).join('\n')}\n`;
      const { suite, body } = decodeObject(dearmor(block).encoded, 'publicKey');
      keys.push({ suite, publicKey: body, source });
    } catch (error) {
      throw new CliError(`${source}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  if (keys.length === 0) throw new CliError(`${what}: no public keys in the file`);
  return keys;
}

async function readRecipientsFile(path: string): Promise<Recipient[]> {
  const what = `-R ${path}`;
  let text: string;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new CliError(`${what}: not a regular file`);
    if (st.size > MAX_RECIPIENTS_FILE_BYTES) throw new CliError(`${what}: file is ${st.size} bytes, more than ${MAX_RECIPIENTS_FILE_BYTES}`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${what}: cannot read: ${fsReason(error)}`, { cause: error });
  }
  return parseRecipientsFile(text, what);
}

/** Every recipient of -r and -R, in the order given (-r first). */
export async function readRecipients(args: ParsedArgs): Promise<Recipient[]> {
  const out: Recipient[] = [];
  for (const path of listOption(args, 'recipient')) {
    const source = `--recipient ${path}`;
    const file = await readWireFile(path, source, 'publicKey');
    out.push({ suite: file.suite, publicKey: file.body, source });
  }
  for (const path of listOption(args, 'recipients-file')) out.push(...(await readRecipientsFile(path)));
  return out;
}
