/**
 * Timing with tinybench. Subjects that are compared with each other (every
 * implementation of one suite, for one operation) are measured together and
 * interleaved: `rounds` short tinybench runs, each running every subject in
 * turn with the order rotated from round to round; the samples of all rounds
 * are merged. A burst of load from another process then hits every subject
 * instead of one, which is what keeps ratios usable on a shared machine.
 * Nothing here asserts anything about speed.
 * @module
 */
import { Bench } from 'tinybench';

export const OPERATIONS = Object.freeze(['keygen', 'encapsulate', 'decapsulate']);

/**
 * time: tinybench's time budget per subject per round (ms); iterations: its
 * minimum number of samples per subject per round.
 */
export const PRESETS = Object.freeze({
  full: Object.freeze({ rounds: 3, time: 250, iterations: 5, warmupTime: 50, warmupIterations: 3 }),
  smoke: Object.freeze({ rounds: 1, time: 20, iterations: 2, warmupTime: 0, warmupIterations: 1 }),
});

/**
 * Times `operation` of every subject.
 * @returns {Stats[]} in the order of `subjects`
 */
export function measure(subjects, operation, settings) {
  const samples = subjects.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    const bench = new Bench({
      time: settings.time,
      iterations: settings.iterations,
      warmupTime: settings.warmupTime,
      warmupIterations: settings.warmupIterations,
      retainSamples: true,
      throws: true,
    });
    for (let k = 0; k < subjects.length; k++) {
      const i = (k + round) % subjects.length;
      bench.add(String(i), subjects[i].ops[operation], { async: false });
    }
    for (const task of bench.runSync()) {
      const { result } = task;
      if (result.state !== 'completed') {
        throw new Error(`${subjects[Number(task.name)].name} ${operation}: tinybench says ${result.state}`, { cause: result.error });
      }
      samples[Number(task.name)].push(...result.latency.samples);
    }
  }
  return samples.map(summarize);
}

/**
 * @typedef {{ medianMs: number, madMs: number, opsPerSecond: number, samples: number }} Stats
 * medianMs is p50 latency; opsPerSecond = 1000 / medianMs (the median rate);
 * madMs is the median absolute deviation from medianMs.
 */

/** @returns {Stats} */
export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  const medianMs = quantile(sorted, 0.5);
  const deviations = sorted.map((v) => Math.abs(v - medianMs)).sort();
  return { medianMs, madMs: quantile(deviations, 0.5), opsPerSecond: 1000 / medianMs, samples: sorted.length };
}

function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}
