/**
 * `keygen --out` (with and without --force) writes each key file durably: temporary file fsync'ed through its handle before it is
 * renamed (or linked) into place, then the directory fsync'ed — so a crash
 * cannot leave an empty .key. Runs src/files.ts in-process with
 * node:fs/promises wrapped (pass-through) to record the calls; the writer
 * itself is @hybridkem/seal's writeFileAtomic, so seal must be built.
 * `seal -o` / `open -o` output files are renamed into place only after the
 * stream ends, and their directory is fsync'ed after the rename.
 */
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeKeyFiles } from '../src/files.js';
import { openSink } from '../src/sealing.js';

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
    return new Proxy(h, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...a: unknown[]) => {
          if (prop === 'sync' || prop === 'datasync' || prop === 'close') record(`handle.${prop}`, path);
          return v.apply(target, a);
        };
      },
    });
  };
  const mod = { ...real, open, rename: wrap('rename', real.rename), link: wrap('link', real.link), writeFile: wrap('writeFile', real.writeFile) };
  return { ...mod, default: mod };
});

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
});
beforeEach(() => {
  calls.length = 0;
});

/** `file` reached its place by rename or link from a temporary file that was fsync'ed before, and its directory was fsync'ed after. */
function expectDurable(dir: string, file: string): void {
  // the temporary file: `.FILE.<random>.tmp` (or the old `FILE.<random>.tmp`)
  const isTmp = (p: string) => p.startsWith(join(dir, `.${file}.`)) || p.startsWith(join(dir, `${file}.`));
  const publish = calls.findIndex((c) => (c.op === 'rename' || c.op === 'link') && isTmp(c.path));
  expect(publish, `${file} was not renamed or linked into place`).toBeGreaterThanOrEqual(0);
  const tmp = calls[publish]!.path;
  const onTmp = calls.slice(0, publish).filter((c) => c.path === tmp).map((c) => c.op);
  expect(onTmp).toContain('handle.sync');
  expect(onTmp.indexOf('handle.sync')).toBeLessThan(onTmp.lastIndexOf('handle.close'));
  const after = calls.slice(publish + 1);
  expect(after.some((c) => c.op === 'handle.sync' && c.path === dir), `no fsync of ${dir} after ${file}`).toBe(true);
}

describe('keygen --out key files are written durably', () => {
  it('--force: the replaced .key and .pub are fsync\'ed before the rename, the directory after', async () => {
    const dir = await fsp.mkdtemp(join(tmpdir(), 'hybridkem-cli-durable-'));
    dirs.push(dir);
    const prefix = join(dir, 'alice');
    await fsp.writeFile(`${prefix}.key`, 'old key');
    await fsp.writeFile(`${prefix}.pub`, 'old pub');
    calls.length = 0;
    await writeKeyFiles(prefix, 'new pub', 'new key', true);
    expectDurable(dir, 'alice.key');
    expectDurable(dir, 'alice.pub');
    expect(await fsp.readFile(`${prefix}.key`, 'utf8')).toBe('new key');
    if (process.platform !== 'win32') expect((await fsp.stat(`${prefix}.key`)).mode & 0o777).toBe(0o600);
    expect((await fsp.readdir(dir)).sort()).toEqual(['alice.key', 'alice.pub']);
  });

  it('without --force: the same, and an existing file is still refused', async () => {
    const dir = await fsp.mkdtemp(join(tmpdir(), 'hybridkem-cli-durable-'));
    dirs.push(dir);
    const prefix = join(dir, 'bob');
    await writeKeyFiles(prefix, 'pub', 'key', false);
    expectDurable(dir, 'bob.key');
    expectDurable(dir, 'bob.pub');
    await expect(writeKeyFiles(prefix, 'pub 2', 'key 2', false)).rejects.toThrow(/already exists/);
    expect(await fsp.readFile(`${prefix}.key`, 'utf8')).toBe('key');
    expect((await fsp.readdir(dir)).sort()).toEqual(['bob.key', 'bob.pub']);
  });
});

describe('seal -o / open -o output files', () => {
  it('are renamed into place after the stream ends, and the directory is fsync\'ed after the rename', async () => {
    const dir = await fsp.mkdtemp(join(tmpdir(), 'hybridkem-cli-durable-'));
    dirs.push(dir);
    const out = join(dir, 'message.txt');
    const sink = await openSink(out, 0o600);
    await new Promise<void>((resolve, reject) => sink.stream.end(Buffer.from('opened'), (e?: Error | null) => (e ? reject(e) : resolve())));
    calls.length = 0;
    await sink.commit();
    const rename = calls.findIndex((c) => c.op === 'rename' && c.path.startsWith(join(dir, '.message.txt.')));
    expect(rename, 'the temporary file was not renamed over OUT').toBeGreaterThanOrEqual(0);
    expect(calls.slice(rename + 1).some((c) => c.op === 'handle.sync' && c.path === dir), `no fsync of ${dir} after the rename`).toBe(true);
    expect(await fsp.readFile(out, 'utf8')).toBe('opened');
  });
});
