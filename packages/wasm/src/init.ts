/**
 * `initWasm(source?)`: loads the WebAssembly core asynchronously from where
 * the caller hosts it, so a page need not carry the module inlined as base64
 * (a third larger gzipped, and compiled on the main thread). Each entry makes
 * its own initialiser: the default and `workerd` entries are ready at import
 * and resolve at once; `@hybridkem/wasm/lite` is ready only after it.
 *
 * Its source compilation (`compileSource`, `compileBytesSync`,
 * `checkSource`) is also the signature module's (src/signing.ts): one loader,
 * the same accepted sources and the same typed errors for both modules, each
 * naming the module it failed to load (a {@link ModuleKind}).
 * @module
 */
import { BackendUnavailableError, InvalidArgumentError, SUITES, type Backend } from '@hybridkem/core';
import { createWasmBackend, wasmSuites } from './backend.js';
import { instantiateAsync, unavailable, webAssembly } from './instantiate.js';

/**
 * Where the module comes from: its URL (fetched), a `Response` or a promise
 * of one (from `fetch`), a compiled `WebAssembly.Module` (a workerd or
 * bundler `.wasm` import), or the module's bytes.
 */
export type WasmSource = URL | string | Response | PromiseLike<Response> | WebAssembly.Module | ArrayBuffer | ArrayBufferView;

/** Loads the module and returns the backend, ready to use. */
export type InitWasm = (source?: WasmSource) => Promise<Backend>;

const EXPECTED = "a URL, a URL string, a Response (or a promise of one), a WebAssembly.Module or the module's bytes";
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function tag(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return tag(value);
}

function isUrl(value: unknown): value is URL {
  return (typeof URL === 'function' && value instanceof URL) || tag(value) === 'URL';
}

function isModule(wa: typeof WebAssembly, value: unknown): value is WebAssembly.Module {
  // The tag as well: a module from another realm (an iframe, a vm context) is not an instance of ours.
  return value instanceof wa.Module || tag(value) === 'WebAssembly.Module';
}

function isBytes(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer || tag(value) === 'ArrayBuffer' || tag(value) === 'SharedArrayBuffer';
}

/** Anything with Response's reading surface: undici's, a polyfill's, another realm's. */
function isResponse(value: unknown): value is Response {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Response>;
  return typeof r.arrayBuffer === 'function' && typeof r.ok === 'boolean' && typeof r.headers?.get === 'function';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Which module a load is for: how its errors name it, and the error they throw. */
export interface ModuleKind {
  /** The module as errors name it ("the WebAssembly module", "the signature module"). */
  module: string;
  /** Throws BackendUnavailableError with the package's prefix for this module. */
  unavailable(reason: string, cause?: unknown): never;
}

/** The KEM module: errors as initWasm has always worded them. */
const KEM_MODULE: ModuleKind = { module: 'the WebAssembly module', unavailable };

function invalidSource(value: unknown, what = 'source'): never {
  throw new InvalidArgumentError(what, `expected ${EXPECTED}, got ${describe(value)}`);
}

/** Throws InvalidArgumentError, synchronously, for a value that is no kind of source (undefined passes: "the default"). */
export function checkSource(source: unknown): void {
  if (source === undefined || typeof source === 'string' || isUrl(source) || isBytes(source) || isResponse(source) || isThenable(source)) return;
  if (typeof source === 'object' && source !== null && tag(source) === 'WebAssembly.Module') return;
  invalidSource(source);
}

function toBytes(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
}

/** The bytes, checked to start with WebAssembly's header. */
function wasmBytes(value: ArrayBuffer | ArrayBufferView, from: string, kind: ModuleKind): Uint8Array {
  const bytes = toBytes(value);
  if (bytes.length < 8 || !WASM_MAGIC.every((b, i) => bytes[i] === b)) {
    // An HTML error page or a JSON body served with status 200 is the usual case.
    kind.unavailable(`${from} is not a WebAssembly module (${bytes.length} bytes without the \\0asm header)`);
  }
  return bytes;
}

async function compileBytes(wa: typeof WebAssembly, value: ArrayBuffer | ArrayBufferView, from: string, kind: ModuleKind): Promise<WebAssembly.Module> {
  const bytes = wasmBytes(value, from, kind);
  try {
    return await wa.compile(bytes as BufferSource);
  } catch (error) {
    kind.unavailable(`cannot compile ${kind.module} from ${from}`, error);
  }
}

/**
 * The same, synchronously: for the signature module's first use in Node,
 * Deno or Bun, read with readFileSync (a primitive call cannot await).
 */
export function compileBytesSync(value: ArrayBuffer | ArrayBufferView, from: string, kind: ModuleKind): WebAssembly.Module {
  const wa = webAssembly();
  const bytes = wasmBytes(value, from, kind);
  try {
    return new wa.Module(bytes as BufferSource);
  } catch (error) {
    kind.unavailable(`cannot compile ${kind.module} from ${from}`, error);
  }
}

async function compileResponse(wa: typeof WebAssembly, response: Response, from: string, kind: ModuleKind): Promise<WebAssembly.Module> {
  if (!response.ok) kind.unavailable(`cannot load ${kind.module}: ${from} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  // compileStreaming compiles while the body downloads, but only accepts a
  // native Response served as application/wasm; anything else is read whole.
  if (type === 'application/wasm' && typeof wa.compileStreaming === 'function' && typeof Response === 'function' && response instanceof Response) {
    try {
      return await wa.compileStreaming(response);
    } catch (error) {
      kind.unavailable(`cannot compile ${kind.module} from ${from}`, error);
    }
  }
  let body: ArrayBuffer;
  try {
    body = await response.arrayBuffer();
  } catch (error) {
    kind.unavailable(`cannot read ${kind.module} from ${from}`, error);
  }
  return compileBytes(wa, body, from, kind);
}

/**
 * Node's fetch does not read file: URLs (Deno's and Bun's do): read the file
 * with node:fs, reached through process.getBuiltinModule so that bundlers for
 * the browser see no Node import.
 */
function nodeReadFile(): ((url: URL) => Promise<Uint8Array>) | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs/promises') as { readFile(url: URL): Promise<Uint8Array> } | undefined;
  return fs ? (url) => fs.readFile(url) : undefined;
}

async function compileUrl(wa: typeof WebAssembly, source: URL | string, kind: ModuleKind): Promise<WebAssembly.Module> {
  const text = String(source);
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL | undefined;
  try {
    url = new URL(text, base);
  } catch {
    // A relative URL with no document to resolve it against (Node, Deno, Bun).
    throw new InvalidArgumentError('source', `cannot resolve the URL ${JSON.stringify(text)}${base ? '' : ' (a relative URL needs a document; pass an absolute URL)'}`);
  }
  const readFile = url.protocol === 'file:' ? nodeReadFile() : undefined;
  if (readFile) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(url);
    } catch (error) {
      kind.unavailable(`cannot read ${kind.module} at ${url.href}`, error);
    }
    return compileBytes(wa, bytes, url.href, kind);
  }
  if (typeof fetch !== 'function') kind.unavailable(`cannot fetch ${url.href}: this environment has no fetch; pass a Response, a WebAssembly.Module or the bytes`);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    kind.unavailable(`cannot fetch ${kind.module} from ${url.href}`, error);
  }
  return compileResponse(wa, response, url.href, kind);
}

/**
 * A compiled module from any source initWasm and initSigning accept. Errors:
 * InvalidArgumentError for a value that is no source (or a promise of one
 * that is no Response), BackendUnavailableError (its message naming the
 * module, the URL or source, and what failed) for anything that cannot be
 * fetched, read or compiled.
 */
export async function compileSource(source: WasmSource, kind: ModuleKind = KEM_MODULE): Promise<WebAssembly.Module> {
  const wa = webAssembly();
  if (isModule(wa, source)) return source;
  if (typeof source === 'string' || isUrl(source)) return compileUrl(wa, source, kind);
  if (isBytes(source)) return compileBytes(wa, source, 'the bytes given', kind);
  if (isResponse(source)) return compileResponse(wa, source, (source as Response).url || 'the Response given', kind);
  if (isThenable(source)) {
    let settled: unknown;
    try {
      settled = await source;
    } catch (error) {
      kind.unavailable(`cannot load ${kind.module}: the promise given was rejected`, error);
    }
    if (!isResponse(settled)) return invalidSource(settled, 'source (the value its promise resolved to)');
    const response: Response = settled;
    return compileResponse(wa, response, response.url || 'the Response given', kind);
  }
  return invalidSource(source);
}

/** The backend of a freshly instantiated module, checked to implement every suite core has. */
async function load(source: WasmSource): Promise<Backend> {
  const glue = await instantiateAsync(await compileSource(source));
  let backend: Backend;
  try {
    const ids = new Set(wasmSuites(glue).map((s) => s.id));
    const missing = SUITES.filter((s) => !ids.has(s.id)).map((s) => s.name);
    if (missing.length) unavailable(`this WebAssembly module does not implement ${missing.join(', ')} (built for another version of @hybridkem/core?)`);
    backend = createWasmBackend(glue);
  } catch (error) {
    if (error instanceof BackendUnavailableError) throw error;
    unavailable("the WebAssembly module does not answer as hybridkem's does", error);
  }
  return backend;
}

export interface Initialiser {
  initWasm: InitWasm;
  /** The backend once a module is instantiated, else undefined. */
  ready(): Backend | undefined;
}

/**
 * An initialiser for one entry. `ready` is the backend an entry instantiated
 * at import (then initWasm resolves to it at once and loads nothing);
 * `defaultSource` is what initWasm() loads without an argument.
 */
export function createInitialiser(options: { ready?: Backend; defaultSource?: () => WasmSource }): Initialiser {
  let ready = options.ready;
  let pending: Promise<Backend> | undefined;
  const initWasm: InitWasm = (source) => {
    try {
      checkSource(source);
    } catch (error) {
      return Promise.reject(error);
    }
    if (ready) return Promise.resolve(ready);
    // Concurrent calls share one load; a failed load is forgotten, so a later call can retry.
    pending ??= (async () => {
      const chosen = source === undefined ? options.defaultSource?.() : source;
      if (chosen === undefined) throw new InvalidArgumentError('source', `this entry has no module of its own: pass ${EXPECTED}`);
      return load(chosen);
    })().then(
      (backend) => {
        ready = backend;
        return backend;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  return { initWasm, ready: () => ready };
}
