import { createSigner, type ComponentVerdict, type SignatureSuite } from '@hybridkem/signing';
import { oneOf, parseHex, parseSignatureSuite, stringOption, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { SIGNATURE_SUITE_NAMES } from '../suite-names.js';
import { createProgress, QUIET_OPTIONS } from '../progress.js';
import { checkSuiteAgrees, messageChunks, readSigningFile } from '../files.js';
import { CliError, toJson } from '../output.js';
import { CONTEXT_OPTIONS, parseContext } from '../signing.js';

function verdictLine(v: ComponentVerdict): string {
  return `${v.algorithm}: ${v.valid ? 'valid' : `INVALID${v.reason ? ` (${v.reason})` : ''}`}`;
}

export const verify: Command = {
  spec: {
    name: 'verify',
    summary: 'verify a composite ML-DSA + EdDSA signature of a file',
    usage: [
      'hybridkem verify --public-key FILE (--signature FILE | --signature-hex HEX) [--suite S] [--context S | --context-hex HEX] [--json] FILE',
      'hybridkem verify --suite S --public-key-hex HEX (--signature FILE | --signature-hex HEX) [--context S | --context-hex HEX] [--json] FILE',
    ],
    description: [
      'Verifies the signature of FILE (- for stdin), streaming it, and prints the verdict of each',
      'component (ML-DSA, then EdDSA) and then of the signature, which is valid only when both',
      'components are. Exit status 0 when it is valid, 1 when it is not (the verdict is still',
      'printed on stdout) or on any other error. The context must be the one given to sign.',
      'FILE arguments are armored or binary wire objects; the -hex options take raw bytes (no',
      'wire header), and --public-key-hex needs --suite. The signature must be of the public',
      'key\'s suite.',
      '--json prints {suite, valid, mldsa: {algorithm, valid, reason?}, eddsa: {algorithm, valid, reason?}}.',
    ].join('\n'),
    options: {
      'public-key': { type: 'string', value: 'FILE', description: 'signing public key file (armored or binary)' },
      'public-key-hex': { type: 'string', value: 'HEX', description: 'raw signing public key as hex (needs --suite)' },
      signature: { type: 'string', value: 'FILE', description: 'signature file (armored or binary), as written by sign' },
      'signature-hex': { type: 'string', value: 'HEX', description: 'raw signature as hex' },
      suite: { type: 'string', value: 'S', choices: SIGNATURE_SUITE_NAMES, description: 'signature suite, e.g. MLDSA65-Ed25519-SHA512; must match the files when given with them' },
      ...CONTEXT_OPTIONS,
      ...QUIET_OPTIONS,
    },
    positionals: ['FILE'],
    examples: [
      'hybridkem verify --public-key signer.pub --signature report.pdf.sig report.pdf',
      'hybridkem verify --public-key signer.pub --signature dir.tar.sig --context backup-v1 --json dir.tar',
    ],
  },

  async run(args, ctx) {
    const suiteName = stringOption(args, 'suite');
    const suiteOption = suiteName === undefined ? undefined : parseSignatureSuite(suiteName);
    const path = args.positionals[0]!;
    const keyFromFile = oneOf(args, 'verify', 'public-key', 'public-key-hex') === 'a';
    const sigFromFile = oneOf(args, 'verify', 'signature', 'signature-hex') === 'a';
    const context = parseContext(args, 'verify');

    let suite: SignatureSuite;
    let publicKey: Uint8Array;
    if (keyFromFile) {
      const keyPath = stringOption(args, 'public-key')!;
      const what = `--public-key ${keyPath}`;
      const file = await readSigningFile(keyPath, what, 'signingPublicKey');
      checkSuiteAgrees(suiteOption, file, what);
      suite = file.suite;
      publicKey = file.body;
    } else {
      if (suiteOption === undefined) throw new UsageError('verify: --public-key-hex needs --suite');
      suite = suiteOption;
      publicKey = parseHex('publicKey', stringOption(args, 'public-key-hex')!, suite.lengths.publicKey);
    }

    let signature: Uint8Array;
    if (sigFromFile) {
      const sigPath = stringOption(args, 'signature')!;
      const what = `--signature ${sigPath}`;
      const file = await readSigningFile(sigPath, what, 'signature');
      if (file.suite.id !== suite.id) {
        throw new CliError(`${what} is a ${file.suite.name} signature but the public key is ${suite.name}`);
      }
      signature = file.body;
    } else {
      signature = parseHex('signature', stringOption(args, 'signature-hex')!, suite.lengths.signature);
    }

    const signer = createSigner(suite, await ctx.signatureBackend());
    const progress = createProgress(args, 'verifying', path);
    let result;
    try {
      const chunks = progress.track(await messageChunks(path, path === '-' ? 'stdin' : path));
      result = await signer.verifyStream(publicKey, chunks, signature, { context });
    } finally {
      progress.end();
    }
    const exitCode = result.valid ? 0 : 1;
    if (args.common.json) {
      return { stdout: toJson({ suite: suite.name, backend: signer.backend.name, valid: result.valid, mldsa: result.mldsa, eddsa: result.eddsa }), exitCode };
    }
    const lines = [verdictLine(result.mldsa), verdictLine(result.eddsa), `signature: ${result.valid ? 'valid' : 'INVALID'}`];
    return { stdout: `${lines.join('\n')}\n`, exitCode };
  },
};
