// Crashes that would take the whole process down, each reproduced in child
// processes so that a regression fails a test (with the child's exit signal)
// instead of killing the test runner.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ending, runNode, type ChildResult } from './child.js';
import { requireNative } from './load.js';

const native = requireNative();
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Runs `count` jobs, at most `parallel` at a time, in order of index. */
async function pool<T>(count: number, parallel: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await job(i);
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return results;
}

describe.runIf(native)('no crash of the host process', () => {
  it('terminating a worker while its batches run: 50 terminations, 50 clean exits', async () => {
    // Delays of 0-20 ms after the batches were queued.
    const runs = await pool(50, 4, (i) => runNode([fixture('worker-terminate.mjs'), String(i % 21)], 30_000));
    const crashed = runs.filter((r) => r.code !== 0 || r.signal !== null);
    const describeRun = (r: ChildResult) => `${ending(r)}: ${r.stderr.trim().split('\n')[0]}`;
    expect(crashed.map(describeRun), `${crashed.length} of 50 child processes crashed`).toEqual([]);
    expect(runs.every((r) => /^terminated (while the batches ran|after the batches settled)$/m.test(r.stdout))).toBe(true);
    // The race was exercised: some workers were terminated with work in flight.
    expect(runs.filter((r) => r.stdout.includes('while the batches ran')).length).toBeGreaterThan(0);
  }, 120_000);

  it('an array getter freeing the private key during decapsulateBatch (package API, Symbol.species): a typed error', async () => {
    const r = await runNode([fixture('batch-getters.mjs'), 'species'], 30_000);
    expect(ending(r), r.stderr).toBe('exit 0');
    expect(r.stdout).toMatch(/^rejected InvalidArgumentError ERR_INVALID_ARGUMENT ciphertexts\[1\]: /);
  }, 60_000);

  it('an array getter freeing the private key during decapsulateBatch (raw addon): the key was copied first', async () => {
    const r = await runNode([fixture('batch-getters.mjs'), 'raw'], 30_000);
    expect(ending(r), r.stderr).toBe('exit 0');
    expect(r.stdout.trim()).toBe('resolved 2');
  }, 60_000);
});
