#!/usr/bin/env bash
# Installs what building and testing @hybridkem/wasm needs on a fresh Debian
# machine, the way ../shared/TOOLCHAIN.md ("Rust to WebAssembly", "Browser
# tests") says works here: `rustup target add wasm32-unknown-unknown` cannot
# download, so Debian's Rust with its std sources builds std for wasm32, and
# `npx playwright install` cannot download a browser, so Chromium comes from
# Debian too. Idempotent and quiet on success; a second run does nothing.
# This is the build's "debian" route. Elsewhere, rustup is enough:
#   rustup target add wasm32-unknown-unknown && cargo install wasm-bindgen-cli --version =<wasm/Cargo.lock's>
# (packages/wasm/scripts/build-wasm.mjs uses it whenever that target is installed).
#
#   bash scripts/setup-wasm-toolchain.sh              install what is missing
#   bash scripts/setup-wasm-toolchain.sh --print-env  then print the build's environment
#                                                     (eval "$(... --print-env)" to build by hand)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

die() {
  echo "setup-wasm-toolchain: $1" >&2
  [ -s "$log" ] && tail -n 40 "$log" >&2
  exit 1
}

# 1. Debian packages: Rust 1.96 with std sources, wasm-ld, wasm-opt, Chromium.
# shellcheck source=lib/apt.sh
. "$root/scripts/lib/apt.sh"
apt_log="$log"
apt_install rustc-web cargo-web rust-web-src lld-16 binaryen chromium || die "apt-get could not install the Debian packages"

# 2. wasm-bindgen-cli at exactly the version wasm/Cargo.lock resolves the
# wasm-bindgen crate to (the CLI refuses a module built by another version).
lock="$root/wasm/Cargo.lock"
[ -f "$lock" ] || die "$lock is missing"
version="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' "$lock")"
[ -n "$version" ] || die "no wasm-bindgen package in $lock"
bindgen="$tools/cargo/bin/wasm-bindgen"
if [ ! -x "$bindgen" ] || [ "$("$bindgen" --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
  # Debian's cargo and rustc (installed above), so no rustup is needed. Not
  # --locked: the CLI's lock file names crate versions the registry reachable
  # here does not have (webpki-roots 1.0.11), so cargo resolves within semver.
  # Only the wasm-bindgen binary, without default features (rustls/ring, for
  # the test runner's downloads): about a sixth less to compile. --force: we
  # only get here when the binary is missing or another version, and cargo
  # would otherwise trust its own record of what it installed.
  PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc CARGO_TARGET_DIR="$tools/cargo/target" \
    /usr/bin/cargo install wasm-bindgen-cli --version "=$version" --no-default-features --bin wasm-bindgen --force --root "$tools/cargo" >>"$log" 2>&1 ||
    die "cargo install wasm-bindgen-cli =$version failed"
  rm -rf "$tools/cargo/target"
  [ "$("$bindgen" --version 2>/dev/null)" = "wasm-bindgen $version" ] || die "$bindgen is not wasm-bindgen $version after cargo install"
fi

# 3. The environment the wasm build needs (TOOLCHAIN.md), for building by
# hand; packages/wasm/scripts/build-wasm.mjs sets the same itself. Debian's
# cargo and rustc before rustup's shims, build-std on stable through
# RUSTC_BOOTSTRAP, LLVM 16's wasm-ld as the linker; RUSTFLAGS (simd128 or
# not) belong to each build.
if [ "${1:-}" = "--print-env" ]; then
  cat <<EOF
export PATH="$tools/cargo/bin:/usr/bin:\$PATH"
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-16
EOF
fi
