/**
 * Typed errors. Every error has a stable `code` (listed in spec/WIRE-FORMAT.md
 * §2) and names the field and the expected and actual values. No error ever
 * carries key, seed, shared-secret or plaintext bytes.
 * @module
 */

export type ErrorCode =
  | 'ERR_TRUNCATED'
  | 'ERR_TRAILING_DATA'
  | 'ERR_INVALID_LENGTH'
  | 'ERR_UNSUPPORTED_VERSION'
  | 'ERR_UNKNOWN_KIND'
  | 'ERR_WRONG_KIND'
  | 'ERR_UNKNOWN_SUITE'
  | 'ERR_INVALID_MLKEM_KEY'
  | 'ERR_INVALID_GROUP_ELEMENT'
  | 'ERR_INVALID_SEED'
  | 'ERR_ARMOR'
  | 'ERR_AUTHENTICATION'
  | 'ERR_KEY_LOCKED'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_SUITE_NOT_SUPPORTED'
  | 'ERR_BACKEND_UNAVAILABLE'
  // This Node's OpenSSL has no hybrid TLS groups (@hybridkem/transport, spec/TRANSPORT.md).
  | 'ERR_TLS_UNAVAILABLE'
  // A TLS peer completed a handshake on a group its policy does not accept.
  | 'ERR_TLS_POLICY_VIOLATION'
  // The Noise channel of @hybridkem/transport (spec/TRANSPORT.md §6.6).
  | 'ERR_CHANNEL_HANDSHAKE'
  | 'ERR_CHANNEL_DECRYPT'
  | 'ERR_CHANNEL_TRUNCATED'
  | 'ERR_CHANNEL_NEGOTIATION'
  | 'ERR_CHANNEL_PROTOCOL'
  | 'ERR_CHANNEL_PEER_KEY'
  | 'ERR_CHANNEL_CLOSED'
  // The native core (C ABI) failed for a reason that is not the caller's input
  // (CSPRNG, internal error, struct size): the same code in TypeScript, C# and
  // Kotlin (spec/WIRE-FORMAT.md §9 maps every C ABI status to its code).
  | 'ERR_NATIVE';

/**
 * Base class of every error this library throws on purpose. Each class sets
 * `name` to its own name as a string literal, after `super()`: a class's
 * runtime name (`new.target.name`) is whatever a minifier renamed it to, and
 * `name` is what logs and `String(error)` show. A subclass of your own should
 * do the same.
 */
export class HybridKemError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'HybridKemError';
  }
}

/** A byte string has the wrong length (raw inputs, not wire objects). */
export class InvalidLengthError extends HybridKemError {
  constructor(
    readonly field: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super('ERR_INVALID_LENGTH', `${field}: expected ${expected} bytes, got ${actual}`);
    this.name = 'InvalidLengthError';
  }
}

/** A wire object ends before its declared length. */
export class TruncatedError extends HybridKemError {
  constructor(
    readonly field: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super('ERR_TRUNCATED', `${field}: truncated, expected ${expected} bytes, got ${actual}`);
    this.name = 'TruncatedError';
  }
}

/** Bytes follow the end of a wire object. */
export class TrailingDataError extends HybridKemError {
  constructor(
    readonly field: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      'ERR_TRAILING_DATA',
      `${field}: ${actual - expected} trailing bytes, expected ${expected} bytes, got ${actual}`,
    );
    this.name = 'TrailingDataError';
  }
}

export class UnsupportedVersionError extends HybridKemError {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super('ERR_UNSUPPORTED_VERSION', `wire format version: expected ${expected}, got ${actual}`);
    this.name = 'UnsupportedVersionError';
  }
}

export class UnknownKindError extends HybridKemError {
  constructor(readonly actual: number) {
    super('ERR_UNKNOWN_KIND', `object kind: unknown kind byte 0x${hex2(actual)}`);
    this.name = 'UnknownKindError';
  }
}

export class WrongKindError extends HybridKemError {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super('ERR_WRONG_KIND', `object kind: expected ${expected}, got ${actual}`);
    this.name = 'WrongKindError';
  }
}

export class UnknownSuiteError extends HybridKemError {
  constructor(readonly suite: number | string) {
    super(
      'ERR_UNKNOWN_SUITE',
      typeof suite === 'number'
        ? `suite: unknown suite id 0x${suite.toString(16).padStart(4, '0')}`
        : `suite: unknown suite name ${JSON.stringify(suite.slice(0, 64))}`,
    );
    this.name = 'UnknownSuiteError';
  }
}

/** An ML-KEM encapsulation key fails the FIPS 203 §7.2 modulus check. */
export class InvalidMlKemKeyError extends HybridKemError {
  constructor(
    readonly field: string,
    readonly coefficientIndex: number,
  ) {
    super(
      'ERR_INVALID_MLKEM_KEY',
      `${field}: ML-KEM encapsulation key is not canonical (coefficient ${coefficientIndex} is not below q = 3329, FIPS 203 §7.2)`,
    );
    this.name = 'InvalidMlKemKeyError';
  }
}

/** A traditional (X25519 / P-256 / P-384) public value is invalid or low-order. */
export class InvalidGroupElementError extends HybridKemError {
  constructor(
    readonly field: string,
    readonly group: string,
    readonly reason: string,
  ) {
    super('ERR_INVALID_GROUP_ELEMENT', `${field}: invalid ${group} element (${reason})`);
    this.name = 'InvalidGroupElementError';
  }
}

/** A seed could not be turned into a key (rejection sampling exhausted). */
export class InvalidSeedError extends HybridKemError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super('ERR_INVALID_SEED', `${field}: ${reason}`);
    this.name = 'InvalidSeedError';
  }
}

/** The text (armored) form is malformed. */
export class ArmorError extends HybridKemError {
  constructor(reason: string) {
    super('ERR_ARMOR', `armor: ${reason}`);
    this.name = 'ArmorError';
  }
}

/** An argument has the wrong type or value. */
export class InvalidArgumentError extends HybridKemError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super('ERR_INVALID_ARGUMENT', `${field}: ${reason}`);
    this.name = 'InvalidArgumentError';
  }
}

export class SuiteNotSupportedError extends HybridKemError {
  constructor(
    readonly backend: string,
    readonly suite: string,
  ) {
    super('ERR_SUITE_NOT_SUPPORTED', `backend ${backend} does not implement suite ${suite}`);
    this.name = 'SuiteNotSupportedError';
  }
}

/** No backend could be loaded; `cause` holds every load failure. */
export class BackendUnavailableError extends HybridKemError {
  constructor(message: string, cause?: unknown) {
    super('ERR_BACKEND_UNAVAILABLE', message, { cause });
    this.name = 'BackendUnavailableError';
  }
}

function hex2(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}
