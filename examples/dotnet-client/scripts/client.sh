#!/usr/bin/env bash
# Builds the client (the C# binding's sources and src/Client.cs, with mono's mcs, into build/)
# and runs it: scripts/client.sh --url http://127.0.0.1:8080
# HYBRIDKEM_NATIVE_DIR: where libhybridkem_native.so is (default native/target/release).
# HYBRIDKEM_BUILD_ONLY=1: build, do not run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
libdir="${HYBRIDKEM_NATIVE_DIR:-$root/native/target/release}"
for tool in mcs mono; do
  command -v "$tool" >/dev/null || { echo "dotnet-client: '$tool' is missing; run native/bindings/csharp/scripts/setup.sh" >&2; exit 1; }
done
[ -f "$libdir/libhybridkem_native.so" ] || { echo "dotnet-client: $libdir/libhybridkem_native.so is missing; build @hybridkem/native first" >&2; exit 1; }
mkdir -p "$here/build"
# Under a second in all: the binding is compiled here rather than taken from its own build/.
mcs -nologo -warnaserror -target:library -out:"$here/build/HybridKem.dll" "$root"/native/bindings/csharp/src/*.cs
mcs -nologo -warnaserror -out:"$here/build/Client.exe" -r:"$here/build/HybridKem.dll" -r:System.Json "$here/src/Client.cs"
[ "${HYBRIDKEM_BUILD_ONLY:-}" = 1 ] && exit 0
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec mono "$here/build/Client.exe" "$@"
