#!/usr/bin/env bash
# Runs the core, signing, seal, noble, native, openssl, wasm and CLI test suites again on every other supported
# Node major (the main run uses the pinned Node 24), so that "supports Node
# 22, 24 and 26" is checked rather than claimed. Each Node comes from the npm
# registry (node-<os>-<arch>) into .tools/, like the pinned one
# (scripts/install-node-versions.sh, versions in scripts/node-versions.txt).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-node-versions.sh"
pkg="$("$root/scripts/node-package.sh")"
for v in $(grep -v '^#' "$root/scripts/node-versions.txt"); do
  bin="$root/.tools/node-$v/node_modules/$pkg/bin/node"
  for p in core signing seal noble native openssl wasm cli; do
    echo "== Node $("$bin" --version): @hybridkem/$p"
    # The 1 GiB CLI round trip runs once, in the main run on the pinned Node.
    (cd "$root/packages/$p" && HYBRIDKEM_SKIP_1GIB=1 "$bin" "$root/node_modules/vitest/vitest.mjs" run --reporter=dot)
  done
done
