import { pipeline } from 'node:stream/promises';
import type { Transform } from 'node:stream';
import { TruncatedError } from '@hybridkem/core';
import {
  createHpkeSuite,
  MULTI_RECIPIENT_KIND,
  openNodeStream,
  openWithIdentitiesNodeStream,
  parseMultiRecipientHeader,
  parseSealedHeader,
  SEALED_HEADER_LENGTH,
  type HpkeKdfName,
  type HpkeKemName,
  type MultiIdentity,
  type MultiRecipientHeader,
  type SealedHeader,
} from '@hybridkem/seal';
import { binaryMessage, type Lookahead } from '../sealed-input.js';
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

/**
 * The opening transform for the message in `message` (only its header is
 * read): the one-recipient format with the identity the header names, or the
 * multi-recipient format with the identities of the suites it lists.
 */
async function openerFor(
  message: Lookahead,
  identities: readonly Identity[],
  backend: Backend,
  passphrase: PassphraseSource,
  options: { aad: Uint8Array; info: Uint8Array },
  inputName: string,
): Promise<Transform> {
  const start = await message.peek(2);
  if (start.length === 2 && start[0] === 0x01 && start[1] === MULTI_RECIPIENT_KIND) {
    const header = await multiHeader(message);
    const chosen = await multiIdentities(identities, header, backend, passphrase, inputName);
    try {
      return openWithIdentitiesNodeStream(chosen, options);
    } finally {
      for (const c of chosen) c.privateKey.fill(0); // the opener keeps its own copies
    }
  }
  const header = parseSealedHeader(await message.peek(SEALED_HEADER_LENGTH), true)!;
  const aead = AEAD_BY_ID[header.aeadId];
  if (aead === undefined) throw new CliError(`open: ${inputName}: unknown AEAD id 0x${header.aeadId.toString(16).padStart(4, '0')}`);
  const { kem, seed } = await chooseIdentity(identities, header, backend, passphrase, inputName);
  try {
    return openNodeStream(hpkeSuite(kem, aead, backend), seed, options);
  } finally {
    seed.fill(0); // openNodeStream keeps its own copy, wiped once the HPKE context exists
  }
}

/** The whole multi-recipient header, read ahead in growing steps (it is at most MAX_HEADER_LENGTH bytes). */
async function multiHeader(message: Lookahead): Promise<MultiRecipientHeader> {
  for (let want = 4096; ; want *= 2) {
    const head = await message.peek(want);
    const header = parseMultiRecipientHeader(head);
    if (header) return header;
    if (head.length < want) throw new TruncatedError('multi-recipient sealed message header', want, head.length);
  }
}

/**
 * The identities to try on a multi-recipient message: those of a suite it
 * lists. With visible key ids, only the keys named (plain keys are checked
 * by key id before any encrypted one is decrypted); with hidden ids, every
 * identity of a listed suite. Secret: the caller wipes the private keys.
 */
async function multiIdentities(
  identities: readonly Identity[],
  header: MultiRecipientHeader,
  backend: Backend,
  passphrase: PassphraseSource,
  inputName: string,
): Promise<MultiIdentity[]> {
  const suites = new Set(header.recipients.map((r) => r.suiteId));
  const named = new Set(header.recipients.flatMap((r) => (r.keyId ? [r.keyId] : [])));
  const kdf = KDF_NAMES[header.kdfId]!;
  const chosen: MultiIdentity[] = [];
  const candidates = identities.filter((i) => suites.has(i.file.suite.id));
  const ordered = [...candidates.filter((i) => i.file.kind === 'privateKey'), ...candidates.filter((i) => i.file.kind !== 'privateKey')];
  for (const identity of ordered) {
    if (!header.keyIdsHidden && chosen.length > 0 && identity.file.kind !== 'privateKey') break;
    const { suite, seed } = await unlockIdentity(identity, passphrase);
    if (!header.keyIdsHidden && !named.has(identityKeyId(suite, seed, backend))) {
      seed.fill(0);
      continue;
    }
    const kem = checkSealSuite(suite, identity.source);
    chosen.push({ suite: createHpkeSuite({ kem, kdf, aead: header.aead, backend }), privateKey: seed });
  }
  if (chosen.length === 0) {
    const listed = header.recipients.map((r) => `${r.suite} ${r.keyId ?? '(key id hidden)'}`).join(', ');
    throw new CliError(`open: ${inputName}: none of the ${identities.length} identities given is a recipient (the message lists ${listed})`);
  }
  return chosen;
}

const KDF_NAMES: Readonly<Record<number, HpkeKdfName>> = { 0x0001: 'HKDF-SHA256', 0x0002: 'HKDF-SHA384', 0x0003: 'HKDF-SHA512' };

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
    const progress = createProgress(args, 'opening', io.input);
    let transform: Transform;
    let message: Lookahead;
    try {
      const backend = await ctx.backend();
      ({ bytes: message } = await binaryMessage(progress.track(await messageChunks(io.input, io.inputName))));
      try {
        transform = await openerFor(message, identities, backend, passphrase, options, io.inputName);
      } catch (error) {
        await message.close();
        throw inputError('open', io, error);
      }
    } catch (error) {
      progress.end();
      throw error;
    } finally {
      wipeIdentities(identities);
    }
    const sink = await openSink(io.output, 0o600);
    try {
      await runPipeline((out) => pipeline(message.all(), transform, out), sink, io, 'open');
    } finally {
      progress.end();
    }
    return { stdout: '' };
  },
};
