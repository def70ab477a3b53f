#!/usr/bin/env bash
# Builds native/tests/c/abi_test.c (KEMs) and sig_test.c (signatures; both on
# the shared check harness tests/c/check.h) against
# include/hybridkem.h twice — linked with the static library and with the
# shared one — runs them, and runs the static builds under valgrind (leaks and
# invalid accesses fail the run). Then
# tests/c/dlclose_test.c: loading, calling and unloading the shared library
# from threads that then exit must not crash the process.
# Usage: native/scripts/test-c-abi.sh [--no-valgrind]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/target/c-abi"
mkdir -p "$out"
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
lib="$here/target/release"
# From `cargo rustc -- --print native-static-libs` on x86_64 Linux.
static_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
cflags="-std=c11 -O1 -g -Wall -Wextra -Werror -pedantic -I$here/include -I$here/tests/c"

gcc $cflags "$here/tests/c/abi_test.c" "$lib/libhybridkem_native.a" $static_libs -o "$out/abi_test_static"
gcc $cflags "$here/tests/c/abi_test.c" -L"$lib" -lhybridkem_native -Wl,-rpath,"$lib" -o "$out/abi_test_shared"
gcc $cflags "$here/tests/c/sig_test.c" "$lib/libhybridkem_native.a" $static_libs -o "$out/sig_test_static"
gcc $cflags "$here/tests/c/sig_test.c" -L"$lib" -lhybridkem_native -Wl,-rpath,"$lib" -o "$out/sig_test_shared"
gcc $cflags "$here/tests/c/dlclose_test.c" -ldl -lpthread -o "$out/dlclose_test"

echo "== abi_test (static library)"
"$out/abi_test_static"
echo "== abi_test (shared library)"
"$out/abi_test_shared" | tail -1
echo "== sig_test (static library)"
"$out/sig_test_static"
echo "== sig_test (shared library)"
"$out/sig_test_shared" | tail -1
echo "== dlclose_test (shared library unloaded from exiting threads)"
"$out/dlclose_test" "$lib/libhybridkem_native.so"

if [ "${1:-}" != "--no-valgrind" ]; then
  if ! command -v valgrind >/dev/null; then
    if [ "${CI:-}" = "true" ]; then echo "valgrind missing (CI=true: a failure)" >&2; exit 1; fi
    echo "skipped valgrind: not installed"
    exit 0
  fi
  echo "== abi_test (static library) under valgrind"
  valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$out/abi_test_static" | tail -1
  echo "== sig_test (static library) under valgrind"
  valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$out/sig_test_static" | tail -1
  echo "valgrind: no leak, no invalid access"
fi
