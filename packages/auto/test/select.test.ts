import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getBackend, probeBackends } from '../src/index.js';
import { instanceofCheck } from './instanceof-check.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

// Errors from every backend are instances of the caller's own core classes (see instanceof-check.ts).
const CHECK = instanceofCheck({ import: `${DIST}index.js`, require: `${DIST}index.cjs` }, ['native', 'openssl', 'wasm', 'noble']);

function run(type: 'module' | 'commonjs', source: string): unknown {
  const out = execFileSync(process.execPath, [`--input-type=${type}`, '-e', source], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out);
}

describe('@hybridkem/auto on Node', () => {
  it('picks native, the fastest, and reports no fallback', async () => {
    let fallback: string | undefined;
    const backend = await getBackend({ onFallback: (message) => (fallback = message) });
    expect(backend.name).toBe('native');
    expect(fallback).toBeUndefined();
    expect((await probeBackends()).map((p) => [p.name, p.available])).toEqual([
      ['native', true],
      ['openssl', true],
      ['wasm', true],
      ['noble', true],
    ]);
  });

  it('errors from every backend are instances of core classes in ES modules', () => {
    expect(run('module', CHECK.esm)).toEqual(CHECK.expected);
  });
  it('errors from every backend are instances of core classes in CommonJS (one copy of core)', () => {
    expect(run('commonjs', CHECK.cjs)).toEqual(CHECK.expected);
  });
});
