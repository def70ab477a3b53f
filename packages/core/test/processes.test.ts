import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnProcess, stopAllProcesses, stopProcess } from '../src/testing/processes.js';

/** Whether a pid names a running process (a zombie, killed but not yet reaped, is not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * A launcher like pnpm's .bin shims: a shell that runs the real program as
 * its child (not exec), prints that child's pid and waits for it.
 */
async function startLauncher(): Promise<{ child: ReturnType<typeof spawnProcess>; grandchild: number }> {
  const child = spawnProcess('sh', ['-c', 'sleep 300 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!.setEncoding('utf8'), 'data')) as [string];
  const grandchild = Number(line.trim());
  expect(Number.isInteger(grandchild) && grandchild > 0, `pid line ${JSON.stringify(line)}`).toBe(true);
  expect(alive(grandchild)).toBe(true);
  return { child, grandchild };
}

describe('test processes', () => {
  it('stopProcess stops a launcher and the program it started', async () => {
    const { child, grandchild } = await startLauncher();
    await stopProcess(child, 2_000);
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
    // The group was signalled, so the grandchild is gone too (reaped by init, maybe a moment later).
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild), `sleep (pid ${grandchild}) outlived its launcher`).toBe(false);
  });

  it('stopAllProcesses (the setup file runs it after each test file) stops every group not yet stopped', async () => {
    const started = [await startLauncher(), await startLauncher()];
    await stopAllProcesses();
    for (const { grandchild } of started) {
      for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
      expect(alive(grandchild), `sleep (pid ${grandchild}) outlived stopAllProcesses`).toBe(false);
    }
  });
});
