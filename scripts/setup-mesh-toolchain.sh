#!/usr/bin/env bash
# Installs what testing @hybridkem/mesh needs on a fresh Debian machine:
# nats-server (Debian's package, /usr/sbin/nats-server), which the mesh's
# distribution tests start as a single JetStream server and as a 3-server
# cluster on 127.0.0.1 (packages/test-runtimes/src/nats.ts); SoftHSM 2
# (softhsm2: the PKCS#11 module /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so
# and softhsm2-util) and OpenSC's pkcs11-tool, for the pkcs11 key-storage tier's
# tests (packages/mesh/test/keystore-pkcs11.test.ts), which make a throwaway
# token in a temporary directory. The tier's binding, pkcs11js, is built by
# node-gyp during `scripts/pnpm install` (scripts/toolchain.sh points it at
# the running Node's headers). Under CI=true a missing nats-server, SoftHSM or
# pkcs11js fails those tests; it is never a reason to skip them.
# Idempotent and quiet on success; a second run does nothing.
set -euo pipefail
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

die() {
  echo "setup-mesh-toolchain: $1" >&2
  [ -s "$log" ] && tail -n 40 "$log" >&2
  exit 1
}

APT_PACKAGES=(nats-server softhsm2 opensc)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  apt_get=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q -y)
  # Refresh the package lists only when they do not know every missing package
  # (a fresh image ships none).
  for p in "${missing[@]}"; do
    if [ -z "$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2}')" ]; then
      "${apt_get[@]}" update >>"$log" 2>&1 || die "apt-get update failed"
      break
    fi
  done
  "${apt_get[@]}" install "${missing[@]}" >>"$log" 2>&1 || die "apt-get install ${missing[*]} failed"
fi
[ -x /usr/sbin/nats-server ] || die "/usr/sbin/nats-server is missing after installing nats-server"
command -v softhsm2-util >/dev/null || die "softhsm2-util is missing after installing softhsm2"
softhsm_module="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/softhsm/libsofthsm2.so"
[ -f "$softhsm_module" ] || die "$softhsm_module is missing after installing softhsm2"
