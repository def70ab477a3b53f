#!/usr/bin/env node
/**
 * Builds the WebAssembly core (../../wasm, Rust) into build/ for tsup to bundle.
 *
 * Toolchain (../../../shared/TOOLCHAIN.md, "Rust to WebAssembly"; CI installs it
 * with scripts/setup-wasm-toolchain.sh):
 *   apt-get install -y rustc-web cargo-web rust-web-src lld-16
 *   cargo install wasm-bindgen-cli --version =0.2.130 --root <repo>/.tools/cargo
 *     (the version must equal wasm/Cargo.toml's wasm-bindgen pin exactly)
 * and this script runs, with PATH=/usr/bin first, RUSTC=/usr/bin/rustc,
 * RUSTC_BOOTSTRAP=1, CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-16:
 *   cargo build --release --locked --target wasm32-unknown-unknown -Z build-std=std,panic_abort
 *     (RUSTFLAGS="-C target-feature=+simd128"; none for the scalar variant)
 *   wasm-bindgen --target bundler   (JS glue; we instantiate the module ourselves)
 * No wasm-opt: Debian bookworm's binaryen (108) turns wasm-bindgen 0.2.130's
 * externref table into one instantiation rejects, and its output was larger
 * than rustc's (opt-level and LTO in wasm/Cargo.toml do the optimizing).
 *
 *   node scripts/build-wasm.mjs            SIMD128 build (shipped): build/simd, build/glue.js, build/bytes.js, build/hybridkem.wasm
 *   node scripts/build-wasm.mjs --scalar   scalar build for the bench only: build/scalar (not shipped)
 *
 * Without the toolchain: under CI=true this fails; elsewhere it prints one line
 * saying what to install and writes stubs, so the package still builds, its
 * import fails with that line (getBackend() falls back to noble) and its tests
 * skip with it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = join(pkg, '..', '..');
const crate = join(repo, 'wasm');
const out = join(pkg, 'build');
const scalar = process.argv.includes('--scalar');
const ci = process.env.CI === 'true' || process.env.CI === '1';
const CRATE_NAME = 'hybridkem_wasm';

const INSTALL =
  'apt-get install -y rustc-web cargo-web rust-web-src lld-16 && ' +
  `cargo install wasm-bindgen-cli --version =${wasmBindgenPin()} --root .tools/cargo (or bash scripts/setup-wasm-toolchain.sh)`;

/** The exact wasm-bindgen version the crate pins: the CLI must match it. */
function wasmBindgenPin() {
  const m = /^wasm-bindgen\s*=\s*\{[^}]*version\s*=\s*"=([^"]+)"/m.exec(readFileSync(join(crate, 'Cargo.toml'), 'utf8'));
  if (!m) throw new Error('wasm/Cargo.toml: no exact wasm-bindgen pin');
  return m[1];
}

const env = {
  ...process.env,
  PATH: `/usr/bin:${process.env.PATH ?? ''}`,
  RUSTC: '/usr/bin/rustc',
  RUSTC_BOOTSTRAP: '1',
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER: 'wasm-ld-16',
};

function run(cmd, args, extraEnv = {}) {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...env, ...extraEnv } });
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env }).toString().trim();
  } catch {
    return undefined;
  }
}

function findWasmBindgen() {
  const candidates = [process.env.WASM_BINDGEN, join(repo, '.tools', 'cargo', 'bin', 'wasm-bindgen'), 'wasm-bindgen'].filter(Boolean);
  for (const c of candidates) {
    const v = output(c, ['--version']);
    if (v) return { path: c, version: v.split(/\s+/)[1] };
  }
  return undefined;
}

/** What is missing, or undefined when the toolchain is complete. */
function missingToolchain(bindgen) {
  const missing = [];
  if (!existsSync('/usr/bin/cargo') || !output('/usr/bin/rustc', ['--version'])) missing.push("Debian's rustc-web/cargo-web");
  else if (!existsSync('/usr/lib/rustlib/src/rust/library/std')) missing.push('rust-web-src (std sources for -Z build-std)');
  if (!output('wasm-ld-16', ['--version'])) missing.push('lld-16 (wasm-ld-16)');
  const pin = wasmBindgenPin();
  if (!bindgen) missing.push(`wasm-bindgen-cli ${pin}`);
  else if (bindgen.version !== pin) missing.push(`wasm-bindgen-cli ${pin} (found ${bindgen.version} at ${bindgen.path})`);
  return missing.length ? missing.join(', ') : undefined;
}

/** Type declarations for the two generated modules (the same for a stub and a real build). */
const GLUE_DTS = `// Written by scripts/build-wasm.mjs: wasm-bindgen's glue for wasm/src/lib.rs.
export function __wbg_set_wasm(exports: WebAssembly.Exports): void;
export function derivePublicKey(suiteId: number, seed: Uint8Array): Uint8Array;
export function encapsulate(suiteId: number, publicKey: Uint8Array, randomness: Uint8Array): Uint8Array;
export function decapsulate(suiteId: number, seed: Uint8Array, ciphertext: Uint8Array): Uint8Array;
export function suites(): string;
export function implementation(): string;
`;
const BYTES_DTS = `// Written by scripts/build-wasm.mjs.
/** The SIMD128 module, base64. Empty when BUILD_PROBLEM is set. */
export declare const WASM_BASE64: string;
/** Why there is no module (a build without the wasm toolchain), or undefined. */
export declare const BUILD_PROBLEM: string | undefined;
`;

function writeStub(reason) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'glue.js'), '// Stub: built without the wasm toolchain.\nexport {};\n');
  writeFileSync(join(out, 'glue.d.ts'), GLUE_DTS);
  writeFileSync(join(out, 'bytes.js'), `export const WASM_BASE64 = '';\nexport const BUILD_PROBLEM = ${JSON.stringify(reason)};\n`);
  writeFileSync(join(out, 'bytes.d.ts'), BYTES_DTS);
  writeFileSync(join(out, 'hybridkem.wasm'), new Uint8Array(0));
}

function buildVariant(name, rustflags) {
  const started = performance.now();
  // The SIMD build uses cargo's default target folder; the scalar one its own (other RUSTFLAGS).
  const targetDir = name === 'simd' ? join(crate, 'target') : join(crate, 'target', name);
  run('/usr/bin/cargo', [
    'build', '--release', '--locked', '--manifest-path', join(crate, 'Cargo.toml'),
    '--target', 'wasm32-unknown-unknown', '-Z', 'build-std=std,panic_abort',
  ], { RUSTFLAGS: rustflags, CARGO_TARGET_DIR: targetDir });
  const raw = join(targetDir, 'wasm32-unknown-unknown', 'release', `${CRATE_NAME}.wasm`);
  const dir = join(out, name);
  rmSync(dir, { recursive: true, force: true });
  // The function-name and producers custom sections are debugging metadata
  // (about 75 KB of the raw module); nothing at run time reads them.
  run(bindgen.path, [
    '--target', 'bundler', '--remove-name-section', '--remove-producers-section',
    '--out-dir', dir, '--out-name', CRATE_NAME, raw,
  ]);
  const wasm = join(dir, `${CRATE_NAME}_bg.wasm`);
  console.log(`wasm: ${name} build ${statSync(wasm).size} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { dir, wasm };
}

const bindgen = findWasmBindgen();
const missing = missingToolchain(bindgen);
if (missing) {
  const line = `@hybridkem/wasm: not built, the wasm toolchain is missing (${missing}); install: ${INSTALL}`;
  if (ci) {
    console.error(`${line} [CI=true: failing]`);
    process.exit(1);
  }
  console.warn(line);
  if (!scalar) {
    rmSync(join(pkg, 'dist'), { recursive: true, force: true });
    writeStub(line);
  }
  process.exit(0);
}

mkdirSync(out, { recursive: true });
if (scalar) {
  buildVariant('scalar', '');
} else {
  const { dir, wasm } = buildVariant('simd', '-C target-feature=+simd128');
  // tsup's two configs run in parallel, so neither may clean dist: this does,
  // once the new module is built (the old dist stays usable until then).
  rmSync(join(pkg, 'dist'), { recursive: true, force: true });
  copyFileSync(wasm, join(out, 'hybridkem.wasm'));
  writeFileSync(join(out, 'glue.js'), `export * from './simd/${CRATE_NAME}_bg.js';\n`);
  writeFileSync(join(out, 'glue.d.ts'), GLUE_DTS);
  const base64 = readFileSync(wasm).toString('base64');
  writeFileSync(join(out, 'bytes.js'), `export const WASM_BASE64 = '${base64}';\nexport const BUILD_PROBLEM = undefined;\n`);
  writeFileSync(join(out, 'bytes.d.ts'), BYTES_DTS);
  if (!existsSync(join(dir, `${CRATE_NAME}_bg.js`))) throw new Error('wasm-bindgen wrote no _bg.js glue');
}
