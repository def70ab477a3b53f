/**
 * The mesh's lock file, held for as long as a writer has its file open: the
 * node store's `<dir>/.lock` (two agents never append to one journal,
 * spec/MESH.md §5) and the audit log's `<log>.lock` (two writers never
 * interleave entries, §8.4). Created with O_CREAT | O_EXCL (the lock file of
 * lockfile(1) and git's `index.lock`; Node has no flock(2)).
 *
 * The file names its holder (`{pid, host, token, time}`). A lock whose pid
 * is gone on this host is stale and is broken; breaking is guarded by an
 * exclusive `<lock>.break`, and the lock is removed only if it still holds
 * what was judged stale, so two breakers cannot remove a fresh lock that a
 * third process took in between. A lock written on another host is never
 * broken automatically: remove it by hand once that writer is known to be
 * gone. Any other held lock refuses at once: these locks are held for a
 * process's lifetime, so waiting is pointless.
 *
 * @hybridkem/seal's key-store lock (keys/dir-lock.ts, not exported) follows
 * the same scheme but is held per operation: it waits for the holder and
 * presumes a foreign host's lock dead after a minute, which would be wrong
 * for a lock held for days.
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';

/** A `.break` left by a breaker that died is removed after this long. */
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
  /** Removes the lock file if it is still ours (it is not only if it was broken as stale). */
  release(): Promise<void>;
}

/**
 * Takes the lock file `path`, or throws what `busy` makes of its holder
 * (`pid N on HOST` or `an unknown process`; undefined when the lock could
 * not be taken after breaking a stale one twice).
 */
export async function takeLockFile(path: string, busy: (holder: string | undefined) => Error): Promise<HeldLock> {
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
          if (seen !== undefined && parseOwner(seen)?.token === token) {
            await unlink(path).catch((e: unknown) => {
              if (errno(e) !== 'ENOENT') throw e;
            });
          }
        },
      };
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw e;
    }
    const seen = await readSmall(path);
    if (seen === undefined) continue; // released in between
    const owner = parseOwner(seen);
    const stale = owner !== undefined && owner.host === host && !alive(owner.pid);
    if (!stale) throw busy(owner ? `pid ${owner.pid} on ${owner.host}` : 'an unknown process');
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
  throw busy(undefined);
}
