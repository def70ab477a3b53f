/**
 * Cloudflare's workerd (npm package `workerd`): the worker (worker-entry.ts)
 * is bundled with the package's `workerd` export condition, as wrangler
 * would; each .wasm it imports stays an external module listed in the
 * config (workerd refuses to compile bytes at run time). workerd serves on
 * 127.0.0.1; the test POSTs the vectors, asserts the summary and always
 * stops workerd's whole process group (the .bin launcher and the binary).
 * A second worker (worker-lite-entry.ts) uses `@hybridkem/wasm/lite` and
 * passes `@hybridkem/wasm/hybridkem.wasm`, imported as a module, to initWasm.
 * Bundling, config and start-up: @hybridkem/test-runtimes/workerd.
 * @module
 */
import { join } from 'node:path';
import { stopProcess } from '@hybridkem/core/testing';
import { devBinary } from '@hybridkem/test-runtimes/runtime';
import { bundleWorker, startWorkerd, waitUntilServing, type Workerd } from '@hybridkem/test-runtimes/workerd';
import { describe, expect } from 'vitest';
import { expectSummary } from './expect-summary.js';
import type { RuntimeSummary } from './run-vectors.js';
import { here, itOnEachEntry, packageRoot, TIMEOUT_MS } from './tools.js';

const runtime = devBinary(packageRoot, 'workerd');

describe('workerd', () => {
  itOnEachEntry(
    runtime,
    'workerd',
    [
      ['worker-entry.ts', 'a worker bundled with the workerd condition serves a request that passes every vector and a round trip per suite'],
      ['worker-lite-entry.ts', "a worker on '@hybridkem/wasm/lite' passing the imported hybridkem.wasm module to initWasm passes every vector and a round trip per suite"],
    ],
    async ({ runtime: usable, entry, vectors, dir }) => {
      let workerd: Workerd | undefined;
      try {
        const bundle = await bundleWorker(join(here, entry), dir);
        // The workerd entry imports its .wasm as a module; compiling bytes at run time would be refused.
        expect(bundle.wasm, 'the .wasm modules the workerd bundle imports').not.toEqual([]);
        workerd = await startWorkerd(usable.path, bundle);
        await waitUntilServing(workerd);
        const res = await fetch(workerd.origin, { method: 'POST', body: JSON.stringify(vectors.answers), signal: AbortSignal.timeout(TIMEOUT_MS - 60_000) });
        const body = (await res.json()) as RuntimeSummary | { error: string };
        expect('error' in body ? body.error : '', `workerd log:\n${workerd.log().slice(-4000)}`).toBe('');
        expect(res.status).toBe(200);
        const summary = body as RuntimeSummary;
        console.log(`${usable.version} (${entry}): ${summary.vectors.passed}/${summary.vectors.total} vectors, ${summary.roundTrips.passed}/${summary.roundTrips.total} round trips (${summary.backend.name})`);
        expectSummary(summary, vectors);
      } finally {
        if (workerd) await stopProcess(workerd.child, 10_000);
      }
    },
  );
});
