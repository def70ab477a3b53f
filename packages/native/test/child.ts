// Runs a Node script in a child process, so that a crash (an abort, a
// segfault) shows as a failed test with the child's exit signal instead of a
// dead test runner. The child leads its own process group (core's
// spawnProcess), which is stopped on every path out: a timeout, a failed
// assertion in the caller, an error while spawning, the end of the test.
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runNode(args: readonly string[], timeoutMs: number): Promise<ChildResult> {
  const child = spawnProcess(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let timer: NodeJS.Timeout | undefined;
  try {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    return await new Promise<ChildResult>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`node ${args.join(' ')}: no exit within ${timeoutMs} ms`)), timeoutMs);
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  } finally {
    clearTimeout(timer);
    await stopProcess(child, 1_000);
  }
}

/** How a child ended, for assertion messages: "exit 0", "exit 134", "signal SIGSEGV". */
export function ending(r: ChildResult): string {
  return r.signal ? `signal ${r.signal}` : `exit ${r.code}`;
}
