/**
 * The C ABI's status codes (native/include/hybridkem.h) as @hybridkem/core's
 * typed errors, with the field names core's composeBackend uses: the
 * traditional element is 'publicKey' at encapsulation and 'ciphertext' at
 * decapsulation, the RandomScalar input 'seed' or 'randomness'.
 * @module
 */
import {
  type ErrorCode,
  HybridKemError,
  InvalidArgumentError,
  InvalidGroupElementError,
  InvalidLengthError,
  InvalidMlKemKeyError,
  InvalidSeedError,
  SuiteNotSupportedError,
  type Suite,
} from '@hybridkem/core';
import { addon } from './addon.js';

/** ABI-stable numbers from hybridkem.h. */
export const Status = Object.freeze({
  OK: 0,
  NULL_POINTER: 1,
  UNKNOWN_SUITE: 2,
  INVALID_LENGTH: 3,
  INVALID_PUBLIC_KEY: 4,
  INVALID_GROUP_ELEMENT: 5,
  NO_VALID_SCALAR: 6,
  STRUCT_SIZE: 7,
  RANDOM: 8,
  INTERNAL: 9,
});

/**
 * The channel's statuses (10-16, hybridkem_channel_* only) and their codes,
 * spec/WIRE-FORMAT.md §9. A KEM call cannot return them; should the core do
 * so anyway, the error still carries the code the table gives the status.
 */
const CHANNEL_STATUS_CODES: Readonly<Record<number, ErrorCode>> = Object.freeze({
  10: 'ERR_CHANNEL_NEGOTIATION',
  11: 'ERR_CHANNEL_HANDSHAKE',
  12: 'ERR_CHANNEL_PEER_KEY',
  13: 'ERR_CHANNEL_DECRYPT',
  14: 'ERR_CHANNEL_TRUNCATED',
  15: 'ERR_CHANNEL_PROTOCOL',
  16: 'ERR_CHANNEL_CLOSED',
});

/** The typed error of a channel status, or undefined for any other status. */
function channelStatusError(status: number, operation: string): HybridKemError | undefined {
  const code = CHANNEL_STATUS_CODES[status];
  return code === undefined ? undefined : new HybridKemError(code, `@hybridkem/native: ${operation} failed in the native core (${addon.statusName(status)})`);
}

/**
 * A failure of the native core that is not about the caller's input: the
 * CSPRNG failed (HYBRIDKEM_ERR_RANDOM), the library did
 * (HYBRIDKEM_ERR_INTERNAL, HYBRIDKEM_ERR_STRUCT_SIZE), or it returned a status
 * this package does not know. Code `ERR_NATIVE`, the code the C# and Kotlin
 * bindings give the same statuses (spec/WIRE-FORMAT.md §9).
 */
export class NativeCoreError extends HybridKemError {
  // Narrowed from ErrorCode so callers can switch on it; `declare` emits no
  // field, so the value is the one HybridKemError's constructor sets.
  declare readonly code: 'ERR_NATIVE';
  constructor(
    readonly status: number,
    readonly statusName: string,
    operation: string,
  ) {
    super('ERR_NATIVE', `@hybridkem/native: ${operation} failed in the native core (${statusName})`);
    this.name = 'NativeCoreError';
  }
}

/** What an operation passed in, to name the offending field. */
export interface OperationInputs {
  readonly operation: 'generatePrivateKey' | 'derivePublicKey' | 'encapsulate' | 'decapsulate';
  /** Field name prefix for batch items, e.g. "publicKeys[3]"; the plain field name otherwise. */
  readonly fields?: Partial<Record<'publicKey' | 'ciphertext' | 'privateKey' | 'randomness', string>>;
  readonly publicKey?: Uint8Array;
  readonly privateKey?: Uint8Array;
  readonly ciphertext?: Uint8Array;
  readonly randomness?: Uint8Array;
}

/** Throws the typed error for a non-OK status. */
export function throwStatus(status: number, suite: Suite, inputs: OperationInputs): never {
  throw statusError(status, suite, inputs);
}

export function statusError(status: number, suite: Suite, inputs: OperationInputs): Error {
  const name = (field: 'publicKey' | 'ciphertext' | 'privateKey' | 'randomness') => inputs.fields?.[field] ?? field;
  switch (status) {
    case Status.UNKNOWN_SUITE:
      return new SuiteNotSupportedError('native', suite.name);
    case Status.INVALID_LENGTH:
      return lengthError(suite, inputs, name);
    // A suite without ML-KEM (DHKEM) or without a group (ML-KEM alone,
    // spec/WIRE-FORMAT.md §1.4) cannot get the status about it: should the
    // core say so anyway, it is the core's failure, not the caller's input.
    case Status.INVALID_PUBLIC_KEY: {
      const mlkem = suite.mlkem;
      if (!mlkem) return new NativeCoreError(status, addon.statusName(status), inputs.operation);
      const ek = (inputs.publicKey ?? new Uint8Array(0)).subarray(0, mlkem.lengths.publicKey);
      return new InvalidMlKemKeyError(`${name('publicKey')} (${mlkem.name} part)`, firstUnreducedCoefficient(ek));
    }
    case Status.INVALID_GROUP_ELEMENT: {
      const group = suite.group;
      if (!group) return new NativeCoreError(status, addon.statusName(status), inputs.operation);
      const field = inputs.operation === 'decapsulate' ? name('ciphertext') : name('publicKey');
      return new InvalidGroupElementError(`${field} (${group.name} part)`, group.name, 'invalid or low-order element');
    }
    case Status.NO_VALID_SCALAR: {
      const group = suite.group;
      if (!group) return new NativeCoreError(status, addon.statusName(status), inputs.operation);
      const field = inputs.operation === 'encapsulate' ? name('randomness') : name('privateKey');
      return new InvalidSeedError(field, `RandomScalar found no valid ${group.name} scalar`);
    }
    case Status.NULL_POINTER:
      return new InvalidArgumentError(inputs.operation, 'the native core received a NULL buffer');
    default:
      return channelStatusError(status, inputs.operation) ?? new NativeCoreError(status, addon.statusName(status), inputs.operation);
  }
}

/**
 * The typed error for a non-OK status of a signing call (spec/WIRE-FORMAT.md
 * §9): NULL buffer — ERR_INVALID_ARGUMENT; unknown suite —
 * ERR_SUITE_NOT_SUPPORTED; anything else — ERR_NATIVE. The inputs' lengths
 * are checked before every call, so a length status here is the core
 * disagreeing, not the caller (as statusError decides for a length status
 * that matches no input).
 */
export function signingStatusError(status: number, suiteName: string, operation: string): Error {
  switch (status) {
    case Status.NULL_POINTER:
      return new InvalidArgumentError(`${suiteName} ${operation}`, 'the native core received a NULL buffer');
    case Status.UNKNOWN_SUITE:
      return new SuiteNotSupportedError('native', suiteName);
    default:
      return channelStatusError(status, `${suiteName} ${operation}`) ?? new NativeCoreError(status, addon.statusName(status), `${suiteName} ${operation}`);
  }
}

function lengthError(
  suite: Suite,
  inputs: OperationInputs,
  name: (field: 'publicKey' | 'ciphertext' | 'privateKey' | 'randomness') => string,
): Error {
  const L = suite.lengths;
  const checks: [('publicKey' | 'ciphertext' | 'privateKey' | 'randomness'), Uint8Array | undefined, number][] = [
    ['privateKey', inputs.privateKey, L.privateKey],
    ['publicKey', inputs.publicKey, L.publicKey],
    ['randomness', inputs.randomness, L.randomness],
    ['ciphertext', inputs.ciphertext, L.ciphertext],
  ];
  for (const [field, value, expected] of checks) {
    if (value && value.length !== expected) return new InvalidLengthError(name(field), expected, value.length);
  }
  return new NativeCoreError(Status.INVALID_LENGTH, addon.statusName(Status.INVALID_LENGTH), inputs.operation);
}

/**
 * The index of the first coefficient of an ML-KEM encapsulation key that is
 * not below q = 3329 (FIPS 203 §7.2), for the error message. The native core
 * has already rejected the key; this only says where.
 */
function firstUnreducedCoefficient(ek: Uint8Array): number {
  for (let i = 0, c = 0; i + 2 < ek.length - 32; i += 3, c += 2) {
    if ((ek[i]! | ((ek[i + 1]! & 0x0f) << 8)) >= 3329) return c;
    if (((ek[i + 1]! >> 4) | (ek[i + 2]! << 4)) >= 3329) return c + 1;
  }
  return -1;
}
