/**
 * Debian's Chromium, the one browser these machines have: `npx playwright
 * install` cannot download one here, so playwright-core drives the Debian
 * package (apt-get install chromium; scripts/setup-wasm-toolchain.sh) with
 * the path and flags ../shared/TOOLCHAIN.md ("Browser tests") gives.
 *
 * Plain Node scripts (bench, the examples' node:test files) import it after
 * `@hybridkem/test-runtimes/register`.
 * @module
 */
import { chromium, type Browser } from 'playwright-core';
import { probe, type Runtime } from './runtime.js';

/** Debian's chromium wrapper. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * TOOLCHAIN.md's flags: headless, no sandbox (the tests run as root in a
 * container, where Chromium's sandbox cannot start), no GPU, and nothing
 * that reaches past 127.0.0.1 on its own (updates, sync, first-run pages).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Chromium and its version, or why it is not usable. */
export function probeChromium(): Runtime {
  return probe('chromium', CHROMIUM);
}

/** Launches headless Chromium with those flags; the caller closes it. */
export function launchChromium(timeoutMs: number): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS], headless: true, timeout: timeoutMs });
}
