/**
 * Bundle size: what a browser page that only does an X-Wing round trip pays
 * for @hybridkem/core + @hybridkem/noble, against the same page written on
 * @noble/post-quantum's own X-Wing (ml_kem768_x25519), bundled the same way
 * in the same run. Reported against BUNDLE_GOAL, never asserted; a bundle
 * that fails to build or to run throws.
 * @module
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { formatKb } from './report.mjs';

/** Our gzipped bundle over noble's, at most. */
export const BUNDLE_GOAL = 1.3;
const TOP_INPUTS = 8;

// Each entry is the README's round trip, nothing more, and exports the two
// secrets: the export keeps the work from being tree-shaken away and lets the
// run check below see the result. Ours is written as the README tells a page
// that wants X-Wing alone: the X-Wing backend from its own entry point, not
// the backend of every suite.
const ENTRIES = {
  hybridkem: `
    import { createKem } from '@hybridkem/core';
    import { xWing } from '@hybridkem/noble/x-wing';
    const kem = createKem('X-Wing', xWing);
    const bob = kem.keygen();
    const { ciphertext, sharedSecret } = kem.encapsulate(bob.publicKey);
    export const secrets = [sharedSecret, kem.decapsulate(bob.privateKey, ciphertext)];`,
  noble: `
    import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
    const bob = ml_kem768_x25519.keygen();
    const { cipherText, sharedSecret } = ml_kem768_x25519.encapsulate(bob.publicKey);
    export const secrets = [sharedSecret, ml_kem768_x25519.decapsulate(cipherText, bob.secretKey)];`,
};

// Entries go in through stdin, resolved from bench/ as if they were files
// there: the packages resolve as bench's dependencies (the published dist/,
// package.json "exports" and "sideEffects" included), with no temp files.
const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

async function bundle(name) {
  const result = await build({
    stdin: { contents: ENTRIES[name], resolveDir: BENCH_DIR, sourcefile: `${name}-x-wing.mjs`, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    treeShaking: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  await checkRuns(name, code);
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  return {
    bytes: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    // Bytes each module leaves in the minified output (after tree-shaking),
    // largest first: where to look when the bundle has to shrink.
    topInputs: Object.entries(inputs)
      .map(([file, { bytesInOutput }]) => ({ module: shortName(file), bytes: bytesInOutput }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, TOP_INPUTS),
  };
}

/**
 * Imports the bundle itself and checks that both parties got the same
 * 32-byte secret: a bundle that lost code (or all of it) would otherwise
 * look small. getRandomValues is global in Node, as in a browser.
 */
async function checkRuns(name, code) {
  const { secrets } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const [a, b] = secrets ?? [];
  const ok = a instanceof Uint8Array && a.length === 32 && a.some((x) => x !== 0) && Buffer.from(a).equals(Buffer.from(b ?? []));
  if (!ok) throw new Error(`bundle size: the ${name} X-Wing bundle ran without giving both parties the same 32-byte secret`);
}

/** "../node_modules/.pnpm/…/node_modules/@noble/curves/nist.js" -> "@noble/curves/nist.js"; "../packages/…" -> "packages/…" */
function shortName(file) {
  const i = file.lastIndexOf('node_modules/');
  return i >= 0 ? file.slice(i + 'node_modules/'.length) : file.replace(/^(\.\.\/)+/, '');
}

/** Both bundles, built, run and measured once. */
export async function measureBundles() {
  const hybridkem = await bundle('hybridkem');
  const noble = await bundle('noble');
  const ratio = hybridkem.gzip / noble.gzip;
  return { goal: BUNDLE_GOAL, hybridkem, noble, ratio, met: ratio <= BUNDLE_GOAL };
}

/** The report's section. */
export function bundleLines(b) {
  return [
    'Bundle size: an X-Wing round trip (keygen, encapsulate, decapsulate) bundled for the browser by esbuild ' +
      '(esm, minified, tree-shaken), gzip -9 (node:zlib); each bundle run once and checked.',
    `  @hybridkem/core + @hybridkem/noble/x-wing: ${formatKb(b.hybridkem.gzip)} gzipped (${formatKb(b.hybridkem.bytes)} minified)`,
    `  @noble/post-quantum ml_kem768_x25519: ${formatKb(b.noble.gzip)} gzipped (${formatKb(b.noble.bytes)} minified)`,
    `  ratio ${b.ratio.toFixed(2)}×; goal ≤ ${b.goal}×: ${b.met ? 'met' : 'not met'}`,
    `  largest modules in ours (minified bytes each leaves in the bundle, before gzip):`,
    ...b.hybridkem.topInputs.map((m) => `    ${formatKb(m.bytes).padStart(8)}  ${m.module}`),
  ];
}

// `node src/bundle-size.mjs` prints this section alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of bundleLines(await measureBundles())) console.log(line);
}
