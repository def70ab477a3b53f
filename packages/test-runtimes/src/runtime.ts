/**
 * Whether a real runtime (a browser, workerd, Deno, Bun) is there to test on,
 * and the rule every test that drives one follows: under CI=true the test
 * always runs, so a missing runtime fails it (CI must never pass by skipping
 * what it is there to check); elsewhere it is skipped, saying why, so that a
 * developer without the runtime still runs everything else.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inCI } from '@hybridkem/core/testing';

/** A usable runtime (its path and the first line of its `--version`), or why there is none. */
export type Runtime = { ok: true; path: string; version: string } | { ok: false; reason: string };

/** A runtime binary and its `--version`, or why it is not usable. */
export function probe(name: string, path: string): Runtime {
  if (!existsSync(path)) return { ok: false, reason: `${name} not found at ${path}` };
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return { ok: false, reason: `${name} --version failed: ${(r.error?.message ?? r.stderr).trim().split('\n')[0]}` };
  const version = r.stdout.trim().split('\n')[0] ?? '';
  return { ok: true, path, version: version.toLowerCase().startsWith(name) ? version : `${name} ${version}` };
}

/**
 * A binary from the devDependencies of the package at `packageRoot` (npm
 * packages `workerd`, `deno`, `bun`: pnpm links them into its
 * node_modules/.bin). Each testing package declares the runtimes it drives,
 * so that installing it alone brings them.
 */
export function devBinary(packageRoot: string, name: string): Runtime {
  return probe(name, join(packageRoot, 'node_modules', '.bin', name));
}

export interface ShouldRunOptions {
  /** Names the test in the warning printed when it is skipped. */
  what?: string;
  /**
   * Anything else the test needs outside CI (e.g. a package built with a
   * toolchain a developer may lack), checked only when the runtime is there.
   * It warns itself when it says no.
   */
  ready?: () => boolean;
}

/**
 * Whether a test of this runtime runs: always under CI=true (where
 * {@link assertUsable} then fails it when the runtime is missing);
 * elsewhere only when the runtime is usable and `ready()` holds.
 */
export function shouldRun(runtime: Runtime, options: ShouldRunOptions = {}): boolean {
  if (inCI) return true;
  if (!runtime.ok) console.warn(`${options.what === undefined ? '' : `${options.what}: `}skipped outside CI: ${runtime.reason}`);
  return runtime.ok && (options.ready?.() ?? true);
}

/** Fails the test (under CI=true, where {@link shouldRun} ran it) when the runtime is missing. */
export function assertUsable(runtime: Runtime): asserts runtime is Extract<Runtime, { ok: true }> {
  if (!runtime.ok) throw new Error(`${runtime.reason} (required under CI=true)`);
}
