// The published package's way of loading: no build/Release/, only the
// prebuilt binary in prebuilds/<platform>-<arch>/ that the `build` script
// leaves there and `pnpm pack` ships. A copy of dist/, prebuilds/ and
// package.json (as in the tarball) must load that binary through
// node-gyp-build and compute a published X-Wing vector, derandomised.
// Under CI=true a missing prebuild or missing vectors fail; elsewhere they skip.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { XWING } from '@hybridkem/core';
import { inCI, readJson, sharedVectorsDir } from '@hybridkem/core/testing';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const host = `${process.platform}-${process.arch}`;
const prebuildFile = `prebuilds/${host}/hybridkem_native.napi.glibc.node`;
const vectorsDir = sharedVectorsDir();

interface XWingVector {
  seed: string;
  eseed: string;
  pk: string;
  ct: string;
  ss: string;
}
type NativeModule = typeof import('../src/index.js');

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
let copy: string | undefined;

afterAll(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

/** dist/, prebuilds/ and package.json, copied inside the package so that its dependencies still resolve. */
async function packedCopy(): Promise<string> {
  if (copy) return copy;
  copy = await mkdtemp(path.join(packageDir, '.prebuild-only-'));
  for (const entry of ['dist', 'prebuilds', 'package.json']) {
    await cp(path.join(packageDir, entry), path.join(copy, entry), { recursive: true });
  }
  return copy;
}

function check(mod: NativeModule, vectors: readonly XWingVector[]): void {
  expect(mod.addonFile).toBe(prebuildFile);
  expect(vectors.length).toBeGreaterThan(0);
  for (const [i, v] of vectors.entries()) {
    const publicKey = mod.backend.derivePublicKey(XWING, hex(v.seed));
    expect(Buffer.from(publicKey).toString('hex'), `xwing #${i} public key`).toBe(v.pk);
    const { ciphertext, sharedSecret } = mod.backend.encapsulate(XWING, publicKey, hex(v.eseed));
    expect(Buffer.from(ciphertext).toString('hex'), `xwing #${i} ciphertext`).toBe(v.ct);
    expect(Buffer.from(sharedSecret).toString('hex'), `xwing #${i} shared secret`).toBe(v.ss);
    expect(Buffer.from(mod.backend.decapsulate(XWING, hex(v.seed), ciphertext)).toString('hex'), `xwing #${i} decapsulated`).toBe(v.ss);
  }
}

const missing = [
  existsSync(path.join(packageDir, prebuildFile)) ? undefined : `no ${prebuildFile} (run the package's build)`,
  existsSync(path.join(packageDir, 'dist', 'index.js')) ? undefined : 'no dist/ (run the package\'s build)',
  vectorsDir ? undefined : 'no ../shared/vectors',
].filter(Boolean);

if (missing.length > 0) {
  if (inCI) {
    it('the prebuilt binary and the vectors exist (CI=true: required)', () => {
      throw new Error(missing.join('; '));
    });
  } else {
    it.skip(`prebuilt binary not tested, skipped outside CI: ${missing.join('; ')}`, () => {});
  }
} else {
  describe(`the prebuilt binary alone (${prebuildFile})`, () => {
    const vectors = readJson<XWingVector[]>(vectorsDir!, 'xwing/test-vectors.json');

    it('the copy has prebuilds/ and no build/', async () => {
      const dir = await packedCopy();
      expect(existsSync(path.join(dir, 'build'))).toBe(false);
      expect(readdirSync(path.join(dir, 'prebuilds'))).toContain(host);
    });

    it('dist/index.js loads it and reproduces every published X-Wing vector (derandomised encapsulation)', async () => {
      const dir = await packedCopy();
      check((await import(pathToFileURL(path.join(dir, 'dist', 'index.js')).href)) as NativeModule, vectors);
    });

    it('dist/index.cjs loads it and reproduces every published X-Wing vector', async () => {
      const dir = await packedCopy();
      check(createRequire(import.meta.url)(path.join(dir, 'dist', 'index.cjs')) as NativeModule, vectors);
    });
  });
}
