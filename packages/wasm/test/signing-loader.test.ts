// The signature module goes through the KEM module's loader (src/init.ts's
// compileSource): the same accepted sources (bytes, URL, Response,
// WebAssembly.Module, as workerd hands it over) and the same typed errors,
// each saying what failed and naming the signature module.
import { readFileSync } from 'node:fs';
import { SIGNATURE_SUITES } from '@hybridkem/signing';
import { describe, expect, it, vi } from 'vitest';
import { built, NOT_BUILT } from './built.js';

const run = built();
const SIGNING_WASM = new URL('../dist/hybridkem-signing.wasm', import.meta.url);
const KEM_WASM = new URL('../dist/hybridkem.wasm', import.meta.url);
// RFC 8032 §7.1, TEST 1: the Ed25519 public key of this secret key.
const RFC8032_SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

/**
 * A loader over a fresh copy of the wasm-bindgen glue: the glue is one
 * module per realm and caches views of the instance's memory, so each
 * instance here gets a glue of its own (as each bundled entry has).
 */
async function fresh() {
  vi.resetModules();
  const signing = await import('../src/signing.js');
  return signing.createSigningLoader({});
}
// By code and name: vi.resetModules() gives each loader its own copy of core's error classes too.
const UNAVAILABLE = { name: 'BackendUnavailableError', code: 'ERR_BACKEND_UNAVAILABLE' };
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The loaded backend answers: RFC 8032's first Ed25519 key. */
function expectWorks(backend: import('@hybridkem/signing').SignatureBackend): void {
  const ed = backend.eddsa(SIGNATURE_SUITES[0]!.eddsa);
  expect(hex(ed.getPublicKey(Buffer.from(RFC8032_SECRET, 'hex')))).toBe(RFC8032_PUBLIC);
}

if (!run) describe.skip(`signature module loader (${NOT_BUILT})`, () => it('loads', () => {}));

describe.runIf(run)('signature module loader: the sources initWasm accepts', () => {
  it('a compiled WebAssembly.Module (what workerd hands over)', async () => {
    expectWorks(await (await fresh()).initSigning(new WebAssembly.Module(readFileSync(SIGNING_WASM))));
  });

  it('the bytes', async () => {
    expectWorks(await (await fresh()).initSigning(readFileSync(SIGNING_WASM)));
  });

  it('a file: URL (read with node:fs) and a Response', async () => {
    expectWorks(await (await fresh()).initSigning(SIGNING_WASM));
    const response = new Response(readFileSync(SIGNING_WASM), { headers: { 'content-type': 'application/wasm' } });
    expectWorks(await (await fresh()).initSigning(response));
  });
});

describe.runIf(run)('signature module loader: typed errors naming the signature module', () => {
  it('a value that is no source: InvalidArgumentError, as from initWasm', async () => {
    const e = await (await fresh()).initSigning(42 as never).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'InvalidArgumentError', code: 'ERR_INVALID_ARGUMENT' });
    expect((e as Error).message).toMatch(/^source: expected a URL, a URL string, a Response \(or a promise of one\), a WebAssembly\.Module or the module's bytes, got number$/);
  });

  it('bytes without the WebAssembly header', async () => {
    const e = await (await fresh()).initSigning(new Uint8Array(16)).catch((x: unknown) => x);
    expect(e).toMatchObject(UNAVAILABLE);
    expect((e as Error).message).toBe('@hybridkem/wasm (signatures): the bytes given is not a WebAssembly module (16 bytes without the \\0asm header)');
  });

  it('a file that is not there', async () => {
    const missing = new URL('../dist/no-such-module.wasm', import.meta.url);
    const e = await (await fresh()).initSigning(missing).catch((x: unknown) => x);
    expect(e).toMatchObject(UNAVAILABLE);
    expect((e as Error).message).toBe(`@hybridkem/wasm (signatures): cannot read the signature module at ${missing.href}`);
  });

  it('an HTTP error answer', async () => {
    const e = await (await fresh()).initSigning(new Response('gone', { status: 404 })).catch((x: unknown) => x);
    expect(e).toMatchObject(UNAVAILABLE);
    expect((e as Error).message).toBe('@hybridkem/wasm (signatures): cannot load the signature module: the Response given answered HTTP 404');
  });

  it("the KEM module where the signature module belongs", async () => {
    const e = await (await fresh()).initSigning(readFileSync(KEM_WASM)).catch((x: unknown) => x);
    expect(e).toMatchObject(UNAVAILABLE);
    expect((e as Error).message).toMatch(/^@hybridkem\/wasm \(signatures\): this WebAssembly module is not hybridkem's signature module \(it does not export /);
  });

  it('a failed load is forgotten: a later call with a good source succeeds', async () => {
    const loader = await fresh();
    await expect(loader.initSigning(new Uint8Array(16))).rejects.toMatchObject(UNAVAILABLE);
    expectWorks(await loader.initSigning(readFileSync(SIGNING_WASM)));
  });
});
