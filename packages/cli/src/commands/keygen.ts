import { armor, createKem, encodePrivateKey, encodePublicKey, keyId } from '@hybridkem/core';
import { encryptPrivateKeyArmored } from '@hybridkem/seal';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey, SIGNATURE_SUITES } from '@hybridkem/signing';
import { parseAnySuite, parseHex, stringOption, UsageError, type AnySuite } from '../args.js';
import type { Command, Context } from '../context.js';
import { KEM_SUITE_NAMES, SIGNATURE_SUITE_NAMES } from '../suite-names.js';
import { writeKeyFiles } from '../files.js';
import { hex, toJson } from '../output.js';
import { passphraseSource } from '../passphrase.js';
import { signingKeyId } from '../signing.js';

interface KeyPair {
  readonly publicKey: Uint8Array;
  /** Secret. */
  readonly privateKey: Uint8Array;
  readonly encodedPublicKey: Uint8Array;
  /** Secret. */
  readonly encodedPrivateKey: Uint8Array;
  readonly keyId: string;
}

/** A KEM key pair, or a composite signing key pair, encoded in its family's wire objects. */
async function generate(any: AnySuite, seed: Uint8Array | undefined, ctx: Context): Promise<KeyPair> {
  if (any.family === 'kem') {
    const { suite } = any;
    const { publicKey, privateKey } = createKem(suite, await ctx.backend()).keygen(seed);
    const encodedPublicKey = encodePublicKey(suite, publicKey);
    return { publicKey, privateKey, encodedPublicKey, encodedPrivateKey: encodePrivateKey(suite, privateKey), keyId: keyId(encodedPublicKey) };
  }
  const { suite } = any;
  const { publicKey, privateKey } = createSigner(suite, await ctx.signatureBackend()).keygen(seed);
  const encodedPublicKey = encodeSigningPublicKey(suite, publicKey);
  return {
    publicKey,
    privateKey,
    encodedPublicKey,
    encodedPrivateKey: encodeSigningPrivateKey(suite, privateKey),
    keyId: signingKeyId(encodedPublicKey),
  };
}

export const keygen: Command = {
  spec: {
    name: 'keygen',
    summary: 'generate a key pair (KEM or composite signature)',
    usage: [
      'hybridkem keygen --suite S [--seed HEX] [--out PREFIX [--force]] [--json] [--backend NAME]',
      'hybridkem keygen --suite S (--passphrase | --passphrase-file FILE | --passphrase-env NAME) [--out PREFIX [--force]] [--json]',
    ],
    description: [
      'S is a KEM suite or a composite signature suite (ML-DSA + EdDSA); a KEM key pair of any',
      'suite works with encapsulate/decapsulate, of a hybrid suite also with seal/open; a signature suite',
      `(${SIGNATURE_SUITES.map((s) => s.name).join(', ')}) makes a signing key pair for sign and verify.`,
      'Without --out, prints the armored public key and then the armored private key.',
      'With --out, writes PREFIX.pub and PREFIX.key (the private key, created with mode 0600)',
      'and refuses to overwrite either file unless --force is given.',
      '--json prints {suite, publicKey, privateKey, keyId, encoded}; with --out it leaves the',
      'private key out of stdout and names the files instead.',
      'With --passphrase (asked twice on the terminal, without echo), --passphrase-file or',
      '--passphrase-env, the private key (KEM or signing) is written encrypted (HYBRIDKEM ENCRYPTED',
      'PRIVATE KEY, spec/WIRE-FORMAT.md §8: Argon2id m=19 MiB, t=2, p=1, then ChaCha20-Poly1305);',
      'every command that reads a private key (open, decapsulate, sign) asks for it the same ways.',
    ].join('\n'),
    options: {
      suite: {
        type: 'string',
        value: 'S',
        choices: [...KEM_SUITE_NAMES, ...SIGNATURE_SUITE_NAMES],
        description: 'suite name, e.g. X-Wing, X25519-MLKEM768, MLKEM768-P256, MLDSA65-Ed25519-SHA512',
      },
      seed: {
        type: 'string',
        value: 'HEX',
        description:
          'seed (the private key) for a deterministic key: 32 bytes for KEM suites (64, d ‖ z, for ML-KEM-768 and ML-KEM-1024); for signature suites the ML-DSA seed and the EdDSA key (64 bytes, 89 for MLDSA87-Ed448-SHAKE256); default random',
      },
      out: { type: 'string', value: 'PREFIX', description: 'write PREFIX.pub and PREFIX.key instead of printing them' },
      force: { type: 'boolean', description: 'with --out: overwrite existing files' },
      passphrase: { type: 'boolean', description: 'encrypt the private key with a passphrase asked for on the terminal (twice, without echo)' },
      'passphrase-file': { type: 'string', value: 'FILE', description: "encrypt the private key with the passphrase on FILE's first line" },
      'passphrase-env': { type: 'string', value: 'NAME', description: 'encrypt the private key with the passphrase in the environment variable NAME' },
    },
    examples: [
      'hybridkem keygen --suite X-Wing --out alice',
      'hybridkem keygen --suite X25519-MLKEM768 --json',
      'hybridkem keygen --suite MLDSA65-Ed25519-SHA512 --out signer',
      'hybridkem keygen --suite X-Wing --passphrase --out alice',
      'hybridkem keygen --suite MLDSA65-Ed25519-SHA512 --passphrase --out signer',
    ],
  },

  async run(args, ctx) {
    const suiteName = stringOption(args, 'suite');
    if (suiteName === undefined) throw new UsageError('keygen: --suite is required');
    const any = parseAnySuite(suiteName);
    const suite = any.suite;
    const out = stringOption(args, 'out');
    if (args.values.force && out === undefined) throw new UsageError('keygen: --force only applies with --out');
    if (out === '') throw new UsageError('keygen: --out needs a non-empty PREFIX');
    const encrypt =
      args.values.passphrase === true || stringOption(args, 'passphrase-file') !== undefined || stringOption(args, 'passphrase-env') !== undefined;
    if (args.values.passphrase === true && (stringOption(args, 'passphrase-file') ?? stringOption(args, 'passphrase-env')) !== undefined) {
      throw new UsageError('keygen: give only one of --passphrase, --passphrase-file and --passphrase-env');
    }
    // Asked before any work, so that a mistyped confirmation costs nothing.
    const passphrase = encrypt ? await passphraseSource(args, 'keygen').get(out === undefined ? 'the new private key' : `${out}.key`, true) : undefined;
    const seedHex = stringOption(args, 'seed');
    const seed = seedHex === undefined ? undefined : parseHex('seed', seedHex, suite.lengths.seed);

    let pair: KeyPair;
    try {
      pair = await generate(any, seed, ctx);
    } finally {
      seed?.fill(0);
    }
    const { publicKey, privateKey, encodedPublicKey, encodedPrivateKey, keyId: id } = pair;
    const publicText = armor(encodedPublicKey);
    let privateText: string;
    try {
      privateText = passphrase === undefined ? armor(encodedPrivateKey) : await encryptPrivateKeyArmored(encodedPrivateKey, passphrase);
    } catch (error) {
      privateKey.fill(0);
      encodedPrivateKey.fill(0);
      throw error;
    }
    try {
      if (out !== undefined) {
        const files = await writeKeyFiles(out, publicText, privateText, args.values.force === true);
        return {
          stdout: args.common.json
            ? toJson({ suite: suite.name, publicKey: hex(publicKey), keyId: id, encoded: { publicKey: publicText }, files })
            : `wrote ${files.publicKey} and ${files.privateKey} (${suite.name}, key id ${id})\n`,
        };
      }
      return {
        stdout: args.common.json
          ? toJson({
              suite: suite.name,
              publicKey: hex(publicKey),
              ...(passphrase === undefined ? { privateKey: hex(privateKey) } : { encrypted: true }),
              keyId: id,
              encoded: { publicKey: publicText, privateKey: privateText },
            })
          : publicText + privateText,
      };
    } finally {
      privateKey.fill(0);
      encodedPrivateKey.fill(0);
    }
  },
};
