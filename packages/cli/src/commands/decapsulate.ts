import { armor, createKem, decodeCiphertext, encodeCiphertext, encodePublicKey, keyId, type Suite } from '@hybridkem/core';
import { oneOf, parseHex, parseSuite, stringOption, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { KEM_SUITE_NAMES } from '../suite-names.js';
import { checkSuiteAgrees, readWireFile } from '../files.js';
import { identityOption, readIdentities, unlockIdentity, wipeIdentities, type Identity } from '../identities.js';
import { CliError, hex, toJson } from '../output.js';
import { passphraseSource, PASSPHRASE_READ_OPTIONS } from '../passphrase.js';

export const decapsulate: Command = {
  spec: {
    name: 'decapsulate',
    summary: 'recover the shared secret from a ciphertext with a private key',
    usage: [
      'hybridkem decapsulate -i FILE [--passphrase-file FILE | --passphrase-env NAME] (--ciphertext FILE | --ciphertext-hex HEX) [--suite S] [--json] [--backend NAME]',
      'hybridkem decapsulate --suite S --private-key-hex HEX (--ciphertext FILE | --ciphertext-hex HEX) [--json] [--backend NAME]',
    ],
    description: [
      'Prints the shared secret as hex. FILE arguments are armored or binary wire objects;',
      'the -hex options take raw bytes (no wire header) and need --suite. A ciphertext that was',
      'tampered with yields an unrelated secret, not an error (ML-KEM implicit rejection).',
      'Warns on stderr when the private key file is readable by group or others. A passphrase-',
      'encrypted key is decrypted with the passphrase of --passphrase-file, --passphrase-env or the terminal.',
      '--json prints {suite, keyId, ciphertext, sharedSecret, encoded}; never the private key.',
    ].join('\n'),
    options: {
      identity: identityOption('private key file (plain or passphrase-encrypted)', 'private-key', false),
      ...PASSPHRASE_READ_OPTIONS,
      'private-key-hex': { type: 'string', value: 'HEX', description: 'raw 32-byte private key (seed) as hex (needs --suite)' },
      ciphertext: { type: 'string', value: 'FILE', description: 'ciphertext file' },
      'ciphertext-hex': { type: 'string', value: 'HEX', description: 'raw ciphertext as hex' },
      suite: { type: 'string', value: 'S', choices: KEM_SUITE_NAMES, description: 'suite name; must match the files when given with them' },
    },
    examples: [
      'hybridkem decapsulate -i alice.key --ciphertext message.ct',
      'hybridkem decapsulate -i alice.key --ciphertext-hex 1f2e… --json',
    ],
  },

  async run(args, ctx) {
    const suiteName = stringOption(args, 'suite');
    const suiteOption = suiteName === undefined ? undefined : parseSuite(suiteName);
    const keyFromFile = oneOf(args, 'decapsulate', 'identity', 'private-key-hex') === 'a';
    const ctFromFile = oneOf(args, 'decapsulate', 'ciphertext', 'ciphertext-hex') === 'a';

    let suite: Suite;
    let privateKey: Uint8Array;
    if (keyFromFile) {
      const [identity] = (await readIdentities([stringOption(args, 'identity')!])) as [Identity];
      let unlocked;
      try {
        unlocked = await unlockIdentity(identity, passphraseSource(args, 'decapsulate'));
      } finally {
        wipeIdentities([identity]);
      }
      try {
        checkSuiteAgrees(suiteOption, unlocked, identity.source);
      } catch (error) {
        unlocked.seed.fill(0);
        throw error;
      }
      suite = unlocked.suite;
      privateKey = unlocked.seed;
    } else {
      if (suiteOption === undefined) throw new UsageError('decapsulate: --private-key-hex needs --suite');
      suite = suiteOption;
      privateKey = parseHex('privateKey', stringOption(args, 'private-key-hex')!, suite.lengths.privateKey);
    }

    try {
      let ciphertext: Uint8Array;
      if (ctFromFile) {
        const path = stringOption(args, 'ciphertext')!;
        const what = `--ciphertext ${path}`;
        const file = await readWireFile(path, what, 'ciphertext');
        if (file.suite.id !== suite.id) {
          throw new CliError(`${what} is a ${file.suite.name} ciphertext but the private key is ${suite.name}`);
        }
        ciphertext = file.body;
      } else {
        ciphertext = parseHex('ciphertext', stringOption(args, 'ciphertext-hex')!, suite.lengths.ciphertext);
        decodeCiphertext(encodeCiphertext(suite, ciphertext)); // the wire checks on the ephemeral key
      }

      const kem = createKem(suite, await ctx.backend());
      const sharedSecret = kem.decapsulate(privateKey, ciphertext);
      const secretHex = hex(sharedSecret);
      sharedSecret.fill(0);
      if (!args.common.json) return { stdout: `${secretHex}\n` };
      return {
        stdout: toJson({
          suite: suite.name,
          backend: kem.backend.name,
          keyId: keyId(encodePublicKey(suite, kem.getPublicKey(privateKey))),
          ciphertext: hex(ciphertext),
          sharedSecret: secretHex,
          encoded: { ciphertext: armor(encodeCiphertext(suite, ciphertext)) },
        }),
      };
    } finally {
      privateKey.fill(0);
    }
  },
};
