/**
 * The command contract and what a command gets to run: its parsed arguments
 * and a lazily loaded backend.
 * @module
 */
import { getBackend, registerBackend, type Backend } from '@hybridkem/core';
import type { CommandSpec, ParsedArgs } from './args.js';
import { warn, type CommandResult } from './output.js';

export interface Context {
  /** The backend chosen by --backend / $HYBRIDKEM_BACKEND / auto, loaded on first use. */
  backend(): Promise<Backend>;
}

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

export function createContext(args: ParsedArgs): Context {
  let loading: Promise<Backend> | undefined;
  return {
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
