/**
 * The README's `browser` and `workerd` snippets, verbatim, bundled the way a
 * user would bundle them, with no configuration of ours, and run:
 *
 * - browser: bundled by esbuild (`platform: 'browser'`, no plugins, no
 *   conditions, no loaders) and by Vite (`build()`, `configFile: false`, an
 *   index.html loading the snippet), each served from 127.0.0.1 and opened in
 *   headless Chromium (one browser for both);
 * - workerd: bundled by esbuild with the export conditions and the `.wasm`
 *   module rule of the Workers toolchain (wrangler's defaults), served by
 *   workerd on 127.0.0.1 and fetched once.
 *
 * Each must print (or answer) exactly `wasm: secrets match: true`: a bundle
 * that silently fell back to noble says `noble: …` (and warns), and fails.
 *
 * The snippet is written into a temporary folder inside packages/auto, so
 * that `import … from '@hybridkem/auto'` resolves as a package importing
 * itself by name, through its own exports map (and so dist/, built first), as
 * it resolves for a user from node_modules. The folder is removed afterwards.
 * @module
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopProcess } from '@hybridkem/core/testing';
import { launchChromium, probeChromium } from '@hybridkem/test-runtimes/chromium';
import { assertUsable, devBinary, shouldRun } from '@hybridkem/test-runtimes/runtime';
import { serve } from '@hybridkem/test-runtimes/static-server';
import { bundleWorker, firstResponse, startWorkerd, type Workerd } from '@hybridkem/test-runtimes/workerd';
import { build as esbuild } from 'esbuild';
import type { Browser } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeSnippet } from './readme-snippets.js';

/** What both snippets print when the bundle loaded and ran the wasm backend. */
const EXPECTED = 'wasm: secrets match: true';
const TIMEOUT_MS = 120_000;
/** How long a page may take to print its line once loaded. */
const PAGE_TIMEOUT_MS = 30_000;

/** packages/auto. */
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const chromiumRuntime = probeChromium();
const workerdRuntime = devBinary(packageRoot, 'workerd');

/** The temporary folder inside packages/auto (see the module comment); test/.gitignore ignores it should a run be killed. */
const tmp = mkdtempSync(join(packageRoot, 'test', '.tmp-readme-bundles-'));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The package resolves through its exports map to dist/: without a build every bundle fails for that reason alone. */
function assertBuilt(): void {
  const entry = join(packageRoot, 'dist', 'browser.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`scripts/pnpm --filter @hybridkem/auto build\` first`);
}

/** Writes the README snippet `name` to dir/file and returns its path. */
function writeSnippet(name: string, dir: string, file: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, readmeSnippet(name));
  return path;
}

/** Total size of a bundle's output, for the log line. */
function outputSize(dir: string): string {
  const bytes = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => statSync(join(dir, f)))
    .filter((s) => s.isFile())
    .reduce((sum, s) => sum + s.size, 0);
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

describe.runIf(shouldRun(chromiumRuntime, { what: 'the browser snippet in Chromium' }))('README browser snippet, bundled with no configuration, in headless Chromium', () => {
  const dir = join(tmp, 'browser');
  let snippet = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    assertUsable(chromiumRuntime);
    assertBuilt();
    snippet = writeSnippet('browser', dir, 'snippet.js');
    browser = await launchChromium(60_000);
  }, TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
  }, 30_000);

  /**
   * Serves `root` on 127.0.0.1, opens its index.html in a fresh context and
   * returns everything the page said until it printed its line (or failed, or
   * PAGE_TIMEOUT_MS passed). Requests to anything but that origin are refused
   * and listed: the bundle must carry or serve all it needs.
   */
  async function openPage(root: string) {
    const server = await serve(root);
    const context = await browser!.newContext();
    try {
      const blocked: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${server.origin}/`)) return route.continue();
        blocked.push(url);
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      const messages: { type: string; text: string }[] = [];
      const pageErrors: string[] = [];
      const failedRequests: string[] = [];
      let timer: NodeJS.Timeout | undefined;
      const settled = new Promise<void>((done) => {
        timer = setTimeout(done, PAGE_TIMEOUT_MS);
        page.on('console', (msg) => {
          messages.push({ type: msg.type(), text: msg.text() });
          if (msg.type() === 'log') done();
        });
        page.on('pageerror', (err) => {
          pageErrors.push(`${err.name}: ${err.message}`);
          done();
        });
      });
      page.on('requestfailed', (req) => failedRequests.push(`${req.url()}: ${req.failure()?.errorText ?? 'failed'}`));
      page.on('response', (res) => {
        if (res.status() >= 400) failedRequests.push(`${res.url()}: HTTP ${res.status()}`);
      });
      await page.goto(`${server.origin}/`);
      await settled;
      clearTimeout(timer);
      return { console: messages, pageErrors, failedRequests, blocked, requests: server.requests };
    } finally {
      await context.close();
      await server.close();
    }
  }

  /** Opens `out`'s page, logs what it printed and asserts it printed EXPECTED alone, with no error or outside request. */
  async function expectPagePrintsExactly(bundler: string, out: string): Promise<void> {
    const seen = await openPage(out);
    console.log(`${bundler} → ${outputSize(out)}, ${chromiumRuntime.ok ? chromiumRuntime.version : ''}: ${seen.console.map((m) => m.text).join(' | ')}`);
    expect({ console: seen.console, pageErrors: seen.pageErrors, failedRequests: seen.failedRequests, blocked: seen.blocked }).toEqual({
      console: [{ type: 'log', text: EXPECTED }],
      pageErrors: [],
      failedRequests: [],
      blocked: [],
    });
  }

  const page = (title: string, script: string): string =>
    // The icon is a data: URL so that the page requests no /favicon.ico (a 404 would be a console error).
    `<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n<link rel="icon" href="data:,">\n<script type="module" src="${script}"></script>\n</head>\n<body></body>\n</html>\n`;

  it(`esbuild (bundle, esm, platform browser, nothing else): the page prints exactly "${EXPECTED}"`, async () => {
    const out = join(tmp, 'esbuild-out');
    // No conditions, plugins or loaders: platform 'browser' alone must pick the bundler entry and follow both imports.
    const built = await esbuild({ entryPoints: [snippet], bundle: true, format: 'esm', platform: 'browser', outdir: out, logLevel: 'silent' });
    // A user bundling the snippet sees no warning either (e.g. a bare import of a chunk in a side-effect-free package).
    expect(built.warnings.map((w) => w.text)).toEqual([]);
    writeFileSync(join(out, 'index.html'), page('README browser snippet (esbuild)', './snippet.js'));
    await expectPagePrintsExactly('esbuild', out);
  }, TIMEOUT_MS);

  it(`Vite (build(), default config, index.html with the snippet as a module script): the page prints exactly "${EXPECTED}"`, async () => {
    writeFileSync(join(dir, 'index.html'), page('README browser snippet (Vite)', './snippet.js'));
    const out = join(dir, 'dist');
    // vitest set NODE_ENV=test, which Vite would keep; `vite build` runs with production.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await viteBuild({ configFile: false, root: dir, logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    expect(existsSync(join(out, 'index.html')), 'Vite wrote dist/index.html').toBe(true);
    await expectPagePrintsExactly('Vite', out);
  }, TIMEOUT_MS);
});

describe('README workerd snippet, bundled as the Workers toolchain does, in workerd', () => {
  it.runIf(shouldRun(workerdRuntime, { what: 'the workerd snippet in workerd' }))(
    `one request answers exactly "${EXPECTED}"`,
    async () => {
      assertUsable(workerdRuntime);
      assertBuilt();
      const dir = join(tmp, 'workerd');
      const snippet = writeSnippet('workerd', dir, 'snippet.js');
      let workerd: Workerd | undefined;
      try {
        // As wrangler bundles a worker: its export conditions and its .wasm module rule.
        const bundle = await bundleWorker(snippet, join(dir, 'out'));
        // @hybridkem/wasm's workerd entry imports its .wasm as a module (workerd refuses to compile bytes at run time).
        expect(bundle.wasm, 'the .wasm modules the workerd bundle imports').not.toEqual([]);
        workerd = await startWorkerd(workerdRuntime.path, bundle, dir);
        const res = await firstResponse(workerd, '/');
        const body = await res.text();
        console.log(`esbuild (workerd conditions) → ${outputSize(bundle.outdir)}, ${workerdRuntime.version}: ${body}`);
        expect({ status: res.status, body }, `workerd log:\n${workerd.log().slice(-4000)}`).toEqual({ status: 200, body: EXPECTED });
      } finally {
        if (workerd) await stopProcess(workerd.child, 10_000);
      }
    },
    TIMEOUT_MS,
  );
});
