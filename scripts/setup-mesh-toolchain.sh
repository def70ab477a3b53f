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
# And the WireGuard lab (packages/test-runtimes/src/wireguard.ts; test
# packages/mesh/test/wg-apply.test.ts): wireguard-go (userspace WireGuard, run
# with -f inside network namespaces the test creates; no kernel module),
# wireguard-tools (`wg`), iproute2 (`ip netns`, veth) and iputils-ping. These
# are installed without Recommends: wireguard-tools recommends a kernel image
# (for the module), which a container neither needs nor can boot. The lab
# needs root (network namespaces) and /dev/net/tun.
# Idempotent and quiet on success; a second run does nothing.
set -euo pipefail
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

die() {
  echo "setup-mesh-toolchain: $1" >&2
  [ -s "$log" ] && tail -n 40 "$log" >&2
  exit 1
}

# shellcheck source=lib/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
apt_log="$log"
apt_install nats-server softhsm2 opensc || die "apt-get could not install nats-server, softhsm2 and opensc"
# Without Recommends (see above).
WIREGUARD_PACKAGES=(wireguard-go wireguard-tools iproute2 iputils-ping)
apt_install --no-install-recommends "${WIREGUARD_PACKAGES[@]}" || die "apt-get could not install ${WIREGUARD_PACKAGES[*]}"
[ -x /usr/sbin/nats-server ] || die "/usr/sbin/nats-server is missing after installing nats-server"
command -v softhsm2-util >/dev/null || die "softhsm2-util is missing after installing softhsm2"
softhsm_module="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/softhsm/libsofthsm2.so"
[ -f "$softhsm_module" ] || die "$softhsm_module is missing after installing softhsm2"
for t in wireguard-go wg ip ping; do
  command -v "$t" >/dev/null || PATH="$PATH:/usr/sbin:/sbin" command -v "$t" >/dev/null || die "$t is missing after installing ${WIREGUARD_PACKAGES[*]}"
done
