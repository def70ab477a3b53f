/**
 * Deno and Bun: the runtime runs cli-entry.ts (`@hybridkem/wasm`) and
 * cli-lite-entry.ts (`@hybridkem/wasm/lite`, loaded by initWasm()) as child
 * processes on the vectors (written to a temporary file); each prints its summary.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '@hybridkem/test-runtimes/runtime';
import { describe, expect } from 'vitest';
import { expectSummary, parseSummary } from './expect-summary.js';
import { here, itOnEachEntry, run, TIMEOUT_MS } from './tools.js';

export function describeCliRuntime(name: string, runtime: Runtime, args: (entry: string, vectorsFile: string) => string[]): void {
  describe(name, () => {
    itOnEachEntry(
      runtime,
      'runtime',
      [
        ['cli-entry.ts', 'imports the package and passes every spec and published vector and a round trip per suite'],
        ['cli-lite-entry.ts', "imports '@hybridkem/wasm/lite', loads hybridkem.wasm with initWasm() and passes every vector and a round trip per suite"],
      ],
      async ({ runtime: usable, entry, vectors, dir }) => {
        const file = join(dir, 'vectors.json');
        writeFileSync(file, JSON.stringify(vectors.answers));
        const r = await run(usable.path, args(join(here, entry), file), { cwd: here, timeoutMs: TIMEOUT_MS - 10_000 });
        expect(r.code, `${name} exited ${r.code ?? r.signal}:\n${r.stderr.slice(-4000)}`).toBe(0);
        const summary = parseSummary(r.stdout, r.stderr);
        console.log(`${usable.version} (${entry}): ${summary.vectors.passed}/${summary.vectors.total} vectors, ${summary.roundTrips.passed}/${summary.roundTrips.total} round trips (${summary.backend.name})`);
        expectSummary(summary, vectors);
      },
    );
  });
}
