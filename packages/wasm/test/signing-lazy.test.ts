// The signature module is loaded only when signatures are used: importing
// @hybridkem/wasm (ESM and CommonJS) or @hybridkem/wasm/lite and running KEM
// operations must not compile it; the first signature operation does.
// Checked in a child Node process importing the built package by name, with
// WebAssembly's compile entry points wrapped to record every module compiled
// (told apart by their exports).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { built, NOT_BUILT } from './built.js';

const run = built();
const PKG = fileURLToPath(new URL('..', import.meta.url));

/** Installed before the package loads: counts compiled modules by kind. */
const SPY = `
const seen = { kem: 0, signing: 0 };
const kind = (m) => { const names = WebAssembly.Module.exports(m).map((e) => e.name); return names.includes('mldsaSign') ? 'signing' : names.includes('encapsulate') ? 'kem' : 'other'; };
const Module = WebAssembly.Module;
WebAssembly.Module = new Proxy(Module, { construct(t, args) { const m = Reflect.construct(t, args); seen[kind(m)]++; return m; } });
const compile = WebAssembly.compile;
WebAssembly.compile = async (...a) => { const m = await compile(...a); seen[kind(m)]++; return m; };
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async (src, imports) => { const r = await instantiate(src, imports); if (r && r.module) seen[kind(r.module)]++; return r; };
globalThis.__seen = seen;
`;

const KEM_THEN_SIGN = (load: string) => `
${SPY}
const w = ${load};
const { createKem, getSuite } = ${load.startsWith('require') ? "require('@hybridkem/core')" : "await import('@hybridkem/core')"};
const kemBackend = w.initWasm ? await w.initWasm() : w.backend;
const kem = createKem(getSuite('X-Wing'), kemBackend);
const pk = kem.getPublicKey(new Uint8Array(32).fill(1));
kem.decapsulate(new Uint8Array(32).fill(1), kem.encapsulate(pk, new Uint8Array(64).fill(2)).ciphertext);
const afterKem = { ...__seen };
const ed = w.signatureBackend.eddsa({ name: 'Ed25519', lengths: { publicKey: 32, privateKey: 32, signature: 64 } });
const sig = ed.sign(new Uint8Array(32).fill(3), new Uint8Array([1, 2, 3]));
console.log(JSON.stringify({ afterKem, afterSign: { ...__seen }, sigLength: sig.length }));
`;

function child(code: string, type: 'module' | 'commonjs') {
  const body = type === 'commonjs' ? `(async () => {${code}})().catch((e) => { console.error(e); process.exit(1); });` : code;
  const r = spawnSync(process.execPath, [`--input-type=${type}`, '-e', body], { cwd: PKG, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!run)(`the signature module is loaded only when used${NOT_BUILT ? ` (${NOT_BUILT})` : ''}`, () => {
  for (const [label, load, type] of [
    ["import '@hybridkem/wasm'", "await import('@hybridkem/wasm')", 'module'],
    ["require('@hybridkem/wasm')", "require('@hybridkem/wasm')", 'commonjs'],
    ["import '@hybridkem/wasm/lite'", "await import('@hybridkem/wasm/lite')", 'module'],
  ] as const) {
    it(`${label}: KEM operations compile the KEM module only; the first signature compiles the signature module once`, () => {
      const r = child(KEM_THEN_SIGN(load), type);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout.trim()) as { afterKem: Record<string, number>; afterSign: Record<string, number>; sigLength: number };
      expect(out.afterKem).toEqual({ kem: 1, signing: 0 });
      expect(out.afterSign).toEqual({ kem: 1, signing: 1 });
      expect(out.sigLength).toBe(64);
    });
  }
});
