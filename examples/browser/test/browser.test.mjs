// Drives the built page (dist/) in Debian's Chromium against a real node-service.
// @hybridkem/test-runtimes is TypeScript that plain `node --test` cannot import, so this file
// uses playwright-core directly with the path and flags of /work/shared/TOOLCHAIN.md
// (the same list as test-runtimes/src/chromium.ts) and a small static server of its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startService } from '@hybridkem/example-node-service/service';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const DIST = resolve(import.meta.dirname, '../dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const TIMEOUT_MS = 30_000;
const missing = !existsSync(CHROMIUM);
// Under CI a missing Chromium is a failure; locally the skip says why.
const skip = missing && process.env.CI !== 'true' ? `no Chromium at ${CHROMIUM}` : false;

/** Serves DIST on 127.0.0.1, a port from the OS; nothing outside DIST. */
function serveDist() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(DIST, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

let browser, staticServer, service, tmp;
const seen = [];

before(async () => {
  if (skip) return;
  assert.ok(!missing, `Chromium missing at ${CHROMIUM} (CI=true: a failure, not a skip)`);
  staticServer = await serveDist();
  const origin = `http://127.0.0.1:${staticServer.address().port}`;
  tmp = await mkdtemp(join(tmpdir(), 'hybridkem-browser-'));
  service = await startService({ keyDir: tmp, allowOrigin: origin, onMessage: (m) => seen.push(m) });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: TIMEOUT_MS });
});

after(async () => {
  await browser?.close();
  await service?.close();
  if (staticServer) await new Promise((ok) => staticServer.close(ok));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Opens the page, sends `message`, returns the page's fields. */
async function roundTrip(message, { blockWasm = false } = {}) {
  const page = await browser.newPage();
  try {
    if (blockWasm) {
      // @hybridkem/wasm's default browser entry carries the KEM module inlined as base64, so aborting
      // *.wasm requests alone does not stop it (only the signing module is a separate .wasm file).
      // Removing WebAssembly is what a page under a CSP without 'wasm-unsafe-eval' or a browser with
      // wasm disabled sees; the requests are aborted too.
      await page.route('**/*.wasm', (route) => route.abort());
      await page.addInitScript(() => { delete globalThis.WebAssembly; });
    }
    const origin = `http://127.0.0.1:${staticServer.address().port}`;
    await page.goto(`${origin}/?service=${encodeURIComponent(service.url)}`, { timeout: TIMEOUT_MS });
    await page.fill('#message', message);
    await page.click('#send');
    await page.waitForFunction(() => document.querySelector('#reply').textContent || document.querySelector('#error').textContent, null, { timeout: TIMEOUT_MS });
    const text = (id) => page.locator(id).textContent();
    return { reply: await text('#reply'), error: await text('#error'), backend: await text('#backend'), keyId: await text('#key-id') };
  } finally {
    await page.close();
  }
}

test('the page seals to the service on the wasm backend and shows the echo', { skip }, async () => {
  const message = 'sealed in Chromium, über 🙂';
  const out = await roundTrip(message);
  assert.equal(out.error, '');
  assert.equal(out.reply, message);
  assert.equal(seen.at(-1), message);
  assert.equal(out.backend, 'wasm');
  assert.equal(out.keyId, service.keyId);
});

test('without WebAssembly (and every .wasm request aborted) the page falls back to noble and still round-trips', { skip }, async () => {
  const message = 'no wasm here';
  const out = await roundTrip(message, { blockWasm: true });
  assert.equal(out.error, '');
  assert.equal(out.backend, 'noble');
  assert.equal(out.reply, message);
  assert.equal(seen.at(-1), message);
});
