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

APT_PACKAGES_NO_RECOMMENDS=(prometheus)
missing=()
for p in "${APT_PACKAGES_NO_RECOMMENDS[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  apt_get=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q -y)
  # Refresh the package lists only when they do not know every missing package (a fresh image ships none).
  for p in "${missing[@]}"; do
    if [ -z "$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2}')" ]; then
      "${apt_get[@]}" update >>"$log" 2>&1 || die "apt-get update failed"
      break
    fi
  done
  "${apt_get[@]}" install --no-install-recommends "${missing[@]}" >>"$log" 2>&1 ||
    die "apt-get install ${missing[*]} failed"
fi
command -v promtool >/dev/null || die "promtool is missing after installing prometheus"
