import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getBackend, probeBackends } from '../src/index.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

// For each backend: an X-Wing encapsulation to the all-zero X25519 point
// (low order, refused by every backend) must throw an error that is an
// instance of the caller's own core classes, whether the caller imported or
// required the package.
const CHECK_BODY = `
  const out = {};
  for (const name of ['native', 'wasm', 'noble']) {
    const backend = await auto.getBackend({ backend: name });
    const suite = auto.getSuite('X-Wing');
    try {
      backend.encapsulate(suite, new Uint8Array(suite.lengths.publicKey), new Uint8Array(suite.lengths.randomness));
      out[name] = 'no error';
    } catch (e) {
      out[name] = [e.code, e instanceof auto.HybridKemError, e instanceof auto.InvalidGroupElementError, e instanceof core.HybridKemError];
    }
  }
  console.log(JSON.stringify(out));`;
const ESM = `import * as auto from ${JSON.stringify(`${DIST}index.js`)}; import * as core from '@hybridkem/core'; ${CHECK_BODY}`;
const CJS = `const auto = require(${JSON.stringify(`${DIST}index.cjs`)}); const core = require('@hybridkem/core'); (async () => { ${CHECK_BODY} })();`;

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

  const expected = { native: ['ERR_INVALID_GROUP_ELEMENT', true, true, true], wasm: ['ERR_INVALID_GROUP_ELEMENT', true, true, true], noble: ['ERR_INVALID_GROUP_ELEMENT', true, true, true] };
  it('errors from every backend are instances of core classes in ES modules', () => {
    expect(run('module', ESM)).toEqual(expected);
  });
  it('errors from every backend are instances of core classes in CommonJS (one copy of core)', () => {
    expect(run('commonjs', CJS)).toEqual(expected);
  });
});
