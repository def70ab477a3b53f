/**
 * An empty project outside the workspace, the packed tarballs installed into
 * it with npm and no registry (--offline), under a PATH that holds only the
 * chosen `node` and `sh`: no cargo, cmake or C compiler could run.
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeBinary } from './nodes.js';
import { run, runOk, type RunResult } from './run.js';

export interface Project {
  readonly dir: string;
  readonly node: NodeBinary;
  /** Runs `node <args>` in the project with the bare PATH. */
  node$(args: readonly string[], options?: { input?: string; env?: Record<string, string> }): Promise<RunResult>;
  /** Runs npm's CLI (e.g. `exec -- hybridkem ...`) under the project's Node. */
  npm$(args: readonly string[], options?: { input?: string }): Promise<RunResult>;
  remove(): void;
}

export async function installProject(node: NodeBinary, npmCli: string, tarballs: readonly string[]): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), `hybridkem-packed-node${node.version.split('.')[0]}-`));
  const bin = join(dir, '.bin-path');
  mkdirSync(bin);
  symlinkSync(node.path, join(bin, 'node'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'packed-install-check', version: '1.0.0', private: true }, null, 2));
  const env = {
    PATH: bin,
    HOME: dir,
    npm_config_cache: join(dir, '.npm-cache'),
    npm_config_update_notifier: 'false',
    NODE_OPTIONS: '',
  };
  const project: Project = {
    dir,
    node,
    node$: (args, options = {}) => run(node.path, args, { cwd: dir, env: { ...env, ...options.env }, input: options.input }),
    npm$: (args, options = {}) => run(node.path, [npmCli, ...args], { cwd: dir, env, input: options.input, timeoutMs: 180_000 }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  await runOk(node.path, [npmCli, 'install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], {
    cwd: dir,
    env,
    timeoutMs: 240_000,
  });
  return project;
}
