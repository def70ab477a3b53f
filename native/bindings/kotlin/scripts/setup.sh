#!/usr/bin/env bash
# One-time setup for the Kotlin binding (CI calls it as root on a fresh Debian
# bookworm machine, with network, before pnpm install). Idempotent and quick
# when everything is there:
#   1. apt-get install maven openjdk-17-jdk-headless, when mvn or javac is missing;
#   2. fetch every Maven artifact (plugins, kotlin-stdlib, JNA, JUnit, BouncyCastle,
#      kotlinx-serialization-json, the surefire JUnit provider) into the local
#      repository with one online build, so that scripts/test.sh runs `mvn -o`.
# The C ABI library is not needed here (the online build runs ArmorTest only).
# HYBRIDKEM_MAVEN_REPO=DIR uses DIR as the local repository (default ~/.m2/repository).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  echo "binding-kotlin setup: installing maven and openjdk-17-jdk-headless from Debian"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends maven openjdk-17-jdk-headless >/dev/null
fi

repo_args=()
[ -n "${HYBRIDKEM_MAVEN_REPO:-}" ] && repo_args=("-Dmaven.repo.local=$HYBRIDKEM_MAVEN_REPO")
cd "$here"
# Skip the network when an offline build already resolves (a second run of setup).
if mvn -o -B -q "${repo_args[@]}" test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
     surefire:test -Dtest=ArmorTest >/dev/null 2>&1; then
  echo "binding-kotlin setup: Maven artifacts already present"
  exit 0
fi
echo "binding-kotlin setup: fetching Maven artifacts (online, once)"
mvn -B -q "${repo_args[@]}" dependency:go-offline
# go-offline misses what plugins resolve at run time (the surefire JUnit provider ...): one real build fetches it.
mvn -B -q "${repo_args[@]}" test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
  surefire:test -Dtest=ArmorTest
echo "binding-kotlin setup: done"
