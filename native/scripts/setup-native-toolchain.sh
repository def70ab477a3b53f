#!/usr/bin/env bash
# What native/scripts/test-native-core.sh needs on a fresh machine: rustup's
# stable cargo (AWS-LC is built by aws-lc-sys with the C compiler), gcc, and
# valgrind (Debian's package). For .ci/run, before the tests.
set -euo pipefail
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
echo "native toolchain: $(cargo --version), $(gcc --version | head -1), $(valgrind --version)"
