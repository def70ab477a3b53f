/**
 * Private-key handles: a private key imported once and held by the backend,
 * expanded (`Backend.expandPrivateKey`) where the backend can, so that a
 * server decapsulating many ciphertexts to one key skips the per-call seed
 * expansion. A handle is opaque: its key material is reachable only through
 * the KEM that made it, and `destroy()` (or `[Symbol.dispose]()`, so `using`
 * works where the runtime defines Symbol.dispose) wipes it.
 * @module
 */
import type { Backend, ExpandedPrivateKey } from './backend.js';
import { InvalidArgumentError } from './errors.js';
import type { Suite } from './suites.js';

/** `[Symbol.dispose]()` in the type where the TypeScript lib declares Symbol.dispose (esnext.disposable, @types/node). */
type DisposeMethod = SymbolConstructor extends { readonly dispose: infer D extends symbol } ? { [K in D]: () => void } : unknown;

interface PrivateKeyHandleBase {
  readonly suite: Suite;
  /** The name of the backend holding the key. */
  readonly backend: string;
  /** True once destroyed: every use then throws InvalidArgumentError. */
  readonly destroyed: boolean;
  /** Wipes the key (idempotent). */
  destroy(): void;
}

/** A private key held by a backend; see {@link Kem.importPrivateKey}. */
export type PrivateKeyHandle = PrivateKeyHandleBase & DisposeMethod;

/** What a handle holds: the backend's expanded key, or a copy of the seed where the backend has no expanded form. */
type Held = { readonly expanded: ExpandedPrivateKey } | { readonly seed: Uint8Array };

interface HandleState {
  readonly owner: object;
  held: Held | undefined;
}

const states = new WeakMap<object, HandleState>();

const disposeSymbol: symbol | undefined = (Symbol as { dispose?: symbol }).dispose;

/** A handle for `seed`, owned by the KEM `owner` (its identity, checked on use). */
export function createHandle(owner: object, suite: Suite, backend: Backend, seed: Uint8Array): PrivateKeyHandle {
  const held: Held =
    backend.expandPrivateKey && backend.decapsulateExpanded
      ? { expanded: backend.expandPrivateKey(suite, seed) }
      : { seed: seed.slice() };
  const state: HandleState = { owner, held };
  const destroy = (): void => {
    const h = state.held;
    state.held = undefined;
    if (!h) return;
    if ('expanded' in h) h.expanded.destroy();
    else h.seed.fill(0);
  };
  const handle = {
    suite,
    backend: backend.name,
    get destroyed(): boolean {
      return state.held === undefined;
    },
    destroy,
    toString: () => `[PrivateKeyHandle ${suite.name} on ${backend.name}${state.held ? '' : ', destroyed'}]`,
  };
  if (disposeSymbol) Object.defineProperty(handle, disposeSymbol, { value: destroy });
  Object.freeze(handle);
  states.set(handle, state);
  return handle as PrivateKeyHandle;
}

/** Whether `value` is a handle made by {@link createHandle} (of any KEM). */
export function isPrivateKeyHandle(value: unknown): value is PrivateKeyHandle {
  return typeof value === 'object' && value !== null && states.has(value);
}

/**
 * What `handle` holds, for the KEM `owner`.
 * @throws {InvalidArgumentError} for a destroyed handle or one of another KEM
 */
export function heldKey(owner: object, handle: PrivateKeyHandle): Held {
  const state = states.get(handle);
  if (!state) throw new InvalidArgumentError('privateKey', 'expected the private key bytes or a PrivateKeyHandle');
  if (state.owner !== owner) {
    throw new InvalidArgumentError('privateKey', `the handle belongs to another KEM (${handle.suite.name} on ${handle.backend})`);
  }
  if (!state.held) throw new InvalidArgumentError('privateKey', 'the key handle was destroyed');
  return state.held;
}
