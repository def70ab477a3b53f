/**
 * How FileKeyStore touches the file system.
 * Reads never follow a symlink, never block on a FIFO, never read more
 *    than the limit: each such file is a typed error naming it, promptly.
 * Writes go through a temporary file that is fchmod'ed and fsync'ed
 *    through its handle before the rename, and the directory is fsync'ed
 *    after it; no chmod by path. node:fs/promises is wrapped (pass-through)
 *    to record the calls.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armor, createKem, encodePrivateKey, encodePublicKey, keyId } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyStoreError } from '../src/index.js';
import { FileKeyStore, writeFileAtomic } from '../src/node.js';

type Call = { op: string; path: string };
const calls: Call[] = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const record = (op: string, path: unknown) => calls.push({ op, path: String(path) });
  const wrap =
    <A extends unknown[], R>(op: string, f: (...a: A) => Promise<R>) =>
    (...a: A) => {
      record(op, a[0]);
      return f(...a);
    };
  const open = async (path: string, ...rest: unknown[]) => {
    record('open', path);
    const h = await (real.open as (...a: unknown[]) => Promise<import('node:fs/promises').FileHandle>)(path, ...rest);
    // The handle's own methods, recorded with the path it was opened on.
    return new Proxy(h, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...a: unknown[]) => {
          if (typeof prop === 'string' && ['chmod', 'sync', 'datasync', 'close', 'writeFile', 'write'].includes(prop)) record(`handle.${prop}`, path);
          return v.apply(target, a);
        };
      },
    });
  };
  const mod = {
    ...real,
    open,
    chmod: wrap('chmod', real.chmod),
    lchmod: wrap('lchmod', real.lchmod),
    rename: wrap('rename', real.rename),
    link: wrap('link', real.link),
    writeFile: wrap('writeFile', real.writeFile),
  };
  return { ...mod, default: mod };
});

const kem = createKem('X-Wing', backend);
function newKey() {
  const kp = kem.keygen();
  const pub = encodePublicKey('X-Wing', kp.publicKey);
  return { pub, priv: encodePrivateKey('X-Wing', kp.privateKey), id: keyId(pub) };
}

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await fsp.mkdtemp(join(tmpdir(), 'hybridkem-keys-fs-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
});
beforeEach(() => {
  calls.length = 0;
});

/** `p`'s rejection, or a failure after `ms` (a read that hangs must fail the test, not stall the run). */
async function rejection(p: Promise<unknown>, ms = 3000): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p.then(() => new Error('resolved, expected a rejection')), timeout]).catch((e: unknown) => e);
  } finally {
    clearTimeout(timer);
  }
}

function expectRefused(e: unknown, file: string): void {
  expect(e).toBeInstanceOf(KeyStoreError);
  expect((e as KeyStoreError).reason).toBe('not-a-regular-file');
  expect((e as KeyStoreError).code).toBe('ERR_INVALID_ARGUMENT');
  expect((e as Error).message).toContain(file);
}

describe('FileKeyStore reads only regular files, bounded', () => {
  it('a .pub symlinked to /dev/zero, a FIFO, a symlink to a regular file: typed errors naming the file, at once', async () => {
    const dir = await tempDir();
    const store = new FileKeyStore(dir);
    const a = newKey();
    await store.put({ publicKey: a.pub, privateKey: a.priv, name: 'a' });
    const pub = join(dir, `${a.id}.pub`);
    const elsewhere = join(await tempDir(), 'copy.pub');
    await fsp.writeFile(elsewhere, armor(a.pub));

    const make: [string, () => Promise<void>][] = [
      ['symlink to /dev/zero', () => fsp.symlink('/dev/zero', pub)],
      ['FIFO', async () => void execFileSync('mkfifo', [pub])],
      ['symlink to a regular file', () => fsp.symlink(elsewhere, pub)],
    ];
    for (const [, create] of make) {
      await fsp.rm(pub, { force: true });
      await create();
      try {
        for (const ref of ['a', a.id]) expectRefused(await rejection(store.get(ref)), `${a.id}.pub`);
        expectRefused(await rejection(store.list()), `${a.id}.pub`);
      } finally {
        // A reader blocked on the FIFO (the bug) would hold a thread forever: give it a writer.
        try {
          closeSync(openSync(pub, constants.O_WRONLY | constants.O_NONBLOCK));
        } catch {
          // not a FIFO, or nobody reading it
        }
      }
    }
  });

  it('the same for a .key and for names.json', async () => {
    const dir = await tempDir();
    const store = new FileKeyStore(dir);
    const a = newKey();
    await store.put({ publicKey: a.pub, privateKey: a.priv, name: 'a' });
    const key = join(dir, `${a.id}.key`);
    const k = (await store.get('a'))!;
    await fsp.rm(key);
    await fsp.symlink('/dev/zero', key);
    expectRefused(await rejection(k.privateKey!()), `${a.id}.key`);
    const index = join(dir, 'names.json');
    await fsp.rename(index, join(dir, 'names.real'));
    await fsp.symlink(join(dir, 'names.real'), index);
    expectRefused(await rejection(store.get('a')), 'names.json');
  });
});

describe('FileKeyStore writes durably, through the handle', () => {
  /** For each file renamed (or linked) into place: the calls on its temporary file, in order. */
  function checkAtomicWrites(targets: string[]): void {
    expect(calls.filter((c) => c.op === 'chmod' || c.op === 'lchmod')).toEqual([]); // never by path
    for (const target of targets) {
      const base = target.slice(target.lastIndexOf('/') + 1);
      const publish = calls.findIndex((c) => (c.op === 'rename' || c.op === 'link') && c.path.includes(`/.${base}.`));
      expect(publish, `${target} was not renamed or linked into place`).toBeGreaterThan(0);
      const tmp = calls[publish]!.path;
      const onTmp = calls.slice(0, publish).filter((c) => c.path === tmp).map((c) => c.op);
      // created exclusively, written, fchmod'ed, fsync'ed, closed: in that order, all before the rename
      expect(onTmp[0]).toBe('open');
      const order = ['handle.chmod', 'handle.sync', 'handle.close'].map((op) => onTmp.indexOf(op));
      expect(order.every((i) => i > 0)).toBe(true);
      expect([...order].sort((x, y) => x - y)).toEqual(order);
      // then the directory is opened and fsync'ed
      const dir = target.slice(0, target.length - base.length - 1);
      const after = calls.slice(publish + 1);
      const dirOpen = after.findIndex((c) => c.op === 'open' && c.path === dir);
      expect(dirOpen, `no fsync of ${dir} after ${target}`).toBeGreaterThanOrEqual(0);
      expect(after.slice(dirOpen).some((c) => c.op === 'handle.sync' && c.path === dir)).toBe(true);
    }
  }

  it('put: every .pub, .key and names.json', async () => {
    const dir = await tempDir();
    const a = newKey();
    await new FileKeyStore(dir).put({ publicKey: a.pub, privateKey: a.priv, name: 'a' });
    checkAtomicWrites([`${dir}/${a.id}.pub`, `${dir}/${a.id}.key`, `${dir}/names.json`]);
    if (process.platform !== 'win32') expect((await fsp.stat(join(dir, `${a.id}.key`))).mode & 0o777).toBe(0o600);
  });

  it('writeFileAtomic without overwrite refuses an existing file and leaves no temporary file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x.key');
    await writeFileAtomic(path, 'one', { mode: 0o600, overwrite: false });
    checkAtomicWrites([path]);
    await expect(writeFileAtomic(path, 'two', { mode: 0o600, overwrite: false })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await fsp.readFile(path, 'utf8')).toBe('one');
    await writeFileAtomic(path, 'three', { mode: 0o600 });
    expect(await fsp.readFile(path, 'utf8')).toBe('three');
    expect(await fsp.readdir(dir)).toEqual(['x.key']);
  });
});
