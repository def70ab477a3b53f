/**
 * `hybridkem audit verify`: checks a mesh audit log (spec/MESH.md §8) —
 * every entry's structure, sequence number, hash-chain link and composite
 * signature, that the log ends with a checkpoint, and, given one, the
 * expected head (on the command line, or read from the log's JetStream
 * mirror). @hybridkem/mesh (and nats.js with it) is imported only when the
 * command runs.
 * @module
 */
import { listOption, stringOption, UsageError } from '../args.js';
import type { CommandGroup } from '../command-tree.js';
import type { Command } from '../context.js';
import { readSigningFile } from '../files.js';
import { CliError, describeError, toJson } from '../output.js';

/** @hybridkem/mesh's AUDIT_STREAM and AUDIT_SUBJECT, for help without loading the package (test/audit.test.ts holds them to it). */
export const DEFAULT_AUDIT_STREAM = 'HYBRIDKEM_AUDIT';
export const DEFAULT_AUDIT_SUBJECT = 'hybridkem.audit';

const HEAD = /^(\d{1,16}):([0-9a-fA-F]{64})$/;
const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** COUNT:HASH, e.g. 13:9f86…; the hash as lower-case hex. */
export function parseHead(value: string): { count: number; hash: string } {
  const m = HEAD.exec(value);
  const count = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(count)) {
    throw new UsageError('audit verify: --expect-head: expected COUNT:HASH (a decimal count and 64 hex digits, as verify prints them)');
  }
  return { count, hash: m[2]!.toLowerCase() };
}

/** A NATS URL without user:password, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/g, '//…@');
}

const verifyCommand: Command = {
  spec: {
    name: 'verify',
    summary: 'verify a mesh audit log: hash chain, signatures, checkpoints, expected head',
    usage: [
      'hybridkem audit verify --signer FILE [--signer FILE ...] [--expect-head COUNT:HASH] [--json] LOG',
      'hybridkem audit verify --signer FILE [--nats URL [--stream NAME] [--subject SUBJECT]] [--json] LOG',
    ],
    description: [
      'Verifies the audit log LOG written by @hybridkem/mesh (spec/MESH.md §8): each line is a',
      'canonical JSON entry with consecutive seq, linked to the previous one by its hash and',
      'composite-signed by one of the --signer keys; the log must end with a checkpoint. Prints',
      'the number of entries and the head (COUNT:HASH) and exits 0 when it is intact; otherwise',
      'prints the first bad entry (line, seq, reason) and exits 1.',
      'A file alone cannot show a cut made exactly at a checkpoint, nor a log rewritten by the',
      'holder of the signing key: give the head recorded elsewhere with --expect-head, or read it',
      'from the log\'s JetStream mirror with --nats (the last entry on --subject in --stream).',
      '--json prints {ok, entries, checkpoints, head: {count, hash}, signers} or',
      '{ok: false, reason, line, seq, message, entries, head}.',
    ].join('\n'),
    options: {
      signer: { type: 'string', value: 'FILE', multiple: true, description: 'a signing public key trusted to sign entries (armored or binary)' },
      'expect-head': { type: 'string', value: 'COUNT:HASH', description: 'the head the log must end at' },
      nats: { type: 'string', value: 'URL', description: 'read the expected head from the JetStream mirror at URL (nats://host:port)' },
      stream: { type: 'string', value: 'NAME', description: `the mirror's stream (default ${DEFAULT_AUDIT_STREAM})` },
      subject: { type: 'string', value: 'SUBJECT', description: `the mirror's subject (default ${DEFAULT_AUDIT_SUBJECT})` },
    },
    positionals: ['LOG'],
    examples: [
      'hybridkem audit verify --signer issuer.pub audit.log',
      'hybridkem audit verify --signer issuer.pub --expect-head 129:5d1c…e0 audit.log',
      'hybridkem audit verify --signer issuer.pub --nats nats://127.0.0.1:4222 audit.log',
    ],
  },

  async run(args, ctx) {
    const path = args.positionals[0]!;
    const signerPaths = listOption(args, 'signer');
    if (signerPaths.length === 0) throw new UsageError('audit verify: give at least one --signer FILE (the signing public key that wrote the log)');
    const expectText = stringOption(args, 'expect-head');
    const nats = stringOption(args, 'nats');
    const stream = stringOption(args, 'stream');
    const subject = stringOption(args, 'subject');
    if (expectText !== undefined && nats !== undefined) throw new UsageError('audit verify: give only one of --expect-head and --nats');
    if (nats === undefined && (stream !== undefined || subject !== undefined)) {
      throw new UsageError('audit verify: --stream and --subject go with --nats');
    }
    if (stream !== undefined && !STREAM_NAME.test(stream)) throw new UsageError('audit verify: --stream: expected 1..64 of A-Z a-z 0-9 _ -');
    if (subject !== undefined && !SUBJECT.test(subject)) throw new UsageError('audit verify: --subject: expected dot-separated tokens of A-Z a-z 0-9 _ - (no wildcards)');
    let expectHead = expectText === undefined ? undefined : parseHead(expectText);

    const keys: Uint8Array[] = [];
    for (const p of signerPaths) keys.push((await readSigningFile(p, `--signer ${p}`, 'signingPublicKey')).encoded);

    const mesh = await import('@hybridkem/mesh');
    if (nats !== undefined) {
      try {
        expectHead = await mesh.readAuditHeadAt(nats, stream ?? mesh.AUDIT_STREAM, subject ?? mesh.AUDIT_SUBJECT);
      } catch (error) {
        throw new CliError(`audit verify: cannot read the head from ${redact(nats)}: ${describeError(error)}`, { cause: error });
      }
    }
    let result;
    try {
      result = await mesh.verifyAuditLog(path, {
        signingPublicKeys: keys,
        backend: await ctx.signatureBackend(),
        ...(expectHead !== undefined ? { expectHead } : {}),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
        throw new CliError(`audit verify: ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'permission denied'}`);
      }
      throw error;
    }
    const exitCode = result.ok ? 0 : 1;
    if (args.common.json) return { stdout: toJson(expectHead ? { ...result, expectedHead: expectHead } : result), exitCode };
    if (result.ok) {
      const lines = [
        `${path}: intact`,
        `entries: ${result.entries} (${result.checkpoints} checkpoint${result.checkpoints === 1 ? '' : 's'})`,
        `head: ${result.head.count}:${result.head.hash}`,
        `signers: ${result.signers.join(', ')}`,
        expectHead ? 'expected head: matches' : 'expected head: not given (a cut at a checkpoint, or a log rewritten with the signing key, would not show)',
      ];
      return { stdout: `${lines.join('\n')}\n`, exitCode };
    }
    const lines = [
      `${path}: NOT INTACT`,
      `first bad entry: ${result.message} [${result.reason}]`,
      `verified before it: ${result.entries} entries, head ${result.head.count}:${result.head.hash}`,
    ];
    return { stdout: `${lines.join('\n')}\n`, exitCode };
  },
};

export const audit: CommandGroup = {
  spec: {
    name: 'audit',
    summary: 'check a mesh audit log (spec/MESH.md §8)',
  },
  subcommands: [verifyCommand],
};
