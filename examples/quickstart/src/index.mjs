/**
 * hybridkem quickstart: two parties agree on a shared key with a hybrid
 * post-quantum KEM (ML-KEM combined with X25519, P-256 or P-384).
 *
 *   1. Alice makes a key pair and publishes the public key.
 *   2. Bob encapsulates to that public key: he gets a fresh shared secret and
 *      a ciphertext, and sends Alice the ciphertext.
 *   3. Alice decapsulates the ciphertext with her private key and gets the
 *      same shared secret. The secret itself never travels.
 *
 * In an application you pick one suite and let getBackend() choose the
 * fastest backend that loads:
 *
 *   const kem = createKem('X-Wing', await getBackend());
 *   const { publicKey, privateKey } = kem.keygen();                    // Alice
 *   const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);   // Bob
 *   const sameSecret = kem.decapsulate(privateKey, ciphertext);        // Alice
 *
 * This script does that for every suite (spec/WIRE-FORMAT.md §1) on every
 * backend that loads here (native, wasm, noble: whichever are installed and
 * work on this machine), and prints sizes, timings and whether the two
 * secrets matched. It never prints a secret.
 *
 *   node src/index.mjs           the table (`pnpm demo` at the repo root)
 *   node src/index.mjs --check   one exchange each; fails unless all agree (CI)
 */
import { timingSafeEqual } from 'node:crypto';
import { createKem, probeBackends, SUITES } from '@hybridkem/core';
import { describeError, describeLoadFailure, formatTable, median, ms } from './table.mjs';

const check = process.argv.includes('--check');
const ITERATIONS = check ? 1 : 15;

/** One key agreement between Alice and Bob; `times` collects how long each step took. */
function exchange(kem, times) {
  const alice = timed(times.keygen, () => kem.keygen());
  const bob = timed(times.encapsulate, () => kem.encapsulate(alice.publicKey));
  const aliceSecret = timed(times.decapsulate, () => kem.decapsulate(alice.privateKey, bob.ciphertext));

  const agree = sameBytes(aliceSecret, bob.sharedSecret);
  const sizes = { publicKey: alice.publicKey.length, ciphertext: bob.ciphertext.length, privateKey: alice.privateKey.length };
  // Private keys and secrets are plain bytes: wipe them when done.
  alice.privateKey.fill(0);
  aliceSecret.fill(0);
  bob.sharedSecret.fill(0);
  return { agree, sizes };
}

/** Compares two secrets in time that does not depend on where they differ. */
function sameBytes(a, b) {
  return a.length === b.length && timingSafeEqual(a, b);
}

function timed(samples, fn) {
  const start = performance.now();
  const result = fn();
  samples.push(performance.now() - start);
  return result;
}

/** ITERATIONS exchanges with one suite on one backend. */
function run(suite, backend) {
  const result = { suite, backend, times: { keygen: [], encapsulate: [], decapsulate: [] }, agree: true };
  try {
    const kem = createKem(suite, backend);
    for (let i = 0; i < ITERATIONS; i++) {
      const { agree, sizes } = exchange(kem, result.times);
      result.agree &&= agree;
      result.sizes = sizes;
    }
  } catch (error) {
    result.error = error;
  }
  return result;
}

const probes = await probeBackends();
const backends = probes.filter((p) => p.available).map((p) => p.backend);
const results = SUITES.flatMap((suite) => backends.map((backend) => run(suite, backend)));

// Everything below is reporting.
for (const r of results) r.problem = problemWith(r);
const problems = results.filter((r) => r.problem).map((r) => `${r.suite.name} on ${r.backend.name}: ${r.problem}`);
if (!backends.some((b) => b.name === 'noble')) problems.push('the noble backend did not load');

function problemWith(r) {
  const L = r.suite.lengths;
  if (r.error) return describeError(r.error);
  if (!r.agree) return 'the two shared secrets differ';
  if (r.sizes.publicKey !== L.publicKey || r.sizes.ciphertext !== L.ciphertext || r.sizes.privateKey !== L.privateKey) {
    return `sizes ${JSON.stringify(r.sizes)} differ from spec/WIRE-FORMAT.md`;
  }
  return undefined;
}

const table = formatTable(
  [
    { title: 'suite' },
    { title: 'backend' },
    { title: 'public key', align: 'right' },
    { title: 'ciphertext', align: 'right' },
    { title: 'private key', align: 'right' },
    { title: 'keygen', align: 'right' },
    { title: 'encapsulate', align: 'right' },
    { title: 'decapsulate', align: 'right' },
    { title: 'agree' },
  ],
  results.map((r) => [
    r.suite.name,
    r.backend.name,
    r.sizes ? `${r.sizes.publicKey} B` : '-',
    r.sizes ? `${r.sizes.ciphertext} B` : '-',
    r.sizes ? `${r.sizes.privateKey} B` : '-',
    ms(median(r.times.keygen)),
    ms(median(r.times.encapsulate)),
    ms(median(r.times.decapsulate)),
    r.error ? 'error' : r.agree ? 'yes' : 'no',
  ]),
);

console.log('Alice makes a key pair, Bob encapsulates to it, Alice decapsulates: one row per suite and backend.');
console.log(`Sizes in bytes; times are the median of ${ITERATIONS} run${ITERATIONS === 1 ? '' : 's'} per operation.\n`);
console.log(table);
for (const p of probes.filter((p) => !p.available)) console.log(`not loaded: ${p.name}: ${describeLoadFailure(p.error)}`);
for (const p of problems) console.log(`FAIL: ${p}`);

if (check) console.log(`\n${results.filter((r) => !r.problem).length} passed, ${problems.length} failed`);
if (problems.length > 0) process.exitCode = 1;
