/**
 * Signature-backend selection, the twin of core's getBackend(): the same
 * order (native, openssl, wasm, noble), packages and HYBRIDKEM_BACKEND variable. A
 * backend package offers composite signatures by exporting
 * `signatureBackend`. Auto selection takes the first that loads and offers
 * them, warning once when it passed over a faster one; a backend named by
 * option or environment is loaded alone, never replaced.
 * @module
 */
import {
  BACKEND_ENV,
  BACKEND_ORDER,
  BACKEND_PACKAGES,
  BackendUnavailableError,
  InvalidArgumentError,
  type BackendLoadFailure,
  type BackendName,
} from '@hybridkem/core';
import type { SignatureBackend } from './backend.js';

export interface GetSignatureBackendOptions {
  backend?: BackendName | 'auto';
  /**
   * The backends auto selection may try (as core's getBackend): default all
   * of BACKEND_ORDER, tried in that order; one left out is neither tried nor
   * reported.
   */
  candidates?: readonly BackendName[];
  /** Called (instead of a process warning) when auto selection passed over a faster backend. */
  onFallback?: (message: string, failures: readonly BackendLoadFailure[]) => void;
}

const loading = new Map<BackendName, Promise<SignatureBackend>>();
let warned = false;

async function importSignatureBackend(name: BackendName): Promise<SignatureBackend> {
  const specifier = BACKEND_PACKAGES[name];
  let backend: SignatureBackend | undefined;
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as { signatureBackend?: SignatureBackend };
    backend = mod.signatureBackend;
  } catch (error) {
    throw new BackendUnavailableError(`backend ${name}: cannot load ${specifier}`, error);
  }
  if (!backend || typeof backend.mldsa !== 'function' || typeof backend.eddsa !== 'function') {
    throw new BackendUnavailableError(`backend ${name}: ${specifier} does not implement composite signatures (no signatureBackend export)`);
  }
  return backend;
}

/** Loads one backend's signature primitives by name (cached). */
export function loadSignatureBackend(name: BackendName): Promise<SignatureBackend> {
  let p = loading.get(name);
  if (!p) {
    p = importSignatureBackend(name);
    loading.set(name, p);
    p.catch(() => loading.delete(name));
  }
  return p;
}

/**
 * The signature backend to use: named by `options.backend`, else by
 * HYBRIDKEM_BACKEND, else the fastest that loads and offers signatures.
 * @throws {BackendUnavailableError} with the load failure(s) in `cause`
 */
export async function getSignatureBackend(options: GetSignatureBackendOptions = {}): Promise<SignatureBackend> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[BACKEND_ENV]?.trim();
  const choice = options.backend ?? (env || undefined) ?? 'auto';
  if (choice !== 'auto') {
    if (!(BACKEND_ORDER as readonly string[]).includes(choice)) {
      throw new InvalidArgumentError(options.backend ? 'backend' : BACKEND_ENV, `unknown backend "${choice.slice(0, 32)}", expected one of auto, ${BACKEND_ORDER.join(', ')}`);
    }
    return loadSignatureBackend(choice as BackendName);
  }
  if (options.candidates !== undefined && (!Array.isArray(options.candidates) || options.candidates.length === 0 || !options.candidates.every((c) => (BACKEND_ORDER as readonly string[]).includes(c)))) {
    throw new InvalidArgumentError('candidates', `expected a non-empty list of ${BACKEND_ORDER.join(', ')}`);
  }
  const candidates = options.candidates === undefined ? BACKEND_ORDER : BACKEND_ORDER.filter((n) => options.candidates!.includes(n));
  const failures: BackendLoadFailure[] = [];
  for (const name of candidates) {
    try {
      const backend = await loadSignatureBackend(name);
      if (failures.length > 0) reportFallback(backend, failures, options);
      return backend;
    } catch (error) {
      failures.push({ name, error });
    }
  }
  throw new BackendUnavailableError(
    `no signature backend could be loaded (tried ${candidates.join(', ')})`,
    new AggregateError(failures.map((f) => f.error), 'signature backend load failures'),
  );
}

function reportFallback(chosen: SignatureBackend, failures: BackendLoadFailure[], options: GetSignatureBackendOptions): void {
  const reasons = failures.map((f) => `${f.name}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
  const message = `hybridkem: signing with the ${chosen.name} backend; faster backends did not offer signatures (${reasons})`;
  if (options.onFallback) return options.onFallback(message, failures);
  if (warned) return;
  warned = true;
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } }).process;
  if (proc?.emitWarning) proc.emitWarning(message, { code: 'HYBRIDKEM_BACKEND_FALLBACK' });
  else console.warn(message);
}

/** For tests: forget loaded backends and the once-only warning. */
export function resetSignatureBackendsForTesting(): void {
  loading.clear();
  warned = false;
}
