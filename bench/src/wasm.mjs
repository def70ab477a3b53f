/**
 * The WebAssembly backend's figures, reported, never asserted:
 *
 *   - speed: hybrid encapsulation and decapsulation at least WASM_GOAL× faster
 *     than the noble backend, per suite (`hybridkem (wasm)` against
 *     `hybridkem (noble)`, both through createKem: the same public API);
 *   - SIMD128 against the scalar build: the module's own exports called
 *     directly (no facade) on fixed inputs, the shipped SIMD128 build against
 *     the scalar one built for this only (`pnpm --filter @hybridkem/wasm
 *     build:scalar`; said so when absent);
 *   - size: gzip (node:zlib, level 9) of the .wasm plus its JavaScript glue
 *     (wasm-bindgen's glue and the loader: dist/workerd.js, the entry without
 *     the inlined bytes), against SIZE_GOAL_BYTES; also the shipped
 *     dist/index.js, which inlines the module as base64;
 *   - cold start in Node: compile + instantiate from the bytes, the median of
 *     COLD_RUNS fresh compiles, and the same plus the first X-Wing
 *     encapsulation (V8 compiles wasm lazily, so the first call pays for it).
 * Chromium's cold start is measured in wasm-browser.mjs.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { formatKb as kb, speedupGoalLines } from './report.mjs';

export const WASM_GOAL = 8;
/** The X25519 suites' goal counts as done from this ratio on (the goal itself stays WASM_GOAL). */
export const WASM_DONE_AT = 7;
/** The suites the headline goal line names. */
const HEADLINE_SUITES = ['X25519-MLKEM768', 'X-Wing'];
export const SIZE_GOAL_BYTES = 150 * 1024;
const COLD_RUNS = 9;
const GLUE = 'hybridkem_wasm_bg.js';
const WASM = 'hybridkem_wasm_bg.wasm';

/** packages/wasm (its build/ folder exists in a workspace that built it), or undefined. */
function wasmPackageDir() {
  try {
    const entry = fileURLToPath(import.meta.resolve('@hybridkem/wasm'));
    return path.resolve(path.dirname(entry), '..');
  } catch {
    return undefined;
  }
}

/** One build variant's glue, bound to its own instance (each variant's glue file is a module of its own). */
async function loadVariant(dir) {
  const glue = await import(pathToFileURL(path.join(dir, GLUE)).href);
  const bytes = readFileSync(path.join(dir, WASM));
  const module = new WebAssembly.Module(bytes);
  const imports = {};
  for (const i of WebAssembly.Module.imports(module)) imports[i.module] = glue;
  const instance = new WebAssembly.Instance(module, imports);
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return { glue, bytes };
}

/**
 * The SIMD128 and scalar builds' exports as bench subjects, or a reason why
 * not. Loaded once per run.
 */
export async function loadWasmVariants() {
  const pkg = wasmPackageDir();
  if (!pkg) return { error: '@hybridkem/wasm is not resolvable from bench' };
  const simdDir = path.join(pkg, 'build', 'simd');
  const scalarDir = path.join(pkg, 'build', 'scalar');
  if (!existsSync(path.join(simdDir, WASM))) return { pkg, error: `no SIMD128 build in ${simdDir}` };
  const simd = await loadVariant(simdDir);
  const scalar = existsSync(path.join(scalarDir, WASM))
    ? await loadVariant(scalarDir)
    : { error: `no scalar build in ${path.relative(process.cwd(), scalarDir)} (build it once: pnpm --filter @hybridkem/wasm build:scalar)` };
  return { pkg, simd, scalar };
}

/** The module's exports on fixed inputs: what SIMD128 changes, without the facade. */
function variantSubject(suite, name, glue) {
  const seed = new Uint8Array(32).fill(0x11);
  const randomness = new Uint8Array(suite.lengths.randomness).fill(0x22);
  const publicKey = glue.derivePublicKey(suite.id, seed);
  const out = glue.encapsulate(suite.id, publicKey, randomness);
  const ciphertext = out.slice(0, suite.lengths.ciphertext);
  const ss = glue.decapsulate(suite.id, seed, ciphertext);
  if (Buffer.compare(ss, out.subarray(suite.lengths.ciphertext)) !== 0) throw new Error(`${name}: ${suite.name} round trip failed`);
  return {
    name,
    kind: 'wasm-build',
    ops: {
      keygen: () => glue.derivePublicKey(suite.id, seed),
      encapsulate: () => glue.encapsulate(suite.id, publicKey, randomness),
      decapsulate: () => glue.decapsulate(suite.id, seed, ciphertext),
    },
  };
}

export const SIMD_ROW = 'wasm exports, SIMD128 build';
export const SCALAR_ROW = 'wasm exports, scalar build';

export function wasmVariantSubjects(suite, variants) {
  if (!variants?.simd) return [];
  const out = [variantSubject(suite, SIMD_ROW, variants.simd.glue)];
  if (variants.scalar?.glue) out.push(variantSubject(suite, SCALAR_ROW, variants.scalar.glue));
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Size and cold start, measured once per run. */
export async function wasmStaticFigures(variants, { suites }) {
  if (!variants?.simd) return { error: variants?.error ?? 'not loaded' };
  const { pkg, simd } = variants;
  const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
  const glueFile = path.join(pkg, 'dist', 'workerd.js');
  const indexFile = path.join(pkg, 'dist', 'index.js');
  const size = {
    wasmBytes: simd.bytes.length,
    wasmGzip: gz(simd.bytes),
    glueFile: existsSync(glueFile) ? 'dist/workerd.js' : `build/simd/${GLUE}`,
    glueGzip: gz(readFileSync(existsSync(glueFile) ? glueFile : path.join(pkg, 'build', 'simd', GLUE))),
    shippedIndexGzip: existsSync(indexFile) ? gz(readFileSync(indexFile)) : null,
  };
  size.totalGzip = size.wasmGzip + size.glueGzip;

  // Cold start: a fresh module from the bytes each time (each compile starts
  // from nothing), with a fresh copy of the glue (it caches views of its
  // instance's memory, so one glue cannot serve two instances).
  const glueUrl = pathToFileURL(path.join(pkg, 'build', 'simd', GLUE)).href;
  const compileInstantiate = [];
  const toFirstEncapsulation = [];
  const xwing = suites.find((s) => s.name === 'X-Wing');
  const publicKey = xwing ? simd.glue.derivePublicKey(xwing.id, new Uint8Array(32).fill(1)) : undefined;
  for (let i = 0; i < COLD_RUNS; i++) {
    const glue = await import(`${glueUrl}?cold=${i}`);
    const t0 = performance.now();
    const module = new WebAssembly.Module(simd.bytes);
    const imports = {};
    for (const imp of WebAssembly.Module.imports(module)) imports[imp.module] = glue;
    const instance = new WebAssembly.Instance(module, imports);
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start?.();
    compileInstantiate.push(performance.now() - t0);
    if (xwing) {
      glue.encapsulate(xwing.id, publicKey, new Uint8Array(64).fill(2));
      toFirstEncapsulation.push(performance.now() - t0);
    }
  }
  return {
    size,
    coldStart: {
      runs: COLD_RUNS,
      compileInstantiateMs: median(compileInstantiate),
      toFirstXWingEncapsulationMs: toFirstEncapsulation.length ? median(toFirstEncapsulation) : null,
    },
  };
}

/**
 * One line for the X25519 suites, the goal as stated: "wasm ≥ 8× noble (done
 * at ≥ 7×): X25519-MLKEM768 encapsulate a×, decapsulate b×; X-Wing …", with
 * the speed-ups of this run (noble's median / wasm's, both through createKem).
 */
export function headlineGoalLine(rows, smoke = false) {
  const median = (suite, op, backend) =>
    rows.find((r) => r.suite === suite && r.operation === op && r.kind === 'hybridkem' && r.backend === backend)?.medianMs;
  let worst = Infinity;
  const parts = [];
  for (const suite of HEADLINE_SUITES) {
    const ops = ['encapsulate', 'decapsulate'].map((op) => {
      const mine = median(suite, op, 'wasm');
      const noble = median(suite, op, 'noble');
      if (!mine || !noble) {
        worst = -Infinity;
        return `${op} -`;
      }
      worst = Math.min(worst, noble / mine);
      return `${op} ${(noble / mine).toFixed(1)}×`;
    });
    parts.push(`${suite} ${ops.join(', ')}`);
  }
  const verdict = worst >= WASM_GOAL ? 'met' : worst >= WASM_DONE_AT ? `done (≥ ${WASM_DONE_AT}×), short of ${WASM_GOAL}×` : 'not met';
  return `wasm ≥ ${WASM_GOAL}× noble (done at ≥ ${WASM_DONE_AT}×): ${parts.join('; ')}: ${verdict}${smoke ? ' (SMOKE RUN)' : ''}`;
}

/** The report's lines for the wasm backend (empty when it did not load). */
export function wasmGoalLines(rows, figures, variants, { smoke }) {
  const find = (suite, op, pred) => rows.find((r) => r.suite === suite && r.operation === op && pred(r));
  const { lines, suites } = speedupGoalLines(rows, { backend: 'wasm', label: 'WebAssembly backend', goal: WASM_GOAL, smoke });
  if (suites.length === 0) return lines;
  lines.push(headlineGoalLine(rows, smoke));
  lines.push('');
  if (variants?.scalar?.glue) {
    lines.push(`SIMD128 against scalar: scalar build median / SIMD128 build median, the module's exports on fixed inputs (above x1.00: SIMD128 is faster).`);
    for (const suite of suites) {
      const parts = ['keygen', 'encapsulate', 'decapsulate'].map((op) => {
        const s = find(suite, op, (r) => r.implementation === SIMD_ROW);
        const c = find(suite, op, (r) => r.implementation === SCALAR_ROW);
        return s && c ? `${op} x${(c.medianMs / s.medianMs).toFixed(2)}` : `${op} -`;
      });
      lines.push(`  ${suite}: ${parts.join(', ')}`);
    }
  } else {
    lines.push(`SIMD128 against scalar: not measured: ${variants?.scalar?.error ?? variants?.error ?? 'no builds found'}`);
  }
  lines.push('');
  if (figures?.size) {
    const s = figures.size;
    lines.push(
      `Size (gzip -9, node:zlib): .wasm ${kb(s.wasmGzip)} (${kb(s.wasmBytes)} raw) + glue ${kb(s.glueGzip)} (${s.glueFile}) = ` +
        `${kb(s.totalGzip)}; goal ≤ ${kb(SIZE_GOAL_BYTES)}: ${s.totalGzip <= SIZE_GOAL_BYTES ? 'met' : 'not met'}` +
        (s.shippedIndexGzip ? `. Shipped dist/index.js (module inlined as base64): ${kb(s.shippedIndexGzip)} gzipped.` : '.'),
    );
    const c = figures.coldStart;
    lines.push(
      `Cold start in Node (median of ${c.runs} fresh compiles): compile + instantiate ${c.compileInstantiateMs.toFixed(1)} ms` +
        (c.toFirstXWingEncapsulationMs != null ? `; to the end of the first X-Wing encapsulation ${c.toFirstXWingEncapsulationMs.toFixed(1)} ms` : '') +
        '. Chromium: the next line.',
    );
  } else {
    lines.push(`Size and cold start: not measured: ${figures?.error ?? 'no build'}`);
  }
  return lines;
}
