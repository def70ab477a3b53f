/**
 * Verifying an audit log (spec/MESH.md §8.5): every line's structure,
 * sequence number, chain link and composite signature, in that order; then
 * that the log ends with a checkpoint; then, when given, the expected head.
 * The first entry that fails is named with its line, its seq and why.
 * @module
 */
import { open } from 'node:fs/promises';
import { InvalidArgumentError } from '@hybridkem/core';
import {
  createSigner,
  decodeSigningPublicKey,
  getSignatureBackend,
  signingKeyId,
  type CompositeSigner,
  type SignatureBackend,
} from '@hybridkem/signing';
import {
  AUDIT_SIGNATURE_CONTEXT,
  MAX_LINE_BYTES,
  ZERO_HASH,
  bodyBytes,
  decodeBase64Canonical,
  entryHash,
  parseLine,
  type AuditEntry,
  type AuditHead,
} from './entry.js';
import type { AuditFailureReason } from './errors.js';

/** Default bound on the number of entries a reader accepts (spec/MESH.md §8.5). */
export const DEFAULT_MAX_ENTRIES = 1 << 24;

export interface VerifyAuditLogOptions {
  /** The encoded v1 signing public keys (kind 0x05) trusted to sign entries. At least one. */
  readonly signingPublicKeys: readonly Uint8Array[];
  /**
   * The composite-signature primitives to verify with (any backend of
   * @hybridkem/signing); default: @hybridkem/signing's getSignatureBackend()
   * (HYBRIDKEM_BACKEND, else the fastest that loads).
   */
  readonly backend?: SignatureBackend;
  /**
   * The head the log must have, from somewhere the log's writer cannot
   * rewrite (a JetStream mirror, a record kept elsewhere): the log must end
   * at exactly `count` entries, the last with hash `hash`.
   */
  readonly expectHead?: AuditHead;
  /** At most this many entries (default 2^24); more is `too-large`. */
  readonly maxEntries?: number;
  /**
   * Whether the log must end with a checkpoint (default true). A writer
   * resuming a log after a crash passes false: entries after the last
   * checkpoint are then a crash's, not a cut.
   */
  readonly requireCheckpoint?: boolean;
  /** Called with each entry once it has verified, in order. */
  readonly onEntry?: (entry: AuditEntry) => void;
}

export interface AuditVerifyOk {
  readonly ok: true;
  /** Entries verified (checkpoints included). */
  readonly entries: number;
  /** How many of them are checkpoints. */
  readonly checkpoints: number;
  readonly head: AuditHead;
  /** Key ids of the keys that signed, in order of first use. */
  readonly signers: readonly string[];
}

export interface AuditVerifyFailure {
  readonly ok: false;
  readonly reason: AuditFailureReason;
  /** What is wrong, naming the line and seq. */
  readonly message: string;
  /** 1-based line of the first bad entry (one past the last line when an entry is missing). */
  readonly line: number;
  /** The seq that line should have held. */
  readonly seq: number;
  /** Entries that verified before it. */
  readonly entries: number;
  readonly checkpoints: number;
  /** The head of the entries that verified. */
  readonly head: AuditHead;
}

export type AuditVerifyResult = AuditVerifyOk | AuditVerifyFailure;

/** What a writer needs to resume a log: the verdict and where the good bytes end. */
export interface AuditScan {
  readonly result: AuditVerifyResult;
  /** Bytes of complete, verified lines (LF included). */
  readonly goodBytes: number;
  /** Entries after the last checkpoint (0 when the log ends with one or is empty). */
  readonly sinceCheckpoint: number;
}

interface Line {
  readonly bytes: Uint8Array;
  /** False for a last line without LF. */
  readonly terminated: boolean;
  /** True when the line went past MAX_LINE_BYTES (then `bytes` is empty). */
  readonly tooLong: boolean;
}

/** Splits chunks into lines at LF, never holding more than MAX_LINE_BYTES of one line. */
async function* lines(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Line> {
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  const take = (tail: Uint8Array): Uint8Array => {
    if (pending.length === 0) return tail.slice();
    const out = new Uint8Array(pendingLength + tail.length);
    let o = 0;
    for (const p of pending) {
      out.set(p, o);
      o += p.length;
    }
    out.set(tail, o);
    pending = [];
    pendingLength = 0;
    return out;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(0x0a, start);
      const end = lf < 0 ? chunk.length : lf;
      if (pendingLength + (end - start) > MAX_LINE_BYTES) {
        yield { bytes: new Uint8Array(0), terminated: lf >= 0, tooLong: true };
        return;
      }
      if (lf < 0) {
        if (end > start) {
          pending.push(chunk.slice(start, end));
          pendingLength += end - start;
        }
        break;
      }
      yield { bytes: take(chunk.subarray(start, end)), terminated: true, tooLong: false };
      start = lf + 1;
    }
  }
  if (pendingLength > 0) yield { bytes: take(new Uint8Array(0)), terminated: false, tooLong: false };
}

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(256 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** The complete lines of a log file (LF excluded), in order; stops at a partial or too long line. */
export async function* readLogLines(path: string): AsyncGenerator<Uint8Array> {
  for await (const l of lines(fileChunks(path))) {
    if (l.tooLong || !l.terminated) return;
    yield l.bytes;
  }
}

interface Trusted {
  readonly signer: CompositeSigner;
  readonly publicKey: Uint8Array;
}

function trustedKeys(keys: readonly Uint8Array[], backend: SignatureBackend): Map<string, Trusted> {
  const signers = new Map<number, CompositeSigner>();
  const out = new Map<string, Trusted>();
  for (const encoded of keys) {
    const { suite, publicKey } = decodeSigningPublicKey(encoded);
    let signer = signers.get(suite.id);
    if (signer === undefined) {
      signer = createSigner(suite, backend);
      signers.set(suite.id, signer);
    }
    out.set(signingKeyId(encoded), { signer, publicKey });
  }
  return out;
}

/**
 * Reads a log and says where it stops verifying. Internal form of
 * verifyAuditLog that also reports where the good bytes end, for a writer
 * resuming the log.
 */
export async function scanAuditLog(input: Uint8Array | string, options: VerifyAuditLogOptions): Promise<AuditScan> {
  if (!Array.isArray(options.signingPublicKeys) || options.signingPublicKeys.length === 0) {
    throw new InvalidArgumentError('signingPublicKeys', 'list at least one encoded signing public key');
  }
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new InvalidArgumentError('maxEntries', 'expected a positive safe integer');
  const expect = options.expectHead;
  if (expect !== undefined && (!Number.isSafeInteger(expect.count) || expect.count < 0 || !/^[0-9a-f]{64}$/.test(expect.hash))) {
    throw new InvalidArgumentError('expectHead', 'expected {count: safe integer ≥ 0, hash: 64 lower-case hex digits}');
  }
  const trusted = trustedKeys(options.signingPublicKeys, options.backend ?? (await getSignatureBackend()));
  const requireCheckpoint = options.requireCheckpoint ?? true;

  let count = 0;
  let hash = ZERO_HASH;
  let checkpoints = 0;
  let lastCheckpoint = 0;
  let goodBytes = 0;
  const signers: string[] = [];
  const head = (): AuditHead => ({ count, hash });
  const fail = (reason: AuditFailureReason, line: number, message: string): AuditScan => ({
    result: { ok: false, reason, message: `line ${line} (seq ${line}): ${message}`, line, seq: line, entries: count, checkpoints, head: head() },
    goodBytes,
    sinceCheckpoint: count - lastCheckpoint,
  });

  const source = typeof input === 'string' ? fileChunks(input) : [input];
  for await (const l of lines(source)) {
    const n = count + 1;
    if (n > maxEntries) return fail('too-large', n, `more than ${maxEntries} entries`);
    if (l.tooLong) return fail('line-too-long', n, `longer than ${MAX_LINE_BYTES} bytes`);
    if (!l.terminated) return fail('partial-line', n, 'the last line has no LF: the log was cut mid-line (or its writer died mid-write)');
    const parsed = parseLine(l.bytes);
    if (!parsed.ok) return fail(parsed.reason, n, parsed.message);
    const e = parsed.entry;
    if (e.seq !== n) {
      return fail('bad-seq', n, `seq is ${e.seq}, expected ${n}: an entry was deleted, reordered or duplicated`);
    }
    if (e.prev !== hash) return fail('prev-mismatch', n, `prev does not match the hash of entry ${n - 1}: an entry was edited, replaced or reordered`);
    const key = trusted.get(e.signer);
    if (key === undefined) return fail('unknown-signer', n, `signed by key ${e.signer}, which is not a trusted signer`);
    const sig = decodeBase64Canonical(e.sig, key.signer.suite.lengths.signature);
    if (sig === undefined || sig.length !== key.signer.suite.lengths.signature) {
      return fail('bad-signature', n, `sig is not the canonical base64 of a ${key.signer.suite.name} signature (${key.signer.suite.lengths.signature} bytes)`);
    }
    const verdict = key.signer.verify(key.publicKey, bodyBytes(e), sig, { context: AUDIT_SIGNATURE_CONTEXT });
    if (!verdict.valid) {
      const parts = [verdict.mldsa, verdict.eddsa].map((c) => `${c.algorithm} ${c.valid ? 'valid' : 'invalid'}`).join(', ');
      return fail('bad-signature', n, `the signature by key ${e.signer} does not verify (${parts}): the entry was edited`);
    }
    if (e.type === 'checkpoint') {
      const keys = Object.keys(e.data).sort();
      if (keys.length !== 2 || keys[0] !== 'count' || keys[1] !== 'head' || e.data.count !== n - 1 || e.data.head !== e.prev) {
        return fail('bad-checkpoint', n, `a checkpoint's data must be exactly {count: ${n - 1}, head: its prev}`);
      }
      checkpoints++;
      lastCheckpoint = n;
    }
    if (!signers.includes(e.signer)) signers.push(e.signer);
    count = n;
    hash = entryHash(l.bytes);
    goodBytes += l.bytes.length + 1;
    options.onEntry?.(e);
    if (expect !== undefined && n === expect.count && hash !== expect.hash) {
      return fail('head-mismatch', n, `the hash of entry ${n} is ${hash}, the expected head's is ${expect.hash}: the log was rewritten at or before seq ${n}`);
    }
  }

  const sinceCheckpoint = count - lastCheckpoint;
  if (count === 0 && requireCheckpoint) return fail('empty', 1, 'the log has no entries (a closed log ends with a checkpoint)');
  if (requireCheckpoint && sinceCheckpoint > 0) {
    return fail(
      'not-checkpointed',
      lastCheckpoint + 1,
      `entries after seq ${lastCheckpoint} are not covered by a checkpoint: truncated, or the writer did not close the log`,
    );
  }
  if (expect !== undefined) {
    if (count < expect.count) {
      return fail('head-missing', count + 1, `the log ends at seq ${count} but the expected head is at seq ${expect.count}: truncated`);
    }
    if (count > expect.count) {
      return fail('head-exceeded', expect.count + 1, `the log goes on past the expected head (seq ${expect.count}) to seq ${count}`);
    }
    if (expect.count === 0 && expect.hash !== ZERO_HASH) {
      return fail('head-mismatch', 1, `the expected head has count 0 but a hash other than ${ZERO_HASH}`);
    }
  }
  return { result: { ok: true, entries: count, checkpoints, head: head(), signers }, goodBytes, sinceCheckpoint };
}

/**
 * Verifies an audit log, given as its bytes or a file path (read in bounded
 * memory: at most one line of MAX_LINE_BYTES is held). Resolves to
 * `{ok: true, entries, checkpoints, head, signers}`, or to the first bad
 * entry: `{ok: false, reason, message, line, seq, ...}` (spec/MESH.md §8.5).
 * What a file alone can and cannot prove: spec/MESH.md §8.6.
 */
export async function verifyAuditLog(input: Uint8Array | string, options: VerifyAuditLogOptions): Promise<AuditVerifyResult> {
  return (await scanAuditLog(input, options)).result;
}
