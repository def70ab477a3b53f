#!/usr/bin/env bash
# X-Wing encapsulate/decapsulate from C# next to the same C calls timed inside
# Rust (hybridkem-bench-core), in one run: prints both medians and the ratio
# C# / Rust per op (goal <= 1.25). Never asserts a timing.
#   scripts/bench.sh [ITERATIONS]   (default 2000; HYBRIDKEM_BENCH_SMOKE=1: 20, for test.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="$here/build"
libdir="${HYBRIDKEM_NATIVE_DIR:-$root/native/target/release}"
iterations="${1:-2000}"; warmup=200
if [ "${HYBRIDKEM_BENCH_SMOKE:-0}" = 1 ]; then iterations=20; warmup=5; fi
bench_core="$root/native/target/release/hybridkem-bench-core"
if [ ! -x "$bench_core" ]; then
  echo "building hybridkem-bench-core" >&2
  cargo build --release --quiet --manifest-path "$root/native/Cargo.toml" --bin hybridkem-bench-core
fi
mkdir -p "$build"
if [ ! -f "$build/HybridKem.dll" ]; then mcs -nologo -target:library -out:"$build/HybridKem.dll" "$here"/src/*.cs; fi
mcs -nologo -out:"$build/Bench.exe" -r:"$build/HybridKem.dll" "$here/bench/Bench.cs"

median() { grep "\"op\":\"$1\"" | sed -E 's/.*"medianNs":([0-9]+).*/\1/'; }
rust=$("$bench_core" --suite X-Wing --iterations "$iterations" --warmup "$warmup")
cs=$(cd "$build" && LD_LIBRARY_PATH="$libdir" mono --optimize=all Bench.exe "$iterations" "$warmup")
for op in encapsulate decapsulate; do
  r=$(echo "$rust" | median "$op"); c=$(echo "$cs" | median "$op")
  echo "X-Wing $op: rust ${r} ns, csharp ${c} ns, $(awk -v r="$r" -v c="$c" 'BEGIN{printf "ops/s rust %.0f, csharp %.0f", 1e9/r, 1e9/c}')"
  echo "ratio $op $(awk -v r="$r" -v c="$c" 'BEGIN{printf "%.3f", c/r}') (goal <= 1.25)"
done
