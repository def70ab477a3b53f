/**
 * The native backend against noble and against its own Rust core, reported,
 * never asserted:
 *
 *   - its speed-up over the noble backend for hybrid encapsulation and
 *     decapsulation, per suite (`hybridkem (native)` against
 *     `hybridkem (noble)`, both through createKem: the same public API), as
 *     figures: native's goal is against the node:crypto composition
 *     (node-crypto.mjs), not against noble;
 *   - the cost of crossing into Node: the addon's backend call (`native addon
 *     call`, the Backend method itself, no facade) against the same operation
 *     timed inside Rust by the native core's own timing binary, in the same
 *     bench run: at most CROSSING_GOAL× the Rust time.
 *
 * The Rust timings come from the native core's hybridkem-bench-core
 * (native/README.md, "Timing"): one JSON line per suite and operation,
 * {"suite", "op", "medianNs"}, timed through the same extern "C" functions
 * the addon calls; its `encapsulate` is the derandomised one, like the
 * Backend's.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, speedupGoalLines } from './report.mjs';

export const CROSSING_GOAL = 1.15;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nativeManifest = path.join(repoRoot, 'native/Cargo.toml');

/**
 * The native backend's own Backend calls, no createKem facade around them:
 * derivePublicKey (the keygen work on a fixed seed), derandomised
 * encapsulate and decapsulate on fixed inputs. This is what the Rust timing
 * measures, plus the crossing into Node.
 */
export function nativeAddonSubject(suite, backend) {
  const seed = new Uint8Array(32).fill(0x11);
  const randomness = new Uint8Array(suite.lengths.randomness).fill(0x22);
  const publicKey = backend.derivePublicKey(suite, seed);
  const { ciphertext, sharedSecret } = backend.encapsulate(suite, publicKey, randomness);
  const again = backend.decapsulate(suite, seed, ciphertext);
  if (!again.every((b, i) => b === sharedSecret[i])) throw new Error(`native addon call ${suite.name}: round trip failed`);
  return {
    name: 'native addon call',
    kind: 'addon',
    backend: 'native',
    ops: {
      keygen: () => backend.derivePublicKey(suite, seed),
      encapsulate: () => backend.encapsulate(suite, publicKey, randomness),
      decapsulate: () => backend.decapsulate(suite, seed, ciphertext),
    },
  };
}

/**
 * The native core's Rust timing binary: built once (`cargo build --release
 * --bin hybridkem-bench-core`, incremental), then run for one suite at a
 * time right before that suite's operations are timed here, so that both
 * sides of the addon / Rust ratio see the same load on a shared machine.
 * `measure(suiteName)` adds that suite's medians to `timings`
 * ("suite/op" -> medianNs); `error` says why there are none. `smoke` asks
 * for short runs (50 iterations; full runs take 5000).
 */
export function createRustTimer({ smoke }) {
  const timer = { timings: new Map(), command: 'native/target/release/hybridkem-bench-core', error: undefined, measure: () => {} };
  if (!existsSync(nativeManifest)) return { ...timer, error: 'native/Cargo.toml not found' };
  const build = spawnSync('cargo', ['build', '--quiet', '--release', '--manifest-path', nativeManifest, '--bin', 'hybridkem-bench-core'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (build.error || build.status !== 0) {
    const why = build.error?.message ?? `exit ${build.status}: ${lastLine(build.stderr)}`;
    return { ...timer, error: `cargo build --release --bin hybridkem-bench-core: ${why}` };
  }
  const binary = path.join(path.dirname(nativeManifest), 'target', 'release', 'hybridkem-bench-core');
  // Full runs: 5000 calls per operation, a window comparable to the ≥ 3 × 250 ms the addon row gets.
  const extra = smoke ? ['--iterations', '50', '--warmup', '5'] : ['--iterations', '5000', '--warmup', '200'];
  timer.measure = (suiteName) => {
    if (timer.error) return;
    const r = spawnSync(binary, ['--suite', suiteName, ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.error || r.status !== 0) {
      timer.error = `${timer.command} --suite ${suiteName}: ${r.error?.message ?? `exit ${r.status}: ${lastLine(r.stderr)}`}`;
      return;
    }
    for (const line of r.stdout.split('\n')) {
      if (!line.trim().startsWith('{')) continue;
      const { suite, op, medianNs } = JSON.parse(line);
      timer.timings.set(`${suite}/${normaliseOp(op)}`, medianNs);
    }
  };
  return timer;
}

function lastLine(text) {
  return (text ?? '').trim().split('\n').slice(-1)[0] ?? '';
}

function normaliseOp(op) {
  const o = String(op).toLowerCase().replace(/[-_ ]/g, '');
  if (o === 'derivepublickey' || o === 'keygen') return 'keygen';
  if (o === 'encapsulate' || o === 'encapsulatederand') return 'encapsulate';
  if (o === 'decapsulate') return 'decapsulate';
  return o;
}

/**
 * Lines for the report: per suite, the native speed-up over the noble backend
 * for encapsulate and decapsulate, then the
 * addon / Rust table against the ≤ CROSSING_GOAL× goal.
 */
export function nativeGoalLines(rows, rust, { smoke }) {
  const find = (suite, op, pred) => rows.find((r) => r.suite === suite && r.operation === op && pred(r));
  const { lines, suites } = speedupGoalLines(rows, { backend: 'native', label: 'Native backend', goal: undefined, smoke });
  if (suites.length === 0) return lines;
  lines.push('');
  if (rust.error || rust.timings.size === 0) {
    lines.push(`Crossing into Node (addon / Rust): not measured: ${rust.error ?? 'no Rust timings'}`);
    return lines;
  }
  lines.push(
    `Crossing into Node: native addon call median / the same C ABI call timed inside Rust (${rust.command}, ` +
      `run for each suite just before that suite is timed here); goal ≤ ${CROSSING_GOAL}×.`,
  );
  const cells = [];
  for (const suite of suites) {
    for (const op of ['keygen', 'encapsulate', 'decapsulate']) {
      const addon = find(suite, op, (r) => r.kind === 'addon');
      const ns = rust.timings.get(`${suite}/${op}`);
      if (!addon || ns === undefined) continue;
      const ratio = (addon.medianMs * 1e6) / ns;
      cells.push([suite, op, `${(ns / 1000).toFixed(1)} µs`, `${(addon.medianMs * 1000).toFixed(1)} µs`, `x${ratio.toFixed(3)}`, ratio <= CROSSING_GOAL ? 'met' : 'not met']);
    }
  }
  lines.push(
    formatTable(
      [
        { title: 'suite' },
        { title: 'operation' },
        { title: 'Rust', align: 'right' },
        { title: 'addon', align: 'right' },
        { title: 'addon / Rust', align: 'right' },
        { title: `goal ≤ ${CROSSING_GOAL}×` },
      ],
      cells,
    ),
  );
  return lines;
}
