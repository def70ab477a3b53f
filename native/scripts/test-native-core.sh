#!/usr/bin/env bash
# The native core's own tests, for CI (packages/native's test calls this):
# cargo test (every published and spec vector, Wycheproof, the C ABI contract
# from Rust), then the C program against include/hybridkem.h, static and
# shared, and under valgrind. First, that the committed header is what
# cbindgen generates from the Rust source (scripts/generate-header.sh
# --check). Release profile throughout, so the AWS-LC build is the one
# `cargo build --release` already made.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"

echo "== include/hybridkem.h is cbindgen's output (generate-header.sh --check)"
"$here/scripts/generate-header.sh" --check

echo "== cargo test --release (native/)"
cargo test --release --quiet --manifest-path "$here/Cargo.toml"
"$here/scripts/test-c-abi.sh" "$@"
