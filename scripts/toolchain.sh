#!/usr/bin/env bash
# Puts a supported Node (>= 22.12) and the pinned pnpm on PATH, installing them
# into .tools/ from the npm registry when the machine lacks them. The machine's
# own Node may be past end of life (see ../shared/TOOLCHAIN.md); Node itself is
# published on npm as the platform packages node-<os>-<arch>.
# Source this file; it exports PATH.
NODE_VERSION=24.21.0
PNPM_VERSION=10.34.8
_hk_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_hk_tools="$_hk_root/.tools"

_hk_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if ! _hk_node_ok; then
  _hk_pkg="$("$_hk_root/scripts/node-package.sh")" || { return 1 2>/dev/null || exit 1; }
  _hk_bin="$_hk_tools/node/node_modules/$_hk_pkg/bin"
  if [ ! -x "$_hk_bin/node" ]; then
    echo "toolchain: installing Node $NODE_VERSION ($_hk_pkg) into .tools/node" >&2
    npm install --prefix "$_hk_tools/node" --no-save --no-audit --no-fund --loglevel=error "$_hk_pkg@$NODE_VERSION" >&2
  fi
  export PATH="$_hk_bin:$PATH"
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if [ ! -x "$_hk_tools/pnpm/node_modules/.bin/pnpm" ]; then
    echo "toolchain: installing pnpm $PNPM_VERSION into .tools/pnpm" >&2
    npm install --prefix "$_hk_tools/pnpm" --no-save --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$_hk_tools/pnpm/node_modules/.bin:$PATH"
fi
# Native addons (the mesh's optional pkcs11js) are built by node-gyp at
# install time. node-gyp downloads Node's headers unless told where they are,
# and Node's download host is not reachable from here or CI; every official
# Node build, the npm package in .tools/node included, ships them in
# <prefix>/include/node. Point node-gyp at the running Node's own headers
# (which also makes the addon match that Node), unless the caller chose.
if [ -z "${npm_config_nodedir:-}" ]; then
  _hk_prefix="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
  if [ -f "$_hk_prefix/include/node/node.h" ] && [ -f "$_hk_prefix/include/node/common.gypi" ]; then
    export npm_config_nodedir="$_hk_prefix"
  fi
fi
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
