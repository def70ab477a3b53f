/**
 * A durable node store in one directory (spec/MESH.md §5):
 *
 *     <dir>/.lock          held while open (../lock.ts)
 *     <dir>/journal.jsonl  append-only, one JSON record per line
 *
 * Each commit is one line written with one write() and fsynced before
 * commit() resolves. A line is {"op":"apply","env":BASE64} (an applied
 * envelope; every field is read back from the envelope bytes) or
 * {"op":"seen","id":HEX,"exp":MS} (an id still remembered, written by
 * compaction). On open, a torn final line (no newline: a crash during the
 * write, never acknowledged) is cut off; any other malformed line refuses
 * the open. When the journal grows past its bound it is rewritten with only
 * the live state (the latest envelope per key name and the unexpired ids),
 * atomically (temporary file, fsync, rename, directory fsync).
 * @module
 */
import { mkdir, open, truncate, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { syncDirectory, writeFileAtomic } from '@hybridkem/seal/node';
import { systemClock, type Clock } from '../clock.js';
import { decodeKeyEnvelope, MAX_SEALED_PAYLOAD_LENGTH, FIXED_HEADER_LENGTH, MAX_KEY_NAME_LENGTH } from '../envelope/format.js';
import { NodeStoreError } from '../errors.js';
import { takeLockFile } from '../lock.js';
import { checkSkew, checkStored, StoreState } from './state.js';
import { envelopeFields, type NodeStore, type StoredEnvelope } from './types.js';

export const JOURNAL_FILE = 'journal.jsonl';
/** The store's lock file (lock.ts), held while the store is open. */
export const STORE_LOCK_FILE = '.lock';
/** The largest envelope (MLDSA87-Ed448 signature of 4741 bytes) in base64, with the line's JSON around it. */
export const MAX_JOURNAL_LINE = Math.ceil(((FIXED_HEADER_LENGTH + MAX_KEY_NAME_LENGTH + 4 + MAX_SEALED_PAYLOAD_LENGTH + 4741) * 4) / 3) + 64;
/** A journal larger than this is refused at open (compaction keeps it far below). */
export const MAX_JOURNAL_BYTES = 256 * 1024 * 1024;
/** Default size past which the journal is compacted. */
export const DEFAULT_COMPACT_BYTES = 1024 * 1024;

export interface FileNodeStoreOptions {
  clock?: Clock;
  /** How long after expiresAt an id is kept; the receiver's skew. Default 60 000. */
  skewMs?: number;
  /** Compact when the journal exceeds this many bytes and twice its live content. Default 1 MiB. */
  compactBytes?: number;
}

function corrupt(line: number, why: string): NodeStoreError {
  return new NodeStoreError('corrupt', `${JOURNAL_FILE} line ${line}: ${why}`);
}

function storedOf(bytes: Uint8Array): StoredEnvelope {
  const e = decodeKeyEnvelope(bytes);
  return Object.freeze({ ...envelopeFields(e), bytes: e.bytes });
}

const applyLine = (a: StoredEnvelope) => `${JSON.stringify({ op: 'apply', env: Buffer.from(a.bytes).toString('base64') })}\n`;

/** Reads one journal line into the state, strictly. */
function replayLine(state: StoreState, text: string, lineNo: number): void {
  if (text.length > MAX_JOURNAL_LINE) throw corrupt(lineNo, `longer than ${MAX_JOURNAL_LINE} bytes`);
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw corrupt(lineNo, 'not JSON');
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw corrupt(lineNo, 'not an object');
  const r = o as Record<string, unknown>;
  const keys = Object.keys(r).sort().join(',');
  if (r.op === 'apply' && keys === 'env,op' && typeof r.env === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(r.env)) {
    let a: StoredEnvelope;
    try {
      a = storedOf(new Uint8Array(Buffer.from(r.env, 'base64')));
    } catch (e) {
      throw corrupt(lineNo, `not a key envelope (${(e as Error).message})`);
    }
    try {
      state.check(a);
    } catch (e) {
      throw corrupt(lineNo, (e as Error).message);
    }
    state.apply(a);
    return;
  }
  if (r.op === 'seen' && keys === 'exp,id,op' && typeof r.id === 'string' && /^[0-9a-f]{32}$/.test(r.id) && Number.isSafeInteger(r.exp) && (r.exp as number) >= 0) {
    state.remember(r.id, r.exp as number);
    return;
  }
  throw corrupt(lineNo, 'not an apply or seen record');
}

/**
 * Opens (creating if needed) the node store in `dir` and takes its lock.
 * @throws {NodeStoreError} failure locked (another opener holds it) or corrupt (a malformed journal line other than a torn last one)
 */
export async function openFileNodeStore(dir: string, o: FileNodeStoreOptions = {}): Promise<NodeStore> {
  const clock = o.clock ?? systemClock;
  const state = new StoreState(clock, checkSkew(o.skewMs));
  const compactBytes = o.compactBytes ?? DEFAULT_COMPACT_BYTES;
  if (!Number.isSafeInteger(compactBytes) || compactBytes < 1) throw new NodeStoreError('corrupt', 'compactBytes must be a positive integer');
  const root = dir.replace(/[\\/]+$/, '') || '/';
  await mkdir(root, { recursive: true, mode: 0o700 });
  const lockPath = `${root}/${STORE_LOCK_FILE}`;
  const lock = await takeLockFile(lockPath, (holder) =>
    holder === undefined ? new NodeStoreError('locked', `${lockPath} could not be taken`) : new NodeStoreError('locked', `${lockPath} is held by ${holder}`),
  );
  const release = (): Promise<void> => lock.release().catch(() => undefined);
  const path = `${root}/${JOURNAL_FILE}`;
  let handle: FileHandle | undefined;
  let size: number;
  try {
    size = await load(path, state);
    handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    // A journal created just now must survive a crash as a name too, not only as data.
    if (size === 0) await syncDirectory(root);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await release();
    throw e;
  }
  let journalHandle: FileHandle = handle;
  state.prune();
  let closed = false;
  let broken: unknown;
  let queue: Promise<unknown> = Promise.resolve();

  async function compact(): Promise<void> {
    const lines: string[] = [];
    const latestIds = new Set<string>();
    for (const a of state.applied()) {
      lines.push(applyLine(a));
      latestIds.add(a.envelopeId);
    }
    for (const [id, exp] of state.seen) if (!latestIds.has(id)) lines.push(`${JSON.stringify({ op: 'seen', id, exp })}\n`);
    const content = lines.join('');
    await writeFileAtomic(path, content, { mode: 0o600 });
    // From here the old handle writes to a file no longer named: never use it again.
    const old = journalHandle;
    try {
      journalHandle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
    } catch (e) {
      broken = e;
      throw e;
    } finally {
      await old.close().catch(() => undefined);
    }
    size = Buffer.byteLength(content);
  }

  async function doCommit(e: StoredEnvelope): Promise<void> {
    if (closed) throw new NodeStoreError('closed', 'the store is closed');
    if (broken !== undefined) throw new NodeStoreError('closed', 'the journal could not be reopened after compaction; reopen the store', { cause: broken });
    state.check(e);
    const line = Buffer.from(applyLine(e));
    // One write() of the whole line (a short write is finished by the loop;
    // a crash in between leaves a torn last line, which open drops).
    let off = 0;
    while (off < line.length) off += (await journalHandle.write(line, off, line.length - off)).bytesWritten;
    await journalHandle.sync();
    size += line.length;
    state.apply(e);
    state.prune();
    // The commit is durable at this point; a compaction that fails (disk
    // full, say) leaves the old journal in place, is retried on the next
    // commit, and must not make this commit look failed.
    if (size > compactBytes && size > 2 * liveBytes()) await compact().catch(() => undefined);
  }

  function liveBytes(): number {
    let n = 0;
    for (const a of state.latest.values()) n += Math.ceil((a.bytes.length * 4) / 3) + 32;
    return n + state.seen.size * 64;
  }

  return Object.freeze({
    hasApplied: (id: string) => state.hasApplied(id),
    latestVersion: (keyName: string) => state.latestVersion(keyName),
    commit(a: StoredEnvelope): Promise<void> {
      const e = checkStored(a);
      // The bytes are what is journalled: the fields must be theirs.
      const fromBytes = storedOf(e.bytes);
      for (const f of ['envelopeId', 'keyName', 'version', 'issuedAt', 'expiresAt', 'issuerKeyId'] as const) {
        if (fromBytes[f] !== e[f]) return Promise.reject(new NodeStoreError('conflict', `${f} differs from the envelope bytes`));
      }
      const run = queue.then(() => doCommit(e));
      queue = run.catch(() => undefined);
      return run;
    },
    applied: () => state.applied(),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue;
      if (broken === undefined) await journalHandle.close();
      await release();
    },
  });
}

/** Replays the journal into `state`; cuts a torn last line. Returns the journal's size after. */
async function load(path: string, state: StoreState): Promise<number> {
  let h: FileHandle;
  try {
    h = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return 0;
    throw e;
  }
  let buf: Buffer;
  try {
    const st = await h.stat();
    if (!st.isFile()) throw new NodeStoreError('corrupt', `${JOURNAL_FILE} is not a regular file`);
    if (st.size > MAX_JOURNAL_BYTES) throw new NodeStoreError('corrupt', `${JOURNAL_FILE} is ${st.size} bytes, over ${MAX_JOURNAL_BYTES}`);
    buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const { bytesRead } = await h.read(buf, off, st.size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    buf = buf.subarray(0, off);
  } finally {
    await h.close();
  }
  const end = buf.lastIndexOf(0x0a) + 1;
  const lines = buf.subarray(0, end).toString('utf8').split('\n');
  lines.pop(); // after the last newline
  lines.forEach((text, i) => replayLine(state, text, i + 1));
  if (end < buf.length) {
    // A torn last line: its commit never resolved, so nothing acknowledged it.
    await truncate(path, end);
    const fh = await open(path, constants.O_WRONLY | constants.O_NOFOLLOW);
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
  return end;
}
