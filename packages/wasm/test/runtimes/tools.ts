/**
 * Finding the runtimes the tests drive: Deno, Bun and workerd from this
 * package's devDependencies (npm packages `deno`, `bun`, `workerd`; their
 * install scripts are allowed in pnpm-workspace.yaml), Chromium from Debian
 * (scripts/setup-wasm-toolchain.sh), per ../shared/TOOLCHAIN.md. Under CI=true
 * a missing runtime fails its test; elsewhere the test skips, saying why.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inCI, spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { built } from '../built.js';

/** The backend each runtime must report having run (a silent fallback to another backend fails). */
export const EXPECTED_BACKEND = 'wasm';

export const here = dirname(fileURLToPath(import.meta.url));
export const packageRoot = resolve(here, '../..');

/** Debian's chromium wrapper (TOOLCHAIN.md "Browser tests"). */
export const CHROMIUM = '/usr/bin/chromium';

/** The flags TOOLCHAIN.md gives for Debian's Chromium on these machines. */
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

/**
 * Whether a test of this runtime runs: always under CI=true (where a missing
 * runtime, or a package built without the wasm toolchain, fails it).
 */
export function shouldRun(runtime: Runtime): boolean {
  if (inCI) return true;
  if (!runtime.ok) console.warn(`skipped outside CI: ${runtime.reason}`);
  return runtime.ok && built();
}

export function assertUsable(runtime: Runtime): asserts runtime is Extract<Runtime, { ok: true }> {
  if (!runtime.ok) throw new Error(`${runtime.reason} (required under CI=true)`);
}

export interface Completed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a child to completion with a deadline; never rejects, the caller
 * asserts. Its process group is stopped at the end, so nothing a launcher
 * started outlives it.
 */
export function run(cmd: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<Completed> {
  return new Promise((resolveRun) => {
    const env = { ...(options.env ?? process.env), NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
    const child = spawnProcess(cmd, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => void stopProcess(child, 0), options.timeoutMs);
    child.on('error', (err) => {
      stderr += String(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      void stopProcess(child, 0).then(() => resolveRun({ code, signal, stdout, stderr }));
    });
  });
}

/** Files with this extension in the package's dist/ (what it ships), sorted. */
export function shipped(extension: string): string[] {
  const dist = join(packageRoot, 'dist');
  if (!existsSync(dist)) return [];
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(extension))
    .map((f) => join(dist, f))
    .sort();
}
