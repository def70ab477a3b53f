#!/usr/bin/env node
/**
 * Runs the edge worker locally in workerd (`pnpm start`): makes a fresh X-Wing
 * key pair, bundles src/worker.mjs as wrangler would, writes a workerd config
 * with the keys as text bindings into a private temporary folder, starts
 * workerd on 127.0.0.1 and prints the URL. Ctrl-C stops workerd and removes
 * the folder (and with it the private key).
 *
 *   node src/run.mjs
 *   node ../node-service/src/client.mjs --url <printed URL> --message hello
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend } from '@hybridkem/auto';
import { armor, createKem, encodePrivateKey, encodePublicKey } from '@hybridkem/core';
import { stopProcess } from '@hybridkem/core/testing';
import { runtime, workerd as workerdHelpers } from './runtimes.mjs';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A fresh armored X-Wing key pair (generated in Node: workerd only ever sees
 * the bindings).
 * @param {import('@hybridkem/core').Backend} backend
 */
export function makeKeyPair(backend) {
  const pair = createKem('X-Wing', backend).keygen();
  const encodedPrivate = encodePrivateKey('X-Wing', pair.privateKey);
  pair.privateKey.fill(0);
  const privateKey = armor(encodedPrivate);
  encodedPrivate.fill(0);
  return { publicKey: armor(encodePublicKey('X-Wing', pair.publicKey)), privateKey };
}

/**
 * Bundles the worker and starts workerd with the key bindings in a new
 * temporary folder (mode 0700 from mkdtemp).
 * @param {{publicKey: string, privateKey: string}} keys
 * @returns {Promise<{origin: string, log(): string, stop(): Promise<void>}>}
 */
export async function startEdgeWorker(keys) {
  const binary = runtime.devBinary(packageRoot, 'workerd');
  runtime.assertUsable(binary);
  const dir = mkdtempSync(join(tmpdir(), 'hybridkem-edge-worker-'));
  try {
    const bundle = await workerdHelpers.bundleWorker(join(packageRoot, 'src', 'worker.mjs'), dir);
    const started = await workerdHelpers.startWorkerd(binary.path, bundle, dir, {
      bindings: { PRIVATE_KEY: keys.privateKey, PUBLIC_KEY: keys.publicKey },
    });
    const stop = async () => {
      await stopProcess(started.child);
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      // One cheap request, retried only until workerd listens (bounded to 60 s).
      const res = await workerdHelpers.firstResponse(started, '/healthz');
      if (!res.ok) throw new Error(`GET /healthz answered ${res.status}: ${await res.text()}`);
    } catch (error) {
      await stop();
      throw error;
    }
    return { origin: started.origin, log: started.log, stop };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const worker = await startEdgeWorker(makeKeyPair(await getBackend()));
  console.log(`edge worker listening on ${worker.origin}`);
  const shutdown = () => worker.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
