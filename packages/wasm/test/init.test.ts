// initWasm(source): every kind of source loads the module (checked against
// every spec and published vector), the streaming compiler is used exactly
// when it can be, a second call loads nothing, and bad sources fail with
// core's typed errors instead of hanging. Each test imports a fresh
// src/lite.ts (vi.resetModules), so no test sees another's module.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Backend } from '@hybridkem/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { built, NOT_BUILT } from './built.js';
import { expectSummary } from './runtimes/expect-summary.js';
import { runVectors } from './runtimes/run-vectors.js';
import { loadVectors, type VectorSet } from './runtimes/vectors.js';

const run = built();
const WASM_FILE = fileURLToPath(new URL('../dist/hybridkem.wasm', import.meta.url));
const HTML = '<!doctype html><title>not found</title>';

type Core = typeof import('@hybridkem/core');
type Lite = typeof import('../src/lite.js');

/** A fresh lite entry (nothing loaded) and the core it was evaluated with, for instanceof checks. */
async function fresh(): Promise<{ lite: Lite; core: Core }> {
  vi.resetModules();
  const core = await import('@hybridkem/core');
  const lite = await import('../src/lite.js');
  return { lite, core };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** The test's web server on 127.0.0.1: the module under several types, and the ways a host gets it wrong. */
interface TestServer {
  origin: string;
  requests: string[];
  close(): Promise<void>;
}

async function startServer(bytes: Uint8Array): Promise<TestServer> {
  const requests: string[] = [];
  const routes: Record<string, (res: ServerResponse) => void> = {
    '/hybridkem.wasm': (res) => res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes),
    '/octet/hybridkem.wasm': (res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes),
    '/html-200.wasm': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end(HTML),
    '/html-as-wasm.wasm': (res) => res.writeHead(200, { 'content-type': 'application/wasm' }).end(HTML),
    // Headers, then the body never ends (close() ends the connection).
    '/stalls.wasm': (res) => {
      res.writeHead(200, { 'content-type': 'application/wasm' });
      res.write(bytes.subarray(0, 1024));
    },
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // No socket is kept alive between requests: Node's fetch reusing one that the
    // server drops after its keep-alive timeout (a client whose event loop was busy
    // compiling a module sees the close late) fails that request with ECONNRESET.
    res.setHeader('connection', 'close');
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    const route = routes[path];
    if (route) route(res);
    else res.writeHead(404, { 'content-type': 'text/html' }).end(HTML);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: the kernel handed it out and it was closed again. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe.skipIf(!run)(`initWasm${NOT_BUILT ? ` (${NOT_BUILT})` : ''}`, () => {
  let bytes: Uint8Array<ArrayBuffer>;
  let vectors: VectorSet;
  let server: TestServer | undefined;

  beforeAll(async () => {
    bytes = new Uint8Array(readFileSync(WASM_FILE));
    vectors = loadVectors();
    server = await startServer(bytes);
  });

  afterAll(async () => {
    await server?.close();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  function expectVectors(backend: Backend, label: string): void {
    expectSummary(runVectors(backend, vectors.answers, label), vectors);
  }

  it('before it resolves, the lite backend refuses every operation with a BackendUnavailableError', async () => {
    const { lite, core } = await fresh();
    const xwing = core.getSuite('X-Wing');
    for (const op of [
      () => lite.backend.derivePublicKey(xwing, new Uint8Array(32)),
      () => lite.backend.encapsulate(xwing, new Uint8Array(xwing.lengths.publicKey), new Uint8Array(64)),
      () => lite.backend.decapsulate(xwing, new Uint8Array(32), new Uint8Array(xwing.lengths.ciphertext)),
      () => core.createKem(xwing, lite.backend).keygen(),
    ]) {
      expect(op).toThrow(core.BackendUnavailableError);
      expect(op).toThrow(/@hybridkem\/wasm\/lite: the WebAssembly module is not loaded yet: await initWasm\(\)/);
    }
    expect(lite.backend.name).toBe('wasm');
    expect(lite.backend.suites).toEqual(core.SUITES.map((s) => s.id));
    expect(lite.backend.implementation).toMatch(/not loaded yet/);
  });

  describe('each kind of source loads the module, which then passes every vector', () => {
    it('a Response served as application/wasm: compiled while streaming', async () => {
      const { lite } = await fresh();
      const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
      const response = new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
      const backend = await lite.initWasm(response);
      expect(streaming).toHaveBeenCalledTimes(1);
      expect(backend).toBe(lite.backend);
      expect(backend.implementation).toMatch(/^libcrux-ml-kem /);
      expectVectors(backend, 'Response (application/wasm)');
    });

    it('a Response without the wasm type: read whole, then compiled', async () => {
      const { lite } = await fresh();
      const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
      const response = new Response(bytes);
      expect(response.headers.get('content-type')).toBeNull();
      expectVectors(await lite.initWasm(response), 'Response (no type)');
      expect(streaming).not.toHaveBeenCalled();
    });

    it('a promise of a Response', async () => {
      const { lite } = await fresh();
      expectVectors(await lite.initWasm(Promise.resolve(new Response(bytes, { headers: { 'content-type': 'application/wasm' } }))), 'Promise<Response>');
    });

    it('a WebAssembly.Module, compiled by the caller', async () => {
      const { lite } = await fresh();
      const compile = vi.spyOn(WebAssembly, 'compile');
      const module = new WebAssembly.Module(bytes as BufferSource);
      expectVectors(await lite.initWasm(module), 'WebAssembly.Module');
      expect(compile).not.toHaveBeenCalled();
    });

    it('bytes: a Uint8Array that views the middle of a larger buffer, an ArrayBuffer', async () => {
      const padded = new Uint8Array(bytes.length + 7);
      padded.set(bytes, 3);
      const view = padded.subarray(3, 3 + bytes.length);
      const a = await fresh();
      expectVectors(await a.lite.initWasm(view), 'Uint8Array view');
      const b = await fresh();
      expectVectors(await b.lite.initWasm(bytes.slice().buffer), 'ArrayBuffer');
    });

    it('a file: URL, as a URL and as a string (Node reads it with node:fs)', async () => {
      const url = pathToFileURL(WASM_FILE);
      const a = await fresh();
      expectVectors(await a.lite.initWasm(url), 'file: URL');
      const b = await fresh();
      expectVectors(await b.lite.initWasm(url.href), 'file: URL string');
    });

    it('an http://127.0.0.1 URL served as application/wasm: fetched and compiled while streaming', async () => {
      const { lite } = await fresh();
      const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
      const before = server!.requests.length;
      expectVectors(await lite.initWasm(new URL('/hybridkem.wasm', server!.origin)), 'http URL');
      expect(server!.requests.slice(before)).toEqual(['/hybridkem.wasm']);
      expect(streaming).toHaveBeenCalledTimes(1);
    });

    it('an http URL string served as application/octet-stream: fetched, read whole, compiled', async () => {
      const { lite } = await fresh();
      const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
      expectVectors(await lite.initWasm(`${server!.origin}/octet/hybridkem.wasm`), 'http URL string');
      expect(streaming).not.toHaveBeenCalled();
    });
  });

  describe('calling it again', () => {
    it('concurrent calls share one load; later calls load nothing and resolve to the same backend', async () => {
      const { lite } = await fresh();
      const before = server!.requests.length;
      const url = `${server!.origin}/hybridkem.wasm`;
      const [a, b] = await Promise.all([lite.initWasm(url), lite.initWasm(url)]);
      expect(a).toBe(lite.backend);
      expect(b).toBe(lite.backend);
      expect(await lite.initWasm(`${server!.origin}/missing.wasm`)).toBe(lite.backend);
      expect(await lite.initWasm()).toBe(lite.backend);
      expect(server!.requests.slice(before)).toEqual(['/hybridkem.wasm']);
      expectVectors(lite.backend, 'after repeated initWasm');
    });

    it('a failed load is not remembered: a later call with a good source succeeds', async () => {
      const { lite, core } = await fresh();
      expect(await rejection(lite.initWasm(`${server!.origin}/missing.wasm`))).toBeInstanceOf(core.BackendUnavailableError);
      expect(() => lite.backend.derivePublicKey(core.getSuite('X-Wing'), new Uint8Array(32))).toThrow(core.BackendUnavailableError);
      expectVectors(await lite.initWasm(bytes), 'after a failed load');
    });

    it('the default entry is ready at import: initWasm resolves to its backend and fetches nothing', async () => {
      vi.resetModules();
      const core = await import('@hybridkem/core');
      const entry = await import('../src/index.js');
      const fetchSpy = vi.spyOn(globalThis, 'fetch');
      const before = server!.requests.length;
      expect(await entry.initWasm()).toBe(entry.backend);
      expect(await entry.initWasm(`${server!.origin}/hybridkem.wasm`)).toBe(entry.backend);
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(server!.requests.length).toBe(before);
      // A source of the wrong type is still refused.
      const e = await rejection(entry.initWasm(42 as never));
      expect(e).toBeInstanceOf(core.InvalidArgumentError);
    });
  });

  describe('bad sources fail with typed errors, never a hang', () => {
    it.each([
      ['a number', 42],
      ['null', null],
      ['a plain object', {}],
      ['a boolean', true],
    ])('%s: InvalidArgumentError naming what is accepted', async (_, source) => {
      const { lite, core } = await fresh();
      const e = await rejection(lite.initWasm(source as never));
      expect(e).toBeInstanceOf(core.InvalidArgumentError);
      expect((e as InstanceType<Core['InvalidArgumentError']>).code).toBe('ERR_INVALID_ARGUMENT');
      expect(e.message).toMatch(/^source: expected a URL, a URL string, a Response \(or a promise of one\), a WebAssembly\.Module or the module's bytes, got /);
    });

    it('a promise of something that is not a Response: InvalidArgumentError', async () => {
      const { lite, core } = await fresh();
      const e = await rejection(lite.initWasm(Promise.resolve(bytes) as never));
      expect(e).toBeInstanceOf(core.InvalidArgumentError);
      expect(e.message).toMatch(/^source \(the value its promise resolved to\): expected .* got Uint8Array$/);
    });

    it('a relative URL string where there is no document: InvalidArgumentError', async () => {
      const { lite, core } = await fresh();
      const e = await rejection(lite.initWasm('hybridkem.wasm'));
      expect(e).toBeInstanceOf(core.InvalidArgumentError);
      expect(e.message).toMatch(/cannot resolve the URL "hybridkem.wasm".*pass an absolute URL/);
    });

    it('HTTP 404: BackendUnavailableError with the status and URL', async () => {
      const { lite, core } = await fresh();
      const url = `${server!.origin}/missing.wasm`;
      const e = await rejection(lite.initWasm(url));
      expect(e).toBeInstanceOf(core.BackendUnavailableError);
      expect(e.message).toBe(`@hybridkem/wasm: cannot load the WebAssembly module: ${url} answered HTTP 404 Not Found`);
    });

    it('an HTML page served with status 200: BackendUnavailableError, not a WebAssembly module', async () => {
      const { lite, core } = await fresh();
      const e = await rejection(lite.initWasm(`${server!.origin}/html-200.wasm`));
      expect(e).toBeInstanceOf(core.BackendUnavailableError);
      expect(e.message).toMatch(/html-200\.wasm is not a WebAssembly module \(\d+ bytes without the \\0asm header\)/);
    });

    it('an HTML page served as application/wasm: the streaming compiler fails, its error in cause', async () => {
      const { lite, core } = await fresh();
      const e = await rejection(lite.initWasm(`${server!.origin}/html-as-wasm.wasm`));
      expect(e).toBeInstanceOf(core.BackendUnavailableError);
      expect(e.message).toMatch(/cannot compile the WebAssembly module from http:.*html-as-wasm\.wasm/);
      expect(e.cause).toBeInstanceOf(WebAssembly.CompileError);
    });

    it('a refused connection: BackendUnavailableError with fetch’s error in cause', async () => {
      const { lite, core } = await fresh();
      const url = `http://127.0.0.1:${await closedPort()}/hybridkem.wasm`;
      const e = await rejection(lite.initWasm(url));
      expect(e).toBeInstanceOf(core.BackendUnavailableError);
      expect(e.message).toBe(`@hybridkem/wasm: cannot fetch the WebAssembly module from ${url}`);
      expect(e.cause).toBeInstanceOf(TypeError);
    });

    it("a server that stalls mid-body, with the caller's deadline on fetch: BackendUnavailableError with the timeout in cause", async () => {
      const { lite, core } = await fresh();
      const started = Date.now();
      const e = await rejection(lite.initWasm(fetch(`${server!.origin}/stalls.wasm`, { signal: AbortSignal.timeout(300) })));
      expect(e).toBeInstanceOf(core.BackendUnavailableError);
      expect((e.cause as Error).name).toBe('TimeoutError');
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('a missing file: BackendUnavailableError with ENOENT in cause', async () => {
      const { lite, core } = await fresh();
      const url = pathToFileURL(`${WASM_FILE}.missing`);
      const e = await rejection(lite.initWasm(url));
      expect(e).toBeInstanceOf(core.BackendUnavailableError);
      expect((e.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    });

    it('a rejected promise: BackendUnavailableError with the rejection in cause', async () => {
      const { lite, core } = await fresh();
      const reason = new Error('network down');
      const e = await rejection(lite.initWasm(Promise.reject(reason)));
      expect(e).toBeInstanceOf(core.BackendUnavailableError);
      expect(e.cause).toBe(reason);
    });

    it('bytes that are not WebAssembly, and bytes that fail to compile', async () => {
      const { lite, core } = await fresh();
      const e = await rejection(lite.initWasm(new TextEncoder().encode(HTML)));
      expect(e).toBeInstanceOf(core.BackendUnavailableError);
      expect(e.message).toMatch(/the bytes given is not a WebAssembly module/);
      const truncated = bytes.subarray(0, 1000);
      const e2 = await rejection(lite.initWasm(truncated));
      expect(e2).toBeInstanceOf(core.BackendUnavailableError);
      expect(e2.cause).toBeInstanceOf(WebAssembly.CompileError);
    });

    it("another WebAssembly module (not hybridkem's): BackendUnavailableError naming the missing exports", async () => {
      const { lite, core } = await fresh();
      const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
      const e = await rejection(lite.initWasm(empty));
      expect(e).toBeInstanceOf(core.BackendUnavailableError);
      expect(e.message).toBe(
        "@hybridkem/wasm: this WebAssembly module is not hybridkem's (it does not export memory, derivePublicKey, encapsulate, decapsulate, suites, implementation)",
      );
    });

    it('no WebAssembly in this environment: BackendUnavailableError', async () => {
      const { lite, core } = await fresh();
      vi.stubGlobal('WebAssembly', undefined);
      try {
        const e = await rejection(lite.initWasm(bytes));
        expect(e).toBeInstanceOf(core.BackendUnavailableError);
        expect(e.message).toMatch(/no WebAssembly/);
      } finally {
        vi.unstubAllGlobals();
      }
    });
  });
});
