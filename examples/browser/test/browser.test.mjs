// Drives the built page (dist/) in Debian's Chromium against a real node-service, with
// @hybridkem/test-runtimes' launcher (TOOLCHAIN.md's path and flags) and static server.
import '@hybridkem/test-runtimes/register';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startService } from '@hybridkem/example-node-service/service';

const { launchChromium, probeChromium } = await import('@hybridkem/test-runtimes/chromium');
const { serve } = await import('@hybridkem/test-runtimes/static-server');
const { assertUsable, shouldRun } = await import('@hybridkem/test-runtimes/runtime');

const DIST = resolve(import.meta.dirname, '../dist');
const TIMEOUT_MS = 30_000;
const chromium = probeChromium();
// Under CI a missing Chromium is a failure (assertUsable in before); locally the skip says why.
const skip = shouldRun(chromium, { what: 'examples/browser' }) ? false : `no usable Chromium: ${chromium.reason}`;

let browser, staticServer, service, tmp;
const seen = [];

before(async () => {
  if (skip) return;
  assertUsable(chromium);
  staticServer = await serve(DIST);
  tmp = await mkdtemp(join(tmpdir(), 'hybridkem-browser-'));
  service = await startService({ keyDir: tmp, allowOrigin: staticServer.origin, onMessage: (m) => seen.push(m) });
  browser = await launchChromium(TIMEOUT_MS);
});

after(async () => {
  await browser?.close();
  await service?.close();
  await staticServer?.close();
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
    await page.goto(`${staticServer.origin}/?service=${encodeURIComponent(service.url)}`, { timeout: TIMEOUT_MS });
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
