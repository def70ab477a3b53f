import { pipeline } from 'node:stream/promises';
import { sealNodeStream } from '@hybridkem/seal';
import { listOption, stringOption, UsageError } from '../args.js';
import { readRecipients, RECIPIENT_OPTIONS, type Recipient } from '../recipients.js';
import type { Command } from '../context.js';
import { createProgress, QUIET_OPTIONS } from '../progress.js';
import { messageChunks } from '../files.js';
import {
  AEAD_CHOICES,
  checkSealSuite,
  hpkeSuite,
  openSink,
  parseAead,
  parseIo,
  rejectJson,
  runPipeline,
  SEAL_COMMON_OPTIONS,
  SEAL_SUITES_TEXT,
  sealOptions,
} from '../sealing.js';

export const seal: Command = {
  spec: {
    name: 'seal',
    summary: 'encrypt a file or stream to a KEM public key of any suite (HPKE, streaming)',
    usage: ['hybridkem seal (-r FILE | -R FILE) [--aad S] [--info S] [--aead A] [-o OUT] [IN]'],
    description: [
      'Encrypts IN (default and "-": stdin) to the public key in FILE (-r; an armored or binary key',
      `file from "hybridkem keygen --suite S", S one of ${SEAL_SUITES_TEXT})`,
      'as a sealed message: HPKE (RFC 9180) base mode, the key\'s suite as the KEM (its wire id is',
      'the HPKE KEM id) + HKDF-SHA256 + the AEAD, in authenticated 64 KiB chunks',
      '(spec/WIRE-FORMAT.md §7). Streams in bounded memory whatever the size. Writes the binary',
      'sealed message to stdout, or to OUT, which is replaced only once the whole message is written',
      '(through a temporary file beside it, deleted on failure). Signing keys are refused.',
      '--aad and --info are not stored in the message: "hybridkem open" needs the same values.',
      '--json is not supported (the output is binary).',
    ].join('\n'),
    options: {
      ...RECIPIENT_OPTIONS,
      aead: {
        type: 'string',
        value: 'A',
        choices: Object.keys(AEAD_CHOICES),
        description: `${Object.keys(AEAD_CHOICES).join(' or ')} (default chacha20-poly1305); open reads it from the message`,
      },
      ...SEAL_COMMON_OPTIONS,
      ...QUIET_OPTIONS,
    },
    optionalPositionals: ['IN'],
    examples: [
      'hybridkem keygen --suite X-Wing --out alice',
      'hybridkem seal -r alice.pub report.pdf -o report.pdf.sealed',
      'tar c dir | hybridkem seal -r alice.pub --aad backup-v1 > dir.tar.sealed',
    ],
  },

  async run(args, ctx) {
    rejectJson(args, 'seal');
    if (listOption(args, 'recipient').length + listOption(args, 'recipients-file').length === 0) {
      throw new UsageError('seal: give a recipient: -r FILE (a public key) or -R FILE (a file of public keys)');
    }
    const aead = parseAead(stringOption(args, 'aead'));
    const io = parseIo(args, 'seal');
    if (io.output === undefined && process.stdout.isTTY) {
      // age does the same: binary on a terminal is garbage, and may be read as control sequences.
      throw new UsageError('seal: refusing to write a binary sealed message to the terminal; redirect stdout (> FILE) or use -o FILE');
    }
    const options = sealOptions(args);
    const recipients = await readRecipients(args);
    if (recipients.length > 1) {
      throw new UsageError(`seal: ${recipients.length} recipients given; this version seals to one public key only`);
    }
    const [recipient] = recipients as [Recipient];
    const kem = checkSealSuite(recipient.suite, recipient.source);
    const transform = sealNodeStream(hpkeSuite(kem, aead, await ctx.backend()), recipient.publicKey, options);
    const progress = createProgress(args, 'sealing', io.input);
    const input = progress.track(await messageChunks(io.input, io.inputName));
    const sink = await openSink(io.output, 0o666);
    try {
      await runPipeline((out) => pipeline(input, transform, out), sink, io, 'seal');
    } finally {
      progress.end();
    }
    return { stdout: '' };
  },
};
