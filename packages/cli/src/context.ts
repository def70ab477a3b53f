/**
 * The command contract and what a command gets to run: its parsed arguments
 * and lazily loaded backends (KEM and composite signatures).
 * @module
 */
// @hybridkem/auto loads native, wasm and noble from its own dependencies, so
// they are found whatever the package manager's layout, and only the one
// selected is loaded.
import { getBackend, type Backend } from '@hybridkem/auto';
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

function loadSignatureBackend(args: ParsedArgs): Promise<SignatureBackend> {
  return getSignatureBackend({
    ...(args.common.backend ? { backend: args.common.backend } : {}),
    onFallback: (message) => {
      if (args.common.debug) warn(message.replace(/^hybridkem: /, ''));
    },
  });
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
      loading ??= getBackend({
        ...(args.common.backend ? { backend: args.common.backend } : {}),
        // Passing over a missing faster backend is what auto means; say so with --debug.
        onFallback: (message) => {
          if (args.common.debug) warn(message.replace(/^hybridkem: /, ''));
        },
      });
      return loading;
    },
  };
}
