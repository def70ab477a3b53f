/**
 * The Node binaries to install and run on: the pinned one running this test
 * and each of scripts/node-versions.txt (installed into .tools/ by
 * scripts/install-node-versions.sh); and npm's own CLI, run by each of them.
 * @module
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT } from './pack.js';

export interface NodeBinary {
  readonly version: string;
  readonly path: string;
}

const PLATFORM_PACKAGE = `node-${process.platform}-${process.arch}`;

export function nodeBinaries(): NodeBinary[] {
  const others = readFileSync(join(ROOT, 'scripts/node-versions.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const out: NodeBinary[] = [{ version: process.versions.node, path: process.execPath }];
  for (const version of others) {
    const path = join(ROOT, '.tools', `node-${version}`, 'node_modules', PLATFORM_PACKAGE, 'bin', 'node');
    if (!existsSync(path)) throw new Error(`Node ${version} is not installed at ${path}: run scripts/install-node-versions.sh`);
    out.push({ version, path });
  }
  return out.sort((a, b) => Number(a.version.split('.')[0]) - Number(b.version.split('.')[0]));
}

/** npm's CLI script (the machine's npm), to run under each Node. */
export function npmCli(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const npm = join(dir, 'npm');
    if (!dir || !existsSync(npm)) continue;
    const real = realpathSync(npm);
    if (real.endsWith('npm-cli.js')) return real;
    const beside = join(real, '..', 'npm-cli.js');
    if (existsSync(beside)) return beside;
  }
  throw new Error('npm is not on PATH');
}
