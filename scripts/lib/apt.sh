# shellcheck shell=bash
# Debian packages for the setup scripts (sourced, not run). apt_install installs
# the packages of its arguments that are not installed yet, refreshing the
# package lists only when apt knows no candidate for one of them (a fresh image
# ships none). apt-get's output is appended to the file $apt_log names, or goes
# to stderr. Returns non-zero when apt-get fails; the caller says so and exits.
#
#   apt_install [--no-install-recommends] PACKAGE...
apt_install() {
  local flags=() missing=() p
  if [ "${1:-}" = --no-install-recommends ]; then
    flags+=("$1")
    shift
  fi
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  local apt_get=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q -y)
  local out="${apt_log:-/dev/stderr}"
  for p in "${missing[@]}"; do
    if [ -z "$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2}')" ]; then
      "${apt_get[@]}" update >>"$out" 2>&1 || return 1
      break
    fi
  done
  "${apt_get[@]}" install "${flags[@]}" "${missing[@]}" >>"$out" 2>&1
}
