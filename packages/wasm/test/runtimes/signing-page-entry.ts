/**
 * The Chromium page's script for the signature test, bundled by esbuild with
 * no configuration beyond `bundle: true`: it loads hybridkem-signing.wasm
 * with `initSigning(url)` (the URL is the page's `?wasm=` parameter, served
 * by the test on 127.0.0.1), runs the published vectors the test serves at
 * /signature-vectors.json, and leaves the summary in `window.__result`.
 * @module
 */
import { initSigning, signatureBackend } from '@hybridkem/wasm';
import { runSignatureVectors, type SignatureVector } from './run-signature-vectors.js';

const page = window as unknown as { __result?: unknown };
const chrome = /(?:Headless)?Chrome\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? navigator.userAgent;

try {
  const url = new URLSearchParams(location.search).get('wasm');
  if (!url) throw new Error('no ?wasm= parameter');
  const ready = await initSigning(url);
  // Awaiting the thenable backend must give the same ready backend, loading nothing more.
  if ((await signatureBackend) !== ready) throw new Error('await signatureBackend resolved to another backend than initSigning');
  const vectors = (await (await fetch('/signature-vectors.json')).json()) as SignatureVector[];
  page.__result = runSignatureVectors(ready, vectors, `chromium ${chrome}`);
} catch (err) {
  page.__result = { error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err) };
}
