/**
 * Deno and Bun: the runtime runs cli-entry.ts (`@hybridkem/wasm`) and
 * cli-lite-entry.ts (`@hybridkem/wasm/lite`, loaded by initWasm()) as child
 * processes on the vectors (written to a temporary file); each prints its summary.
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertUsable, type Runtime } from '@hybridkem/test-runtimes/runtime';
import { describe, expect, it } from 'vitest';
import { expectSummary, parseSummary } from './expect-summary.js';
import { here, run, runsHere } from './tools.js';
import { loadVectors } from './vectors.js';

const TIMEOUT_MS = 180_000;

export function describeCliRuntime(name: string, runtime: Runtime, args: (entry: string, vectorsFile: string) => string[]): void {
  describe(name, () => {
    for (const [entryFile, title] of [
      ['cli-entry.ts', 'imports the package and passes every spec and published vector and a round trip per suite'],
      ['cli-lite-entry.ts', "imports '@hybridkem/wasm/lite', loads hybridkem.wasm with initWasm() and passes every vector and a round trip per suite"],
    ] as const) {
      it.runIf(runsHere(runtime))(
        title,
        async () => {
          assertUsable(runtime);
          const vectors = loadVectors();
          const dir = mkdtempSync(join(tmpdir(), 'hybridkem-runtime-'));
          try {
            const file = join(dir, 'vectors.json');
            writeFileSync(file, JSON.stringify(vectors.answers));
            const r = await run(runtime.path, args(join(here, entryFile), file), { cwd: here, timeoutMs: TIMEOUT_MS - 10_000 });
            expect(r.code, `${name} exited ${r.code ?? r.signal}:\n${r.stderr.slice(-4000)}`).toBe(0);
            const summary = parseSummary(r.stdout, r.stderr);
            console.log(`${runtime.version} (${entryFile}): ${summary.vectors.passed}/${summary.vectors.total} vectors, ${summary.roundTrips.passed}/${summary.roundTrips.total} round trips (${summary.backend.name})`);
            expectSummary(summary, vectors);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
        TIMEOUT_MS,
      );
    }
  });
}
