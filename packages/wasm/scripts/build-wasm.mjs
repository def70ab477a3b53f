#!/usr/bin/env node
/**
 * Builds the WebAssembly core (../../wasm, Rust) into build/ for tsup to bundle.
 *
 * The toolchain is chosen by scripts/toolchain.mjs (HYBRIDKEM_WASM_TOOLCHAIN=path|debian
 * forces one):
 *   path    the rustc/cargo on PATH when it has the wasm32-unknown-unknown target
 *           (`rustup target add wasm32-unknown-unknown`; rustup honours a
 *           rust-toolchain.toml): cargo build --release --locked --target wasm32-unknown-unknown
 *   debian  Debian's rustc-web (../../../shared/TOOLCHAIN.md, "Rust to WebAssembly";
 *           CI installs it with scripts/setup-wasm-toolchain.sh), for machines where
 *           rustup cannot add the target:
 *             apt-get install -y rustc-web cargo-web rust-web-src lld-16
 *           built with PATH=/usr/bin first, RUSTC=/usr/bin/rustc, RUSTC_BOOTSTRAP=1,
 *           CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-16 and -Z build-std=std,panic_abort
 * Either way RUSTFLAGS="-C target-feature=+simd128" (none for the scalar variant), then
 *   wasm-bindgen --target bundler   (JS glue; we instantiate the module ourselves)
 * with wasm-bindgen-cli at exactly the version wasm/Cargo.lock resolves (it refuses
 * modules from another version): $WASM_BINDGEN, <repo>/.tools/cargo/bin (where
 * setup-wasm-toolchain.sh installs it) or PATH (`cargo install wasm-bindgen-cli --version =X`),
 * the first at that version.
 * No wasm-pack: it refuses a toolchain without rustup's target unless forced, and
 * this script needs to pass build-std on one route and no glue target it offers.
 * No wasm-opt: Debian bookworm's binaryen (108) turns wasm-bindgen 0.2.130's
 * externref table into one instantiation rejects, and binaryen 132's output was
 * larger gzipped than rustc's (opt-level and LTO in wasm/Cargo.toml do the optimizing).
 *
 *   node scripts/build-wasm.mjs            SIMD128 build (shipped): build/simd, build/glue.js, build/bytes.js, build/hybridkem.wasm
 *   node scripts/build-wasm.mjs --scalar   scalar build for the bench only: build/scalar (not shipped)
 *
 * Without a toolchain: under CI=true this fails; elsewhere it prints one line
 * saying what to install and writes stubs, so the package still builds, its
 * import fails with that line (getBackend() falls back to noble) and its tests
 * skip with it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cargoCommand, chooseToolchain, probeToolchains, TARGET } from './toolchain.mjs';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = join(pkg, '..', '..');
const crate = join(repo, 'wasm');
const out = join(pkg, 'build');
const scalar = process.argv.includes('--scalar');
const ci = process.env.CI === 'true' || process.env.CI === '1';
const CRATE_NAME = 'hybridkem_wasm';

/** The wasm-bindgen version wasm/Cargo.lock resolves: the CLI must be exactly this one. */
function wasmBindgenPin() {
  const m = /^name = "wasm-bindgen"\nversion = "([^"]+)"/m.exec(readFileSync(join(crate, 'Cargo.lock'), 'utf8'));
  if (!m) throw new Error('wasm/Cargo.lock: no wasm-bindgen package');
  return m[1];
}

const PIN = wasmBindgenPin();
const INSTALL =
  `either rustup target add ${TARGET} && cargo install wasm-bindgen-cli --version =${PIN}, ` +
  `or bash scripts/setup-wasm-toolchain.sh (Debian: rustc-web cargo-web rust-web-src lld-16, wasm-bindgen-cli ${PIN} in .tools/cargo)`;

function run(cmd, args, options) {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

/** The first wasm-bindgen at the pinned version; else what was found, for the message. */
function findWasmBindgen() {
  const candidates = [process.env.WASM_BINDGEN, join(repo, '.tools', 'cargo', 'bin', 'wasm-bindgen'), 'wasm-bindgen'].filter(Boolean);
  const found = [];
  for (const c of candidates) {
    const v = output(c, ['--version']);
    if (!v) continue;
    const version = v.split(/\s+/)[1];
    if (version === PIN) return { path: c, version };
    found.push(`${version} at ${c}`);
  }
  return { path: undefined, problem: found.length ? `wasm-bindgen-cli ${PIN} (found ${found.join(', ')})` : `wasm-bindgen-cli ${PIN}` };
}

/** Type declarations for the two generated modules (the same for a stub and a real build). */
const GLUE_DTS = `// Written by scripts/build-wasm.mjs: wasm-bindgen's glue for wasm/src/lib.rs.
export function __wbg_set_wasm(exports: WebAssembly.Exports): void;
export function derivePublicKey(suiteId: number, seed: Uint8Array): Uint8Array;
export function encapsulate(suiteId: number, publicKey: Uint8Array, randomness: Uint8Array): Uint8Array;
export function decapsulate(suiteId: number, seed: Uint8Array, ciphertext: Uint8Array): Uint8Array;
export function suites(): string;
export function implementation(): string;
export function expandPrivateKey(suiteId: number, seed: Uint8Array): number;
export function decapsulateExpanded(suiteId: number, key: number, ciphertext: Uint8Array): Uint8Array;
export function freeExpandedKey(key: number): boolean;
export function liveExpandedKeys(): number;
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
  // Each route and variant its own target folder: another compiler or other
  // RUSTFLAGS would rebuild everything in a shared one. The Debian SIMD build
  // keeps cargo's default folder.
  const sub = [toolchain.route === 'path' ? 'path' : undefined, name === 'simd' ? undefined : name].filter(Boolean).join('-');
  const targetDir = sub ? join(crate, 'target', sub) : join(crate, 'target');
  const cargo = cargoCommand(toolchain.route, { manifest: join(crate, 'Cargo.toml'), targetDir, rustflags });
  // From the crate's folder, where rustup looks for a rust-toolchain.toml.
  run(cargo.cmd, cargo.args, { cwd: crate, env: cargo.env });
  const raw = join(targetDir, TARGET, 'release', `${CRATE_NAME}.wasm`);
  const dir = join(out, name);
  rmSync(dir, { recursive: true, force: true });
  // The function-name and producers custom sections are debugging metadata
  // (about 75 KB of the raw module); nothing at run time reads them.
  run(bindgen.path, [
    '--target', 'bundler', '--remove-name-section', '--remove-producers-section',
    '--out-dir', dir, '--out-name', CRATE_NAME, raw,
  ]);
  const wasm = join(dir, `${CRATE_NAME}_bg.wasm`);
  console.log(`wasm: ${name} build (${toolchain.route} route) ${statSync(wasm).size} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { dir, wasm };
}

const toolchain = chooseToolchain(probeToolchains(crate));
if (toolchain.invalidSetting) {
  // A mistyped setting is the caller's error, not a missing toolchain: no stub.
  console.error(`@hybridkem/wasm: ${toolchain.problem}`);
  process.exit(1);
}
const bindgen = findWasmBindgen();
const missing = [toolchain.route ? undefined : toolchain.problem, bindgen.path ? undefined : bindgen.problem].filter(Boolean).join('; ');
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
console.log(`wasm: toolchain: ${toolchain.route} (${toolchain.why}); wasm-bindgen ${bindgen.version} at ${bindgen.path}`);

mkdirSync(out, { recursive: true });
if (scalar) {
  buildVariant('scalar', '');
} else {
  const { dir, wasm } = buildVariant('simd', '-C target-feature=+simd128');
  // tsup's configs run in parallel, so neither may clean dist: this does,
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
