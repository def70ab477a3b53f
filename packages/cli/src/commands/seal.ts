import { pipeline } from 'node:stream/promises';
import { Readable, type Transform } from 'node:stream';
import { armorSealedNodeStream, MAX_RECIPIENTS, sealNodeStream, sealToRecipientsNodeStream } from '@hybridkem/seal';
import { listOption, stringOption, UsageError } from '../args.js';
import { readRecipients, RECIPIENT_OPTIONS } from '../recipients.js';
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
    usage: ['hybridkem seal (-r FILE | -R FILE)… [--hide-key-ids] [-a] [--aad S] [--info S] [--aead A] [-o OUT] [IN]'],
    description: [
      'Encrypts IN (default and "-": stdin) to the public key in FILE (-r; an armored or binary key',
      `file from "hybridkem keygen --suite S", S one of ${SEAL_SUITES_TEXT})`,
      'as a sealed message: HPKE (RFC 9180) base mode, the key\'s suite as the KEM (its wire id is',
      'the HPKE KEM id) + HKDF-SHA256 + the AEAD, in authenticated 64 KiB chunks',
      '(spec/WIRE-FORMAT.md §7). Streams in bounded memory whatever the size. Writes the binary',
      'sealed message to stdout, or to OUT, which is replaced only once the whole message is written',
      '(through a temporary file beside it, deleted on failure). Signing keys are refused.',
      '--aad and --info are not stored in the message: "hybridkem open" needs the same values.',
      'With several recipients (-r repeated, or -R with several keys; up to 64, any suites), the',
      'message is the multi-recipient format (spec §10): one file key wrapped for each recipient;',
      'any one of them opens it. --hide-key-ids leaves the recipients\' key ids out of it.',
      '-a/--armor writes the message as text (spec §3.1); open recognizes either form. Binary is',
      'never written to a terminal: redirect stdout, use -o, or --armor.',
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
      armor: { type: 'boolean', short: 'a', description: 'write the message as armored text (-----BEGIN HYBRIDKEM SEALED MESSAGE-----)' },
      'hide-key-ids': { type: 'boolean', description: "leave the recipients' key ids out (multi-recipient format, even for one recipient)" },
      ...SEAL_COMMON_OPTIONS,
      ...QUIET_OPTIONS,
    },
    optionalPositionals: ['IN'],
    examples: [
      'hybridkem keygen --suite X-Wing --out alice',
      'hybridkem seal -r alice.pub report.pdf -o report.pdf.sealed',
      'tar c dir | hybridkem seal -r alice.pub --aad backup-v1 > dir.tar.sealed',
      'hybridkem seal -r alice.pub -r bob.pub -a notes.txt > notes.txt.asc',
      'hybridkem seal -R team.txt --hide-key-ids report.pdf -o report.pdf.sealed',
    ],
  },

  async run(args, ctx) {
    rejectJson(args, 'seal');
    if (listOption(args, 'recipient').length + listOption(args, 'recipients-file').length === 0) {
      throw new UsageError('seal: give a recipient: -r FILE (a public key) or -R FILE (a file of public keys)');
    }
    const aead = parseAead(stringOption(args, 'aead'));
    const io = parseIo(args, 'seal');
    const armored = args.values.armor === true;
    if (io.output === undefined && process.stdout.isTTY && !armored) {
      // age does the same: binary on a terminal is garbage, and may be read as control sequences.
      throw new UsageError('seal: refusing to write a binary sealed message to the terminal; redirect stdout (> FILE), use -o FILE, or --armor for text');
    }
    const options = sealOptions(args);
    const recipients = await readRecipients(args);
    if (recipients.length > MAX_RECIPIENTS) throw new UsageError(`seal: ${recipients.length} recipients given, at most ${MAX_RECIPIENTS}`);
    const backend = await ctx.backend();
    const suites = recipients.map((r) => hpkeSuite(checkSealSuite(r.suite, r.source), aead, backend));
    const hideKeyIds = args.values['hide-key-ids'] === true;
    // One recipient keeps the one-recipient format (spec §7), which every version reads; several need §10.
    const transforms: Transform[] = [
      recipients.length === 1 && !hideKeyIds
        ? sealNodeStream(suites[0]!, recipients[0]!.publicKey, options)
        : sealToRecipientsNodeStream(recipients.map((r, i) => ({ suite: suites[i]!, publicKey: r.publicKey })), { ...options, hideKeyIds }),
      ...(armored ? [armorSealedNodeStream()] : []),
    ];
    const progress = createProgress(args, 'sealing', io.input);
    const input = progress.track(await messageChunks(io.input, io.inputName));
    const sink = await openSink(io.output, 0o666);
    try {
      await runPipeline((out) => pipeline([Readable.from(input), ...transforms, out]), sink, io, 'seal');
    } finally {
      progress.end();
    }
    return { stdout: '' };
  },
};
