/**
 * Composite signatures in real headless Chromium (Debian's, driven by
 * playwright-core): a page bundling `@hybridkem/wasm` with esbuild loads
 * hybridkem-signing.wasm with `initSigning(url)` from the test's server on
 * 127.0.0.1, then signs and verifies every published composite vector
 * (spec/vectors/signatures) through @hybridkem/signing's createSigner over
 * the wasm `signatureBackend`. The test compares what the page computed
 * with the vectors. Under CI=true a missing Chromium fails it; the browser
 * and the server are closed whatever happens.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, probeChromium } from '@hybridkem/test-runtimes/chromium';
import { assertUsable } from '@hybridkem/test-runtimes/runtime';
import { serve, type StaticServer } from '@hybridkem/test-runtimes/static-server';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { SignatureSummary } from './run-signature-vectors.js';
import { expectSignatureSummary, loadSignatureVectors } from './signature-vectors.js';
import { here, packageRoot, runsHere, TIMEOUT_MS } from './tools.js';

const runtime = probeChromium();
const WASM_PATH = '/wasm/dist/hybridkem-signing.wasm';

it.runIf(runsHere(runtime))(
  'Chromium: a bundled page loads hybridkem-signing.wasm with initSigning(url), reproduces every published composite signature and verifies it',
  async () => {
    assertUsable(runtime);
    const vectors = loadSignatureVectors();
    const dir = mkdtempSync(join(tmpdir(), 'hybridkem-chromium-signing-'));
    let server: StaticServer | undefined;
    let browser: Browser | undefined;
    try {
      await build({ entryPoints: { page: join(here, 'signing-page-entry.ts') }, bundle: true, format: 'esm', outdir: dir, logLevel: 'warning' });
      server = await serve(dir, {
        routes: {
          // onerror: a script that fails to load never sets __result nor raises a page error.
          '/': '<!doctype html><meta charset="utf-8"><title>hybridkem signatures</title><script type="module" src="/page.js" onerror="window.__result={error:\'page.js did not load\'}"></script>',
          '/signature-vectors.json': JSON.stringify(vectors),
        },
        mounts: { '/wasm/': packageRoot },
      });
      browser = await launchChromium(120_000);
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`${err.name}: ${err.message}`));
      const wasmTypes: (string | undefined)[] = [];
      page.on('response', (r) => {
        if (new URL(r.url()).pathname === WASM_PATH) wasmTypes.push(r.headers()['content-type']);
      });
      await page.goto(`${server.origin}/?wasm=${encodeURIComponent(WASM_PATH)}`);
      await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, undefined, { timeout: TIMEOUT_MS - 60_000, polling: 250 });
      const result = (await page.evaluate(() => (window as { __result?: unknown }).__result)) as SignatureSummary | { error: string };
      expect('error' in result ? result.error : '', `page errors: ${errors.join('; ')}`).toBe('');
      const summary = result as SignatureSummary;
      console.log(`${summary.runtime}: ${summary.outcomes.length} composite signature vectors on ${summary.backend.implementation}`);
      expectSignatureSummary(summary, vectors);
      // The module came over HTTP once, from the URL given to initSigning.
      expect(wasmTypes).toEqual(['application/wasm']);
    } finally {
      await browser?.close();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
  TIMEOUT_MS,
);
