/**
 * What `seal` and `open` share: the key files (any KEM suite), the --aad / --info /
 * --aead options, the input stream and the output sink. A file sink is a
 * temporary file beside OUT, renamed over it only once the whole stream has
 * gone through (for open: once every chunk, the final one included,
 * authenticated) and deleted on any failure, so OUT is never partial.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, unlinkSync } from 'node:fs';
import { open as openFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Backend, Suite } from '@hybridkem/core';
import { createHpkeSuite, HYBRID_HPKE_KEM_IDS, type HpkeAeadName, type HpkeKemName, type HpkeSuite } from '@hybridkem/seal';
import { syncDirectory } from '@hybridkem/seal/node';
import { stringOption, UsageError, type OptionSpec, type ParsedArgs } from './args.js';
import { CliError } from './output.js';

/** The KEM suites seal can use: every suite, each an HPKE KEM (spec/WIRE-FORMAT.md §7.1); @hybridkem/seal's table. */
export const SEAL_SUITES: readonly HpkeKemName[] = Object.freeze(Object.keys(HYBRID_HPKE_KEM_IDS) as HpkeKemName[]);

/** "A, B or C": the seal suites, for help texts. */
export const SEAL_SUITES_TEXT = `${SEAL_SUITES.slice(0, -1).join(', ')} or ${SEAL_SUITES[SEAL_SUITES.length - 1]}`;

export const AEAD_CHOICES: Readonly<Record<string, HpkeAeadName>> = Object.freeze({
  'chacha20-poly1305': 'ChaCha20-Poly1305',
  'aes-256-gcm': 'AES-256-GCM',
  'aes-128-gcm': 'AES-128-GCM',
});

/** HPKE AEAD ids (RFC 9180 §7.3) as written in a sealed message's header. */
export const AEAD_BY_ID: Readonly<Record<number, HpkeAeadName>> = Object.freeze({
  0x0001: 'AES-128-GCM',
  0x0002: 'AES-256-GCM',
  0x0003: 'ChaCha20-Poly1305',
});

export const SEAL_COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.freeze({
  aad: { type: 'string', value: 'S', description: 'additional authenticated data, a UTF-8 string (not stored; open needs the same)' },
  info: { type: 'string', value: 'S', description: 'HPKE info, a UTF-8 string of at most 64 KiB (not stored; open needs the same)' },
  output: { type: 'string', short: 'o', value: 'OUT', description: 'write to OUT (replaced only on success) instead of stdout' },
});

/** --json makes no sense for a binary stream: a usage error. */
export function rejectJson(args: ParsedArgs, command: string): void {
  if (args.common.json) throw new UsageError(`${command}: --json is not supported (the output is the binary stream)`);
}

/** The --aad and --info bytes (UTF-8), empty when not given. */
export function sealOptions(args: ParsedArgs): { aad: Uint8Array; info: Uint8Array } {
  const encode = (name: string) => new TextEncoder().encode(stringOption(args, name) ?? '');
  return { aad: encode('aad'), info: encode('info') };
}

/** The --aead choice (case-insensitive), ChaCha20-Poly1305 by default. */
export function parseAead(value: string | undefined): HpkeAeadName {
  if (value === undefined) return 'ChaCha20-Poly1305';
  const aead = AEAD_CHOICES[value.toLowerCase()];
  if (!aead) {
    throw new UsageError(`--aead: unknown AEAD ${JSON.stringify(value.slice(0, 32))}, expected one of ${Object.keys(AEAD_CHOICES).join(', ')}`);
  }
  return aead;
}

/** The HPKE suite of `kem` (the key's suite), HKDF-SHA256 and `aead`. */
export function hpkeSuite(kem: HpkeKemName, aead: HpkeAeadName, backend: Backend): HpkeSuite {
  return createHpkeSuite({ kem, kdf: 'HKDF-SHA256', aead, backend });
}

function isSealSuite(name: string): name is HpkeKemName {
  return (SEAL_SUITES as readonly string[]).includes(name);
}

export function checkSealSuite(suite: Suite, what: string): HpkeKemName {
  if (!isSealSuite(suite.name)) {
    throw new CliError(`${what}: seal supports ${SEAL_SUITES.join(', ')} only; this key is ${suite.name}`);
  }
  return suite.name;
}

/** "no such file or directory" from a Node fs error, else its message. */
export function fsReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const m = /^[A-Z]+: ([^,]+)/.exec(e?.message ?? '');
  return m ? m[1]! : String(e?.message ?? error);
}

/** IN and OUT of the command line: `-` or absent is stdin / stdout. */
export interface Io {
  readonly input: string;
  /** undefined: stdout. */
  readonly output: string | undefined;
  /** The input's name in errors. */
  readonly inputName: string;
}

export function parseIo(args: ParsedArgs, command: string): Io {
  const input = args.positionals[0] ?? '-';
  if (input === '') throw new UsageError(`${command}: IN must not be empty (use - for stdin)`);
  const o = stringOption(args, 'output');
  if (o === '') throw new UsageError(`${command}: -o needs a non-empty OUT`);
  const output = o === undefined || o === '-' ? undefined : o;
  if (output !== undefined && input !== '-' && resolve(output) === resolve(input)) {
    throw new UsageError(`${command}: -o names the input file`);
  }
  return { input, output, inputName: input === '-' ? 'stdin' : input };
}

/** Where the output goes: a Writable, and what to do once the pipeline succeeded or failed. */
export interface Sink {
  readonly stream: Writable;
  /** Moves the finished temporary file over OUT (nothing for stdout). */
  commit(): Promise<void>;
  /** Deletes the temporary file (nothing for stdout). */
  abort(): Promise<void>;
}

/**
 * stdout as a Writable that forwards with backpressure but never ends
 * process.stdout (the CLI writes to it after the command returns).
 */
function stdoutSink(): Sink {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (process.stdout.write(chunk)) callback();
      else process.stdout.once('drain', () => callback());
    },
  });
  return { stream, commit: async () => {}, abort: async () => {} };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A sink for OUT (or stdout when undefined). A file is written as
 * `.OUT.<random>.tmp` in OUT's directory, created exclusively with `mode`
 * (0600 for plaintext), flushed to disk, and renamed over OUT by commit(),
 * which then fsyncs the directory so that the rename survives a crash;
 * abort() and a SIGINT / SIGTERM / SIGHUP delete it. An existing OUT is left
 * as it was until commit().
 */
export async function openSink(output: string | undefined, mode: number): Promise<Sink> {
  if (output === undefined) return stdoutSink();
  const fail = (error: unknown) => new CliError(`cannot write ${output}: ${fsReason(error)}`, { cause: error });
  try {
    if ((await stat(output)).isDirectory()) throw new CliError(`cannot write ${output}: is a directory`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(error);
  }
  const tmp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await openFile(tmp, 'wx', mode);
  } catch (error) {
    throw fail(error);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  };
  for (const s of SIGNALS) process.once(s, onSignal);
  const release = () => {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
  const stream = createWriteStream('', { fd: handle, flush: true, highWaterMark: 1 << 20 });
  stream.on('error', () => {}); // reported by the pipeline
  return {
    stream,
    async commit() {
      try {
        await rename(tmp, output);
        await syncDirectory(dirname(output));
      } catch (error) {
        await rm(tmp, { force: true });
        throw fail(error);
      } finally {
        release();
      }
    },
    async abort() {
      stream.destroy();
      await handle.close().catch(() => {});
      await rm(tmp, { force: true });
      release();
    },
  };
}

/**
 * Runs `pipeline(input, transform, sink)`, then commits the sink, or aborts
 * it and rethrows as one line: read and write errors name the file, other
 * errors (the library's) are prefixed with the command and the input's name.
 */
export async function runPipeline(
  run: (sink: Writable) => Promise<void>,
  sink: Sink,
  io: Io,
  command: string,
): Promise<void> {
  try {
    await run(sink.stream);
  } catch (error) {
    await sink.abort();
    // Read errors are CliErrors already (messageChunks); a system error is then the output's.
    if (!(error instanceof CliError) && typeof (error as NodeJS.ErrnoException)?.syscall === 'string') {
      throw new CliError(`cannot write ${io.output ?? 'stdout'}: ${fsReason(error)}`, { cause: error });
    }
    throw inputError(command, io, error);
  }
  await sink.commit();
}

/** A failure of the library on the input as one line, `COMMAND: IN: message` (CLI errors pass through). */
export function inputError(command: string, io: Io, error: unknown): Error {
  if (error instanceof CliError || error instanceof UsageError) return error;
  const message = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.replace(/^(seal|open): /, '');
  return new CliError(`${command}: ${io.inputName}: ${message}`, { cause: error });
}
