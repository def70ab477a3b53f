/**
 * What this package's runtime tests share beyond @hybridkem/test-runtimes
 * (which finds Chromium, Deno, Bun and workerd, per ../shared/TOOLCHAIN.md,
 * and holds the CI rule: under CI=true a missing runtime fails its test;
 * elsewhere the test skips, saying why): the backend every runtime must
 * report, this package's paths, running a child to completion, and the
 * files dist/ ships.
 * @module
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { assertUsable, shouldRun, type Runtime } from '@hybridkem/test-runtimes/runtime';
import { it } from 'vitest';
import { built } from '../built.js';
import { loadVectors, type VectorSet } from './vectors.js';

/** The backend each runtime must report having run (a silent fallback to another backend fails). */
export const EXPECTED_BACKEND = 'wasm';

export const here = dirname(fileURLToPath(import.meta.url));
export const packageRoot = resolve(here, '../..');

/**
 * Whether a runtime test of this package runs: always under CI=true (where a
 * missing runtime, or a package built without the wasm toolchain, fails it);
 * elsewhere when the runtime is there and the package was built (built()).
 */
export function runsHere(runtime: Runtime): boolean {
  return shouldRun(runtime, { ready: built });
}

/** How long one runtime test may take. */
export const TIMEOUT_MS = 180_000;

/**
 * One test per [entry file, title] (the package's main entry and its lite
 * one): if it runs here (runsHere), the runtime must be usable, and `body`
 * gets the vectors and a temporary folder (prefix `hybridkem-<tmpName>-`),
 * removed after it, whatever it did.
 */
export function itOnEachEntry(
  runtime: Runtime,
  tmpName: string,
  entries: readonly (readonly [entry: string, title: string])[],
  body: (args: { runtime: Extract<Runtime, { ok: true }>; entry: string; vectors: VectorSet; dir: string }) => Promise<void>,
): void {
  for (const [entry, title] of entries) {
    it.runIf(runsHere(runtime))(
      title,
      async () => {
        assertUsable(runtime);
        const vectors = loadVectors();
        const dir = mkdtempSync(join(tmpdir(), `hybridkem-${tmpName}-`));
        try {
          await body({ runtime, entry, vectors, dir });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      TIMEOUT_MS,
    );
  }
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
