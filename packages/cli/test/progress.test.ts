/**
 * The progress line (issue #14): its text (unit), and on a real
 * pseudo-terminal a slow seal shows it on stderr, throttled, erased at the
 * end; --quiet shows nothing; with stderr not a terminal nothing either (the
 * other test files run every command with piped stderr and expect it empty).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLine } from '../src/progress.js';
import { cliBuilt, CLI, inTerminal, ok, shellQuote, tempDir } from './helpers.js';

describe('progress line text', () => {
  it('with a known size: share, rate and time left; without: bytes and rate', () => {
    expect(progressLine('sealing', 5 * 2 ** 20, 10 * 2 ** 20, 2000)).toBe('sealing: 5.0 MiB of 10.0 MiB (50%), 2.5 MiB/s, 2s left');
    expect(progressLine('verifying', 3 * 2 ** 30, 4 * 2 ** 30, 307_200)).toBe('verifying: 3.0 GiB of 4.0 GiB (75%), 10.0 MiB/s, 1m43s left');
    expect(progressLine('opening', 1536, undefined, 1000)).toBe('opening: 1.5 KiB, 1.5 KiB/s');
    expect(progressLine('signing', 0, 0, 0)).toBe('signing: 0 B of 0 B (100%), 0 B/s');
  });
});

describe('on a terminal', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    cliBuilt();
    ({ path: dir, cleanup } = await tempDir());
    await ok(['keygen', '--suite', 'X-Wing', '--out', join(dir, 'k')]);
  });
  afterAll(async () => cleanup());

  /** 3 MB, a pause past the delay before the first update, 3 MB more: a run long enough to show progress. */
  const slowInput = `{ head -c 3000000 /dev/zero; sleep 0.8; head -c 3000000 /dev/zero; }`;
  const sealCommand = (extra: string) =>
    `sh -c ${shellQuote(`${slowInput} | ${shellQuote(process.execPath)} ${shellQuote(CLI)} seal -r ${shellQuote(join(dir, 'k.pub'))} -o ${shellQuote(join(dir, `out${extra}`))} ${extra}`)}`;

  it('a slow seal shows bytes and rate on stderr and erases the line at the end; --quiet shows nothing', async () => {
    const [shown, quiet] = await Promise.all([
      inTerminal([], { rawCommand: sealCommand('') }),
      inTerminal([], { rawCommand: sealCommand('--quiet') }),
    ]);
    expect(shown.code).toBe(0);
    expect(shown.screen).toMatch(/^(\rsealing: (2\.9|3\.0|3\.1) MiB, [\d.]+ (KiB|MiB)\/s\x1b\[K)+\r\x1b\[K$/);
    expect(quiet.code).toBe(0);
    expect(quiet.screen).toBe('');
  });
});
