/**
 * Real headless Chromium (Debian's, driven by playwright-core): a page whose
 * script is a plain esbuild bundle of browser-entry.ts (the package's browser
 * entry, resolved by esbuild's default conditions) runs every vector and a
 * round trip; the test reads the summary from the page. A second page does
 * the same with `@hybridkem/wasm/lite`, initialised from the .wasm URL the
 * test serves on 127.0.0.1. It also prints the cold start (compile +
 * instantiate) of each shipped .wasm, not asserted.
 * @module
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { launchChromium, probeChromium } from '@hybridkem/test-runtimes/chromium';
import { assertUsable } from '@hybridkem/test-runtimes/runtime';
import { serve, type StaticServer } from '@hybridkem/test-runtimes/static-server';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSummary } from './expect-summary.js';
import type { RuntimeSummary } from './run-vectors.js';
import { here, packageRoot, runsHere, shipped, TIMEOUT_MS } from './tools.js';
import { loadVectors, type VectorSet } from './vectors.js';

const COLD_RUNS = 5;
const runtime = probeChromium();

describe.runIf(runsHere(runtime))('Chromium', () => {
  let dir = '';
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let vectors: VectorSet;

  beforeAll(async () => {
    assertUsable(runtime);
    vectors = loadVectors();
    dir = mkdtempSync(join(tmpdir(), 'hybridkem-chromium-'));
    await build({
      entryPoints: { page: join(here, 'browser-entry.ts'), lite: join(here, 'lite-entry.ts') },
      bundle: true,
      format: 'esm',
      outdir: dir,
      logLevel: 'warning',
    });
    server = await serve(dir, {
      routes: {
        // onerror: a script that fails to load never sets __result nor raises a page error.
        '/': '<!doctype html><meta charset="utf-8"><title>hybridkem</title><script type="module" src="/page.js" onerror="window.__result={error:\'page.js did not load\'}"></script>',
        '/lite': '<!doctype html><meta charset="utf-8"><title>hybridkem lite</title><script type="module" src="/lite.js" onerror="window.__result={error:\'lite.js did not load\'}"></script>',
        '/blank': '<!doctype html><meta charset="utf-8"><title>cold start</title>',
        '/vectors.json': JSON.stringify(vectors.answers),
      },
      mounts: { '/wasm/': packageRoot },
    });
    browser = await launchChromium(120_000);
  }, TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** Opens `path`, waits for the page's summary (or its first error) and returns it. */
  async function pageResult<T>(path: string, prepare?: (page: Page) => Promise<void>): Promise<{ result: T | { error: string }; errors: string[]; page: Page }> {
    const page = await browser!.newPage();
    await prepare?.(page);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`${err.name}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${server!.origin}${path}`);
    const done = page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, undefined, { timeout: TIMEOUT_MS - 30_000, polling: 250 });
    // A script that throws while loading never sets __result: fail with its error instead of waiting out the timeout.
    const failed = new Promise<never>((_, reject) => page.once('pageerror', (err) => reject(new Error(`page error: ${err.message}\n${err.stack ?? ''}`))));
    await Promise.race([done, failed]);
    const result = (await page.evaluate(() => (window as { __result?: unknown }).__result)) as T | { error: string };
    return { result, errors, page };
  }

  it('a bundled page runs every spec and published vector and a round trip per suite', async () => {
    const { result, errors, page } = await pageResult<RuntimeSummary>('/');
    expect('error' in result ? result.error : '', `page errors: ${errors.join('; ')}`).toBe('');
    const summary = result as RuntimeSummary;
    console.log(`${runtime.ok ? runtime.version : ''}: ${summary.vectors.passed}/${summary.vectors.total} vectors, ${summary.roundTrips.passed}/${summary.roundTrips.total} round trips (${summary.backend.name})`);
    expectSummary(summary, vectors);
    await page.close();
  }, TIMEOUT_MS);

  it('a page bundling @hybridkem/wasm/lite loads the module with initWasm(url) from 127.0.0.1, compiled while streaming, and runs every vector', async () => {
    const wasmPath = '/wasm/dist/hybridkem.wasm';
    const wasmResponses: { url: string; type: string | undefined }[] = [];
    type LiteResult = RuntimeSummary & { before: string; same: boolean };
    const { result, errors, page } = await pageResult<LiteResult>(`/lite?wasm=${encodeURIComponent(wasmPath)}`, async (p) => {
      p.on('response', (r) => {
        if (new URL(r.url()).pathname.endsWith('.wasm')) wasmResponses.push({ url: r.url(), type: r.headers()['content-type'] });
      });
      // Counts the engine's streaming compiles, to see initWasm take that path.
      await p.addInitScript(() => {
        const w = window as unknown as { __streamed: number };
        const compileStreaming = WebAssembly.compileStreaming.bind(WebAssembly);
        w.__streamed = 0;
        WebAssembly.compileStreaming = (source) => {
          w.__streamed++;
          return compileStreaming(source);
        };
      });
    });
    expect('error' in result ? result.error : '', `page errors: ${errors.join('; ')}`).toBe('');
    const summary = result as LiteResult;
    console.log(`${runtime.ok ? runtime.version : ''} (lite, initWasm from ${wasmPath}): ${summary.vectors.passed}/${summary.vectors.total} vectors, ${summary.roundTrips.passed}/${summary.roundTrips.total} round trips`);
    expect(summary.before, 'the lite backend before initWasm').toBe('ERR_BACKEND_UNAVAILABLE');
    expect(summary.same).toBe(true);
    expectSummary(summary, vectors);
    expect(wasmResponses).toEqual([{ url: `${server!.origin}${wasmPath}`, type: 'application/wasm' }]);
    expect(await page.evaluate(() => (window as unknown as { __streamed: number }).__streamed)).toBe(1);
    // The lite bundle carries no module: far smaller than the .wasm it loads.
    expect(statSync(join(dir, 'lite.js')).size).toBeLessThan(statSync(join(packageRoot, 'dist', 'hybridkem.wasm')).size / 2);
    await page.close();
  }, TIMEOUT_MS);

  it('cold start of each shipped .wasm (compile + instantiate, printed for bench, not asserted)', async () => {
    const files = shipped('.wasm');
    if (files.length === 0) console.log('cold start: the package under test ships no .wasm');
    for (const file of files) {
      const url = `${server!.origin}/wasm/${relative(packageRoot, file)}`;
      const runs: { compileMs: number; instantiateMs: number }[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        const context = await browser!.newContext();
        const page = await context.newPage();
        await page.goto(`${server!.origin}/blank`);
        runs.push(await page.evaluate(coldStart, url));
        await context.close();
      }
      const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const compile = median(runs.map((r) => r.compileMs));
      const instantiate = median(runs.map((r) => r.instantiateMs));
      console.log(
        `cold start in Chromium, ${relative(packageRoot, file)}: compile ${compile.toFixed(2)} ms + instantiate ${instantiate.toFixed(2)} ms (median of ${COLD_RUNS} fresh contexts)`,
      );
    }
  }, TIMEOUT_MS);
});

/**
 * Runs in the page: WebAssembly.compile and instantiate of the fetched bytes.
 * Imports are stubs (nothing runs at instantiation: wasm-bindgen modules have
 * no start section), so the figure is the engine's work alone.
 */
async function coldStart(url: string): Promise<{ compileMs: number; instantiateMs: number }> {
  const bytes = await (await fetch(url)).arrayBuffer();
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const i of WebAssembly.Module.imports(module)) {
    if (i.kind !== 'function') throw new Error(`unexpected ${i.kind} import ${i.module}.${i.name}`);
    (imports[i.module] ??= {})[i.name] = () => undefined;
  }
  await WebAssembly.instantiate(module, imports);
  const t2 = performance.now();
  return { compileMs: t1 - t0, instantiateMs: t2 - t1 };
}
