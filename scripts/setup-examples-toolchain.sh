#!/usr/bin/env bash
# Installs what testing the examples needs beyond Node and Go on a fresh
# Debian machine: promtool (Debian package prometheus, /usr/bin/promtool),
# with which examples/gateway's tests check prometheus/prometheus.yml.
# Installed without Recommends: only the binaries are needed. The package's
# service is not started (Debian's policy-rc.d in containers; the tests start
# nothing from it). Under CI=true a missing promtool fails those tests; it is
# never a reason to skip them. The Go module examples/gateway/dashboard-check
# uses is fetched by .ci/run (go mod download), not here.
# Idempotent and quiet on success; a second run does nothing.
set -euo pipefail
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

die() {
  echo "setup-examples-toolchain: $1" >&2
  [ -s "$log" ] && tail -n 40 "$log" >&2
  exit 1
}

# shellcheck source=lib/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
apt_log="$log"
apt_install --no-install-recommends prometheus || die "apt-get could not install prometheus"
command -v promtool >/dev/null || die "promtool is missing after installing prometheus"
