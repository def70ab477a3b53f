import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

const SPEC_VECTORS = fileURLToPath(new URL('../../spec/vectors/', import.meta.url));
const DIST_VECTORS = fileURLToPath(new URL('./dist/vectors/', import.meta.url));

/**
 * Bundles spec/vectors/*.json as dist/vectors, the default of `hybridkem
 * vectors --check`. A missing or empty spec/vectors does not fail the build:
 * the command then reports that it has no vectors.
 */
async function copyVectors(): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(SPEC_VECTORS)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    names = [];
  }
  if (names.length === 0) {
    console.warn(`cli: no ${SPEC_VECTORS}*.json yet; dist/vectors not bundled (vectors --check will need --dir)`);
    return;
  }
  await mkdir(DIST_VECTORS, { recursive: true });
  for (const name of names) await copyFile(join(SPEC_VECTORS, name), join(DIST_VECTORS, name));
  console.log(`cli: bundled ${names.length} vector file(s) into dist/vectors`);
}

// A bin only: ESM, no typings. The shebang in src/cli.ts is kept and makes
// tsup mark dist/cli.js executable.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  platform: 'node',
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node22',
  onSuccess: copyVectors,
});
