/**
 * seal's error names survive minification (see core's
 * test/minified-names.test.ts): the package source, with @hybridkem/core, is
 * bundled and minified with esbuild and run in a child Node; the expected
 * names below are written out by hand.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const PKG = fileURLToPath(new URL('..', import.meta.url));

const ENTRY = `
import * as m from './src/index.ts';
import * as n from './src/node.ts';
const made = {
  OpenError: () => new m.OpenError(),
  UnknownHpkeAlgorithmError: () => new m.UnknownHpkeAlgorithmError('kdf', 0x99),
  KeyFileError: () => new m.KeyFileError(),
  UnknownKdfError: () => new m.UnknownKdfError(9),
  KdfParameterError: () => new m.KdfParameterError('argon2id.m', 8, 16, 99),
  KeyLockedError: () => new m.KeyLockedError('00'),
  KeyStoreError: () => new m.KeyStoreError('not-found', 'name', 'r'),
};
const thrown = {
  'checkKeyName("Bad Name")': () => m.checkKeyName('Bad Name'),
  'parseSealedHeader(version 9)': () => m.parseSealedHeader(new Uint8Array([9, 4, 0x64, 0x7a]), true),
  'FileKeyStore.get("Bad Name")': () => new n.FileKeyStore('/nonexistent-hybridkem-dir').get('Bad Name'),
};
const rows = Object.entries(made).map(([k, f]) => { const e = f(); return [k, e.name, e.code]; });
for (const [k, f] of Object.entries(thrown)) {
  try { await f(); rows.push([k, 'no error', '']); } catch (e) { rows.push([k, e.name, e.code]); }
}
const all = { ...m, ...n };
const classes = Object.keys(all).filter((k) => typeof all[k] === 'function' && all[k].prototype instanceof Error).sort();
console.log(JSON.stringify({ rows, classes }));
`;

it('every seal error keeps its class name and code in a minified bundle', async () => {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: PKG, sourcefile: 'entry.mjs', loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    // core loads backends by name at run time; this test needs none of them.
    external: ['@hybridkem/native', '@hybridkem/wasm', '@hybridkem/noble'],
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]!.text;
  expect(js).not.toContain('class KeyStoreError'); // the classes were renamed, so the test means something
  const child = spawnSync(process.execPath, ['--input-type=module', '-'], { input: js, encoding: 'utf8', timeout: 30_000 });
  expect(child.stderr).toBe('');
  const { rows, classes } = JSON.parse(child.stdout) as { rows: [string, string, string][]; classes: string[] };
  expect(rows).toEqual([
    ['OpenError', 'OpenError', 'ERR_AUTHENTICATION'],
    ['UnknownHpkeAlgorithmError', 'UnknownHpkeAlgorithmError', 'ERR_UNKNOWN_SUITE'],
    ['KeyFileError', 'KeyFileError', 'ERR_AUTHENTICATION'],
    ['UnknownKdfError', 'UnknownKdfError', 'ERR_UNKNOWN_SUITE'],
    ['KdfParameterError', 'KdfParameterError', 'ERR_INVALID_ARGUMENT'],
    ['KeyLockedError', 'KeyLockedError', 'ERR_KEY_LOCKED'],
    ['KeyStoreError', 'KeyStoreError', 'ERR_INVALID_ARGUMENT'],
    ['checkKeyName("Bad Name")', 'KeyStoreError', 'ERR_INVALID_ARGUMENT'],
    ['parseSealedHeader(version 9)', 'UnsupportedVersionError', 'ERR_UNSUPPORTED_VERSION'],
    ['FileKeyStore.get("Bad Name")', 'KeyStoreError', 'ERR_INVALID_ARGUMENT'],
  ]);
  // A new exported error class must be added above.
  expect(classes).toEqual([
    'KdfParameterError',
    'KeyFileError',
    'KeyLockedError',
    'KeyStoreError',
    'OpenError',
    'UnknownHpkeAlgorithmError',
    'UnknownKdfError',
  ]);
});
