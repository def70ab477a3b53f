/**
 * Cold start of @hybridkem/wasm's WebAssembly in real Chromium: the median
 * time of WebAssembly.compile and of WebAssembly.instantiate of each .wasm the
 * package ships, each run in a fresh browser context (nothing cached). The
 * browser is Debian's chromium driven by playwright-core with the flags
 * ../shared/TOOLCHAIN.md gives (scripts/setup-wasm-toolchain.sh installs it).
 *
 *   node src/wasm-browser.mjs            15 runs per file
 *   node src/wasm-browser.mjs --smoke    3 runs per file
 *
 * Imports are stubs: wasm-bindgen modules have no start section, so nothing
 * runs at instantiation and the figure is the engine's work alone (the glue's
 * own set-up is a few property reads).
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import '@hybridkem/test-runtimes/register';

// Debian's Chromium and the flags ../shared/TOOLCHAIN.md gives, from the tests' one source of them.
export const { CHROMIUM, CHROMIUM_ARGS } = await import('@hybridkem/test-runtimes/chromium');

/** The .wasm files @hybridkem/wasm ships (its dist/), relative names and bytes. */
export function shippedWasm() {
  const root = dirname(fileURLToPath(import.meta.resolve('@hybridkem/wasm/package.json')));
  const dist = join(root, 'dist');
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.wasm'))
    .sort()
    .map((f) => ({ name: relative(root, join(dist, f)), bytes: readFileSync(join(dist, f)) }));
}

/**
 * [{ file, bytes, runs, compileMs, instantiateMs, totalMs, chromium }] (medians), or
 * throws when Chromium, playwright-core or @hybridkem/wasm is missing.
 */
export async function chromiumColdStart({ runs = 15 } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (bash scripts/setup-wasm-toolchain.sh installs it)`);
  const { chromium } = await import('playwright-core');
  const files = shippedWasm();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 120_000 });
  try {
    const results = [];
    for (const file of files) {
      const base64 = file.bytes.toString('base64');
      const samples = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        samples.push(await page.evaluate(coldStartInPage, base64));
        await context.close();
      }
      results.push({
        file: file.name,
        bytes: file.bytes.length,
        runs,
        compileMs: median(samples.map((s) => s.compileMs)),
        instantiateMs: median(samples.map((s) => s.instantiateMs)),
        totalMs: median(samples.map((s) => s.compileMs + s.instantiateMs)),
        chromium: browser.version(),
      });
    }
    return results;
  } finally {
    await browser.close();
  }
}

/** Runs in the page. */
async function coldStartInPage(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  const imports = {};
  for (const i of WebAssembly.Module.imports(module)) {
    if (i.kind !== 'function') throw new Error(`unexpected ${i.kind} import ${i.module}.${i.name}`);
    (imports[i.module] ??= {})[i.name] = () => undefined;
  }
  await WebAssembly.instantiate(module, imports);
  return { compileMs: t1 - t0, instantiateMs: performance.now() - t1 };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One line per file, for the bench report. */
export function coldStartLines(results) {
  return results.map(
    (r) =>
      `Cold start in Chromium ${r.chromium}, ${r.file} (${(r.bytes / 1024).toFixed(1)} KiB): ${r.totalMs.toFixed(2)} ms ` +
      `(compile ${r.compileMs.toFixed(2)} ms, instantiate ${r.instantiateMs.toFixed(2)} ms; medians of ${r.runs} fresh contexts).`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const smoke = process.argv.includes('--smoke');
  for (const line of coldStartLines(await chromiumColdStart({ runs: smoke ? 3 : 15 }))) console.log(line);
}
