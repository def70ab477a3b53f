#!/usr/bin/env node
/**
 * Builds the signature module (../../wasm/signing, Rust: libcrux-ml-dsa,
 * ed25519-dalek, ed448-goldilocks) into build/signing and
 * dist/hybridkem-signing.wasm. A module of its own, loaded by
 * `signatureBackend` on first use, so that KEM users never compile it.
 *
 * Same toolchain routes as build-wasm.mjs (scripts/toolchain.mjs;
 * HYBRIDKEM_WASM_TOOLCHAIN=path|debian forces one) and the same wasm-bindgen
 * step (--target bundler, name and producers sections removed), with
 * wasm-bindgen-cli at the version wasm/signing/Cargo.lock resolves, which
 * must equal wasm/Cargo.lock's (one CLI builds both modules). Runs after
 * build-wasm.mjs (which empties dist) and before tsup.
 *
 * Prints the module's gzipped size (gzip -9) and fails above the budget,
 * 150 KB. Without a toolchain: fails under CI=true; elsewhere writes an
 * empty module and a glue stub, so the package still builds and
 * signatureBackend reports the missing module when used.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cargoCommand, chooseToolchain, probeToolchains, TARGET } from './toolchain.mjs';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = join(pkg, '..', '..');
const crate = join(repo, 'wasm', 'signing');
const out = join(pkg, 'build');
const dist = join(pkg, 'dist');
const ci = process.env.CI === 'true' || process.env.CI === '1';
const CRATE_NAME = 'hybridkem_wasm_signing';
const BUDGET_GZ = 150_000;

function lockedVersion(lockFile, name) {
  const m = new RegExp(`^name = "${name}"\\nversion = "([^"]+)"`, 'm').exec(readFileSync(lockFile, 'utf8'));
  if (!m) throw new Error(`${lockFile}: no ${name} package`);
  return m[1];
}

const PIN = lockedVersion(join(crate, 'Cargo.lock'), 'wasm-bindgen');
const KEM_PIN = lockedVersion(join(repo, 'wasm', 'Cargo.lock'), 'wasm-bindgen');
if (PIN !== KEM_PIN) {
  console.error(`@hybridkem/wasm: wasm/signing/Cargo.lock resolves wasm-bindgen ${PIN}, wasm/Cargo.lock ${KEM_PIN}: pin the same version in both`);
  process.exit(1);
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

/** The first wasm-bindgen at the pinned version (same search as build-wasm.mjs). */
function findWasmBindgen() {
  for (const c of [process.env.WASM_BINDGEN, join(repo, '.tools', 'cargo', 'bin', 'wasm-bindgen'), 'wasm-bindgen'].filter(Boolean)) {
    const version = output(c, ['--version'])?.split(/\s+/)[1];
    if (version === PIN) return c;
  }
  return undefined;
}

const GLUE_DTS = `// Written by scripts/build-signing-wasm.mjs: wasm-bindgen's glue for wasm/signing/src/lib.rs.
export function __wbg_set_wasm(exports: WebAssembly.Exports): void;
export function mldsaKeygen(level: number, seed: Uint8Array): Uint8Array;
export function mldsaSign(level: number, secretKey: Uint8Array, message: Uint8Array, context: Uint8Array, rnd: Uint8Array): Uint8Array;
export function mldsaVerify(level: number, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, context: Uint8Array): boolean;
export function eddsaPublicKey(curve: number, privateKey: Uint8Array): Uint8Array;
export function eddsaSign(curve: number, privateKey: Uint8Array, message: Uint8Array): Uint8Array;
export function eddsaVerify(curve: number, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
export function implementation(): string;
/** Why there is no module (a build without the wasm toolchain), or undefined. */
export declare const SIGNING_BUILD_PROBLEM: string | undefined;
`;

function writeOutputs(glueJs) {
  writeFileSync(join(out, 'signing-glue.js'), glueJs);
  writeFileSync(join(out, 'signing-glue.d.ts'), GLUE_DTS);
}

const toolchain = chooseToolchain(probeToolchains(crate));
if (toolchain.invalidSetting) {
  console.error(`@hybridkem/wasm: ${toolchain.problem}`);
  process.exit(1);
}
const bindgen = findWasmBindgen();
const missing = [toolchain.route ? undefined : toolchain.problem, bindgen ? undefined : `wasm-bindgen-cli ${PIN}`].filter(Boolean).join('; ');
mkdirSync(out, { recursive: true });
mkdirSync(dist, { recursive: true });
if (missing) {
  const line = `@hybridkem/wasm: signature module not built, the wasm toolchain is missing (${missing})`;
  if (ci) {
    console.error(`${line} [CI=true: failing]`);
    process.exit(1);
  }
  console.warn(line);
  rmSync(join(out, 'signing'), { recursive: true, force: true });
  writeFileSync(join(out, 'hybridkem-signing.wasm'), new Uint8Array(0));
  writeFileSync(join(dist, 'hybridkem-signing.wasm'), new Uint8Array(0));
  writeOutputs(`// Stub: built without the wasm toolchain.\nexport const SIGNING_BUILD_PROBLEM = ${JSON.stringify(line)};\n`);
  process.exit(0);
}

const started = performance.now();
// Its own target folder (per route), beside the crate: nothing shared with the KEM build.
const targetDir = join(crate, 'target', toolchain.route === 'path' ? 'path' : 'debian');
const cargo = cargoCommand(toolchain.route, { manifest: join(crate, 'Cargo.toml'), targetDir, rustflags: '-C target-feature=+simd128' });
execFileSync(cargo.cmd, cargo.args, { cwd: crate, env: cargo.env, stdio: ['ignore', 'inherit', 'inherit'] });
const raw = join(targetDir, TARGET, 'release', `${CRATE_NAME}.wasm`);
const dir = join(out, 'signing');
rmSync(dir, { recursive: true, force: true });
execFileSync(bindgen, ['--target', 'bundler', '--remove-name-section', '--remove-producers-section', '--out-dir', dir, '--out-name', CRATE_NAME, raw], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
const wasm = join(dir, `${CRATE_NAME}_bg.wasm`);
copyFileSync(wasm, join(out, 'hybridkem-signing.wasm'));
copyFileSync(wasm, join(dist, 'hybridkem-signing.wasm'));
writeOutputs(`export * from './signing/${CRATE_NAME}_bg.js';\nexport const SIGNING_BUILD_PROBLEM = undefined;\n`);

const bytes = readFileSync(wasm);
const gz = gzipSync(bytes, { level: 9 }).length;
const glueGz = gzipSync(readFileSync(join(dir, `${CRATE_NAME}_bg.js`)), { level: 9 }).length;
console.log(
  `wasm: signing module (${toolchain.route} route) ${bytes.length} bytes, ${(gz / 1000).toFixed(1)} KB gzipped (+ glue ${(glueGz / 1000).toFixed(1)} KB; budget ${BUDGET_GZ / 1000} KB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
if (gz > BUDGET_GZ) {
  console.error(`@hybridkem/wasm: the signing module is ${gz} bytes gzipped, over the ${BUDGET_GZ}-byte budget`);
  process.exit(1);
}
