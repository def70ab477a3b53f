/**
 * The audit log's writer (spec/MESH.md §8.4): an AuditSink that appends one
 * hash-chained, composite-signed JSON line per event to a file, with one
 * write() and one fdatasync per entry, a signed checkpoint every K entries
 * and on close, a lock against a second writer, and resumption of an
 * existing log after verifying it.
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgumentError } from '@hybridkem/core';
import { decodeSigningPrivateKey, decodeSigningPublicKey, signingKeyId, type CompositeSigner } from '@hybridkem/signing';
import { systemClock, type Clock } from '../clock.js';
import {
  AUDIT_SIGNATURE_CONTEXT,
  MAX_LINE_BYTES,
  bodyBytes,
  dataProblem,
  encodeBase64,
  entryHash,
  serializeEntry,
  type AuditEntry,
  type AuditEntryBody,
  type AuditEntryType,
  type AuditHead,
} from './entry.js';
import { AuditLogError } from './errors.js';
import { takeLockFile, type HeldLock } from '../lock.js';
import type { AuditData, AuditEventType, AuditSink } from './sink.js';
import { scanAuditLog } from './verify.js';

/** Default checkpoint interval K: a checkpoint after every 64 events. */
export const DEFAULT_CHECKPOINT_EVERY = 64;
/** Largest checkpoint interval accepted. */
export const MAX_CHECKPOINT_EVERY = 65_536;

const EVENT_TYPES: readonly string[] = ['issue', 'deliver', 'refuse', 'rotate', 'directory'] satisfies AuditEventType[];

export interface OpenAuditLogOptions {
  /** The composite signer (suite and backend chosen by the caller); its suite must be the keys'. */
  readonly signer: CompositeSigner;
  /** Encoded v1 signing private key (kind 0x06). Copied; the copy is wiped on close. */
  readonly signingPrivateKey: Uint8Array;
  /** Encoded v1 signing public key (kind 0x05) of that private key. */
  readonly signingPublicKey: Uint8Array;
  readonly clock?: Clock;
  /** A checkpoint after every this many events (default 64, 1..65536). */
  readonly checkpointEvery?: number;
  /**
   * Other encoded signing public keys whose entries an existing log may
   * hold (the writer's earlier keys, after a rotation). The writer's own key
   * is always trusted.
   */
  readonly trustedSigningPublicKeys?: readonly Uint8Array[];
  /** Bound on the entries of an existing log read on open (default 2^24). */
  readonly maxEntries?: number;
}

/** What a listener hears once an entry is durable. */
export interface AppendedEntry {
  /** The line as written, LF excluded. */
  readonly line: string;
  readonly entry: AuditEntry;
  /** The head after it. */
  readonly head: AuditHead;
}

export interface AuditLog extends AuditSink {
  readonly path: string;
  /** The writer's signing key id (lower-case hex). */
  readonly signerKeyId: string;
  /** The head as of the last durable entry. */
  head(): AuditHead;
  /** Appends one event; resolves once it (and any checkpoint it triggers) is written and fsynced. */
  append(type: AuditEventType, data: AuditData): Promise<void>;
  /** Appends a checkpoint now unless the last entry is one; resolves to the head. */
  checkpoint(): Promise<AuditHead>;
  /** Appends the closing checkpoint, closes the file, releases the lock, wipes the key. Idempotent. */
  close(): Promise<AuditHead>;
  /** Calls `listener` after each durable entry, in order; returns the function that removes it. */
  onAppend(listener: (appended: AppendedEntry) => void): () => void;
}

async function fsyncDirectory(path: string): Promise<void> {
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Opens (creating it if absent) the audit log at `path` for appending. An
 * existing log is verified first with the writer's key and
 * `trustedSigningPublicKeys`; entries after its last checkpoint (a crash)
 * are kept and the next checkpoint covers them; a last line without LF (a
 * crash mid-write, never acknowledged) is cut off; anything else that does
 * not verify refuses with AuditLogError naming the first bad entry.
 * @throws {AuditLogError} `log-busy`, `key-mismatch`, or an AUDIT_FAILURES reason
 */
export async function openAuditLog(path: string, options: OpenAuditLogOptions): Promise<AuditLog> {
  const o = Object.freeze({ ...options });
  const signer = o.signer;
  const clock = o.clock ?? systemClock;
  const every = o.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  if (!Number.isSafeInteger(every) || every < 1 || every > MAX_CHECKPOINT_EVERY) {
    throw new InvalidArgumentError('checkpointEvery', `expected 1..${MAX_CHECKPOINT_EVERY}, got ${String(every)}`);
  }
  const pub = decodeSigningPublicKey(o.signingPublicKey);
  const priv = decodeSigningPrivateKey(o.signingPrivateKey);
  const privateKey = priv.privateKey; // a copy (decode copies); wiped on close or failure
  let handle: FileHandle | undefined;
  let lock: HeldLock | undefined;
  try {
    if (pub.suite.id !== signer.suite.id || priv.suite.id !== signer.suite.id) {
      throw new AuditLogError('key-mismatch', `the signing keys (${pub.suite.name}, ${priv.suite.name}) are not of the signer's suite ${signer.suite.name}`);
    }
    const derived = signer.getPublicKey(privateKey);
    if (derived.length !== pub.publicKey.length || !derived.every((b, i) => b === pub.publicKey[i])) {
      throw new AuditLogError('key-mismatch', 'the signing private key is not the one of signingPublicKey');
    }
    const keyId = signingKeyId(o.signingPublicKey);

    lock = await takeLockFile(`${path}.lock`, (holder) =>
      holder === undefined
        ? new AuditLogError('log-busy', `${path}: could not take the lock file ${path}.lock`)
        : new AuditLogError('log-busy', `${path} is open for writing by ${holder} (lock file ${path}.lock)`),
    );
    let created = false;
    try {
      handle = await open(path, 'r+');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      handle = await open(path, 'wx+', 0o600);
      created = true;
    }
    if (created) await fsyncDirectory(path);

    const scan = await scanAuditLog(path, {
      signingPublicKeys: [o.signingPublicKey, ...(o.trustedSigningPublicKeys ?? [])],
      backend: signer.backend,
      requireCheckpoint: false,
      ...(o.maxEntries !== undefined ? { maxEntries: o.maxEntries } : {}),
    });
    const r = scan.result;
    if (!r.ok) {
      if (r.reason !== 'partial-line') {
        throw new AuditLogError(r.reason, `cannot append to ${path}: it does not verify: ${r.message}`);
      }
      // A torn last line: its append never resolved. Cut it off before continuing the chain.
      await handle.truncate(scan.goodBytes);
      await handle.sync();
    }
    const state = {
      head: r.head,
      sinceCheckpoint: scan.sinceCheckpoint,
      lastWasCheckpoint: r.head.count > 0 && scan.sinceCheckpoint === 0,
      size: scan.goodBytes,
    };
    return createWriter(path, handle, lock, { signer, clock, every, privateKey, keyId }, state);
  } catch (e) {
    privateKey.fill(0);
    await handle?.close().catch(() => undefined);
    await lock?.release().catch(() => undefined);
    throw e;
  }
}

interface WriterConfig {
  readonly signer: CompositeSigner;
  readonly clock: Clock;
  readonly every: number;
  readonly privateKey: Uint8Array;
  readonly keyId: string;
}

function createWriter(
  path: string,
  handle: FileHandle,
  lock: HeldLock,
  c: WriterConfig,
  state: { head: AuditHead; sinceCheckpoint: number; lastWasCheckpoint: boolean; size: number },
): AuditLog {
  const listeners = new Set<(a: AppendedEntry) => void>();
  let queue: Promise<unknown> = Promise.resolve();
  let failed: unknown;
  let closing: Promise<AuditHead> | undefined;
  const encoder = new TextEncoder();
  const sigLength = Math.ceil(c.signer.suite.lengths.signature / 3) * 4;

  /** Runs `task` after every earlier one, so entries are written in call order. */
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(() => {
      if (failed !== undefined) {
        throw new AuditLogError('log-failed', `${path}: an earlier write failed; reopen the log to continue`, { cause: failed });
      }
      return task();
    });
    queue = run.catch(() => undefined);
    return run;
  }

  async function write(type: AuditEntryType, data: AuditData): Promise<void> {
    const time = c.clock.now();
    if (!Number.isSafeInteger(time) || time < 0) throw new InvalidArgumentError('clock', `now() must be a safe integer ≥ 0, got ${String(time)}`);
    const body: AuditEntryBody = { v: 1, seq: state.head.count + 1, time, type, data, prev: state.head.hash, signer: c.keyId };
    const message = bodyBytes(body);
    // The line is the body with `,"sig":"…"` inserted: bound it before signing.
    if (message.length + sigLength + 9 > MAX_LINE_BYTES) {
      throw new InvalidArgumentError('data', `the entry would be longer than ${MAX_LINE_BYTES} bytes`);
    }
    const sig = c.signer.sign(c.privateKey, message, { context: AUDIT_SIGNATURE_CONTEXT });
    const entry: AuditEntry = Object.freeze({ ...body, sig: encodeBase64(sig) });
    const line = serializeEntry(entry);
    const bytes = encoder.encode(`${line}\n`);
    try {
      // One write() of the whole line at the end of the verified bytes (the lock makes this
      // the only writer); a short write, which regular files do not do in practice, is continued.
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, state.size + offset);
        offset += bytesWritten;
      }
      await handle.datasync();
      state.size += bytes.length;
    } catch (e) {
      failed = e;
      throw new AuditLogError('log-failed', `${path}: writing entry ${body.seq} failed`, { cause: e });
    }
    state.head = { count: body.seq, hash: entryHash(bytes.subarray(0, bytes.length - 1)) };
    state.lastWasCheckpoint = type === 'checkpoint';
    state.sinceCheckpoint = type === 'checkpoint' ? 0 : state.sinceCheckpoint + 1;
    const appended: AppendedEntry = Object.freeze({ line, entry, head: state.head });
    for (const l of listeners) {
      try {
        l(appended);
      } catch {
        // A listener (the JetStream mirror) must not undo a durable append.
      }
    }
  }

  const writeCheckpoint = () => write('checkpoint', { count: state.head.count, head: state.head.hash });

  return Object.freeze({
    path,
    signerKeyId: c.keyId,
    head: () => state.head,
    append(type: AuditEventType, data: AuditData): Promise<void> {
      if (closing !== undefined) return Promise.reject(new AuditLogError('log-closed', `${path} is closed`));
      if (!EVENT_TYPES.includes(type)) {
        return Promise.reject(new InvalidArgumentError('type', `expected one of ${EVENT_TYPES.join(', ')}`));
      }
      const problem = dataProblem(data);
      if (problem !== undefined) return Promise.reject(new InvalidArgumentError('data', problem));
      const snapshot = Object.freeze({ ...data });
      return enqueue(async () => {
        await write(type, snapshot);
        if (state.sinceCheckpoint >= c.every) await writeCheckpoint();
      });
    },
    checkpoint(): Promise<AuditHead> {
      if (closing !== undefined) return Promise.reject(new AuditLogError('log-closed', `${path} is closed`));
      return enqueue(async () => {
        if (!state.lastWasCheckpoint) await writeCheckpoint();
        return state.head;
      });
    },
    close(): Promise<AuditHead> {
      closing ??= (async () => {
        try {
          await enqueue(async () => {
            // An empty log gets a checkpoint too, so that every closed log ends with one.
            if (!state.lastWasCheckpoint) await writeCheckpoint();
          });
        } finally {
          c.privateKey.fill(0);
          listeners.clear();
          await handle.close().catch(() => undefined);
          await lock.release().catch(() => undefined);
        }
        return state.head;
      })();
      return closing;
    },
    onAppend(listener: (a: AppendedEntry) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } satisfies AuditLog);
}
