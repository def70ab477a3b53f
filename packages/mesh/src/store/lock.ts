/**
 * The node store's directory lock: `<dir>/.lock`, created with O_CREAT |
 * O_EXCL and held while the store is open, so two agents never append to
 * one journal. It names its holder ({pid, host, token}); a lock whose pid is
 * gone on this host is stale and broken, any other held lock refuses the
 * open (a store is held for a process's lifetime, so waiting is pointless).
 * The same scheme as @hybridkem/seal's key-store lock (keys/dir-lock.ts),
 * which holds its lock per operation rather than per lifetime.
 * @internal
 * @module
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { NodeStoreError } from '../errors.js';

export const STORE_LOCK_FILE = '.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ESRCH';
  }
}

/** Takes the lock; resolves with a release function. */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const path = `${dir}/${STORE_LOCK_FILE}`;
  const token = randomBytes(16).toString('hex');
  const content = JSON.stringify({ pid: process.pid, host: hostname(), token, time: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return async () => {
        const now = await readFile(path, 'utf8').catch(() => '');
        if (now === content) await unlink(path).catch(() => undefined);
      };
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    }
    const text = await readFile(path, 'utf8').catch(() => '');
    let owner: { pid?: unknown; host?: unknown } = {};
    try {
      owner = JSON.parse(text) as typeof owner;
    } catch {
      // unreadable: treated as held
    }
    const stale = typeof owner.pid === 'number' && owner.host === hostname() && !alive(owner.pid);
    if (!stale || attempt > 0) {
      const who = typeof owner.pid === 'number' ? `pid ${owner.pid} on ${String(owner.host)}` : 'an unknown process';
      throw new NodeStoreError('locked', `${path} is held by ${who}`);
    }
    // Remove the dead holder's lock only if it is still the one judged stale.
    const again = await readFile(path, 'utf8').catch(() => undefined);
    if (again === text) await unlink(path).catch(() => undefined);
  }
  throw new NodeStoreError('locked', `${path} could not be taken`);
}
