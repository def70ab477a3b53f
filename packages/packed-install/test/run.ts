/**
 * Runs a command to completion in its own process group (stopped as a whole
 * on timeout), collecting its output.
 * @module
 */
import type { SpawnOptions } from 'node:child_process';
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(command: string, args: readonly string[], options: SpawnOptions & { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  const { timeoutMs = 120_000, input, ...spawnOptions } = options;
  const child = spawnProcess(command, args, { ...spawnOptions, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // A child that exits or closes its stdin before reading it (npm does) makes
  // this write fail with EPIPE; its exit code and output say what happened.
  child.stdin!.on('error', () => {});
  if (input === undefined) child.stdin!.end();
  else child.stdin!.end(input);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopProcess(child);
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  await stopProcess(child);
  if (timedOut) throw new Error(`${command} ${args.join(' ').slice(0, 200)}: timed out after ${timeoutMs} ms\n${stderr}`);
  return { code, stdout, stderr };
}

/** Runs and throws, with the output, unless it exits 0. */
export async function runOk(command: string, args: readonly string[], options: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  const r = await run(command, args, options);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ').slice(0, 300)} exited ${r.code}\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-4000)}`);
  return r;
}
