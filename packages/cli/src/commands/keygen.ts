import { armor, createKem, encodePrivateKey, encodePublicKey, keyId } from '@hybridkem/core';
import { parseHex, parseSuite, stringOption, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { writeKeyFiles } from '../files.js';
import { hex, toJson } from '../output.js';

export const keygen: Command = {
  spec: {
    name: 'keygen',
    summary: 'generate a key pair',
    usage: ['hybridkem keygen --suite S [--seed HEX] [--out PREFIX [--force]] [--json] [--backend NAME]'],
    description: [
      'Without --out, prints the armored public key and then the armored private key.',
      'With --out, writes PREFIX.pub and PREFIX.key (the private key, created with mode 0600)',
      'and refuses to overwrite either file unless --force is given.',
      '--json prints {suite, publicKey, privateKey, keyId, encoded}; with --out it leaves the',
      'private key out of stdout and names the files instead.',
    ].join('\n'),
    options: {
      suite: { type: 'string', value: 'S', description: 'suite name, e.g. X-Wing, X25519-MLKEM768, MLKEM768-P256' },
      seed: { type: 'string', value: 'HEX', description: '32-byte seed (the private key) for a deterministic key; default random' },
      out: { type: 'string', value: 'PREFIX', description: 'write PREFIX.pub and PREFIX.key instead of printing them' },
      force: { type: 'boolean', description: 'with --out: overwrite existing files' },
    },
    examples: [
      'hybridkem keygen --suite X-Wing --out alice',
      'hybridkem keygen --suite X25519-MLKEM768 --json',
    ],
  },

  async run(args, ctx) {
    const suiteName = stringOption(args, 'suite');
    if (suiteName === undefined) throw new UsageError('keygen: --suite is required');
    const suite = parseSuite(suiteName);
    const out = stringOption(args, 'out');
    if (args.values.force && out === undefined) throw new UsageError('keygen: --force only applies with --out');
    if (out === '') throw new UsageError('keygen: --out needs a non-empty PREFIX');
    const seedHex = stringOption(args, 'seed');
    const seed = seedHex === undefined ? undefined : parseHex('seed', seedHex, suite.lengths.seed);

    const kem = createKem(suite, await ctx.backend());
    const { publicKey, privateKey } = kem.keygen(seed);
    const encodedPublicKey = encodePublicKey(suite, publicKey);
    const encodedPrivateKey = encodePrivateKey(suite, privateKey);
    const id = keyId(encodedPublicKey);
    const publicText = armor(encodedPublicKey);
    const privateText = armor(encodedPrivateKey);
    try {
      if (out !== undefined) {
        const files = await writeKeyFiles(out, publicText, privateText, args.values.force === true);
        return {
          stdout: args.common.json
            ? toJson({ suite: suite.name, publicKey: hex(publicKey), keyId: id, encoded: { publicKey: publicText }, files })
            : `wrote ${files.publicKey} and ${files.privateKey} (${suite.name}, key id ${id})\n`,
        };
      }
      return {
        stdout: args.common.json
          ? toJson({
              suite: suite.name,
              publicKey: hex(publicKey),
              privateKey: hex(privateKey),
              keyId: id,
              encoded: { publicKey: publicText, privateKey: privateText },
            })
          : publicText + privateText,
      };
    } finally {
      privateKey.fill(0);
      encodedPrivateKey.fill(0);
      seed?.fill(0);
    }
  },
};
