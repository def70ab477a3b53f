/**
 * The page's script, bundled by esbuild with no configuration beyond
 * `bundle: true` (the "without special configuration" promise): it fetches
 * the vectors from the test's server, runs them and leaves the summary in
 * `window.__result` for the test to read.
 * @module
 */
import { backend } from './backend.js';
import { runVectors, type Answer } from './run-vectors.js';

const page = window as unknown as { __result?: unknown };
const chrome = /(?:Headless)?Chrome\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? navigator.userAgent;

try {
  const answers = (await (await fetch('/vectors.json')).json()) as Answer[];
  page.__result = runVectors(await backend, answers, `chromium ${chrome}`);
} catch (err) {
  page.__result = { error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err) };
}
