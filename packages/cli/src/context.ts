/**
 * The command contract and what a command gets to run: its parsed arguments
 * and lazily loaded backends (KEM and composite signatures).
 * @module
 */
// @hybridkem/auto loads native, wasm and noble from its own dependencies, so
// they are found whatever the package manager's layout, and only the one
// selected is loaded.
import { BACKEND_ENV, BACKEND_ORDER, getBackend, type Backend, type BackendName } from '@hybridkem/auto';
import { getSignatureBackend, type SignatureBackend } from '@hybridkem/signing';
import type { CommandSpec, ParsedArgs } from './args.js';
import { warn, type CommandResult } from './output.js';

export interface Context {
  /** The backend chosen by --backend / $HYBRIDKEM_BACKEND / auto, loaded on first use. */
  backend(): Promise<Backend>;
  /**
   * The composite-signature primitives of the backend chosen the same way
   * (@hybridkem/signing's getSignatureBackend): auto takes the fastest that
   * offers them; a named backend that does not is an error, never a silent
   * switch to another.
   */
  signatureBackend(): Promise<SignatureBackend>;
}

export interface Command {
  readonly spec: CommandSpec;
  run(args: ParsedArgs, ctx: Context): Promise<CommandResult>;
}

/** Backend choice left to auto selection (no --backend, no $HYBRIDKEM_BACKEND). */
function isAuto(args: ParsedArgs): boolean {
  return (args.common.backend ?? (process.env[BACKEND_ENV]?.trim() || 'auto')) === 'auto';
}

function reportFallback(args: ParsedArgs): (message: string) => void {
  // Passing over a missing faster backend is what auto means; say so with --debug.
  return (message) => {
    if (args.common.debug) warn(message.replace(/^hybridkem: /, ''));
  };
}

/**
 * Auto selection that goes past a backend lacking what this command asks of
 * it (caller-chosen randomness, deterministic signing): the next in the
 * order that has it. A backend named by --backend or $HYBRIDKEM_BACKEND is
 * used as is, and refuses with a typed error if it cannot.
 */
async function selectCapable<B extends { readonly name: string }>(
  args: ParsedArgs,
  select: (candidates?: readonly BackendName[]) => Promise<B>,
  lacks: ((backend: B) => boolean) | undefined,
): Promise<B> {
  let backend = await select();
  if (!lacks || !isAuto(args)) return backend;
  const skipped = new Set<string>();
  while (lacks(backend)) {
    skipped.add(backend.name);
    const rest = BACKEND_ORDER.filter((n) => !skipped.has(n));
    if (rest.length === 0) break;
    backend = await select(rest);
  }
  return backend;
}

export function createContext(args: ParsedArgs): Context {
  let loading: Promise<Backend> | undefined;
  let loadingSignature: Promise<SignatureBackend> | undefined;
  const named = args.common.backend ? { backend: args.common.backend } : {};
  return {
    signatureBackend() {
      loadingSignature ??= selectCapable(
        args,
        (candidates) => getSignatureBackend({ ...named, ...(candidates ? { candidates } : {}), onFallback: reportFallback(args) }),
        args.values.deterministic === true ? (b) => b.deterministicSigning === false : undefined,
      );
      return loadingSignature;
    },
    backend() {
      loading ??= selectCapable(
        args,
        (candidates) => getBackend({ ...named, ...(candidates ? { candidates } : {}), onFallback: reportFallback(args) }),
        args.values.randomness !== undefined ? (b) => b.derandomizedEncapsulation === false : undefined,
      );
      return loading;
    },
  };
}
