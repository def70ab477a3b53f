#!/usr/bin/env bash
# Installs the C# toolchain from Debian (mono compiler + runtime, NUnit 2.6,
# System.Json). Idempotent: does nothing when every package is installed.
set -euo pipefail
# Exact Debian bookworm versions (the ones the suite was run with).
mono_v=6.8.0.105+dfsg-3.3+deb12u1
nunit_v=2.6.4+dfsg-1.1
pkgs=(mono-mcs=$mono_v mono-runtime=$mono_v libmono-system-json4.0-cil=$mono_v nunit-console=$nunit_v libnunit-cil-dev=$nunit_v)
missing=()
for p in "${pkgs[@]}"; do
  name=${p%%=*}; want=${p#*=}
  [ "$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null)" = "install ok installed $want" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then echo "csharp setup: toolchain already installed"; exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y --no-install-recommends "${missing[@]}"
