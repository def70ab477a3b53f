/**
 * Loads the compiled addon (build/Release/hybridkem_native.node) and checks
 * that it matches what this package expects: the C ABI version and every
 * suite's sizes against @hybridkem/core's table. A failure throws, with the
 * reason, how to build, and the original error in `cause`; core's
 * getBackend() then reports it and uses the next backend.
 * @module
 */
import { createRequire } from 'node:module';
import { SUITES } from '@hybridkem/core';

/** The C ABI version of include/hybridkem.h this package is written for. */
export const EXPECTED_ABI_VERSION = 1;

/** A suite as the native core's table describes it (hybridkem_suite_info). */
export interface NativeSuiteInfo {
  readonly id: number;
  readonly name: string;
  readonly publicKey: number;
  readonly privateKey: number;
  readonly ciphertext: number;
  readonly sharedSecret: number;
  readonly randomness: number;
}

/** An Error from a batch: the C ABI status and the failing item (-1: none). */
export interface AddonBatchError extends Error {
  readonly status: number;
  readonly statusName: string;
  readonly index: number;
}

/**
 * The addon's functions (addon/addon.cc, addon/batch.cc). Synchronous
 * operations write into the caller's output arrays and return the C ABI's
 * status code (0 = OK); on any other status every output is zeroed.
 */
export interface Addon {
  abiVersion(): number;
  headerAbiVersion(): number;
  libraryVersion(): string;
  implementation(): string;
  statusName(status: number): string;
  suites(): NativeSuiteInfo[];
  generatePrivateKey(suiteId: number, privateKeyOut: Uint8Array): number;
  derivePublicKey(suiteId: number, privateKey: Uint8Array, publicKeyOut: Uint8Array): number;
  encapsulate(suiteId: number, publicKey: Uint8Array, ciphertextOut: Uint8Array, sharedSecretOut: Uint8Array): number;
  encapsulateDerand(
    suiteId: number,
    publicKey: Uint8Array,
    randomness: Uint8Array,
    ciphertextOut: Uint8Array,
    sharedSecretOut: Uint8Array,
  ): number;
  decapsulate(suiteId: number, privateKey: Uint8Array, ciphertext: Uint8Array, sharedSecretOut: Uint8Array): number;
  encapsulateBatch(
    suiteId: number,
    publicKeys: readonly Uint8Array[],
    randomness?: readonly Uint8Array[],
  ): Promise<{ ciphertext: Uint8Array; sharedSecret: Uint8Array }[]>;
  decapsulateBatch(suiteId: number, privateKey: Uint8Array, ciphertexts: readonly Uint8Array[]): Promise<Uint8Array[]>;
}

/** Relative to src/ and to dist/ alike. */
const ADDON_PATH = '../build/Release/hybridkem_native.node';

const BUILD_HINT =
  'build it with `pnpm --filter @hybridkem/native build` (needs Rust/cargo and CMake; see packages/native/README.md)';

/** The addon's load failure: why, how to build, and the original error in `cause`. */
export class AddonLoadError extends Error {
  constructor(reason: string, cause?: unknown) {
    super(`@hybridkem/native: ${reason}; ${BUILD_HINT}`, cause === undefined ? undefined : { cause });
    this.name = 'AddonLoadError';
  }
}

function loadAddon(): Addon {
  const require = createRequire(import.meta.url);
  let addon: Addon;
  try {
    addon = require(ADDON_PATH) as Addon;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'MODULE_NOT_FOUND'
        ? `the addon is not built (no ${ADDON_PATH.slice(3)})`
        : `cannot load the addon ${ADDON_PATH.slice(3)} (${firstLine(error)})`;
    throw new AddonLoadError(reason, error);
  }
  const abi = addon.abiVersion();
  if (abi !== EXPECTED_ABI_VERSION || addon.headerAbiVersion() !== EXPECTED_ABI_VERSION) {
    throw new AddonLoadError(
      `C ABI version mismatch: the library is ${abi}, the addon was compiled against ${addon.headerAbiVersion()}, this package expects ${EXPECTED_ABI_VERSION}`,
    );
  }
  checkSuiteTable(addon.suites());
  return addon;
}

/** Every suite the native core implements must have core's id, name and sizes. */
function checkSuiteTable(table: readonly NativeSuiteInfo[]): void {
  for (const native of table) {
    const suite = SUITES.find((s) => s.id === native.id);
    if (!suite) continue; // a suite @hybridkem/core does not know (a newer native core): not offered
    const L = suite.lengths;
    const expected = [suite.name, L.publicKey, L.privateKey, L.ciphertext, L.sharedSecret, L.randomness];
    const actual = [native.name, native.publicKey, native.privateKey, native.ciphertext, native.sharedSecret, native.randomness];
    if (expected.some((v, i) => v !== actual[i])) {
      throw new AddonLoadError(
        `the native core's suite 0x${native.id.toString(16)} does not match @hybridkem/core ` +
          `(native: ${actual.join(', ')}; core: ${expected.join(', ')})`,
      );
    }
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** The loaded addon (this module throws AddonLoadError when it cannot load). */
export const addon: Addon = loadAddon();
