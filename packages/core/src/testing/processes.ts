/**
 * Child processes that tests start, and the guarantee that a test run
 * leaves none of them behind.
 *
 * A test's child is often a launcher rather than the program: pnpm's
 * `node_modules/.bin/workerd` is a shell script that runs the workerd binary
 * as its own child, so killing the script's pid leaves workerd serving. Every
 * child started here therefore leads a process group of its own (`detached`)
 * and is stopped by signalling the whole group. Whatever a test file leaves
 * running (a test that failed or timed out before its own cleanup) is
 * stopped after the file by `@hybridkem/core/testing/setup` (a vitest
 * setup file), and killed when the test process exits.
 * @module
 */
import { type ChildProcess, type SpawnOptions, execFileSync, spawn } from 'node:child_process';

/**
 * Process groups started and not yet stopped. Kept on globalThis so that the
 * setup entry and the testing entry (separate bundles, or src/ beside dist/)
 * share one set.
 */
const RUNNING = Symbol.for('@hybridkem/core/testing: running processes');
const running: Set<ChildProcess> = ((globalThis as Record<symbol, unknown>)[RUNNING] ??= new Set()) as Set<ChildProcess>;

process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});

/** Sends `signal` to the child's whole process group; false when the group is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // ESRCH: no process of the group is left
  }
}

/**
 * `spawn`, with the child leading a new process group that {@link stopProcess}
 * (or {@link stopAllProcesses}) stops as a whole.
 */
export function spawnProcess(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  running.add(child);
  return child;
}

/** Stops every process group started by {@link spawnProcess} and not yet stopped. */
export async function stopAllProcesses(graceMs = 2_000): Promise<void> {
  await Promise.all([...running].map((child) => stopProcess(child, graceMs)));
}

/**
 * Stops the child's process group: SIGTERM, then SIGKILL to the whole group
 * after `graceMs` or once the leader has exited (so that a launcher's
 * children cannot outlive it). Resolves when the leader has exited.
 */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (!running.has(child)) return;
  const leaderExited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([leaderExited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  signalGroup(child, 'SIGKILL');
  await leaderExited;
  running.delete(child);
}

/**
 * Whether a process exists: `pid`, or with a negative number (`-pgid`) any
 * process of that group. A process that exists but may not be signalled
 * (EPERM) counts as existing.
 */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return true;
    throw error;
  }
}

/**
 * The pids of `pid`'s direct children (`ps --ppid`), e.g. the workers of a
 * cluster primary; none when it has none or has exited.
 */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number.parseInt(s.trim(), 10))
      .filter((n) => Number.isInteger(n));
  } catch {
    return []; // ps exits 1 when there are none
  }
}
