#!/usr/bin/env bash
# Generates include/hybridkem.h from the Rust source with cbindgen (the
# version pinned in scripts/lib/cbindgen.sh; setup-native-toolchain.sh
# installs it): cbindgen.toml holds the file-level documentation and the
# settings, each item's `///` doc becomes its comment in the header.
#   native/scripts/generate-header.sh          rewrite include/hybridkem.h
#   native/scripts/generate-header.sh --check  fail, with a diff, when the
#                                              committed header is not what
#                                              cbindgen generates (CI)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/cbindgen.sh
. "$here/scripts/lib/cbindgen.sh"
cbindgen_ok || {
  echo "generate-header: cbindgen $CBINDGEN_VERSION is missing at $CBINDGEN (bash native/scripts/setup-native-toolchain.sh installs it)" >&2
  exit 1
}
header="$here/include/hybridkem.h"
generated="$(mktemp)"
trap 'rm -f "$generated"' EXIT
# From src/lib.rs and the modules it declares, without cargo (no dependency is parsed).
(cd "$here" && "$CBINDGEN" --quiet --config cbindgen.toml --output "$generated" src/lib.rs)

case "${1:-}" in
  --check)
    if ! diff -u --label "include/hybridkem.h (committed)" --label "include/hybridkem.h (cbindgen $CBINDGEN_VERSION from src/)" "$header" "$generated"; then
      echo "generate-header: include/hybridkem.h is not what cbindgen generates from the Rust source; run native/scripts/generate-header.sh and commit it" >&2
      exit 1
    fi
    echo "generate-header: include/hybridkem.h is cbindgen $CBINDGEN_VERSION's output"
    ;;
  "")
    cp "$generated" "$header"
    echo "generate-header: wrote include/hybridkem.h (cbindgen $CBINDGEN_VERSION)"
    ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac
