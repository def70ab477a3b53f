// The prepack guard (scripts/check-pack.mjs): `pnpm pack` must refuse to make
// a tarball whose linux-x64 binary is missing, empty, not the one the last
// build made, or built from other sources than the current ones: installing
// never compiles, so such a tarball would install a backend that cannot load.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inCI } from '@hybridkem/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ending, runNode } from './child.js';
// @ts-expect-error: a plain .mjs script without declarations
import { sourcesDigest } from '../scripts/prebuild-files.mjs';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const guard = path.join(packageDir, 'scripts', 'check-pack.mjs');
const X64 = 'prebuilds/linux-x64/hybridkem_native.napi.glibc.node';
const ARM64 = 'prebuilds/linux-arm64/hybridkem_native.napi.glibc.node';
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** The start of an ELF shared object for e_machine (62: x86-64, 183: AArch64); the guard reads only the header. */
function elf(machine: number): Uint8Array {
  const b = Buffer.alloc(64);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2; // 64-bit
  b[5] = 1; // little endian
  b.writeUInt16LE(3, 16); // ET_DYN
  b.writeUInt16LE(machine, 18);
  return b;
}
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A package folder with the given files (relative path → contents); the stamp as given. */
async function fixture(files: Record<string, Uint8Array>, stamp?: unknown): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hybridkem-native-pack-'));
  dirs.push(dir);
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), bytes);
  }
  if (stamp !== undefined) {
    await mkdir(path.join(dir, 'build'), { recursive: true });
    await writeFile(path.join(dir, 'build', 'prebuild-stamp.json'), JSON.stringify(stamp));
  }
  return dir;
}

async function runGuard(dir: string) {
  return runNode([guard, dir], 30_000);
}

async function refused(dir: string, reason: RegExp): Promise<void> {
  const r = await runGuard(dir);
  expect(ending(r), r.stderr).toBe('exit 1');
  expect(r.stderr).toMatch(/^@hybridkem\/native: refusing to pack: /);
  expect(r.stderr).toMatch(reason);
}

describe('the prepack guard', () => {
  const sources = sourcesDigest() as string;
  const x64 = elf(62);
  const goodStamp = { 'linux-x64': { file: X64, sha256: sha256(x64), sources } };

  it('package.json runs it before packing, ships prebuilds/, and installs nothing that compiles', () => {
    const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepack).toBe('node scripts/check-pack.mjs');
    expect(pkg.scripts.install).toBeUndefined();
    expect(pkg.scripts.preinstall).toBeUndefined();
    expect(pkg.scripts.postinstall).toBeUndefined();
    expect(pkg.files).toEqual(['dist', 'prebuilds', 'README.md']);
    // @hybridkem/signing is pure JavaScript (it supplies the SignatureBackend type of `signatureBackend`).
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@hybridkem/core', '@hybridkem/signing', 'node-gyp-build']);
    expect(pkg.dependencies['node-gyp-build']).toMatch(/^\d+\.\d+\.\d+$/);
    for (const d of ['cmake-js', 'node-addon-api', 'node-api-headers']) expect(pkg.devDependencies[d]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('refuses a package without prebuilds/', async () => {
    await refused(await fixture({}), new RegExp(`${X64} is missing`));
  });

  it('refuses an empty binary', async () => {
    await refused(await fixture({ [X64]: new Uint8Array(0) }, goodStamp), new RegExp(`${X64} is empty`));
  });

  it('refuses a file that is not an ELF shared object, or one for another architecture', async () => {
    await refused(await fixture({ [X64]: new TextEncoder().encode('not a binary at all, just text') }, goodStamp), /is not an ELF file/);
    await refused(await fixture({ [X64]: elf(183) }, goodStamp), /is for ELF machine 183, not linux-x64/);
  });

  it('refuses a binary the build did not record, or not the one it recorded', async () => {
    await refused(await fixture({ [X64]: x64 }), /has no record in build\/prebuild-stamp\.json/);
    await refused(await fixture({ [X64]: x64 }, { 'linux-x64': { ...goodStamp['linux-x64'], sha256: '00'.repeat(32) } }), /is not the binary the last build made/);
  });

  it('refuses a binary built from other sources than the current ones', async () => {
    await refused(await fixture({ [X64]: x64 }, { 'linux-x64': { ...goodStamp['linux-x64'], sources: '11'.repeat(32) } }), /was built from other sources/);
  });

  it('checks an optional linux-arm64 prebuild the same way', async () => {
    const arm64 = elf(183);
    await refused(await fixture({ [X64]: x64, [ARM64]: x64 }, goodStamp), /linux-arm64.* is for ELF machine 62, not linux-arm64/);
    await refused(await fixture({ [X64]: x64, [ARM64]: arm64 }, goodStamp), /linux-arm64.* has no record/);
    const both = { ...goodStamp, 'linux-arm64': { file: ARM64, sha256: sha256(arm64), sources } };
    const r = await runGuard(await fixture({ [X64]: x64, [ARM64]: arm64 }, both));
    expect(ending(r), r.stderr).toBe('exit 0');
  });

  it('accepts a recorded binary built from the current sources', async () => {
    const r = await runGuard(await fixture({ [X64]: x64 }, goodStamp));
    expect(ending(r), r.stderr).toBe('exit 0');
    expect(r.stderr).toBe('');
  });

  const built = existsSync(path.join(packageDir, X64));
  it.runIf(built || inCI)(`accepts this package as its build left it${inCI ? ' (CI=true: the prebuild is required)' : ''}`, async () => {
    const r = await runGuard(packageDir);
    expect(ending(r), r.stderr).toBe('exit 0');
  });
});
