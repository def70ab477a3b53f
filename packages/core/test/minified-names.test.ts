/**
 * Error names survive minification. A bundler with `minify: true` renames
 * classes, so a name taken from the class at run time (`new.target.name`)
 * would turn into something like `t`; every error class must set its name as
 * a literal. The package source is bundled and minified with esbuild and run
 * in a child Node; the expected names below are written out by hand.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const PKG = fileURLToPath(new URL('..', import.meta.url));

// Runs in the child: constructs every error class and triggers a few real
// throws, printing [what, error.name, error.code] for each, plus the names of
// all exported classes deriving from Error (to catch a class this test misses).
const ENTRY = `
import * as m from './src/index.ts';
const made = {
  HybridKemError: () => new m.HybridKemError('ERR_INVALID_ARGUMENT', 'x'),
  InvalidLengthError: () => new m.InvalidLengthError('f', 1, 2),
  TruncatedError: () => new m.TruncatedError('f', 2, 1),
  TrailingDataError: () => new m.TrailingDataError('f', 1, 2),
  UnsupportedVersionError: () => new m.UnsupportedVersionError(1, 2),
  UnknownKindError: () => new m.UnknownKindError(9),
  WrongKindError: () => new m.WrongKindError('a', 'b'),
  UnknownSuiteError: () => new m.UnknownSuiteError(7),
  InvalidMlKemKeyError: () => new m.InvalidMlKemKeyError('f', 0),
  InvalidGroupElementError: () => new m.InvalidGroupElementError('f', 'X25519', 'r'),
  InvalidSeedError: () => new m.InvalidSeedError('f', 'r'),
  ArmorError: () => new m.ArmorError('r'),
  InvalidArgumentError: () => new m.InvalidArgumentError('f', 'r'),
  SuiteNotSupportedError: () => new m.SuiteNotSupportedError('b', 's'),
  BackendUnavailableError: () => new m.BackendUnavailableError('none'),
};
const thrown = {
  'dearmor("not armor")': () => m.dearmor('not armor'),
  'decodePublicKey(3 bytes)': () => m.decodePublicKey(new Uint8Array(3)),
  'keyId(2 bytes)': () => m.keyId(new Uint8Array(2)),
};
const rows = Object.entries(made).map(([k, f]) => { const e = f(); return [k, e.name, e.code]; });
for (const [k, f] of Object.entries(thrown)) {
  try { f(); rows.push([k, 'no error', '']); } catch (e) { rows.push([k, e.name, e.code]); }
}
const classes = Object.keys(m).filter((k) => typeof m[k] === 'function' && m[k].prototype instanceof Error).sort();
console.log(JSON.stringify({ rows, classes }));
`;

it('every error keeps its class name and code in a minified bundle', async () => {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: PKG, sourcefile: 'entry.mjs', loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    // Backends are loaded by name at run time; this test needs none of them.
    external: ['@hybridkem/*'],
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]!.text;
  expect(js).not.toContain('class InvalidLengthError'); // the classes were renamed, so the test means something
  const child = spawnSync(process.execPath, ['--input-type=module', '-'], { input: js, encoding: 'utf8', timeout: 30_000 });
  expect(child.stderr).toBe('');
  const { rows, classes } = JSON.parse(child.stdout) as { rows: [string, string, string][]; classes: string[] };
  expect(rows).toEqual([
    ['HybridKemError', 'HybridKemError', 'ERR_INVALID_ARGUMENT'],
    ['InvalidLengthError', 'InvalidLengthError', 'ERR_INVALID_LENGTH'],
    ['TruncatedError', 'TruncatedError', 'ERR_TRUNCATED'],
    ['TrailingDataError', 'TrailingDataError', 'ERR_TRAILING_DATA'],
    ['UnsupportedVersionError', 'UnsupportedVersionError', 'ERR_UNSUPPORTED_VERSION'],
    ['UnknownKindError', 'UnknownKindError', 'ERR_UNKNOWN_KIND'],
    ['WrongKindError', 'WrongKindError', 'ERR_WRONG_KIND'],
    ['UnknownSuiteError', 'UnknownSuiteError', 'ERR_UNKNOWN_SUITE'],
    ['InvalidMlKemKeyError', 'InvalidMlKemKeyError', 'ERR_INVALID_MLKEM_KEY'],
    ['InvalidGroupElementError', 'InvalidGroupElementError', 'ERR_INVALID_GROUP_ELEMENT'],
    ['InvalidSeedError', 'InvalidSeedError', 'ERR_INVALID_SEED'],
    ['ArmorError', 'ArmorError', 'ERR_ARMOR'],
    ['InvalidArgumentError', 'InvalidArgumentError', 'ERR_INVALID_ARGUMENT'],
    ['SuiteNotSupportedError', 'SuiteNotSupportedError', 'ERR_SUITE_NOT_SUPPORTED'],
    ['BackendUnavailableError', 'BackendUnavailableError', 'ERR_BACKEND_UNAVAILABLE'],
    ['dearmor("not armor")', 'ArmorError', 'ERR_ARMOR'],
    ['decodePublicKey(3 bytes)', 'TruncatedError', 'ERR_TRUNCATED'],
    ['keyId(2 bytes)', 'TruncatedError', 'ERR_TRUNCATED'],
  ]);
  // A new exported error class must be added above.
  expect(classes).toEqual([
    'ArmorError',
    'BackendUnavailableError',
    'HybridKemError',
    'InvalidArgumentError',
    'InvalidGroupElementError',
    'InvalidLengthError',
    'InvalidMlKemKeyError',
    'InvalidSeedError',
    'SuiteNotSupportedError',
    'TrailingDataError',
    'TruncatedError',
    'UnknownKindError',
    'UnknownSuiteError',
    'UnsupportedVersionError',
    'WrongKindError',
  ]);
});
