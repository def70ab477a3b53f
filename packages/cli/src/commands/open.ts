import { pipeline } from 'node:stream/promises';
import { openNodeStream, parseSealedHeader, SEALED_HEADER_LENGTH, type HpkeKemName, type SealedHeader } from '@hybridkem/seal';
import type { Backend } from '@hybridkem/core';
import { listOption, UsageError } from '../args.js';
import { identityKeyId, identityOption, readIdentities, unlockIdentity, wipeIdentities, type Identity } from '../identities.js';
import { passphraseSource, PASSPHRASE_READ_OPTIONS, type PassphraseSource } from '../passphrase.js';
import type { Command } from '../context.js';
import { createProgress, QUIET_OPTIONS } from '../progress.js';
import { messageChunks } from '../files.js';
import { CliError } from '../output.js';
import {
  AEAD_BY_ID,
  checkSealSuite,
  hpkeSuite,
  inputError,
  openSink,
  parseIo,
  rejectJson,
  runPipeline,
  SEAL_COMMON_OPTIONS,
  SEAL_SUITES_TEXT,
  sealOptions,
} from '../sealing.js';

/**
 * The identity to open with. One identity is used as is (the opener then
 * reports a KEM or key id mismatch itself). Of several, the one of the
 * message's suite whose key id the header names: plain keys are checked
 * first, encrypted ones of that suite decrypted in the order given only when
 * no plain key matches. Secret: the caller wipes the seed.
 */
async function chooseIdentity(
  identities: readonly Identity[],
  header: SealedHeader,
  backend: Backend,
  passphrase: PassphraseSource,
  inputName: string,
): Promise<{ kem: HpkeKemName; seed: Uint8Array }> {
  if (identities.length === 1) {
    const { suite, seed } = await unlockIdentity(identities[0]!, passphrase);
    try {
      return { kem: checkSealSuite(suite, identities[0]!.source), seed };
    } catch (error) {
      seed.fill(0);
      throw error;
    }
  }
  const candidates = identities.filter((i) => i.file.suite.id === header.kemId);
  const ordered = [...candidates.filter((i) => i.file.kind === 'privateKey'), ...candidates.filter((i) => i.file.kind !== 'privateKey')];
  for (const identity of ordered) {
    const { suite, seed } = await unlockIdentity(identity, passphrase);
    if (identityKeyId(suite, seed, backend) === header.keyId) return { kem: checkSealSuite(suite, identity.source), seed };
    seed.fill(0);
  }
  throw new CliError(`open: ${inputName}: sealed to key ${header.keyId}, which is none of the ${identities.length} identities given`);
}

export const open: Command = {
  spec: {
    name: 'open',
    summary: 'decrypt a sealed message with a KEM private key of any suite (streaming)',
    usage: ['hybridkem open -i FILE [-i FILE …] [--passphrase-file FILE | --passphrase-env NAME] [--aad S] [--info S] [-o OUT] [IN]'],
    description: [
      'Decrypts the sealed message IN (default and "-": stdin) made by "hybridkem seal", with the',
      `private key in FILE (-i; armored or binary; ${SEAL_SUITES_TEXT}),`,
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
      'With several -i, the key whose key id the message names is used. A passphrase-encrypted key',
      '(keygen --passphrase) is decrypted with the passphrase from --passphrase-file or',
      '--passphrase-env, else asked for on the terminal.',
      'Warns on stderr when a key file is readable by group or others. --json is not supported.',
    ].join('\n'),
    options: {
      identity: identityOption('private key file (a KEM key of any suite, plain or passphrase-encrypted)', 'key', true),
      ...PASSPHRASE_READ_OPTIONS,
      ...SEAL_COMMON_OPTIONS,
      ...QUIET_OPTIONS,
    },
    optionalPositionals: ['IN'],
    examples: [
      'hybridkem open -i alice.key report.pdf.sealed -o report.pdf',
      'hybridkem open -i alice.key --aad backup-v1 -o dir.tar < dir.tar.sealed && tar xf dir.tar',
    ],
  },

  async run(args, ctx) {
    rejectJson(args, 'open');
    const paths = listOption(args, 'identity');
    if (paths.length === 0) throw new UsageError('open: give the private key: -i FILE');
    const passphrase = passphraseSource(args, 'open');
    const io = parseIo(args, 'open');
    const options = sealOptions(args);
    const identities = await readIdentities(paths);
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
        let chosen;
        try {
          chosen = await chooseIdentity(identities, header, backend, passphrase, io.inputName);
        } catch (error) {
          await chunks.return?.();
          throw error;
        }
        const { kem, seed } = chosen;
        try {
          transform = openNodeStream(hpkeSuite(kem, aead, backend), seed, options);
        } finally {
          seed.fill(0); // openNodeStream keeps its own copy, wiped once the HPKE context exists
        }
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
        wipeIdentities(identities);
      }
    })();
    const progress = createProgress(args, 'opening', io.input);
    const sink = await openSink(io.output, 0o600);
    try {
      await runPipeline((out) => pipeline(progress.track(input), transform!, out), sink, io, 'open');
    } finally {
      progress.end();
    }
    return { stdout: '' };
  },
};
