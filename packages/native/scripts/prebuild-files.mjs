/**
 * What scripts/build-addon.mjs and scripts/check-pack.mjs agree on: where a
 * prebuilt binary goes, and a digest of the sources it is built from.
 *
 * The layout is prebuildify's, which node-gyp-build (the loader in
 * src/addon.ts) reads: prebuilds/<platform>-<arch>/hybridkem_native.napi.glibc.node.
 * "napi" says the binary is for every Node with Node-API 8, whatever its
 * ABI version; "glibc" keeps it from being picked on musl (Alpine).
 *
 * The stamp (build/prebuild-stamp.json, never packed) records, per target,
 * the binary's SHA-256 and the sources' digest at build time, so the pack
 * guard can refuse a binary built from other sources.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = path.resolve(packageDir, '../..');
export const ADDON_NAME = 'hybridkem_native';

/** prebuilds/<target>/hybridkem_native.napi[.glibc].node, relative to the package. */
export function prebuildPath(platform, arch) {
  const tags = platform === 'linux' ? 'napi.glibc' : 'napi';
  return path.join('prebuilds', `${platform}-${arch}`, `${ADDON_NAME}.${tags}.node`);
}

export function stampPath(dir) {
  return path.join(dir, 'build', 'prebuild-stamp.json');
}

/**
 * Every file the addon is compiled from: the addon's C++ and CMake, the native
 * core (Rust, C header, lock file, build script) and the suites crate it uses.
 * Paths relative to the repository, so the digest does not depend on where it
 * is checked out.
 */
const SOURCES = [
  'packages/native/CMakeLists.txt',
  'packages/native/addon',
  'packages/native/cmake',
  'native/Cargo.toml',
  'native/Cargo.lock',
  'native/build.rs',
  'native/src',
  'native/include',
  'crates/hybridkem-suites/Cargo.toml',
  'crates/hybridkem-suites/src',
];

function walk(relative, out) {
  const full = path.join(repoDir, relative);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) walk(path.posix.join(relative, name), out);
  } else {
    out.push(relative);
  }
}

/** SHA-256 over every source file's path and contents. */
export function sourcesDigest() {
  const files = [];
  for (const s of SOURCES) walk(s, files);
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(`${f}\0`);
    hash.update(readFileSync(path.join(repoDir, f)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export function fileDigest(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Records in the stamp that prebuilds/<platform>-<arch>/ now holds the binary
 * built from `sources` (its digest taken before the build started).
 */
export function recordPrebuild(dir, platform, arch, sources) {
  const relative = prebuildPath(platform, arch);
  let stamp = {};
  try {
    stamp = JSON.parse(readFileSync(stampPath(dir), 'utf8'));
  } catch {
    // first build, or an unreadable stamp: start a new one
  }
  stamp[`${platform}-${arch}`] = { file: relative.split(path.sep).join('/'), sha256: fileDigest(path.join(dir, relative)), sources };
  mkdirSync(path.dirname(stampPath(dir)), { recursive: true });
  writeFileSync(stampPath(dir), `${JSON.stringify(stamp, null, 2)}\n`);
}

// `node scripts/prebuild-files.mjs digest` prints the sources' digest;
// `node scripts/prebuild-files.mjs record <platform> <arch> <digest>` records a
// prebuild (for native/scripts/prebuild-arm64.sh).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'digest') console.log(sourcesDigest());
  else if (command === 'record' && args.length === 3) recordPrebuild(packageDir, args[0], args[1], args[2]);
  else {
    console.error('usage: prebuild-files.mjs digest | record <platform> <arch> <sources digest>');
    process.exit(2);
  }
}
