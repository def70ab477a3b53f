#!/usr/bin/env node
/**
 * Builds the addon (build/Release/hybridkem_native.node): cmake-js configures
 * and builds CMakeLists.txt, which first runs `cargo build --release` on the
 * native core (../../native) and links its static library.
 *
 * Run by `pnpm install` (the package's `install` script) and by its `build`
 * script (`--build`). Both are incremental: cargo and CMake rebuild only what
 * changed.
 *
 * Without cargo or cmake it prints one line and exits 0, so that installing
 * the workspace works anywhere and getBackend() falls back to the next
 * backend. Under CI=true that is an error instead: CI must test the native
 * backend, never silently skip it. A build that starts and fails is always an
 * error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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

const missing = ['cargo', 'cmake'].filter((c) => !has(c));
if (missing.length > 0) notBuilt(`${missing.join(' and ')} not found on PATH`);
if (!existsSync(manifest)) notBuilt(`the native core's sources are not at ${path.relative(packageDir, manifest)}`);

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
