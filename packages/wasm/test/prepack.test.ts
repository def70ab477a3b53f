/**
 * The prepack guard (scripts/check-pack.mjs) refuses to pack without a real
 * dist/hybridkem.wasm, with one line saying why.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_BUILT } from './built.js';

const SCRIPT = fileURLToPath(new URL('../scripts/check-pack.mjs', import.meta.url));
const PKG = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];

function guard(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 30_000 });
}

async function tempDist(wasm?: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hybridkem-wasm-pack-'));
  dirs.push(dir);
  if (wasm) await writeFile(join(dir, 'hybridkem.wasm'), wasm);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('prepack guard', () => {
  it('refuses an empty hybridkem.wasm', async () => {
    const dir = await tempDist(new Uint8Array(0));
    const r = guard(dir);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `@hybridkem/wasm: refusing to pack: ${join(dir, 'hybridkem.wasm')} is empty (built without the wasm toolchain); run \`pnpm --filter @hybridkem/wasm build\` with the wasm toolchain first`,
    );
  });

  it('refuses a missing hybridkem.wasm', async () => {
    const dir = await tempDist();
    const r = guard(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`refusing to pack: ${join(dir, 'hybridkem.wasm')} is missing`);
  });

  it('refuses a file that is not a WebAssembly module', async () => {
    const dir = await tempDist(new TextEncoder().encode('<!doctype html>'));
    const r = guard(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not a WebAssembly module');
  });

  it('accepts a file with the WebAssembly header', async () => {
    const dir = await tempDist(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    const r = guard(dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('checks the real dist by default: passes when the module was built, refuses the stub otherwise', () => {
    const r = guard();
    if (NOT_BUILT) {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('is empty');
    } else {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('runs as the package prepack script', async () => {
    const pkg = JSON.parse(await readFile(join(PKG, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prepack).toBe('node scripts/check-pack.mjs');
  });
});
