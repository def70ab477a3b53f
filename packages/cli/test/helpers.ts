/** Runs the built CLI (dist/cli.js) with this Node, and finds the published vectors. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnProcess } from '@hybridkem/core/testing';
import { afterAll, beforeAll } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

export const CLI = resolve(here, '../dist/cli.js');

/** ../shared/vectors relative to the repository root (packages/cli/test → ../../../). */
export const SHARED_VECTORS = resolve(here, '../../../../shared/vectors');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cliBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (pnpm turbo run build --filter=@hybridkem/cli)`);
}

/** Runs `hybridkem ...args` to completion (stopped when the test ends, if it has not). */
export function hybridkem(args: readonly string[], options: { cwd?: string; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnProcess(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    // A command that does not read stdin may exit before the input is written
    // (EPIPE): what it printed and its exit code are what the test checks.
    child.stdin!.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin!.end(options.input ?? '');
  });
}

/** Runs and expects exit status 0 with nothing on stderr. */
export async function ok(args: readonly string[], options: { cwd?: string } = {}): Promise<string> {
  const r = await hybridkem(args, options);
  if (r.code !== 0 || r.stderr !== '') {
    throw new Error(`hybridkem ${args.join(' ').slice(0, 200)} exited ${r.code}: ${r.stderr}`);
  }
  return r.stdout;
}

export async function okJson<T = Record<string, unknown>>(args: readonly string[], options: { cwd?: string } = {}): Promise<T> {
  return JSON.parse(await ok([...args, '--json'], options)) as T;
}

export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'hybridkem-cli-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A temporary directory shared by a test file's tests: made before them, once
 * the CLI is known to be built, and removed after them. Call it at the top
 * level before the file's own beforeAll, which then finds the directory made;
 * `path` is valid from then on, `file(name)` is a path in it.
 */
export function tempDirForFile(): { readonly path: string; file(name: string): string } {
  let made: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    cliBuilt();
    made = await tempDir();
  });
  afterAll(async () => made?.cleanup());
  const path = (): string => {
    if (made === undefined) throw new Error('tempDirForFile: the directory is made in beforeAll');
    return made.path;
  };
  return {
    get path() {
      return path();
    },
    file: (name) => join(path(), name),
  };
}

/** The published vectors are needed: skip without them, except in CI where their absence fails. */
export function sharedVectorsState(): 'present' | 'skip' | 'fail' {
  if (existsSync(SHARED_VECTORS)) return 'present';
  return process.env.CI === 'true' ? 'fail' : 'skip';
}

export interface BinaryResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `hybridkem ...args` with binary stdin and stdout, and extra environment variables. */
export function runBinary(args: readonly string[], input?: Uint8Array, env: Record<string, string> = {}): Promise<BinaryResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnProcess(process.execPath, [CLI, ...args], { env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout: Buffer.concat(out), stderr }));
    child.stdin!.on('error', () => {}); // the CLI may fail before reading all of it
    child.stdin!.end(input ?? Buffer.alloc(0));
  });
}

/** Single-quotes a word for sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

export interface TerminalResult {
  code: number | null;
  /** Everything the terminal showed (stdout and stderr of the command, and any echo). */
  screen: string;
}

/**
 * Runs `hybridkem ...args` on a real pseudo-terminal (util-linux script(1)):
 * stdin, stdout, stderr and /dev/tty are the terminal. `answers` are typed in
 * order, each once the screen shows its prompt, so nothing is typed before
 * the command has turned echo off. `shellSuffix` is appended to the command
 * line (e.g. a redirection). Stopped when the test ends.
 */
export function inTerminal(
  args: readonly string[],
  options: {
    answers?: readonly [prompt: string, text: string][];
    shellSuffix?: string;
    /** A whole shell command line instead of hybridkem with `args`. */
    rawCommand?: string;
    env?: Record<string, string>;
    cwd?: string;
  } = {},
): Promise<TerminalResult> {
  const command = options.rawCommand ?? `${[process.execPath, CLI, ...args].map(shellQuote).join(' ')}${options.shellSuffix ?? ''}`;
  return new Promise((resolvePromise, reject) => {
    const child = spawnProcess('script', ['-qec', command, '/dev/null'], {
      cwd: options.cwd,
      env: { ...process.env, NODE_OPTIONS: '', TERM: 'dumb', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    const pending = [...(options.answers ?? [])];
    let searchFrom = 0;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      screen += d;
      while (pending.length > 0) {
        const at = screen.indexOf(pending[0]![0], searchFrom);
        if (at < 0) break;
        searchFrom = at + pending[0]![0].length;
        child.stdin!.write(pending.shift()![1]);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (screen += d));
    child.stdin!.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, screen }));
  });
}
