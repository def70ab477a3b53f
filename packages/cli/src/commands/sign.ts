import { resolve } from 'node:path';
import { armor } from '@hybridkem/core';
import { createSigner, encodeSignature, encodeSigningPublicKey } from '@hybridkem/signing';
import { parseSignatureSuite, stringOption, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { SIGNATURE_SUITE_NAMES } from '../suite-names.js';
import { createProgress, QUIET_OPTIONS } from '../progress.js';
import { messageChunks, writeOutputFile } from '../files.js';
import { hex, toJson } from '../output.js';
import { PASSPHRASE_READ_OPTIONS } from '../passphrase.js';
import { CONTEXT_OPTIONS, parseContext, readSigningPrivateKey, signingKeyId } from '../signing.js';

export const sign: Command = {
  spec: {
    name: 'sign',
    summary: 'sign a file with a composite ML-DSA + EdDSA signing key',
    usage: [
      'hybridkem sign -i FILE [--passphrase-file FILE | --passphrase-env NAME] [--suite S] [--context S | --context-hex HEX] [--deterministic] [-o OUT] [--json] FILE',
      'hybridkem sign --suite S --private-key-hex HEX [--context S | --context-hex HEX] [--deterministic] [-o OUT] [--json] FILE',
    ],
    description: [
      'Signs FILE (- for stdin) by streaming it, in bounded memory whatever its size, and prints',
      'the armored signature (or writes it to OUT). The key comes from keygen with a signature',
      'suite: -i takes the armored or binary signing private key file, --private-key-hex the',
      'raw key (ML-DSA seed and EdDSA key) and needs --suite. A passphrase-encrypted key file',
      '(keygen --passphrase) is decrypted with the passphrase of --passphrase-file, --passphrase-env',
      'or the terminal. The context (at most 255 bytes)',
      'is bound into the signature: verify needs the same one. Signing is hedged (randomized)',
      'unless --deterministic is given. Warns on stderr when the key file is readable by group or',
      'others. --json prints {suite, signature, encoded: {signature}}.',
    ].join('\n'),
    options: {
      identity: { type: 'string', short: 'i', value: 'FILE', aliases: ['key'], description: 'signing private key file (armored or binary; plain or passphrase-encrypted)' },
      ...PASSPHRASE_READ_OPTIONS,
      'private-key-hex': { type: 'string', value: 'HEX', description: 'raw signing private key as hex (needs --suite)' },
      suite: { type: 'string', value: 'S', choices: SIGNATURE_SUITE_NAMES, description: 'signature suite, e.g. MLDSA65-Ed25519-SHA512; must match -i when both are given' },
      ...CONTEXT_OPTIONS,
      deterministic: { type: 'boolean', description: "ML-DSA's deterministic variant: the same signature every time" },
      output: { type: 'string', short: 'o', value: 'OUT', description: 'write the armored signature to OUT (replacing it) instead of stdout' },
      ...QUIET_OPTIONS,
    },
    positionals: ['FILE'],
    examples: [
      'hybridkem sign -i signer.key report.pdf > report.pdf.sig',
      'tar c dir | hybridkem sign -i signer.key --context backup-v1 - > dir.tar.sig',
    ],
  },

  async run(args, ctx) {
    const suiteName = stringOption(args, 'suite');
    const suiteOption = suiteName === undefined ? undefined : parseSignatureSuite(suiteName);
    const path = args.positionals[0]!;
    const output = stringOption(args, 'output');
    if (output === '') throw new UsageError('sign: -o needs a non-empty OUT');
    const toFile = output !== undefined && output !== '-';
    if (toFile && path !== '-' && resolve(output) === resolve(path)) {
      throw new UsageError('sign: -o names the file being signed');
    }
    const context = parseContext(args, 'sign');
    const { suite, privateKey } = await readSigningPrivateKey(args, 'sign', 'identity', suiteOption);
    let signature: Uint8Array;
    let id: string | undefined;
    let backendName: string;
    try {
      const signer = createSigner(suite, await ctx.signatureBackend());
      backendName = signer.backend.name;
      const progress = createProgress(args, 'signing', path);
      try {
        const chunks = progress.track(await messageChunks(path, path === '-' ? 'stdin' : path));
        signature = await signer.signStream(privateKey, chunks, { context, deterministic: args.values.deterministic === true });
      } finally {
        progress.end();
      }
      if (toFile && !args.common.json) id = signingKeyId(encodeSigningPublicKey(suite, signer.getPublicKey(privateKey)));
    } finally {
      privateKey.fill(0);
    }
    const text = armor(encodeSignature(suite, signature));
    if (toFile) await writeOutputFile(output, text);
    if (args.common.json) {
      return {
        stdout: toJson({ suite: suite.name, backend: backendName, signature: hex(signature), encoded: { signature: text }, ...(toFile ? { file: output } : {}) }),
      };
    }
    return { stdout: toFile ? `wrote ${output} (${suite.name}, key id ${id!})\n` : text };
  },
};
