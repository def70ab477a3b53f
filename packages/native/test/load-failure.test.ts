// Where the addon is not built, importing the package throws an error that
// says why and how to build, with the original failure in `cause` (core's
// getBackend() reports it and falls back). Checked on a copy of the built
// dist/ placed where no build/Release/ exists next to it.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inCI } from '@hybridkem/core/testing';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(packageDir, 'dist');
let copy: string | undefined;

afterAll(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

describe.runIf(existsSync(dist) || inCI)('a missing addon', () => {
  for (const file of ['index.js', 'index.cjs']) {
    it(`dist/${file} throws AddonLoadError naming the missing file and the build command`, async () => {
      // Inside the package, so that @hybridkem/core still resolves from the copy.
      copy ??= await mkdtemp(path.join(packageDir, '.load-failure-'));
      await cp(dist, path.join(copy, 'dist'), { recursive: true });
      let caught: unknown;
      try {
        await import(pathToFileURL(path.join(copy, 'dist', file)).href);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(Error);
      const e = caught as Error & { cause?: { code?: string } };
      expect(e.name).toBe('AddonLoadError');
      expect(e.message).toMatch(/^@hybridkem\/native: the addon is not built \(no build\/Release\/hybridkem_native\.node\); build it with `pnpm --filter @hybridkem\/native build`/);
      expect(e.cause?.code).toBe('MODULE_NOT_FOUND');
    });
  }
});
