/**
 * The audit log's writer lock: `<log>.lock`, created with O_CREAT | O_EXCL
 * (the lock file of lockfile(1) and git's `index.lock`; Node has no
 * flock(2)) and held for as long as the log is open, so two writers never
 * interleave entries (spec/MESH.md §8.4).
 *
 * The file names its holder (`{pid, host, token, time}`). A lock whose pid
 * is gone on this host is stale and is broken; breaking is guarded by an
 * exclusive `<log>.lock.break`, and the lock is removed only if it still
 * holds what was judged stale, so two breakers cannot remove a fresh lock
 * that a third process took in between (the rule of
 * packages/seal/src/keys/dir-lock.ts). A lock written on another host is
 * never broken automatically: remove it by hand once that writer is known
 * to be gone.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { AuditLogError } from './errors.js';

/** A `.lock.break` left by a breaker that died is removed after this long. */
const STALE_BREAK_MS = 10_000;

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (Number.isSafeInteger(o.pid) && typeof o.host === 'string' && typeof o.token === 'string') return o as Owner;
  } catch {
    // unreadable: not judged stale (it may be a holder between create and write)
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) !== 'ESRCH'; // EPERM: alive, another user's
  }
}

async function readSmall(path: string): Promise<string | undefined> {
  try {
    const st = await lstat(path);
    if (!st.isFile() || st.size > 4096) return '';
    return await readFile(path, 'utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
}

export interface HeldLock {
  release(): Promise<void>;
}

/** Takes `<logPath>.lock` or throws AuditLogError('log-busy') naming its holder. */
export async function lockLog(logPath: string): Promise<HeldLock> {
  const path = `${logPath}.lock`;
  const token = randomBytes(16).toString('hex');
  const host = hostname();
  const content = JSON.stringify({ pid: process.pid, host, token, time: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return {
        async release() {
          const seen = await readSmall(path);
          if (seen !== undefined && parseOwner(seen)?.token === token) await unlink(path);
        },
      };
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw e;
    }
    const seen = await readSmall(path);
    if (seen === undefined) continue; // released in between
    const owner = parseOwner(seen);
    const stale = owner !== undefined && owner.host === host && !alive(owner.pid);
    if (!stale) {
      const who = owner ? `pid ${owner.pid} on ${owner.host}` : 'an unknown process';
      throw new AuditLogError('log-busy', `${logPath} is open for writing by ${who} (lock file ${path})`);
    }
    const guard = `${path}.break`;
    try {
      await (await open(guard, 'wx', 0o600)).close();
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw e;
      const g = await stat(guard).catch(() => undefined);
      if (g !== undefined && Date.now() - g.mtimeMs > STALE_BREAK_MS) await unlink(guard).catch(() => undefined);
      continue;
    }
    try {
      if ((await readSmall(path)) === seen) await unlink(path).catch(() => undefined);
    } finally {
      await unlink(guard).catch(() => undefined);
    }
  }
  throw new AuditLogError('log-busy', `${logPath}: could not take the lock file ${path}`);
}
