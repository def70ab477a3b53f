#!/usr/bin/env node
/**
 * Builds the addon from source and leaves it where node-gyp-build finds it:
 * cmake-js configures and builds CMakeLists.txt, which first runs
 * `cargo build --release` on the native core (../../native) and links its
 * static library into build/Release/hybridkem_native.node (what a developer
 * in the repository loads); the binary is then copied to
 * prebuilds/<platform>-<arch>/hybridkem_native.napi.glibc.node (what the
 * packed package ships; see scripts/prebuild-files.mjs) and its digest and
 * the sources' recorded in build/prebuild-stamp.json for the pack guard.
 *
 * The package's `build` script runs it; it is incremental: cargo and CMake
 * rebuild only what changed. Installing the package never runs it.
 *
 * Without cargo or cmake it prints one line and exits 0, so that building the
 * workspace works anywhere and getBackend() falls back to the next backend.
 * Under CI=true that is an error instead: CI must test the native backend,
 * never silently skip it. A build that starts and fails is always an error,
 * and leaves no prebuild for this machine behind.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ADDON_NAME, packageDir, prebuildPath, recordPrebuild, sourcesDigest } from './prebuild-files.mjs';

const manifest = path.resolve(packageDir, '../../native/Cargo.toml');
const inCI = process.env.CI === 'true';
const prefix = '@hybridkem/native:';

function has(command) {
  const r = spawnSync(command, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

function notBuilt(reason) {
  const line =
    `${prefix} addon not built (${reason}); getBackend() will use the next backend (wasm or noble). ` +
    'Install Rust (cargo) and CMake, then run `pnpm --filter @hybridkem/native build`.';
  if (inCI) {
    console.error(`${line} CI=true: the native backend is required in CI.`);
    process.exit(1);
  }
  console.error(line);
  process.exit(0);
}

// rustup's cargo, when a non-login shell has not put ~/.cargo/bin on PATH.
const rustupBin = path.join(os.homedir(), '.cargo', 'bin');
if (!has('cargo') && existsSync(path.join(rustupBin, 'cargo'))) process.env.PATH = `${rustupBin}${path.delimiter}${process.env.PATH ?? ''}`;

// A stale binary must not be packed as this build's: it goes before anything can fail.
const prebuild = path.join(packageDir, prebuildPath(process.platform, process.arch));
rmSync(prebuild, { force: true });

const missing = ['cargo', 'cmake'].filter((c) => !has(c));
if (missing.length > 0) notBuilt(`${missing.join(' and ')} not found on PATH`);
if (!existsSync(manifest)) notBuilt(`the native core's sources are not at ${path.relative(packageDir, manifest)}`);

// Digest the sources before building: an edit made while the build runs then
// shows as a mismatch at pack time instead of being recorded as built.
const sources = sourcesDigest();
// cmake-js reads "binary.napi_versions" from package.json and then builds
// against the node-api-headers package: no Node headers are downloaded.
const require = createRequire(import.meta.url);
const cmakeJs = path.join(path.dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');
const r = spawnSync(process.execPath, [cmakeJs, 'compile', '--directory', packageDir, '--out', 'build', '--config', 'Release'], {
  cwd: packageDir,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, HYBRIDKEM_NATIVE_MANIFEST: manifest },
});
if (r.status !== 0) {
  console.error(`${prefix} the addon build failed (cmake-js exit ${r.status ?? r.signal}); see the output above.`);
  process.exit(1);
}

const built = path.join(packageDir, 'build', 'Release', `${ADDON_NAME}.node`);
mkdirSync(path.dirname(prebuild), { recursive: true });
copyFileSync(built, prebuild);
// The shipped copy loses its debug information (half of its 8 MB); the one in
// build/Release keeps it for debugging. Without binutils' strip it ships as built.
if (has('strip')) {
  const s = spawnSync('strip', ['--strip-unneeded', prebuild], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (s.status !== 0) {
    rmSync(prebuild, { force: true });
    console.error(`${prefix} strip failed on ${path.relative(packageDir, prebuild)} (exit ${s.status ?? s.signal}).`);
    process.exit(1);
  }
}
recordPrebuild(packageDir, process.platform, process.arch, sources);
console.error(`${prefix} ${path.relative(packageDir, prebuild)} (from build/Release/${ADDON_NAME}.node)`);
