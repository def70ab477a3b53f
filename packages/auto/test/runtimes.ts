/**
 * The runtimes the bundle tests drive: Debian's Chromium (driven by
 * playwright-core) and workerd from this package's devDependencies (npm
 * package `workerd`, whose install script pnpm-workspace.yaml allows). Under
 * CI=true a missing runtime fails its test; elsewhere the test is skipped,
 * saying why.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inCI } from '@hybridkem/core/testing';

/** packages/auto. */
export const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Debian's chromium wrapper, as packages/wasm's Chromium test uses it. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (containers), and nothing that reaches past 127.0.0.1 on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export type Runtime = { ok: true; path: string; version: string } | { ok: false; reason: string };

/** A runtime binary and its `--version`, or why it is not usable. */
export function probe(name: string, path: string): Runtime {
  if (!existsSync(path)) return { ok: false, reason: `${name} not found at ${path}` };
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return { ok: false, reason: `${name} --version failed: ${(r.error?.message ?? r.stderr).trim().split('\n')[0]}` };
  const version = r.stdout.trim().split('\n')[0] ?? '';
  return { ok: true, path, version: version.toLowerCase().startsWith(name) ? version : `${name} ${version}` };
}

/** A binary from this package's devDependencies (pnpm links them into node_modules/.bin). */
export function devBinary(name: string): Runtime {
  return probe(name, join(packageRoot, 'node_modules', '.bin', name));
}

/** Whether a test of this runtime runs: always under CI=true, where assertUsable then fails it. */
export function shouldRun(runtime: Runtime, what: string): boolean {
  if (inCI) return true;
  if (!runtime.ok) console.warn(`${what}: skipped outside CI: ${runtime.reason}`);
  return runtime.ok;
}

export function assertUsable(runtime: Runtime): asserts runtime is Extract<Runtime, { ok: true }> {
  if (!runtime.ok) throw new Error(`${runtime.reason} (required under CI=true)`);
}

/** A port the kernel just handed out on 127.0.0.1 (workerd takes a fixed address). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
