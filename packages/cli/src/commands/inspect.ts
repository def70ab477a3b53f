import { armor, createKem, encodePublicKey, keyId, type KindName } from '@hybridkem/core';
import { createSigner, encodeSigningPublicKey } from '@hybridkem/signing';
import { UsageError } from '../args.js';
import type { Context, Command } from '../context.js';
import { isExposed, readAnyFile, type AnyFile } from '../files.js';
import { hex, toJson, warn } from '../output.js';
import { signingKeyId, suiteIdHex } from '../signing.js';

const KIND_TEXT: Readonly<Record<KindName, string>> = {
  publicKey: 'public key',
  privateKey: 'private key',
  ciphertext: 'ciphertext',
  signingPublicKey: 'signing public key',
  signingPrivateKey: 'signing private key',
  signature: 'signature',
  sealedMessage: 'sealed message',
  encryptedPrivateKey: 'encrypted private key',
  multiRecipientSealedMessage: 'multi-recipient sealed message',
};

const isPrivate = (kind: KindName): boolean => kind === 'privateKey' || kind === 'signingPrivateKey';

interface Component {
  readonly name: string;
  readonly length: number;
}

/** The two components of the body, when it has two public parts worth naming. */
function componentsOf(file: AnyFile): { first: Component; second: Component } | undefined {
  if (file.family === 'kem') {
    if (file.kind === 'privateKey') return undefined; // a seed, expanded into both
    const { suite, kind } = file;
    return {
      first: { name: suite.mlkem.name, length: suite.mlkem.lengths[kind] },
      second: { name: suite.group.name, length: suite.group.lengths.element },
    };
  }
  const { mldsa, eddsa } = file.suite;
  switch (file.kind) {
    case 'signingPublicKey':
      return { first: { name: mldsa.name, length: mldsa.lengths.publicKey }, second: { name: eddsa.name, length: eddsa.lengths.publicKey } };
    case 'signingPrivateKey':
      return { first: { name: `${mldsa.name} seed`, length: mldsa.lengths.seed }, second: { name: eddsa.name, length: eddsa.lengths.privateKey } };
    case 'signature':
      return { first: { name: mldsa.name, length: mldsa.lengths.signature }, second: { name: eddsa.name, length: eddsa.lengths.signature } };
  }
}

/** The key id of a public key, or of a private key's public key; undefined for other objects. */
async function keyIdOf(file: AnyFile, ctx: Context): Promise<string | undefined> {
  if (file.family === 'kem') {
    if (file.kind === 'publicKey') return keyId(file.encoded);
    if (file.kind === 'privateKey') return keyId(encodePublicKey(file.suite, createKem(file.suite, await ctx.backend()).getPublicKey(file.body)));
    return undefined;
  }
  if (file.kind === 'signingPublicKey') return signingKeyId(file.encoded);
  if (file.kind === 'signingPrivateKey') {
    const signer = createSigner(file.suite, await ctx.signatureBackend());
    return signingKeyId(encodeSigningPublicKey(file.suite, signer.getPublicKey(file.body)));
  }
  return undefined;
}

export const inspect: Command = {
  spec: {
    name: 'inspect',
    summary: 'decode a wire object (KEM or signing) and describe it',
    usage: ['hybridkem inspect FILE [--json [--reveal]] [--backend NAME]'],
    description: [
      'FILE is any armored or binary wire-format object: KEM keys and ciphertexts, signing keys',
      'and signatures. Prints version, kind, suite (name and hex id; the OID for signature',
      'suites), body length with the sizes of its parts, and the key id for keys (for a private',
      'key, the id of its public key). The human output never shows private key bytes; --json',
      'includes the raw body as hex under its kind (publicKey, ciphertext, signingPublicKey,',
      'signature), and under privateKey or signingPrivateKey only with --reveal.',
    ].join('\n'),
    options: {
      reveal: { type: 'boolean', description: 'with --json: include the private key bytes' },
    },
    positionals: ['FILE'],
    examples: ['hybridkem inspect alice.pub', 'hybridkem inspect message.ct --json', 'hybridkem inspect report.pdf.sig'],
  },

  async run(args, ctx) {
    const reveal = args.values.reveal === true;
    if (reveal && !args.common.json) throw new UsageError('inspect: --reveal only applies with --json');
    const path = args.positionals[0]!;
    const file = await readAnyFile(path, path);
    const { suite, kind, body } = file;
    const secret = isPrivate(kind);
    try {
      if (secret && isExposed(file.mode)) {
        warn(`${path} is accessible by group or others (mode ${file.mode.toString(8).padStart(4, '0')})`);
      }
      const id = await keyIdOf(file, ctx);
      const idHex = suiteIdHex(suite);
      const oid = file.family === 'signing' ? file.suite.oid : undefined;
      const parts = componentsOf(file);

      if (args.common.json) {
        const showBody = !secret || reveal;
        return {
          stdout: toJson({
            file: path,
            format: file.format,
            version: file.version,
            kind,
            suite: suite.name,
            suiteId: suite.id,
            suiteIdHex: idHex,
            ...(oid === undefined ? {} : { oid }),
            length: body.length,
            ...(file.family === 'signing' && parts
              ? { components: { mldsa: parts.first, eddsa: parts.second } }
              : {}),
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
      ];
      if (oid !== undefined) rows.push(['oid', oid]);
      rows.push([
        'length',
        `${body.length} bytes${parts ? ` (${parts.first.name} ${parts.first.length} + ${parts.second.name} ${parts.second.length})` : ''}`,
      ]);
      if (id !== undefined) rows.push(['key id', secret ? `${id} (of its public key)` : id]);
      return { stdout: rows.map(([k, v]) => `${`${k}:`.padEnd(9)}${v}\n`).join('') };
    } finally {
      if (secret) {
        body.fill(0);
        file.encoded.fill(0);
      }
    }
  },
};
