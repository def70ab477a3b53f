/**
 * Loads the addon and checks that it matches what this package expects: the
 * C ABI version and every suite's sizes against @hybridkem/core's table.
 *
 * node-gyp-build finds the binary: build/Release/ first (a source build in
 * the repository), then prebuilds/<platform>-<arch>/ (the binaries the
 * published package ships, e.g. prebuilds/linux-x64/hybridkem_native.napi.glibc.node,
 * chosen by the napi and libc tags in the name). A failure throws, with the
 * reason, how to build from source, and the original error in `cause`; core's
 * getBackend() then reports it and uses the next backend.
 * @module
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** An expanded private key held by the addon (a tagged N-API External). */
export type NativePrivateKey = { readonly __nativePrivateKey: unique symbol };

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
  /**
   * Expanded private keys (hybridkem_private_key): importPrivateKey gives an
   * opaque addon key, or the status when the core refused the seed;
   * destroyPrivateKey wipes and frees it at once (idempotent; a key never
   * destroyed is freed when collected). A destroyed key gives
   * Status.NULL_POINTER; anything but an addon key throws a TypeError.
   */
  importPrivateKey(suiteId: number, privateKey: Uint8Array): NativePrivateKey | number;
  decapsulateWithKey(key: NativePrivateKey, ciphertext: Uint8Array, sharedSecretOut: Uint8Array): number;
  destroyPrivateKey(key: NativePrivateKey): void;
  /** Keys imported and not yet freed in this process (by destroyPrivateKey or the finalizer); for tests. */
  liveKeys(): number;
  /** Signatures: `alg` is 44, 65, 87 (ML-DSA) or 25519, 448 (EdDSA); verify gives a boolean, or a status when the core refused the arguments. */
  mldsaKeygen(alg: number, seed: Uint8Array, publicKeyOut: Uint8Array, secretKeyOut: Uint8Array): number;
  mldsaSign(alg: number, secretKey: Uint8Array, message: Uint8Array, context: Uint8Array, rnd: Uint8Array, signatureOut: Uint8Array): number;
  mldsaVerify(alg: number, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, context: Uint8Array): boolean | number;
  eddsaPublicKey(alg: number, privateKey: Uint8Array, publicKeyOut: Uint8Array): number;
  eddsaSign(alg: number, privateKey: Uint8Array, message: Uint8Array, signatureOut: Uint8Array): number;
  eddsaVerify(alg: number, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean | number;
  encapsulateBatch(
    suiteId: number,
    publicKeys: readonly Uint8Array[],
    randomness?: readonly Uint8Array[],
  ): Promise<{ ciphertext: Uint8Array; sharedSecret: Uint8Array }[]>;
  decapsulateBatch(suiteId: number, privateKey: Uint8Array, ciphertexts: readonly Uint8Array[]): Promise<Uint8Array[]>;
}

/** The package's folder: the parent of src/ and of dist/ alike. */
const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const BUILD_HINT =
  'build from source: `pnpm --filter @hybridkem/native build` in a clone of the hybridkem repository ' +
  '(needs Rust/cargo and CMake; see packages/native/README.md)';

/** The addon's load failure: why, how to build from source, and the original error in `cause`. */
export class AddonLoadError extends Error {
  constructor(reason: string, cause?: unknown) {
    super(`@hybridkem/native: ${reason}; ${BUILD_HINT}`, cause === undefined ? undefined : { cause });
    this.name = 'AddonLoadError';
  }
}

interface NodeGypBuild {
  resolve(dir: string): string;
}

function loadAddon(): { addon: Addon; file: string } {
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    file = (require('node-gyp-build') as NodeGypBuild).resolve(PACKAGE_DIR);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'MODULE_NOT_FOUND'
        ? `cannot find the loader node-gyp-build (${firstLine(error)})`
        : `no prebuilt binary for ${hostTarget()} (this package ships ${shippedTargets()})`;
    throw new AddonLoadError(reason, error);
  }
  const relative = path.relative(PACKAGE_DIR, file).split(path.sep).join('/');
  let addon: Addon;
  try {
    addon = require(file) as Addon;
  } catch (error) {
    throw new AddonLoadError(`cannot load the addon ${relative} (${firstLine(error)})`, error);
  }
  const abi = addon.abiVersion();
  if (abi !== EXPECTED_ABI_VERSION || addon.headerAbiVersion() !== EXPECTED_ABI_VERSION) {
    throw new AddonLoadError(
      `C ABI version mismatch: the library is ${abi}, the addon was compiled against ${addon.headerAbiVersion()}, this package expects ${EXPECTED_ABI_VERSION}`,
    );
  }
  checkSuiteTable(addon.suites());
  return { addon, file: relative };
}

/** This process's target as the prebuilds/ folders name it, with musl said (the binaries are built for glibc). */
function hostTarget(): string {
  const report = process.platform === 'linux' ? (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined) : undefined;
  const musl = report !== undefined && report.header?.glibcVersionRuntime === undefined;
  return `${process.platform}-${process.arch}${musl ? ' (musl)' : ''}`;
}

/** The prebuilds/<platform>-<arch> folders that hold a binary, e.g. "linux-x64, linux-arm64", or "none". */
function shippedTargets(): string {
  const dir = path.join(PACKAGE_DIR, 'prebuilds');
  const targets = listDir(dir).filter((t) => listDir(path.join(dir, t)).some((f) => f.endsWith('.node')));
  return targets.length > 0 ? targets.sort().join(', ') : 'none';
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
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

const loaded = loadAddon();

/** The loaded addon (this module throws AddonLoadError when it cannot load). */
export const addon: Addon = loaded.addon;

/**
 * The binary node-gyp-build picked, relative to the package, with `/`:
 * `build/Release/hybridkem_native.node` (a source build) or
 * `prebuilds/linux-x64/hybridkem_native.napi.glibc.node` (a prebuilt one).
 */
export const addonFile: string = loaded.file;
