#!/usr/bin/env bash
# Installs every Node of scripts/node-versions.txt (and of
# scripts/node-versions-pre-openssl35.txt) into .tools/node-<version>
# from the npm registry (node-<os>-<arch>), like the pinned one: the tests
# that run on each supported Node (scripts/test-node-versions.sh, the packed
# install test) find them there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pkg="$("$root/scripts/node-package.sh")"
cat "$root/scripts/node-versions.txt" "$root/scripts/node-versions-pre-openssl35.txt" | grep -v '^#' | while read -r v; do
  [ -n "$v" ] || continue
  bin="$root/.tools/node-$v/node_modules/$pkg/bin/node"
  if [ ! -x "$bin" ]; then
    npm install --prefix "$root/.tools/node-$v" --no-save --no-audit --no-fund --loglevel=error "$pkg@$v" >&2
  fi
done
