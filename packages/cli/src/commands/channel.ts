/**
 * `hybridkem channel listen` and `hybridkem channel connect`: nc over
 * @hybridkem/transport's Noise channel (spec/TRANSPORT.md §6). stdin goes to
 * the peer, what the peer sends goes to stdout, both ways at once; only
 * authenticated bytes ever reach stdout. Everything on the command line and
 * in the key files is checked before the network is touched.
 * @module
 */
import { listOption, stringOption, UsageError, type ParsedArgs } from '../args.js';
import type { CommandGroup } from '../command-tree.js';
import type { Command, Context } from '../context.js';
import { CliError } from '../output.js';
import { passphraseSource, PASSPHRASE_READ_OPTIONS } from '../passphrase.js';
import { checkMode, MODE_NAMES, parseMode, readPublicKey, readStaticKey, type PublicKeyFile } from './channel-keys.js';
import { CIPHER_NAMES, HASH_NAMES, parseChoice, runChannel } from './channel-run.js';
import { parseHostPort } from './gateway.js';

const MODE_OPTION = {
  type: 'string',
  value: 'M',
  choices: MODE_NAMES,
  description: 'key-exchange mode, which must be the mode of the keys\' suite: classical (DHKEM-X25519-HKDF-SHA256), hybrid (default: every hybrid suite, e.g. X-Wing) or pq-only (ML-KEM-768, ML-KEM-1024)',
} as const;

const COMMON_CHANNEL_OPTIONS = {
  mode: MODE_OPTION,
  cipher: { type: 'string', value: 'C', choices: CIPHER_NAMES, description: 'only this cipher (default: ChaChaPoly, else AESGCM)' },
  hash: { type: 'string', value: 'H', choices: HASH_NAMES, description: 'only this hash (default: SHA256, else SHA512)' },
  verbose: { type: 'boolean', short: 'v', description: 'once the handshake is done, print the protocol name and the peer on stderr' },
  ...PASSPHRASE_READ_OPTIONS,
} as const;

const BEHAVIOUR = [
  'stdin is sent to the peer and what the peer sends is written to stdout, both ways at once, like nc;',
  'the end of stdin is sent as an authenticated close, and the command exits with status 0 once both',
  'directions are closed. A failed handshake, a message that does not authenticate, or a connection',
  'that ends without the peer\'s close is one line on stderr and status 1; stdout only ever gets',
  'bytes that authenticated. The handshake must be done within 30 s. --mode must be the mode of',
  'the keys\' suite (status 2 otherwise).',
  'Keys are the files of "hybridkem keygen --suite S --out PREFIX" (PREFIX.pub, PREFIX.key; an',
  'encrypted key is decrypted with the passphrase of --passphrase-file, --passphrase-env or the terminal).',
];

function required(args: ParsedArgs, command: string, name: string, placeholder: string): string {
  const value = stringOption(args, name);
  if (value === undefined) throw new UsageError(`${command}: --${name} ${placeholder} is required`);
  return value;
}

function rejectJson(args: ParsedArgs, command: string): void {
  if (args.common.json) throw new UsageError(`${command}: --json is not supported (stdout carries the peer's data)`);
}

/** The cipher and hash lists to offer or accept. */
function algorithms(args: ParsedArgs, command: string) {
  const cipher = stringOption(args, 'cipher');
  const hash = stringOption(args, 'hash');
  return {
    ciphers: cipher === undefined ? CIPHER_NAMES : [parseChoice(command, 'cipher', cipher, CIPHER_NAMES)],
    hashes: hash === undefined ? HASH_NAMES : [parseChoice(command, 'hash', hash, HASH_NAMES)],
  };
}

const listen: Command = {
  spec: {
    name: 'listen',
    summary: 'accept one Noise channel connection and carry stdin/stdout over it (like nc -l)',
    usage: [
      'hybridkem channel listen --listen HOST:PORT --key FILE [--allow FILE.pub ...] [--mode M]',
      '                         [--cipher C] [--hash H] [-v] [--passphrase-file FILE | --passphrase-env NAME]',
    ],
    description: [
      'Waits on --listen for one connection and runs the responder of a Noise channel',
      '(spec/TRANSPORT.md §6) with the private key --key. A client without a key of its own runs',
      'pqNK, one with a key pqIK. Without --allow any client is accepted, anonymous or not, and its',
      'key, if any, is not checked; with --allow (repeatable) only a client that proves it holds the',
      'private key of one of those public keys (pqIK) is accepted. It serves that one connection, then',
      'exits (a failed handshake too: status 1); other connections are not accepted meanwhile.',
      ...BEHAVIOUR,
      'It prints "hybridkem channel: listening on HOST:PORT" on stderr once it listens (port 0 picks',
      'a free port).',
    ].join('\n'),
    options: {
      listen: { type: 'string', value: 'HOST:PORT', description: 'where to accept the connection (IPv6 in brackets; port 0: any free port)' },
      key: { type: 'string', value: 'FILE', description: "the server's private key (plain or passphrase-encrypted)" },
      allow: { type: 'string', value: 'FILE.pub', multiple: true, description: 'accept only clients authenticated with this public key' },
      ...COMMON_CHANNEL_OPTIONS,
    },
    examples: [
      'hybridkem keygen --suite X-Wing --out server',
      'hybridkem channel listen --listen 0.0.0.0:7000 --key server.key > received.bin',
      'hybridkem channel listen --listen [::]:7000 --key server.key --allow alice.pub --allow bob.pub',
    ],
  },

  async run(args, ctx) {
    const command = 'channel listen';
    rejectJson(args, command);
    const address = parseHostPort('listen', required(args, command, 'listen', 'HOST:PORT'), { allowZero: true, where: `${command}: --listen` });
    const keyPath = required(args, command, 'key', 'FILE');
    const mode = parseMode(command, stringOption(args, 'mode'));
    const { ciphers, hashes } = algorithms(args, command);
    const passphrase = passphraseSource(args, command);
    const allowed: PublicKeyFile[] = [];
    for (const path of listOption(args, 'allow')) allowed.push(await readPublicKey('allow', path));
    const key = await readStaticKey('key', keyPath, passphrase, () => ctx.backend(), (suite, source) => {
      checkMode(command, mode, suite, source);
      for (const a of allowed) {
        if (a.suite.id !== suite.id) throw new CliError(`${a.source} (${a.suite.name}) and ${source} (${suite.name}) are of different suites`);
      }
    });
    return runChannel({ role: 'listen', command, address, key, allowed, mode, ciphers, hashes, verbose: args.values.verbose === true, ctx });
  },
};

const connect: Command = {
  spec: {
    name: 'connect',
    summary: 'connect to a channel listener and carry stdin/stdout over the Noise channel (like nc)',
    usage: [
      'hybridkem channel connect HOST:PORT --server-key FILE.pub [--key FILE] [--mode M]',
      '                          [--cipher C] [--hash H] [-v] [--passphrase-file FILE | --passphrase-env NAME]',
    ],
    description: [
      'Connects to HOST:PORT and runs the initiator of a Noise channel (spec/TRANSPORT.md §6) to the',
      'server whose public key is --server-key: pqNK (the client stays anonymous), or with --key, a',
      'private key of the same suite, pqIK (the client is authenticated to the server).',
      ...BEHAVIOUR,
    ].join('\n'),
    positionals: ['HOST:PORT'],
    options: {
      'server-key': { type: 'string', value: 'FILE.pub', description: "the server's public key: the handshake fails unless the server holds its private key" },
      key: { type: 'string', value: 'FILE', description: "the client's own private key (plain or passphrase-encrypted): pqIK instead of pqNK" },
      ...COMMON_CHANNEL_OPTIONS,
    },
    examples: [
      'hybridkem channel connect server.example:7000 --server-key server.pub < file.bin',
      'hybridkem channel connect [::1]:7000 --server-key server.pub --key alice.key',
    ],
  },

  async run(args, ctx: Context) {
    const command = 'channel connect';
    rejectJson(args, command);
    const address = parseHostPort('HOST:PORT', args.positionals[0]!, { where: `${command}: HOST:PORT` });
    const serverKeyPath = required(args, command, 'server-key', 'FILE.pub');
    const mode = parseMode(command, stringOption(args, 'mode'));
    const { ciphers, hashes } = algorithms(args, command);
    const passphrase = passphraseSource(args, command);
    const server = await readPublicKey('server-key', serverKeyPath);
    checkMode(command, mode, server.suite, server.source);
    const keyPath = stringOption(args, 'key');
    const key =
      keyPath === undefined
        ? undefined
        : await readStaticKey('key', keyPath, passphrase, () => ctx.backend(), (suite, source) => {
            if (suite.id !== server.suite.id) throw new CliError(`${source} (${suite.name}) and ${server.source} (${server.suite.name}) are of different suites`);
          });
    return runChannel({ role: 'connect', command, address, key, server, mode, ciphers, hashes, verbose: args.values.verbose === true, ctx });
  },
};

export const channelGroup: CommandGroup = {
  spec: {
    name: 'channel',
    summary: 'an encrypted, authenticated pipe over TCP: a post-quantum Noise channel, like nc',
    description: [
      'The Noise channel of @hybridkem/transport (spec/TRANSPORT.md §6): PQNoise\'s pqNK and pqIK',
      'patterns over the suite of the server\'s key (hybrid by default), ChaCha20-Poly1305 or',
      'AES-256-GCM, SHA-256 or SHA-512.',
    ].join('\n'),
  },
  subcommands: [listen, connect],
};

