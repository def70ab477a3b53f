/**
 * A lock file for one directory, so that several processes writing one
 * FileKeyStore do not lose each other's index entries (each write is a
 * read-modify-write of names.json). Node has no flock(2); this is the
 * classic O_CREAT | O_EXCL lock file, as lockfile(1) of procmail and
 * git's `index.lock` use: creating `<dir>/.lock` exclusively takes the lock,
 * unlinking it releases it.
 *
 * A holder that died leaves its lock file behind. The file names the holder
 * (`{pid, host, token, time}`); another process treats it as stale when the
 * pid is gone on this host (kill(pid, 0) gives ESRCH), when it was written on
 * another host more than `STALE_FOREIGN_MS` ago (no pid check across NFS), or
 * when it is unreadable and older than `STALE_EMPTY_MS` (a holder that died
 * between create and write). Breaking a stale lock is itself guarded by an
 * exclusive `<dir>/.lock.break`, and the lock is removed only if it still
 * holds the content judged stale, so two breakers cannot both remove a
 * fresh lock that a third process took in between.
 * @module
 */
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { KeyStoreError } from './errors.js';
import { errnoCode, loadFs, readRegularFile } from './node-fs.js';

export const LOCK_FILE = '.lock';
const BREAK_FILE = '.lock.break';
/** A lock written on another host is presumed dead after this long; store operations take milliseconds. */
const STALE_FOREIGN_MS = 60_000;
/** A lock file without a readable owner is presumed dead after this long. */
const STALE_EMPTY_MS = 5_000;
/** A `.lock.break` left by a breaker that died is removed after this long. */
const STALE_BREAK_MS = 10_000;

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

let hostnameOf: Promise<string> | undefined;
const hostname = (): Promise<string> => (hostnameOf ??= import('node:os').then((os) => os.hostname()));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (Number.isSafeInteger(o.pid) && typeof o.host === 'string' && typeof o.token === 'string') return o as Owner;
  } catch {
    // unreadable: judged by age
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) !== 'ESRCH'; // EPERM: alive, another user's
  }
}

/** Runs `fn` holding `<dir>/.lock`; waits up to `timeoutMs` for another holder. */
export async function withDirLock<T>(dir: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const token = await acquire(dir, timeoutMs);
  try {
    return await fn();
  } finally {
    await release(dir, token);
  }
}

async function acquire(dir: string, timeoutMs: number): Promise<string> {
  const { fs } = await loadFs();
  const path = `${dir}/${LOCK_FILE}`;
  const token = bytesToHex(randomBytes(16));
  const content = JSON.stringify({ pid: process.pid, host: await hostname(), token, time: new Date().toISOString() });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(path, 'wx', 0o600);
      try {
        await handle.writeFile(content);
      } catch (e) {
        await handle.close().catch(() => undefined);
        await fs.unlink(path).catch(() => undefined); // ours, and empty or partial
        throw e;
      }
      await handle.close();
      return token;
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw e;
    }
    const holder = await breakIfStale(dir);
    if (holder === undefined) continue; // gone or broken: try again at once
    if (Date.now() >= deadline) {
      throw new KeyStoreError('store-busy', LOCK_FILE, `${path} is held by ${holder}; gave up after ${timeoutMs} ms`);
    }
    // Jittered backoff, so that waiters do not retry in lockstep.
    await sleep(Math.min(100, 2 + attempt * 2) * (0.5 + Math.random()));
  }
}

/** undefined when the lock is gone or was stale and removed; else who holds it, for the error message. */
async function breakIfStale(dir: string): Promise<string | undefined> {
  const { fs } = await loadFs();
  const path = `${dir}/${LOCK_FILE}`;
  const seen = await readLock(path);
  if (seen === undefined) return undefined;
  const owner = parseOwner(seen.text);
  const here = await hostname();
  const describe = owner ? `pid ${owner.pid} on ${owner.host}` : 'an unknown process';
  const stale = owner
    ? owner.host === here
      ? !alive(owner.pid)
      : seen.ageMs > STALE_FOREIGN_MS
    : seen.ageMs > STALE_EMPTY_MS;
  if (!stale) return describe;
  const guard = `${dir}/${BREAK_FILE}`;
  try {
    await (await fs.open(guard, 'wx', 0o600)).close();
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw e;
    const g = await fs.stat(guard).catch(() => undefined);
    if (g !== undefined && Date.now() - g.mtimeMs > STALE_BREAK_MS) await fs.unlink(guard).catch(() => undefined);
    return describe; // another process is breaking it
  }
  try {
    const again = await readLock(path);
    if (again !== undefined && again.text === seen.text) await fs.unlink(path).catch(() => undefined);
  } finally {
    await fs.unlink(guard).catch(() => undefined);
  }
  return undefined;
}

async function readLock(path: string): Promise<{ text: string; ageMs: number } | undefined> {
  const { fs } = await loadFs();
  try {
    const st = await fs.lstat(path);
    const raw = await readRegularFile(path, 4096);
    return raw === undefined ? undefined : { text: raw.toString('utf8'), ageMs: Date.now() - st.mtimeMs };
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    // A lock file we cannot read (a symlink, a directory, too large): judged by age only.
    const st = await fs.lstat(path).catch(() => undefined);
    return st === undefined ? undefined : { text: '', ageMs: Date.now() - st.mtimeMs };
  }
}

/** Removes the lock if it is still ours (it is not, only if it was broken as stale). */
async function release(dir: string, token: string): Promise<void> {
  const { fs } = await loadFs();
  const path = `${dir}/${LOCK_FILE}`;
  const seen = await readLock(path);
  if (seen !== undefined && parseOwner(seen.text)?.token === token) await fs.unlink(path);
}
