#!/usr/bin/env bash
# Builds the client when its sources changed (Maven offline: src/main/kotlin with the Kotlin
# binding's sources, into target/) and runs it: scripts/client.sh --url http://127.0.0.1:8080
# HYBRIDKEM_MAVEN_REPO=DIR: the Maven local repository (as the binding's scripts).
# HYBRIDKEM_NATIVE_DIR: where libhybridkem_native.so is (default native/target/release).
# HYBRIDKEM_BUILD_ONLY=1: build, do not run. HYBRIDKEM_CLIENT_MAIN: the main class (default ClientKt).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
libdir="${HYBRIDKEM_NATIVE_DIR:-$root/native/target/release}"
for tool in mvn java; do
  command -v "$tool" >/dev/null || { echo "kotlin-client: '$tool' is missing; run native/bindings/kotlin/scripts/setup.sh" >&2; exit 1; }
done
[ -f "$libdir/libhybridkem_native.so" ] || { echo "kotlin-client: $libdir/libhybridkem_native.so is missing; build @hybridkem/native first" >&2; exit 1; }

cd "$here"
stamp=target/classes/ClientKt.class
if [ ! -f "$stamp" ] || [ ! -f target/classpath.txt ] || [ -n "$(find src pom.xml "$root/native/bindings/kotlin/src/main" -newer "$stamp" -type f | head -1)" ]; then
  repo_args=()
  [ -n "${HYBRIDKEM_MAVEN_REPO:-}" ] && repo_args=("-Dmaven.repo.local=$HYBRIDKEM_MAVEN_REPO")
  log="$(mktemp)"
  # Offline: native/bindings/kotlin/scripts/setup.sh fetched every artifact this needs.
  if ! mvn -o -B -q "${repo_args[@]}" compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >"$log" 2>&1; then
    tail -20 "$log" >&2; rm -f "$log"
    echo "kotlin-client: the Maven build failed (offline; run native/bindings/kotlin/scripts/setup.sh if an artifact is missing)" >&2
    exit 1
  fi
  rm -f "$log"
fi
[ "${HYBRIDKEM_BUILD_ONLY:-}" = 1 ] && exit 0
# HYBRIDKEM_CLIENT_MAIN: the program to run (scripts/channel-client.sh runs ChannelClientKt).
exec java -Djna.library.path="$libdir" -cp "target/classes:$(cat target/classpath.txt)" "${HYBRIDKEM_CLIENT_MAIN:-ClientKt}" "$@"
