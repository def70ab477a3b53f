import { armor, createKem, encodePublicKey, keyId, type KemKindName } from '@hybridkem/core';
import { UsageError } from '../args.js';
import type { Command } from '../context.js';
import { isExposed, readWireFile } from '../files.js';
import { hex, toJson, warn } from '../output.js';

const KIND_TEXT: Readonly<Record<KemKindName, string>> = {
  publicKey: 'public key',
  privateKey: 'private key',
  ciphertext: 'ciphertext',
};

export const inspect: Command = {
  spec: {
    name: 'inspect',
    summary: 'decode a wire object and describe it',
    usage: ['hybridkem inspect FILE [--json [--reveal]] [--backend NAME]'],
    description: [
      'FILE is any armored or binary wire-format object. Prints version, kind, suite (name and',
      'hex id), body length, and the key id for keys (for a private key, the id of its public key).',
      'The human output never shows private key bytes; --json includes the raw body as hex under',
      'publicKey or ciphertext, and under privateKey only with --reveal.',
    ].join('\n'),
    options: {
      reveal: { type: 'boolean', description: 'with --json: include the private key bytes' },
    },
    positionals: ['FILE'],
    examples: ['hybridkem inspect alice.pub', 'hybridkem inspect message.ct --json'],
  },

  async run(args, ctx) {
    const reveal = args.values.reveal === true;
    if (reveal && !args.common.json) throw new UsageError('inspect: --reveal only applies with --json');
    const path = args.positionals[0]!;
    const file = await readWireFile(path, path);
    const { suite, kind, body } = file;
    try {
      let id: string | undefined;
      if (kind === 'publicKey') id = keyId(file.encoded);
      if (kind === 'privateKey') {
        if (isExposed(file.mode)) warn(`${path} is accessible by group or others (mode ${file.mode.toString(8).padStart(4, '0')})`);
        id = keyId(encodePublicKey(suite, createKem(suite, await ctx.backend()).getPublicKey(body)));
      }
      const idHex = `0x${suite.id.toString(16).padStart(4, '0')}`;
      const parts =
        kind === 'privateKey'
          ? undefined
          : {
              mlkem: { name: suite.mlkem.name, length: suite.mlkem.lengths[kind] },
              group: { name: suite.group.name, length: suite.group.lengths.element },
            };

      if (args.common.json) {
        const showBody = kind !== 'privateKey' || reveal;
        return {
          stdout: toJson({
            file: path,
            format: file.format,
            version: file.version,
            kind,
            suite: suite.name,
            suiteId: suite.id,
            suiteIdHex: idHex,
            length: body.length,
            ...(id === undefined ? {} : { keyId: id }),
            ...(showBody ? { [kind]: hex(body), encoded: { [kind]: armor(file.encoded) } } : {}),
          }),
        };
      }
      const rows: [string, string][] = [
        ['file', `${path} (${file.format})`],
        ['version', String(file.version)],
        ['kind', KIND_TEXT[kind]],
        ['suite', `${suite.name} (${idHex})`],
        ['length', `${body.length} bytes${parts ? ` (${parts.mlkem.name} ${parts.mlkem.length} + ${parts.group.name} ${parts.group.length})` : ''}`],
      ];
      if (id !== undefined) rows.push(['key id', kind === 'privateKey' ? `${id} (of its public key)` : id]);
      return { stdout: rows.map(([k, v]) => `${`${k}:`.padEnd(9)}${v}\n`).join('') };
    } finally {
      if (kind === 'privateKey') {
        body.fill(0);
        file.encoded.fill(0);
      }
    }
  },
};
