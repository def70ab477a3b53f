import { pipeline } from 'node:stream/promises';
import { openNodeStream, parseSealedHeader, SEALED_HEADER_LENGTH } from '@hybridkem/seal';
import { stringOption, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { messageChunks } from '../files.js';
import { CliError } from '../output.js';
import {
  AEAD_BY_ID,
  hpkeSuite,
  inputError,
  openSink,
  parseIo,
  readSealPrivateKey,
  rejectJson,
  runPipeline,
  SEAL_COMMON_OPTIONS,
  SEAL_SUITES_TEXT,
  sealOptions,
} from '../sealing.js';

export const open: Command = {
  spec: {
    name: 'open',
    summary: 'decrypt a sealed message with a KEM private key of any suite (streaming)',
    usage: ['hybridkem open --key PRIVKEY [--aad S] [--info S] [-o OUT] [IN]'],
    description: [
      'Decrypts the sealed message IN (default and "-": stdin) made by "hybridkem seal", with the',
      `private key in PRIVKEY (armored or binary; ${SEAL_SUITES_TEXT}),`,
      'in bounded memory whatever the size. The KEM is the key\'s suite (a message sealed to another',
      'suite is refused before decrypting) and the AEAD is read from the message; --aad and --info',
      'must be the ones given to seal.',
      '',
      'With -o OUT (the safe form) the plaintext goes to a temporary file beside OUT, created with',
      'mode 0600, and is renamed over OUT only after the whole message, final chunk included,',
      'authenticated. On any failure open exits non-zero and leaves no OUT: the temporary file is',
      'deleted and an existing OUT is left as it was.',
      '',
      'To stdout, each 64 KiB chunk is written as soon as its tag verifies: nothing unauthenticated',
      'is ever written, and the final chunk\'s flag is checked before the stream ends (truncation',
      'fails too), but a message that fails later (tampered, truncated, wrong --aad) has at most its',
      'authentic prefix written before open exits non-zero. Streaming cannot avoid this: check the',
      'exit status before using the output, or use -o.',
      'Warns on stderr when the key file is readable by group or others. --json is not supported.',
    ].join('\n'),
    options: {
      key: { type: 'string', value: 'PRIVKEY', description: 'private key file (a KEM key of any suite)' },
      ...SEAL_COMMON_OPTIONS,
    },
    optionalPositionals: ['IN'],
    examples: [
      'hybridkem open --key alice.key report.pdf.sealed -o report.pdf',
      'hybridkem open --key alice.key --aad backup-v1 -o dir.tar < dir.tar.sealed && tar xf dir.tar',
    ],
  },

  async run(args, ctx) {
    rejectJson(args, 'open');
    const keyPath = stringOption(args, 'key');
    if (keyPath === undefined || keyPath === '') throw new UsageError('open: --key PRIVKEY is required');
    const io = parseIo(args, 'open');
    const options = sealOptions(args);
    const { kem, key: seed } = await readSealPrivateKey(keyPath, `--key ${keyPath}`);
    let transform;
    const input = await (async () => {
      try {
        const backend = await ctx.backend();
        const chunks = (await messageChunks(io.input, io.inputName))[Symbol.asyncIterator]();
        // The header names the AEAD; the opener then checks the whole header against that suite and the key.
        const pieces: Uint8Array[] = [];
        let length = 0;
        let ended = false;
        while (length < SEALED_HEADER_LENGTH) {
          const r = await chunks.next();
          if (r.done) {
            ended = true;
            break;
          }
          pieces.push(r.value);
          length += r.value.length;
        }
        const head = Buffer.concat(pieces);
        let header;
        try {
          header = parseSealedHeader(head, true)!;
        } catch (error) {
          await chunks.return?.();
          throw inputError('open', io, error);
        }
        const aead = AEAD_BY_ID[header.aeadId];
        if (aead === undefined) {
          await chunks.return?.();
          throw new CliError(`open: ${io.inputName}: unknown AEAD id 0x${header.aeadId.toString(16).padStart(4, '0')}`);
        }
        transform = openNodeStream(hpkeSuite(kem, aead, backend), seed, options);
        return (async function* () {
          try {
            if (head.length > 0) yield head;
            if (ended) return;
            for (let r = await chunks.next(); !r.done; r = await chunks.next()) yield r.value;
          } finally {
            await chunks.return?.();
          }
        })();
      } finally {
        seed.fill(0); // openNodeStream keeps its own copy, wiped once the HPKE context exists
      }
    })();
    const sink = await openSink(io.output, 0o600);
    await runPipeline((out) => pipeline(input, transform!, out), sink, io, 'open');
    return { stdout: '' };
  },
};
