/**
 * Several processes writing one FileKeyStore directory
 * must not lose an entry. Real child processes (test/fixtures/put-keys.mjs,
 * running the built dist/) put keys at the same moment; every key and every
 * name must be there afterwards. Bounded: 4 children × 8 keys, 30 s, and
 * every child is killed when the test ends, whatever its outcome.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKem, encodePublicKey } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { KeyStoreError } from '../src/index.js';
import { FileKeyStore, LOCK_FILE } from '../src/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, 'fixtures/put-keys.mjs');
const DIST = join(here, '../dist/index.js');
const CHILDREN = 4;
const KEYS_EACH = 8;

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hybridkem-keys-procs-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The children run dist/: refuse a build older than the sources (turbo builds seal before its tests). */
function checkDistFresh(): void {
  const newest = (d: string): number =>
    Math.max(...readdirSync(d, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs)));
  let built: number;
  try {
    built = statSync(DIST).mtimeMs;
  } catch {
    throw new Error(`${DIST} is missing: build first (scripts/pnpm --filter @hybridkem/seal build)`);
  }
  if (built < newest(join(here, '../src'))) throw new Error(`${DIST} is older than src/: build first`);
}

function lines(child: ChildProcess): { next: (want: string) => Promise<void>; stderr: () => string } {
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return {
    next: (want) =>
      new Promise((resolve, reject) => {
        const check = () => (out.includes(`${want}\n`) ? resolve() : waiters.push(check));
        child.once('exit', (code) => reject(new Error(`child exited ${code} before "${want}": ${err.slice(0, 500)}`)));
        check();
      }),
    stderr: () => err,
  };
}

describe('FileKeyStore with several writing processes', () => {
  it(`${CHILDREN} processes putting ${KEYS_EACH} keys each at once lose no key and no name`, async () => {
    checkDistFresh();
    const dir = await tempDir();
    const children = Array.from({ length: CHILDREN }, (_, c) =>
      spawn(process.execPath, [CHILD, dir, `p${c}`, String(KEYS_EACH)], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    onTestFinished(() => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const io = children.map(lines);
    await Promise.all(io.map((c) => c.next('ready')));
    for (const child of children) child.stdin!.write('go\n');
    await Promise.all(io.map((c) => c.next('done')));

    const index = JSON.parse(await readFile(join(dir, 'names.json'), 'utf8')) as { names: Record<string, string> };
    const names = Object.keys(index.names).sort();
    const expected = Array.from({ length: CHILDREN }, (_, c) => Array.from({ length: KEYS_EACH }, (_, i) => `p${c}-${i}`)).flat().sort();
    expect(names).toEqual(expected);
    const store = new FileKeyStore(dir);
    const listed = await store.list();
    expect(listed.length).toBe(CHILDREN * KEYS_EACH);
    expect(new Set(Object.values(index.names))).toEqual(new Set(listed.map((k) => k.keyId)));
    for (const k of listed) expect(k.hasPrivateKey).toBe(true);
    // nothing left behind: no lock, no temporary file
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 30_000);

  const pub = () => encodePublicKey('X-Wing', createKem('X-Wing', backend).keygen().publicKey);

  it('a lock left by a process that died is broken; a live holder makes a writer wait, then fail typed', async () => {
    const dir = await tempDir();
    // A pid that is gone: a child that has exited.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.once('exit', resolve));
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: dead.pid, host: hostname(), token: 'x', time: new Date().toISOString() }));
    await new FileKeyStore(dir).put({ publicKey: pub(), name: 'after-stale' });
    expect(await readdir(dir)).not.toContain(LOCK_FILE);

    // A live holder (this process, through another lock file content): the writer gives up after its timeout.
    const live = JSON.stringify({ pid: process.pid, host: hostname(), token: 'y', time: new Date().toISOString() });
    await writeFile(join(dir, LOCK_FILE), live);
    const t0 = Date.now();
    const e = await new FileKeyStore(dir, { lockTimeoutMs: 200 }).put({ publicKey: pub(), name: 'blocked' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(KeyStoreError);
    expect((e as KeyStoreError).reason).toBe('store-busy');
    expect((e as Error).message).toContain(`pid ${process.pid}`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(await readFile(join(dir, LOCK_FILE), 'utf8')).toBe(live); // not ours to remove
    expect(await new FileKeyStore(dir).get('blocked')).toBeUndefined();
  });
});
