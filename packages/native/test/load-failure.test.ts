// Where no binary for this platform can be found or loaded, importing the
// package throws an AddonLoadError that says why and how to build from
// source, with the original failure in `cause` (core's getBackend() reports
// it and falls back). Checked on copies of the built dist/ placed where no
// build/Release/ exists next to them, with prebuilds/ as each case needs.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inCI } from '@hybridkem/core/testing';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(packageDir, 'dist');
const host = `${process.platform}-${process.arch}`;
const copies: string[] = [];

afterAll(async () => {
  await Promise.all(copies.map((c) => rm(c, { recursive: true, force: true })));
});

/** A copy of dist/ and package.json with the given prebuilds/ files; returns the error importing `file` throws. */
async function importFailure(file: string, prebuilds: Record<string, Uint8Array>): Promise<Error & { cause?: unknown }> {
  // Inside the package, so that @hybridkem/core and node-gyp-build still resolve from the copy.
  const copy = await mkdtemp(path.join(packageDir, '.load-failure-'));
  copies.push(copy);
  await cp(dist, path.join(copy, 'dist'), { recursive: true });
  await cp(path.join(packageDir, 'package.json'), path.join(copy, 'package.json'));
  for (const [name, bytes] of Object.entries(prebuilds)) {
    await mkdir(path.dirname(path.join(copy, 'prebuilds', name)), { recursive: true });
    await writeFile(path.join(copy, 'prebuilds', name), bytes);
  }
  let caught: unknown;
  try {
    await import(pathToFileURL(path.join(copy, 'dist', file)).href);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(Error);
  const e = caught as Error & { cause?: unknown };
  expect(e.name).toBe('AddonLoadError');
  return e;
}

const HINT = /; build from source: `pnpm --filter @hybridkem\/native build` in a clone of the hybridkem repository \(needs Rust\/cargo and CMake; see packages\/native\/README\.md\)$/;

describe.runIf(existsSync(dist) || inCI)('no usable binary', () => {
  for (const file of ['index.js', 'index.cjs']) {
    it(`dist/${file} without build/Release or prebuilds: AddonLoadError "no prebuilt binary for ${host} (this package ships none)"`, async () => {
      const e = await importFailure(file, {});
      expect(e.message).toMatch(new RegExp(`^@hybridkem/native: no prebuilt binary for ${host} \\(this package ships none\\)`));
      expect(e.message).toMatch(HINT);
      expect((e.cause as Error).message).toMatch(/^No native build was found for platform=/);
    });
  }

  it('prebuilds for other platforms only: the error names what the package ships', async () => {
    const other = process.platform === 'darwin' ? 'win32' : 'darwin';
    const e = await importFailure('index.js', {
      [`${other}-arm64/hybridkem_native.napi.node`]: new Uint8Array([1]),
      [`${other}-x64/hybridkem_native.napi.node`]: new Uint8Array([1]),
    });
    expect(e.message).toMatch(new RegExp(`^@hybridkem/native: no prebuilt binary for ${host} \\(this package ships ${other}-arm64, ${other}-x64\\); build from source`));
  });

  it('a prebuild for this platform that is not a loadable library: "cannot load the addon <file> (...)"', async () => {
    const e = await importFailure('index.js', { [`${host}/hybridkem_native.napi.glibc.node`]: new Uint8Array(0) });
    expect(e.message).toMatch(new RegExp(`^@hybridkem/native: cannot load the addon prebuilds/${host}/hybridkem_native\\.napi\\.glibc\\.node \\(.+\\); build from source`));
    expect(e.cause).toBeInstanceOf(Error);
  });
});
