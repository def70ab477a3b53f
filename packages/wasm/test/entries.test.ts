// The built package as Node resolves it through its own `exports` (a child
// process importing '@hybridkem/wasm/...' by name): the lite entry loads
// dist/hybridkem.wasm beside it when initWasm() gets no source and then
// passes every vector; it carries no inlined module; the raw module is an
// export of its own; the default entry's ESM and CommonJS builds export initWasm.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { built, NOT_BUILT } from './built.js';
import { loadVectors } from './runtimes/vectors.js';

const run = built();
const PKG = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hybridkem-wasm-entries-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // From the package's folder, so '@hybridkem/wasm' resolves to itself through `exports`.
  const r = spawnSync(process.execPath, args, { cwd: PKG, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs every known answer through core's facade over the lite backend, in the child. */
const LITE_CHILD = `
import { readFileSync } from 'node:fs';
import { createKem, getSuite, hexToBytes, bytesToHex } from '@hybridkem/core';
import { backend, initWasm } from '@hybridkem/wasm/lite';
const answers = JSON.parse(readFileSync(process.argv[1], 'utf8'));
let before = 'no error';
try { backend.derivePublicKey(getSuite('X-Wing'), new Uint8Array(32)); } catch (e) { before = e.code; }
const ready = await initWasm();
let passed = 0;
for (const v of answers) {
  const kem = createKem(getSuite(v.suite), ready);
  const e = kem.encapsulate(hexToBytes('pk', v.publicKey), hexToBytes('r', v.randomness));
  const ok = bytesToHex(kem.getPublicKey(hexToBytes('seed', v.seed))) === v.publicKey.toLowerCase()
    && bytesToHex(e.ciphertext) === v.ciphertext.toLowerCase()
    && bytesToHex(e.sharedSecret) === v.sharedSecret.toLowerCase()
    && bytesToHex(kem.decapsulate(hexToBytes('seed', v.seed), hexToBytes('ct', v.ciphertext))) === v.sharedSecret.toLowerCase();
  if (ok) passed++;
}
console.log(JSON.stringify({ before, same: ready === backend, name: ready.name, passed, total: answers.length }));
`;

describe.skipIf(!run)(`the package's entries, resolved by Node${NOT_BUILT ? ` (${NOT_BUILT})` : ''}`, () => {
  it("'@hybridkem/wasm/lite': refuses before initWasm(), then loads hybridkem.wasm beside it and passes every vector", () => {
    const { answers } = loadVectors();
    const file = join(dir, 'vectors.json');
    writeFileSync(file, JSON.stringify(answers));
    const r = node(['--input-type=module', '-e', LITE_CHILD, file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { before: string; same: boolean; name: string; passed: number; total: number };
    expect(out).toEqual({ before: 'ERR_BACKEND_UNAVAILABLE', same: true, name: 'wasm', passed: answers.length, total: answers.length });
    expect(answers.length).toBeGreaterThan(0);
  });

  it("'@hybridkem/wasm/lite' carries no inlined module; the default entry does", () => {
    const wasm = statSync(join(PKG, 'dist', 'hybridkem.wasm')).size;
    const lite = readFileSync(join(PKG, 'dist', 'lite.js'), 'utf8');
    expect(lite.length).toBeLessThan(wasm / 4);
    expect(lite).not.toMatch(/[A-Za-z0-9+/]{1000}/);
    expect(statSync(join(PKG, 'dist', 'index.js')).size).toBeGreaterThan(wasm);
  });

  it("'@hybridkem/wasm/hybridkem.wasm' resolves to the module file", () => {
    const r = node(['--input-type=module', '-e', "console.log(import.meta.resolve('@hybridkem/wasm/hybridkem.wasm'))"]);
    expect(r.status).toBe(0);
    const resolved = fileURLToPath(r.stdout.trim());
    expect(resolved).toBe(join(PKG, 'dist', 'hybridkem.wasm'));
    expect([...readFileSync(resolved).subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
  });

  it('every file the exports map names is built, and `files` ships it', () => {
    const manifest = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; files: string[] };
    const targets = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.add(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(manifest.exports);
    expect([...targets]).toEqual(expect.arrayContaining(['./dist/lite.js', './dist/lite.d.ts', './dist/hybridkem.wasm', './dist/workerd.js']));
    for (const target of targets) {
      expect(statSync(join(PKG, target)).size, target).toBeGreaterThan(0);
      expect(target === './package.json' || manifest.files.some((f) => target.startsWith(`./${f}/`)), `${target} in files`).toBe(true);
    }
  });

  it("the default entry's ESM and CommonJS builds export initWasm, which resolves to their backend", () => {
    const esm = node(['--input-type=module', '-e', "const w = await import('@hybridkem/wasm'); console.log((await w.initWasm()) === w.backend)"]);
    expect(esm.stderr).toBe('');
    expect(esm.stdout.trim()).toBe('true');
    const cjs = node(['-e', "const w = require('@hybridkem/wasm'); w.initWasm().then((b) => console.log(b === w.backend))"]);
    expect(cjs.stderr).toBe('');
    expect(cjs.stdout.trim()).toBe('true');
  });
});
