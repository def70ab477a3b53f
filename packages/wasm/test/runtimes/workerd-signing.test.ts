/**
 * Composite signatures in Cloudflare's workerd (npm package `workerd`): a
 * worker bundled with the package's `workerd` export condition imports
 * `@hybridkem/wasm/hybridkem-signing.wasm` as a module (workerd refuses to
 * compile bytes at run time) and passes it to `initSigning`; the test POSTs
 * every published composite vector (spec/vectors/signatures), and compares
 * what the worker computed through @hybridkem/signing's createSigner over
 * the wasm `signatureBackend` with the vectors. Under CI=true a missing
 * workerd fails it; workerd's whole process group is stopped whatever
 * happens.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopProcess } from '@hybridkem/core/testing';
import { assertUsable, devBinary } from '@hybridkem/test-runtimes/runtime';
import { bundleWorker, startWorkerd, waitUntilServing, type Workerd } from '@hybridkem/test-runtimes/workerd';
import { expect, it } from 'vitest';
import type { SignatureSummary } from './run-signature-vectors.js';
import { expectSignatureSummary, loadSignatureVectors } from './signature-vectors.js';
import { here, packageRoot, runsHere, TIMEOUT_MS } from './tools.js';

const runtime = devBinary(packageRoot, 'workerd');

it.runIf(runsHere(runtime))(
  'workerd: a worker passing the imported hybridkem-signing.wasm module to initSigning reproduces every published composite signature and verifies it',
  async () => {
    assertUsable(runtime);
    const vectors = loadSignatureVectors();
    const dir = mkdtempSync(join(tmpdir(), 'hybridkem-workerd-signing-'));
    let workerd: Workerd | undefined;
    try {
      const bundle = await bundleWorker(join(here, 'worker-signing-entry.ts'), dir);
      expect(bundle.wasm, 'the .wasm modules the worker imports').toContain('hybridkem-signing.wasm');
      workerd = await startWorkerd(runtime.path, bundle);
      await waitUntilServing(workerd);
      const res = await fetch(workerd.origin, { method: 'POST', body: JSON.stringify(vectors), signal: AbortSignal.timeout(TIMEOUT_MS - 60_000) });
      const body = (await res.json()) as SignatureSummary | { error: string };
      expect('error' in body ? body.error : '', `workerd log:\n${workerd.log().slice(-4000)}`).toBe('');
      expect(res.status).toBe(200);
      const summary = body as SignatureSummary;
      console.log(`${runtime.version}: ${summary.outcomes.length} composite signature vectors on ${summary.backend.implementation}`);
      expectSignatureSummary(summary, vectors);
    } finally {
      if (workerd) await stopProcess(workerd.child, 10_000);
      rmSync(dir, { recursive: true, force: true });
    }
  },
  TIMEOUT_MS,
);
