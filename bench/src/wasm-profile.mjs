#!/usr/bin/env node
/**
 * Per-primitive profile of the WebAssembly core, in Node: builds (unless
 * --no-build) the module with the bench-only cargo feature `profile`
 * (wasm/src/profile.rs; never shipped) into packages/wasm/build/profile, then
 * times each primitive `profile(name, n)` runs n times inside WebAssembly,
 * and the shipped exports for comparison. Reported, never asserted.
 *
 *   node src/wasm-profile.mjs [--no-build] [--rounds 7] [--json]
 *
 * Per primitive: the median over rounds of (one call of n iterations) / n,
 * after a warm-up call (V8 compiles wasm lazily). Same process, interleaved
 * rounds: the rows are comparable with each other on a loaded machine.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const crate = path.join(repo, 'wasm');
const outDir = path.join(repo, 'packages', 'wasm', 'build', 'profile');
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 7;

function build() {
  // The Debian route of packages/wasm/scripts/toolchain.mjs, with the feature,
  // in a target folder of its own so the shipped build is not rebuilt after it
  // (a first build there compiles std for wasm32 too: minutes).
  execFileSync(
    '/usr/bin/cargo',
    ['build', '--release', '--locked', '--features', 'profile', '--manifest-path', path.join(crate, 'Cargo.toml'),
      '--target', 'wasm32-unknown-unknown', '-Z', 'build-std=std,panic_abort'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      cwd: crate,
      env: {
        ...process.env,
        PATH: `/usr/bin:${process.env.PATH}`,
        RUSTC: '/usr/bin/rustc',
        RUSTC_BOOTSTRAP: '1',
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER: 'wasm-ld-16',
        RUSTFLAGS: '-C target-feature=+simd128',
        CARGO_TARGET_DIR: path.join(crate, 'target', 'profile'),
      },
    },
  );
  mkdirSync(outDir, { recursive: true });
  const bindgen = process.env.WASM_BINDGEN ?? path.join(repo, '.tools', 'cargo', 'bin', 'wasm-bindgen');
  execFileSync(bindgen, ['--target', 'bundler', '--out-dir', outDir, '--out-name', 'hybridkem_wasm',
    path.join(crate, 'target', 'profile', 'wasm32-unknown-unknown', 'release', 'hybridkem_wasm.wasm')], { stdio: 'inherit' });
}

if (!args.includes('--no-build') || !existsSync(path.join(outDir, 'hybridkem_wasm_bg.wasm'))) build();

const glue = await import(pathToFileURL(path.join(outDir, 'hybridkem_wasm_bg.js')).href);
const module = new WebAssembly.Module(readFileSync(path.join(outDir, 'hybridkem_wasm_bg.wasm')));
const imports = {};
for (const i of WebAssembly.Module.imports(module)) imports[i.module] = glue;
const instance = new WebAssembly.Instance(module, imports);
glue.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start?.();

const names = glue.profileNames();
// Whole exports (the JavaScript boundary, scrub and allocator included), for the shares.
const { SUITES } = await import('@hybridkem/core');
const exportsRows = [];
for (const s of SUITES.filter((s) => ['X25519-MLKEM768', 'X-Wing', 'MLKEM768-P256', 'MLKEM1024-P384'].includes(s.name))) {
  const seed = new Uint8Array(32).fill(0x11);
  const rnd = new Uint8Array(s.lengths.randomness).fill(0x22);
  const pk = glue.derivePublicKey(s.id, seed);
  const ct = glue.encapsulate(s.id, pk, rnd).slice(0, s.lengths.ciphertext);
  exportsRows.push([`export ${s.name} encapsulate`, () => glue.encapsulate(s.id, pk, rnd)]);
  exportsRows.push([`export ${s.name} decapsulate`, () => glue.decapsulate(s.id, seed, ct)]);
}

// Iterations per call: about 20 ms of work per call.
function calibrate(fn) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    fn(n);
    const dt = performance.now() - t0;
    if (dt > 20 || n >= 1 << 20) return n;
    n *= dt < 2 ? 8 : 2;
  }
}
const subjects = [
  ...names.map((name) => [name, (n) => glue.profile(name, n)]),
  ...exportsRows.map(([name, f]) => [name, (n) => { for (let i = 0; i < n; i++) f(); }]),
];
const iters = new Map(subjects.map(([name, f]) => { f(1); return [name, calibrate(f)]; }));
const samples = new Map(subjects.map(([name]) => [name, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, f] of subjects) {
    const n = iters.get(name);
    const t0 = performance.now();
    f(n);
    samples.get(name).push(((performance.now() - t0) * 1000) / n);
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const result = subjects.map(([name]) => ({ name, us: median(samples.get(name)) }));
if (args.includes('--json')) {
  console.log(JSON.stringify({ loadavg: loadavg(), node: process.version, rounds, result }, null, 2));
} else {
  console.log(`wasm profile (Node ${process.version}, ${rounds} rounds, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}): µs per call, median`);
  for (const { name, us } of result) console.log(`  ${name.padEnd(40)} ${us.toFixed(2).padStart(10)} µs`);
}
