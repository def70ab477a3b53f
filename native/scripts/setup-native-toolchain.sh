#!/usr/bin/env bash
# What native/scripts/test-native-core.sh needs on a fresh machine: rustup's
# stable cargo (AWS-LC is built by aws-lc-sys with the C compiler), gcc, and
# valgrind (Debian's package), and the pinned cbindgen that generates
# include/hybridkem.h (test-native-core.sh checks the committed header against
# it). For .ci/run, before the tests.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || { echo "native: cargo (rustup stable) is required" >&2; exit 1; }
command -v gcc >/dev/null || { echo "native: gcc is required" >&2; exit 1; }
if ! command -v valgrind >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends valgrind >/dev/null
  else
    echo "native: valgrind is required (apt-get install valgrind)" >&2
    exit 1
  fi
fi
# cbindgen, exactly the version scripts/lib/cbindgen.sh pins, in its own
# cargo root under ~/.cache/hybridkem (kept between runs when that is cached);
# built from crates.io with its own lock file when it is not there (about 4
# minutes on 2 busy cores).
# shellcheck source=lib/cbindgen.sh
. "$here/scripts/lib/cbindgen.sh"
if ! cbindgen_ok; then
  echo "native: installing cbindgen $CBINDGEN_VERSION into $CBINDGEN_ROOT (cargo install --locked)"
  log="$(mktemp)"
  if ! CARGO_TARGET_DIR="$CBINDGEN_ROOT/target" cargo install --locked --version "=$CBINDGEN_VERSION" cbindgen --root "$CBINDGEN_ROOT" --force >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    rm -f "$log"
    echo "native: cargo install cbindgen =$CBINDGEN_VERSION failed" >&2
    exit 1
  fi
  rm -rf "$log" "$CBINDGEN_ROOT/target"
  CBINDGEN="$CBINDGEN_ROOT/bin/cbindgen"
  cbindgen_ok || { echo "native: $CBINDGEN is not cbindgen $CBINDGEN_VERSION after cargo install" >&2; exit 1; }
fi
echo "native toolchain: $(cargo --version), $(gcc --version | head -1), $(valgrind --version), $("$CBINDGEN" --version)"
