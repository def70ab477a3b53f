/**
 * Memory of the native backend under a long run: one million
 * X25519-MLKEM768 operations through the addon, printing the process RSS at
 * the start, every 100,000 operations and at the end. A leak in the addon or
 * the native core (an output buffer, an AsyncWorker, a key never freed) shows
 * as RSS that keeps growing; flat RSS means none.
 *
 * Every 1000 operations: 480 encapsulations (fresh randomness) and 480
 * decapsulations (synchronous, through createKem), 20 calls with an invalid
 * public key (the error path: status code, zeroed outputs, typed error), and
 * one asynchronous batch each of 10 encapsulations and 10 decapsulations
 * (the thread-pool path).
 *
 *   node --expose-gc src/native-memory.mjs            one million operations
 *   node --expose-gc src/native-memory.mjs --ops 100000
 *
 * With --expose-gc a full garbage collection runs before each reading, so the
 * numbers are what is live, not garbage the collector has not reached yet.
 * Prints; asserts nothing.
 */
import { parseArgs } from 'node:util';
import { createKem, HybridKemError, X25519_MLKEM768 } from '@hybridkem/core';
import { backend, decapsulateBatch, encapsulateBatch } from '@hybridkem/native';

const { values } = parseArgs({ options: { ops: { type: 'string', default: '1000000' } } });
const total = Number(values.ops);
if (!(total >= 1000) || total % 1000 !== 0) {
  console.error('native-memory: --ops expects a multiple of 1000');
  process.exit(2);
}

const suite = X25519_MLKEM768;
const kem = createKem(suite, backend);
const { publicKey, privateKey } = kem.keygen();
const { ciphertext } = kem.encapsulate(publicKey);
const invalid = publicKey.slice();
invalid.fill(0, suite.mlkem.lengths.publicKey); // X25519 u = 0: low order, rejected by the core
const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

function reading(done) {
  globalThis.gc?.();
  const m = process.memoryUsage();
  console.log(
    `${String(done).padStart(9)} ops  rss ${mib(m.rss).padStart(10)}  heapUsed ${mib(m.heapUsed).padStart(9)}  ` +
      `external ${mib(m.external).padStart(9)}  arrayBuffers ${mib(m.arrayBuffers).padStart(9)}`,
  );
  return m.rss;
}

console.log(
  `native-memory: ${total.toLocaleString('en-US')} ${suite.name} operations through @hybridkem/native ` +
    `(${backend.implementation}); Node ${process.versions.node}; gc before each reading: ${globalThis.gc ? 'yes' : 'no (run with --expose-gc)'}`,
);
const started = performance.now();
const startRss = reading(0);
let errors = 0;
for (let done = 0; done < total; ) {
  for (let i = 0; i < 480; i++) kem.encapsulate(publicKey);
  for (let i = 0; i < 480; i++) kem.decapsulate(privateKey, ciphertext);
  for (let i = 0; i < 20; i++) {
    try {
      backend.encapsulate(suite, invalid, new Uint8Array(suite.lengths.randomness));
    } catch (error) {
      if (!(error instanceof HybridKemError) || error.code !== 'ERR_INVALID_GROUP_ELEMENT') throw error;
      errors++;
    }
  }
  const batch = await encapsulateBatch(suite, Array(10).fill(publicKey));
  await decapsulateBatch(suite, privateKey, batch.map((e) => e.ciphertext));
  done += 1000;
  if (done % 100_000 === 0 && done < total) reading(done);
}
const endRss = reading(total);
const seconds = (performance.now() - started) / 1000;
console.log(
  `start rss ${mib(startRss)}, end rss ${mib(endRss)} (${endRss >= startRss ? '+' : ''}${mib(endRss - startRss)}); ` +
    `${errors.toLocaleString('en-US')} rejected calls; ${seconds.toFixed(1)} s`,
);
