import { BACKEND_ENV, createKem, probeBackends, X25519_MLKEM768, type Backend, type BackendName } from '@hybridkem/auto';
import type { Command } from '../context.js';
import { describeError, toJson } from '../output.js';

/** Time spent measuring each operation on each backend. */
const BUDGET_MS = 300;
const BENCH_SUITE = X25519_MLKEM768;

interface Entry {
  name: BackendName;
  available: boolean;
  version?: string;
  implementation?: string;
  constantTime?: boolean;
  error?: string;
  /** X25519-MLKEM768, measured in this run. */
  opsPerSecond?: { encapsulate: number; decapsulate: number };
  /** Why there is no measurement, when the backend loads. */
  note?: string;
}

/** Operations per second from the median time of single calls, over about `budgetMs`. */
function measure(op: () => void, budgetMs: number): number {
  op(); // warm-up: lazy tables, JIT
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 5 || (performance.now() - start < budgetMs && times.length < 100_000)) {
    const t0 = performance.now();
    op();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  const rate = 1000 / Math.max(median, 1e-6);
  return rate >= 100 ? Math.round(rate) : Math.round(rate * 100) / 100;
}

function bench(backend: Backend): Pick<Entry, 'opsPerSecond' | 'note'> {
  if (!backend.suites.includes(BENCH_SUITE.id)) return { note: `does not implement ${BENCH_SUITE.name}` };
  try {
    const kem = createKem(BENCH_SUITE, backend);
    const { publicKey, privateKey } = kem.keygen();
    const { ciphertext } = kem.encapsulate(publicKey);
    const encapsulate = measure(() => kem.encapsulate(publicKey), BUDGET_MS);
    const decapsulate = measure(() => kem.decapsulate(privateKey, ciphertext), BUDGET_MS);
    privateKey.fill(0);
    return { opsPerSecond: { encapsulate, decapsulate } };
  } catch (error) {
    return { note: `measurement failed: ${describeError(error)}` };
  }
}

export const backends: Command = {
  spec: {
    name: 'backends',
    summary: 'show which backends load here, why the others do not, and how fast they are',
    usage: ['hybridkem backends [--json] [--backend NAME]'],
    description: [
      `Tries every backend (fastest first), and measures encapsulate and decapsulate of`,
      `${BENCH_SUITE.name} on each that loads (about ${BUDGET_MS} ms per operation; the rate is`,
      'from the median call). --backend NAME limits the report to that backend.',
      '--json prints an array of {name, available, version, implementation, constantTime,',
      'opsPerSecond: {encapsulate, decapsulate}} or, for a backend that does not load, {name, available, error}.',
    ].join('\n'),
    options: {},
    examples: ['hybridkem backends', 'hybridkem backends --json'],
  },

  async run(args) {
    const only = args.common.backend && args.common.backend !== 'auto' ? args.common.backend : undefined;
    const entries: Entry[] = [];
    for (const probe of await probeBackends()) {
      if (only && probe.name !== only) continue;
      if (!probe.available || !probe.backend) {
        entries.push({ name: probe.name, available: false, error: describeError(probe.error) });
        continue;
      }
      const b = probe.backend;
      entries.push({
        name: b.name,
        available: true,
        version: b.version,
        implementation: b.implementation,
        constantTime: b.constantTime,
        ...bench(b),
      });
    }
    if (args.common.json) return { stdout: toJson(entries) };

    const lines: string[] = [];
    for (const e of entries) {
      if (!e.available) {
        lines.push(`${e.name}: not available: ${e.error}`);
        continue;
      }
      lines.push(`${e.name}: available, version ${e.version}, ${e.constantTime ? 'constant time' : 'NOT constant time'}`);
      lines.push(`  implementation: ${e.implementation}`);
      if (e.opsPerSecond) {
        lines.push(
          `  ${BENCH_SUITE.name}: encapsulate ${e.opsPerSecond.encapsulate} ops/s, decapsulate ${e.opsPerSecond.decapsulate} ops/s (this run, median of ~${BUDGET_MS} ms)`,
        );
      } else if (e.note) {
        lines.push(`  ${e.note}`);
      }
    }
    if (!only) {
      const first = entries.find((e) => e.available);
      lines.push(first ? `auto selects: ${first.name}` : 'auto selects: nothing (no backend loads)');
      const env = process.env[BACKEND_ENV]?.trim();
      if (env) lines.push(`${BACKEND_ENV}=${env.slice(0, 32)} is set: commands without --backend use it instead of auto`);
    }
    return { stdout: `${lines.join('\n')}\n` };
  },
};
