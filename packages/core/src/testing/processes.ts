/**
 * Child processes that tests start, and the guarantee that a test run
 * leaves none of them behind.
 *
 * A test's child is often a launcher rather than the program: pnpm's
 * `node_modules/.bin/workerd` is a shell script that runs the workerd binary
 * as its own child, so killing the script's pid leaves workerd serving. Every
 * child started here therefore leads a process group of its own (`detached`)
 * and is stopped by signalling the whole group. A child started inside a test
 * is also stopped when that test finishes, whatever its outcome (a timeout
 * included), and every group still running is killed when the test process
 * exits.
 * @module
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { onTestFinished } from 'vitest';

/** Process groups started here and not yet stopped. */
const running = new Set<ChildProcess>();

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
 * stops as a whole. Inside a running test, the group is stopped when the test
 * finishes.
 */
export function spawnProcess(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  running.add(child);
  try {
    onTestFinished(() => stopProcess(child));
  } catch {
    // not inside a test (a hook or module scope): the caller stops it, or process exit does
  }
  return child;
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
