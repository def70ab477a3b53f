import { armor, createKem, decodePublicKey, encodeCiphertext, encodePublicKey, keyId, type Suite } from '@hybridkem/core';
import { oneOf, parseHex, parseSuite, stringOption, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { KEM_SUITE_NAMES } from '../suite-names.js';
import { checkSuiteAgrees, readWireFile } from '../files.js';
import { hex, toJson } from '../output.js';

export const encapsulate: Command = {
  spec: {
    name: 'encapsulate',
    summary: 'make a shared secret and the ciphertext that carries it to a public key',
    usage: [
      'hybridkem encapsulate -r FILE [--suite S] [--randomness HEX] [--json] [--backend NAME]',
      'hybridkem encapsulate --suite S --public-key-hex HEX [--randomness HEX] [--json] [--backend NAME]',
    ],
    description: [
      'Prints the armored ciphertext, then the shared secret as hex on its own last line.',
      'FILE is an armored or binary wire-format public key; --public-key-hex takes the raw key',
      '(no wire header). --json prints {suite, keyId, publicKey, ciphertext, sharedSecret, encoded}.',
      '--randomness makes the result deterministic: for test vectors only.',
    ].join('\n'),
    options: {
      recipient: { type: 'string', short: 'r', value: 'FILE', aliases: ['public-key'], description: 'public key file (armored or binary wire object)' },
      'public-key-hex': { type: 'string', value: 'HEX', description: 'raw public key as hex (needs --suite)' },
      suite: { type: 'string', value: 'S', choices: KEM_SUITE_NAMES, description: 'suite name; must match the file when both are given' },
      randomness: { type: 'string', value: 'HEX', description: 'encapsulation randomness (64 or 80 bytes), for tests only' },
    },
    examples: [
      'hybridkem encapsulate -r alice.pub',
      'hybridkem encapsulate -r alice.pub --json',
    ],
  },

  async run(args, ctx) {
    const suiteName = stringOption(args, 'suite');
    const suiteOption = suiteName === undefined ? undefined : parseSuite(suiteName);
    let suite: Suite;
    let publicKey: Uint8Array;
    if (oneOf(args, 'encapsulate', 'recipient', 'public-key-hex') === 'a') {
      const path = stringOption(args, 'recipient')!;
      const what = `--recipient ${path}`;
      const file = await readWireFile(path, what, 'publicKey');
      checkSuiteAgrees(suiteOption, file, what);
      suite = file.suite;
      publicKey = file.body;
    } else {
      if (suiteOption === undefined) throw new UsageError('encapsulate: --public-key-hex needs --suite');
      suite = suiteOption;
      publicKey = parseHex('publicKey', stringOption(args, 'public-key-hex')!, suite.lengths.publicKey);
      decodePublicKey(encodePublicKey(suite, publicKey)); // the wire checks: ML-KEM modulus, group element
    }
    const randomnessHex = stringOption(args, 'randomness');
    const randomness = randomnessHex === undefined ? undefined : parseHex('randomness', randomnessHex, suite.lengths.randomness);

    const kem = createKem(suite, await ctx.backend());
    const { ciphertext, sharedSecret } = kem.encapsulate(publicKey, randomness);
    randomness?.fill(0);
    const encodedPublicKey = encodePublicKey(suite, publicKey);
    const ciphertextText = armor(encodeCiphertext(suite, ciphertext));
    const secretHex = hex(sharedSecret);
    sharedSecret.fill(0);
    if (!args.common.json) return { stdout: `${ciphertextText}${secretHex}\n` };
    return {
      stdout: toJson({
        suite: suite.name,
        backend: kem.backend.name,
        keyId: keyId(encodedPublicKey),
        publicKey: hex(publicKey),
        ciphertext: hex(ciphertext),
        sharedSecret: secretHex,
        encoded: { publicKey: armor(encodedPublicKey), ciphertext: ciphertextText },
      }),
    };
  },
};
