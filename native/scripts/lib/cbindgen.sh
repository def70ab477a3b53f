# Sourced by setup-native-toolchain.sh and generate-header.sh: the cbindgen
# that generates include/hybridkem.h, pinned exactly (another version may
# write the header differently, and generate-header.sh --check would fail).
# It lives in its own cargo root under ~/.cache/hybridkem, like the other
# cached tools; $CBINDGEN overrides the path (a binary of this version).
CBINDGEN_VERSION=0.29.4
CBINDGEN_ROOT="${HOME}/.cache/hybridkem/cbindgen-${CBINDGEN_VERSION}"
CBINDGEN="${CBINDGEN:-$CBINDGEN_ROOT/bin/cbindgen}"

# True when $CBINDGEN is the pinned version.
cbindgen_ok() {
  [ -x "$CBINDGEN" ] && [ "$("$CBINDGEN" --version 2>/dev/null)" = "cbindgen $CBINDGEN_VERSION" ]
}
