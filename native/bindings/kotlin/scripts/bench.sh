#!/usr/bin/env bash
# X-Wing encapsulate / decapsulate: the Kotlin binding next to the same C calls
# timed inside Rust (hybridkem-bench-core), in one run. Prints both medians and
# the ratio Kotlin / Rust (goal <= 1.25); never asserts a timing.
#   scripts/bench.sh [--iterations N]     (default 2000; test.sh runs a tiny smoke)
# Needs a built module (scripts/test.sh, or mvn -o test-compile dependency:build-classpath
# -Dmdep.outputFile=target/classpath.txt) and the Rust bench binary.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/../../.." && pwd)"
iterations=2000
if [ "${1:-}" = "--iterations" ]; then iterations="$2"; fi
warmup=$(( iterations < 1000 ? iterations : 1000 ))

bench_core="$repo/native/target/release/hybridkem-bench-core"
if [ ! -x "$bench_core" ]; then
  echo "building hybridkem-bench-core" >&2
  cargo build --release --quiet --manifest-path "$repo/native/Cargo.toml" --bin hybridkem-bench-core
fi
cp_file="$here/target/classpath.txt"
if [ ! -f "$cp_file" ] || [ ! -d "$here/target/test-classes" ]; then
  (cd "$here" && mvn -o -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
fi
classpath="$here/target/test-classes:$here/target/classes:$(cat "$cp_file")"

# Rust and Kotlin alternate for three rounds so that load from other users of
# the machine falls on both; each side's figure is the median of its round medians.
rust=""; kotlin=""
for round in 1 2 3; do
  rust+="$("$bench_core" --suite X-Wing --iterations "$iterations" --warmup "$warmup")"$'\n'
  kotlin+="$(java -Djna.library.path="$repo/native/target/release" -cp "$classpath" dev.hybridkem.bench.BenchKt \
    --iterations "$iterations" --warmup "$warmup")"$'\n'
done

# The median of the three round medians of one op.
median() { printf '%s' "$1" | grep "\"op\":\"$2\"" | sed -E 's/.*"medianNs":([0-9]+).*/\1/' | sort -n | sed -n 2p; }
printf '%-18s %12s %12s %12s %12s %8s\n' op rust_ns kotlin_ns rust_ops/s kotlin_ops/s ratio
for op in encapsulate encapsulateRandom decapsulate; do
  r="$(median "$rust" "$op")"; k="$(median "$kotlin" "$op")"
  awk -v op="$op" -v r="$r" -v k="$k" 'BEGIN { printf "%-18s %12d %12d %12.0f %12.0f %7.2fx\n", op, r, k, 1e9 / r, 1e9 / k, k / r }'
done
echo "(ratio = Kotlin median / Rust median for the same C call; goal <= 1.25x; median of 3 alternating rounds of $iterations samples each)"
