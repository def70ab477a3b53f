/**
 * The lite page's script: `@hybridkem/wasm/lite` (no inlined module),
 * bundled by esbuild like browser-entry.ts. It checks the backend refuses to
 * work before initWasm, loads the module from the URL the page's query names
 * (served by the test on 127.0.0.1), runs the vectors and leaves the summary
 * in `window.__result`.
 * @module
 */
import { getSuite } from '@hybridkem/core';
import { backend, initWasm } from '@hybridkem/wasm/lite';
import { runVectors, type Answer } from './run-vectors.js';

const page = window as unknown as { __result?: unknown };
const chrome = /(?:Headless)?Chrome\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? navigator.userAgent;

try {
  let before = 'no error';
  try {
    backend.derivePublicKey(getSuite('X-Wing'), new Uint8Array(32));
  } catch (err) {
    before = String((err as { code?: unknown }).code);
  }
  const wasm = new URLSearchParams(location.search).get('wasm');
  if (!wasm) throw new Error('no ?wasm= in the page URL');
  const ready = await initWasm(new URL(wasm, location.href));
  const answers = (await (await fetch('/vectors.json')).json()) as Answer[];
  page.__result = { ...runVectors(ready, answers, `chromium ${chrome} (lite)`), before, same: ready === backend };
} catch (err) {
  page.__result = { error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err) };
}
