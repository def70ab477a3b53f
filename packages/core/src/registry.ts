/**
 * Backend selection. `getBackend()` tries the backends in a fixed order,
 * fastest first — native, openssl, wasm, noble — and returns the first that loads. It
 * warns once when it had to pass over a faster one, and when none loads it
 * throws with every load failure in `error.cause`. A backend named by option
 * or by the HYBRIDKEM_BACKEND environment variable is loaded alone: no
 * silent fallback when the caller asked for something specific.
 * @module
 */
import type { Backend, BackendName } from './backend.js';
import { BackendUnavailableError, InvalidArgumentError } from './errors.js';

/** Fastest first. */
export const BACKEND_ORDER: readonly BackendName[] = Object.freeze(['native', 'openssl', 'wasm', 'noble']);

/** The package that provides each backend; each exports `backend`. */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = Object.freeze({
  native: '@hybridkem/native',
  openssl: '@hybridkem/openssl',
  wasm: '@hybridkem/wasm',
  noble: '@hybridkem/noble',
});

export const BACKEND_ENV = 'HYBRIDKEM_BACKEND';

export interface GetBackendOptions {
  /** A backend by name, or 'auto' (the default) for the fastest that loads. */
  backend?: BackendName | 'auto';
  /**
   * The backends auto selection may try, default all of {@link BACKEND_ORDER}.
   * They are tried in that order whatever order they are given in; a backend
   * left out is neither tried nor reported (a browser build leaves out native).
   */
  candidates?: readonly BackendName[];
  /** Called (instead of a process warning) when auto selection passed over a faster backend. */
  onFallback?: (message: string, failures: readonly BackendLoadFailure[]) => void;
}

export interface BackendLoadFailure {
  readonly name: BackendName;
  readonly error: unknown;
}

export interface BackendProbe {
  readonly name: BackendName;
  readonly available: boolean;
  readonly backend?: Backend;
  readonly error?: unknown;
}

/** What a backend package's module exports. */
export interface BackendModule {
  readonly backend?: Backend | Promise<Backend>;
}

/** Loads a backend package's module, e.g. `() => import('@hybridkem/wasm')`. */
export type BackendModuleLoader = () => BackendModule | Promise<BackendModule>;

const registered = new Map<BackendName, Backend>();
const loaders = new Map<BackendName, BackendModuleLoader>();
const loading = new Map<BackendName, Promise<Backend>>();
let warned = false;

// In the CommonJS build `require` is this module's own: loading a backend's
// CommonJS build through it keeps one copy of core in the process, so that
// errors a backend throws are `instanceof` the classes the caller required
// (an `import()` here would load the ES module build, and with it a second
// core: Node's "dual package hazard",
// https://nodejs.org/api/packages.html#dual-package-hazard).
// The build defines __HYBRIDKEM_CJS__ (tsup.config.ts): true in the CommonJS
// build only. A runtime `typeof require` test cannot tell the builds apart
// (esbuild shims `require` in ES modules; test runners define it).
declare const __HYBRIDKEM_CJS__: boolean | undefined;
declare const require: (id: string) => unknown;
const requireOwn = typeof __HYBRIDKEM_CJS__ !== 'undefined' && __HYBRIDKEM_CJS__ ? require : undefined;

/**
 * Makes a backend object available by name without a package import (for
 * bundles that import a backend directly, or for tests).
 */
export function registerBackend(backend: Backend): void {
  if (!backend || !BACKEND_ORDER.includes(backend.name)) {
    throw new InvalidArgumentError('backend', `expected a Backend named one of ${BACKEND_ORDER.join(', ')}`);
  }
  registered.set(backend.name, backend);
}

/**
 * Says how to load a backend's package, for code that knows where the package
 * is (a bundle, or a package that depends on the backends, such as
 * `@hybridkem/auto`): used instead of importing the package by name from
 * core, which works only where core can resolve it.
 */
export function registerBackendLoader(name: BackendName, load: BackendModuleLoader): void {
  if (!isBackendName(name) || typeof load !== 'function') {
    throw new InvalidArgumentError('backend loader', `expected a backend name (${BACKEND_ORDER.join(', ')}) and a function`);
  }
  if (!loaders.has(name)) loaders.set(name, load);
}

function isBackendName(name: string): name is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(name);
}

function envChoice(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[BACKEND_ENV]?.trim();
  return v ? v : undefined;
}

/** Loads one backend by name (cached). */
export function loadBackend(name: BackendName): Promise<Backend> {
  const r = registered.get(name);
  if (r) return Promise.resolve(r);
  let p = loading.get(name);
  if (!p) {
    p = importBackend(name);
    loading.set(name, p);
    p.catch(() => loading.delete(name));
  }
  return p;
}

async function importBackend(name: BackendName): Promise<Backend> {
  const specifier = BACKEND_PACKAGES[name];
  const load = loaders.get(name);
  let backend: Backend | undefined;
  try {
    const mod = load
      ? await load()
      : requireOwn
        ? (requireOwn(specifier) as BackendModule)
        : ((await import(/* @vite-ignore */ specifier)) as BackendModule);
    backend = await mod.backend;
  } catch (error) {
    throw new BackendUnavailableError(`backend ${name}: cannot load ${specifier}`, error);
  }
  if (!backend || backend.name !== name || typeof backend.encapsulate !== 'function') {
    throw new BackendUnavailableError(`backend ${name}: ${specifier} does not export a Backend named ${name}`);
  }
  return backend;
}

/**
 * The backend to use: the one named by `options.backend`, else by the
 * HYBRIDKEM_BACKEND environment variable, else the fastest that loads.
 * @throws {BackendUnavailableError} with the load failure(s) in `cause`
 */
export async function getBackend(options: GetBackendOptions = {}): Promise<Backend> {
  const choice = options.backend ?? envChoice() ?? 'auto';
  if (choice !== 'auto') {
    if (!isBackendName(choice)) {
      throw new InvalidArgumentError(
        options.backend ? 'backend' : BACKEND_ENV,
        `unknown backend "${choice.slice(0, 32)}", expected one of auto, ${BACKEND_ORDER.join(', ')}`,
      );
    }
    return loadBackend(choice);
  }
  const candidates = candidateList(options.candidates);
  const failures: BackendLoadFailure[] = [];
  for (const name of candidates) {
    try {
      const backend = await loadBackend(name);
      if (failures.length > 0) reportFallback(backend, failures, options);
      return backend;
    } catch (error) {
      failures.push({ name, error });
    }
  }
  throw new BackendUnavailableError(
    `no backend could be loaded (tried ${candidates.join(', ')})`,
    new AggregateError(failures.map((f) => f.error), 'backend load failures'),
  );
}

function candidateList(candidates: readonly BackendName[] | undefined): readonly BackendName[] {
  if (candidates === undefined) return BACKEND_ORDER;
  if (!Array.isArray(candidates) || candidates.length === 0 || !candidates.every((c) => isBackendName(String(c)))) {
    throw new InvalidArgumentError('candidates', `expected a non-empty list of ${BACKEND_ORDER.join(', ')}`);
  }
  return BACKEND_ORDER.filter((name) => candidates.includes(name));
}

function reportFallback(chosen: Backend, failures: BackendLoadFailure[], options: GetBackendOptions): void {
  const reasons = failures.map((f) => `${f.name}: ${firstLine(f.error)}`).join('; ');
  const message = `hybridkem: using the ${chosen.name} backend; faster backends did not load (${reasons})`;
  if (options.onFallback) {
    options.onFallback(message, failures);
    return;
  }
  if (warned) return;
  warned = true;
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } }).process;
  if (proc?.emitWarning) proc.emitWarning(message, { code: 'HYBRIDKEM_BACKEND_FALLBACK' });
  else console.warn(message);
}

function firstLine(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 3; depth++) {
    parts.push(e instanceof Error ? e.message.split('\n')[0]! : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': ');
}

/** Tries every backend and reports which load and why the others do not. */
export async function probeBackends(): Promise<BackendProbe[]> {
  const out: BackendProbe[] = [];
  for (const name of BACKEND_ORDER) {
    try {
      out.push({ name, available: true, backend: await loadBackend(name) });
    } catch (error) {
      out.push({ name, available: false, error });
    }
  }
  return out;
}

/** For tests: forget loaded backends and the once-only warning. */
export function resetBackendsForTesting(): void {
  registered.clear();
  loaders.clear();
  loading.clear();
  warned = false;
}
