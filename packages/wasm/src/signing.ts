/**
 * The wasm backend's composite-signature primitives for @hybridkem/signing:
 * ML-DSA-44/65/87 from libcrux-ml-dsa, Ed25519 from ed25519-dalek, Ed448
 * from ed448-goldilocks, in a WebAssembly module of their own
 * (wasm/signing, shipped as `hybridkem-signing.wasm`), separate from the KEM
 * module so that KEM users neither download nor compile it.
 *
 * The module is loaded on first use, not at import:
 * - synchronously, by the first primitive call, where the file can be read
 *   synchronously (Node, Deno, Bun: `process.getBuiltinModule('node:fs')`);
 * - asynchronously, anywhere, by `await initSigning(source?)`, or by awaiting
 *   `signatureBackend` itself: it is a thenable, so @hybridkem/signing's
 *   getSignatureBackend(), which returns it from an async function, waits for
 *   the module (and falls back to the next backend when it cannot load).
 *
 * Byte formats are the SignatureBackend contract's, the same as noble's and
 * native's: an ML-DSA key pair from a 32-byte seed with FIPS 204's expanded
 * secret key, pure ML-DSA.Sign with a context and a 32-byte rnd, pure EdDSA
 * with RFC 8032 private keys.
 * @module
 */
import { BackendUnavailableError, InvalidArgumentError, InvalidLengthError } from '@hybridkem/core';
import type { EdDsaParams, EdDsaPrimitive, MlDsaParams, MlDsaPrimitive, SignatureBackend } from '@hybridkem/signing';
import * as glue from '../build/signing-glue.js';
import { checkSource, compileBytesSync, compileSource, type ModuleKind, type WasmSource } from './init.js';
import { webAssembly } from './instantiate.js';
import { BACKEND_VERSION } from './version.js';

type SigningGlue = typeof glue;

/** Where the signature module comes from: the same sources as initWasm's, compiled by the same loader (src/init.ts). */
export type SigningSource = WasmSource;

/** The signature backend once its module is loaded: no `then`, so awaiting it gives itself. */
export type LoadedSignatureBackend = SignatureBackend;

/** `signatureBackend`: usable at once where the module can be read synchronously; awaiting it loads the module anywhere. */
export type WasmSignatureBackend = SignatureBackend & PromiseLike<LoadedSignatureBackend>;

const MLDSA = {
  'ML-DSA-44': { level: 44, secretKey: 2560 },
  'ML-DSA-65': { level: 65, secretKey: 4032 },
  'ML-DSA-87': { level: 87, secretKey: 4896 },
} as const;
const EDDSA = { Ed25519: 25519, Ed448: 448 } as const;
/** FIPS 204 Algorithm 2: a context string is at most 255 bytes. */
const MAX_CONTEXT = 255;
const RND_LENGTH = 32;
/** What the glue calls in the instance; a module without them is not this one. */
const REQUIRED_EXPORTS = ['memory', 'mldsaKeygen', 'mldsaSign', 'mldsaVerify', 'eddsaPublicKey', 'eddsaSign', 'eddsaVerify', 'implementation'];

function unavailable(reason: string, cause?: unknown): never {
  throw new BackendUnavailableError(`@hybridkem/wasm (signatures): ${reason}`, cause);
}

/** How the shared loader names this module in its errors. */
const SIGNING_MODULE: ModuleKind = { module: 'the signature module', unavailable };

function bytesArg(field: string, value: unknown, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(field, 'expected a Uint8Array');
  if (length !== undefined && value.length !== length) throw new InvalidLengthError(field, length, value.length);
  return value;
}

function contextArg(value: unknown): Uint8Array {
  const ctx = bytesArg('context', value);
  if (ctx.length > MAX_CONTEXT) throw new InvalidArgumentError('context', `at most ${MAX_CONTEXT} bytes, got ${ctx.length}`);
  return ctx;
}

const isBytes = (v: unknown, length?: number): v is Uint8Array => v instanceof Uint8Array && (length === undefined || v.length === length);

function importsFor(wa: typeof WebAssembly, module: WebAssembly.Module): WebAssembly.Imports {
  const exported = new Set(wa.Module.exports(module).map((e) => e.name));
  const missing = REQUIRED_EXPORTS.filter((name) => !exported.has(name));
  if (missing.length) unavailable(`this WebAssembly module is not hybridkem's signature module (it does not export ${missing.join(', ')})`);
  const imports: WebAssembly.Imports = {};
  for (const i of wa.Module.imports(module)) {
    // wasm-bindgen names its imports with a hash per build: a module from another version of the package is refused here.
    if (typeof (glue as Record<string, unknown>)[i.name] !== 'function') {
      unavailable(`this WebAssembly module was built for another version of @hybridkem/wasm (it imports ${i.name})`);
    }
    imports[i.module] = glue as unknown as WebAssembly.ModuleImports;
  }
  return imports;
}

function bind(instance: WebAssembly.Instance): SigningGlue {
  glue.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === 'function') start();
  return glue;
}

type FsSync = { readFileSync(url: URL): Uint8Array };

/** node:fs where there is one (Node, Deno, Bun), reached without an import a browser bundler would follow. */
function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

export interface SigningEntry {
  /** The module's default location (a `file:` URL in Node, an asset URL in a bundle), or undefined when the entry has none. */
  defaultSource?: () => SigningSource | undefined;
  /** Why the module cannot be loaded at all (a build without the wasm toolchain), or undefined. */
  buildProblem?: string;
}

export interface SigningLoader {
  signatureBackend: WasmSignatureBackend;
  initSigning(source?: SigningSource): Promise<LoadedSignatureBackend>;
  /** Whether the module is instantiated (for the test that the KEM entry never loads it). */
  loaded(): boolean;
}

/** The signature backend of one entry, with its own lazily loaded module. */
export function createSigningLoader(entry: SigningEntry): SigningLoader {
  let ready: SigningGlue | undefined;
  let pending: Promise<SigningGlue> | undefined;

  const instantiate = (module: WebAssembly.Module): SigningGlue => {
    const wa = webAssembly();
    const imports = importsFor(wa, module);
    try {
      return bind(new wa.Instance(module, imports));
    } catch (error) {
      unavailable('cannot instantiate the signature module', error);
    }
  };

  /** The module, loading it synchronously if it is not yet (a file read where there is node:fs). */
  const sync = (): SigningGlue => {
    if (ready) return ready;
    if (entry.buildProblem) unavailable(entry.buildProblem);
    const source = entry.defaultSource?.();
    const url = source instanceof URL && source.protocol === 'file:' ? source : undefined;
    const fs = url ? builtin<FsSync>('node:fs') : undefined;
    if (!url || !fs) {
      unavailable('the signature module is not loaded yet and cannot be read synchronously here: await initSigning() (or await signatureBackend) first');
    }
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(url);
    } catch (error) {
      unavailable(`cannot read the signature module at ${url.href}`, error);
    }
    ready = instantiate(compileBytesSync(bytes, url.href, SIGNING_MODULE));
    return ready;
  };

  const load = (source?: SigningSource): Promise<SigningGlue> => {
    if (ready) return Promise.resolve(ready);
    // Concurrent calls share one load; a failed load is forgotten, so a later call can retry.
    pending ??= (async () => {
      if (entry.buildProblem) unavailable(entry.buildProblem);
      const chosen = source ?? entry.defaultSource?.();
      if (chosen === undefined) throw new InvalidArgumentError('source', 'this entry has no default location for hybridkem-signing.wasm: pass it');
      const module = await compileSource(chosen, SIGNING_MODULE);
      const wa = webAssembly();
      const imports = importsFor(wa, module);
      let instance: WebAssembly.Instance;
      try {
        instance = await wa.instantiate(module, imports);
      } catch (error) {
        unavailable('cannot instantiate the signature module', error);
      }
      ready ??= bind(instance);
      return ready;
    })().then(
      (g) => g,
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };

  function mldsa(params: MlDsaParams): MlDsaPrimitive {
    const known = MLDSA[params?.name as keyof typeof MLDSA];
    if (!known) throw new InvalidArgumentError('params', 'expected ML-DSA-44, ML-DSA-65 or ML-DSA-87 parameters');
    const { level, secretKey: skLength } = known;
    const L = params.lengths;
    return Object.freeze({
      keygen(seed: Uint8Array) {
        bytesArg('seed', seed, L.seed);
        const out = sync().mldsaKeygen(level, seed);
        // out = public key ‖ expanded secret key: the secret key gets its own buffer and its bytes in `out` are wiped.
        const secretKey = out.slice(L.publicKey);
        out.fill(0, L.publicKey);
        return { publicKey: out.subarray(0, L.publicKey), secretKey };
      },
      sign(secretKey: Uint8Array, message: Uint8Array, context: Uint8Array, rnd: Uint8Array) {
        bytesArg('secretKey', secretKey, skLength);
        bytesArg('message', message);
        contextArg(context);
        bytesArg('rnd', rnd, RND_LENGTH);
        return sync().mldsaSign(level, secretKey, message, context, rnd);
      },
      // The contract: false, never a throw, for anything that does not verify.
      verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, context: Uint8Array) {
        if (!isBytes(publicKey, L.publicKey) || !isBytes(message) || !isBytes(signature, L.signature) || !isBytes(context) || context.length > MAX_CONTEXT) {
          return false;
        }
        return sync().mldsaVerify(level, publicKey, message, signature, context) === true;
      },
    });
  }

  function eddsa(params: EdDsaParams): EdDsaPrimitive {
    const curve = EDDSA[params?.name as keyof typeof EDDSA];
    if (!curve) throw new InvalidArgumentError('params', 'expected Ed25519 or Ed448 parameters');
    const L = params.lengths;
    return Object.freeze({
      getPublicKey(privateKey: Uint8Array) {
        bytesArg('privateKey', privateKey, L.privateKey);
        return sync().eddsaPublicKey(curve, privateKey);
      },
      sign(privateKey: Uint8Array, message: Uint8Array) {
        bytesArg('privateKey', privateKey, L.privateKey);
        bytesArg('message', message);
        return sync().eddsaSign(curve, privateKey, message);
      },
      verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
        if (!isBytes(publicKey, L.publicKey) || !isBytes(message) || !isBytes(signature, L.signature)) return false;
        return sync().eddsaVerify(curve, publicKey, message, signature) === true;
      },
    });
  }

  // libcrux's ML-DSA and ed25519-dalek are written to run in constant time;
  // ed448-goldilocks (Ed448, suite MLDSA87-Ed448-SHAKE256) documents no such
  // property, as the native backend says of the same crate; and WebAssembly
  // engines promise nothing about what their JIT emits.
  const IMPLEMENTATION = 'libcrux-ml-dsa 0.0.11 (portable), ed25519-dalek 3.0.0, ed448-goldilocks 0.14.0-pre.15 (Rust, WebAssembly)';
  const common = {
    name: 'wasm',
    version: BACKEND_VERSION,
    constantTime: false,
    deterministicSigning: true,
    mldsa,
    eddsa,
  };
  const loaded: LoadedSignatureBackend = Object.freeze({
    ...common,
    get implementation(): string {
      return ready ? `${ready.implementation()} (Rust, WebAssembly)` : IMPLEMENTATION;
    },
  });
  const signatureBackend: WasmSignatureBackend = Object.freeze({
    ...common,
    get implementation(): string {
      return loaded.implementation;
    },
    // Awaiting the backend loads its module: getSignatureBackend() returns it
    // from an async function, which waits on a thenable, so the registry gets
    // a ready backend anywhere (or a load failure, and falls back). Resolves
    // to `loaded`, which has no `then` (resolving to a thenable would loop).
    then<A = LoadedSignatureBackend, B = never>(
      onFulfilled?: ((value: LoadedSignatureBackend) => A | PromiseLike<A>) | null,
      onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    ): PromiseLike<A | B> {
      return load().then(() => loaded).then(onFulfilled, onRejected);
    },
  });
  const initSigning = (source?: SigningSource): Promise<LoadedSignatureBackend> => {
    try {
      // The same synchronous refusal of a value that is no source as initWasm's.
      checkSource(source);
    } catch (error) {
      return Promise.reject(error);
    }
    return load(source).then(() => loaded);
  };
  return { signatureBackend, initSigning, loaded: () => ready !== undefined };
}
