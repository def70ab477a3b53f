/**
 * The command contract and what a command gets to run: its parsed arguments
 * and lazily loaded backends (KEM and composite signatures).
 * @module
 */
import { BACKEND_ENV, BACKEND_ORDER, getBackend, registerBackend, type Backend } from '@hybridkem/core';
import type { SignatureBackend } from '@hybridkem/signing';
import type { CommandSpec, ParsedArgs } from './args.js';
import { CliError, warn, type CommandResult } from './output.js';

export interface Context {
  /** The backend chosen by --backend / $HYBRIDKEM_BACKEND / auto, loaded on first use. */
  backend(): Promise<Backend>;
  /**
   * The composite-signature primitives of the backend chosen the same way.
   * Only noble implements them so far: auto picks it, and naming another
   * backend is an error (never a silent switch to a non-constant-time one).
   */
  signatureBackend(): Promise<SignatureBackend>;
}

/** Backends whose packages export `signatureBackend`. */
const SIGNATURE_BACKENDS: readonly string[] = ['noble'];

export interface Command {
  readonly spec: CommandSpec;
  run(args: ParsedArgs, ctx: Context): Promise<CommandResult>;
}

let bundled: Promise<void> | undefined;

/**
 * Registers the noble backend this package depends on, imported from here so
 * that it is found whatever the package manager's layout (core alone may not
 * see it). native and wasm are still looked up by core, and preferred.
 */
export function registerBundledBackends(): Promise<void> {
  bundled ??= import('@hybridkem/noble').then(
    (m) => registerBackend(m.backend),
    () => undefined, // core tries the import itself and reports why it fails
  );
  return bundled;
}

async function loadSignatureBackend(args: ParsedArgs): Promise<SignatureBackend> {
  const env = process.env[BACKEND_ENV]?.trim() || undefined;
  const choice = args.common.backend ?? env ?? 'auto';
  const source = args.common.backend === undefined ? ` (from $${BACKEND_ENV})` : '';
  if (choice !== 'auto' && !SIGNATURE_BACKENDS.includes(choice)) {
    if (!(BACKEND_ORDER as readonly string[]).includes(choice)) {
      throw new CliError(`${BACKEND_ENV}: unknown backend ${JSON.stringify(choice.slice(0, 32))}, expected one of auto, ${BACKEND_ORDER.join(', ')}`);
    }
    throw new CliError(
      `backend ${choice}${source} does not implement composite signatures yet; use --backend ${SIGNATURE_BACKENDS.join(' or ')} or auto`,
    );
  }
  if (choice === 'auto' && args.common.debug) {
    const others = BACKEND_ORDER.filter((n) => !SIGNATURE_BACKENDS.includes(n));
    warn(`auto: ${others.join(' and ')} do not implement composite signatures yet; using noble`);
  }
  try {
    return (await import('@hybridkem/noble')).signatureBackend;
  } catch (error) {
    throw new CliError('backend noble: cannot load @hybridkem/noble', { cause: error });
  }
}

export function createContext(args: ParsedArgs): Context {
  let loading: Promise<Backend> | undefined;
  let loadingSignature: Promise<SignatureBackend> | undefined;
  return {
    signatureBackend() {
      loadingSignature ??= loadSignatureBackend(args);
      return loadingSignature;
    },
    backend() {
      loading ??= registerBundledBackends().then(() =>
        getBackend({
          ...(args.common.backend ? { backend: args.common.backend } : {}),
          // Passing over a missing faster backend is what auto means; say so with --debug.
          onFallback: (message) => {
            if (args.common.debug) warn(message.replace(/^hybridkem: /, ''));
          },
        }),
      );
      return loading;
    },
  };
}
