#!/usr/bin/env bash
# Compiles native/tests/csharp/Smoke.cs (a P/Invoke client written from the
# header alone) with Debian's mono-mcs and runs it against the shared library.
# Not part of CI: mono is optional (apt-get install mono-mcs mono-runtime).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/target/csharp"
mkdir -p "$out"
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v mcs >/dev/null || ! command -v mono >/dev/null; then
  echo "skipped C# smoke test: mcs/mono not installed (apt-get install mono-mcs mono-runtime)"
  exit 0
fi
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
mcs -nologo -out:"$out/Smoke.exe" "$here/tests/csharp/Smoke.cs"
LD_LIBRARY_PATH="$here/target/release${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" mono "$out/Smoke.exe"
