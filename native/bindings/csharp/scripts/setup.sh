#!/usr/bin/env bash
# Installs the C# toolchain from Debian (mono compiler + runtime, NUnit 2.6,
# System.Json). Idempotent: does nothing when every package is installed.
set -euo pipefail
pkgs=(mono-mcs mono-runtime nunit-console libnunit-cil-dev libmono-system-json4.0-cil)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then echo "csharp setup: toolchain already installed"; exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y --no-install-recommends "${missing[@]}"
