/**
 * The tarballs a user would download: every public package of the workspace
 * packed with `pnpm pack` (workspace:* becomes the version, prepack guards
 * run), and each third-party package they depend on, packed from the
 * workspace's installed copy (a registry tarball is its published files
 * under `package/`), so that `npm install --offline` needs no registry.
 * @module
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOk } from './run.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  gypfile?: boolean;
}

/**
 * Whether installing the package runs a build: an install script, or a
 * binding.gyp, for which npm runs `node-gyp rebuild` by itself.
 */
function needsBuild(dir: string): boolean {
  const m = manifest(dir);
  return existsSync(join(dir, 'binding.gyp')) || m.gypfile === true || ['preinstall', 'install', 'postinstall'].some((s) => m.scripts?.[s] !== undefined);
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The directories of the workspace packages that are published. */
export function publicPackages(): { name: string; dir: string }[] {
  const base = join(ROOT, 'packages');
  return readdirSync(base)
    .map((d) => join(base, d))
    .filter((dir) => existsSync(join(dir, 'package.json')) && !manifest(dir).private)
    .map((dir) => ({ name: manifest(dir).name, dir }));
}

/** Node's lookup: `<ancestor>/node_modules/<name>` from `from` upwards. */
function resolvePackageDir(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (!dir.endsWith('/node_modules')) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    if (dirname(dir) === dir) throw new Error(`cannot find ${name} from ${from}`);
  }
}

/** Third-party packages the public packages need at run time, transitively: name@version -> directory. */
export function thirdPartyClosure(packages: { dir: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string) => {
    const m = manifest(dir);
    const deps = { ...m.dependencies, ...m.optionalDependencies };
    for (const name of Object.keys(deps)) {
      if (name.startsWith('@hybridkem/')) continue;
      let depDir: string;
      try {
        depDir = resolvePackageDir(dir, name);
      } catch (error) {
        if (m.optionalDependencies?.[name]) continue; // an optional dependency not installed for this platform
        throw error;
      }
      const dm = manifest(depDir);
      // An optional dependency that compiles at install (pkcs11js, the mesh's
      // PKCS#11 tier) is not offered: the projects have no compiler on PATH,
      // and npm skips an optional dependency it cannot get, as it skips one
      // whose build fails on a user's machine. The depending package must
      // install and work without it.
      if (m.optionalDependencies?.[name] && needsBuild(depDir)) continue;
      const key = `${dm.name}@${dm.version}`;
      if (out.has(key)) continue;
      out.set(key, depDir);
      visit(depDir);
    }
  };
  for (const p of packages) visit(p.dir);
  return out;
}

/** Packs everything into `dest`; returns the tarballs' paths. */
export async function packAll(dest: string): Promise<string[]> {
  const packages = publicPackages();
  const tarballs: string[] = [];
  for (const p of packages) {
    const before = new Set(readdirSync(dest));
    await runOk('pnpm', ['pack', '--pack-destination', dest], { cwd: p.dir, timeoutMs: 120_000 });
    const added = readdirSync(dest).filter((f) => !before.has(f) && f.endsWith('.tgz'));
    if (added.length !== 1) throw new Error(`pnpm pack in ${p.dir} made ${added.length} tarballs`);
    tarballs.push(join(dest, added[0]!));
  }
  for (const [key, dir] of thirdPartyClosure(packages)) {
    const stage = mkdtempSync(join(dest, 'stage-'));
    cpSync(dir, join(stage, 'package'), { recursive: true, dereference: true, filter: (src) => !src.slice(dir.length).includes('/node_modules') });
    const tarball = join(dest, `${key.replace(/^@/, '').replace(/[/@]/g, '-')}.tgz`);
    await runOk('tar', ['-czf', tarball, '-C', stage, 'package']);
    rmSync(stage, { recursive: true, force: true });
    tarballs.push(tarball);
  }
  return tarballs;
}
