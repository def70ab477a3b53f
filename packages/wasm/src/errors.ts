/**
 * Maps the WebAssembly core's machine-readable errors
 * (`hybridkem-wasm:<code>:<fields>`, see wasm/src/lib.rs) to core's typed
 * errors, worded as core's composeBackend words them so every backend fails
 * the same way. Messages never carry input bytes.
 * @module
 */
import {
  InvalidGroupElementError,
  InvalidLengthError,
  InvalidMlKemKeyError,
  InvalidSeedError,
  SuiteNotSupportedError,
  type Suite,
} from '@hybridkem/core';

const PREFIX = 'hybridkem-wasm:';
const MAX_SCALAR_WINDOWS = 16;
const Q = 3329;

/** Index of the first ML-KEM coefficient ≥ q (FIPS 203 §7.2), for the error's message. */
function firstNonCanonical(ek: Uint8Array | undefined): number {
  if (!ek) return -1;
  for (let i = 0, c = 0; i + 2 < ek.length - 32; i += 3, c += 2) {
    if ((ek[i]! | ((ek[i + 1]! & 0x0f) << 8)) >= Q) return c;
    if (((ek[i + 1]! >> 4) | (ek[i + 2]! << 4)) >= Q) return c + 1;
  }
  return -1;
}

/** How many RandomScalar windows the suite tries for `field` (as core's randomScalar counts them). */
function scalarWindows(suite: Suite, field: string): number {
  const g = suite.group;
  if (!g) return 0;
  if (g.scalarDerivation === 'nested-shake') return MAX_SCALAR_WINDOWS;
  const bytes = field === 'seed' ? g.lengths.seed : g.lengths.randomness;
  return Math.min(MAX_SCALAR_WINDOWS, Math.floor(bytes / g.lengths.scalar));
}

/**
 * The typed error for something the WebAssembly core threw. `publicKey` is
 * the caller's key, only used to name the bad ML-KEM coefficient.
 */
export function toTypedError(error: unknown, suite: Suite, publicKey?: Uint8Array): Error {
  const message = error instanceof Error ? error.message : '';
  if (!message.startsWith(PREFIX)) {
    // A trap (RuntimeError) or anything unexpected: never expected from valid
    // inputs; keep the original as the cause.
    return new Error(`wasm backend: ${suite.name}: ${message || String(error)}`, { cause: error });
  }
  const [code, field = '', ...rest] = message.slice(PREFIX.length).split(':');
  // ML-KEM alone has no group and DHKEM no ML-KEM (spec/WIRE-FORMAT.md §1.4):
  // an error about the missing part is the core's failure, kept as the cause.
  const group = suite.group;
  const mlkem = suite.mlkem;
  const unexpected = () => new Error(`wasm backend: ${suite.name}: ${message.slice(PREFIX.length)}`, { cause: error });
  switch (code) {
    case 'ERR_INVALID_LENGTH':
      return new InvalidLengthError(field, Number(rest[0]), Number(rest[1]));
    case 'ERR_INVALID_GROUP_ELEMENT':
      if (!group) return unexpected();
      return new InvalidGroupElementError(`${field} (${group.name} part)`, group.name, 'invalid or low-order element');
    case 'ERR_INVALID_SEED':
      if (!group) return unexpected();
      return new InvalidSeedError(field, `RandomScalar found no valid ${group.name} scalar in ${scalarWindows(suite, field)} windows`);
    case 'ERR_INVALID_MLKEM_KEY':
      if (!mlkem) return unexpected();
      return new InvalidMlKemKeyError(`${field} (${mlkem.name} part)`, firstNonCanonical(publicKey));
    case 'ERR_UNKNOWN_SUITE':
      return new SuiteNotSupportedError('wasm', suite.name);
    default:
      return unexpected();
  }
}
