#!/usr/bin/env bash
# Runs the core, signing, seal, noble, native, openssl, wasm and CLI test suites, and the
# Node-dependent parts of mesh's (MESH_NODE_TESTS) and transport's (its TLS server and gateway run on Node's tls, net and
# cluster; the Go and Chromium interop tests exercise the clients, not Node), again on every other supported
# Node major (the main run uses the pinned Node 24), so that "supports Node
# 22, 24 and 26" is checked rather than claimed. Each Node comes from the npm
# registry (node-<os>-<arch>) into .tools/, like the pinned one
# (scripts/install-node-versions.sh, versions in scripts/node-versions.txt).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-node-versions.sh"
pkg="$("$root/scripts/node-package.sh")"
# The mesh's own code on this Node: wire formats, crypto, fsynced stores and
# journals, the audit log (also killed mid-append), identities, the in-process
# distribution and agent. Its NATS, cluster, WireGuard and PKCS#11 tests
# exercise those servers and tools, not Node, and run once, on the pinned Node.
MESH_NODE_TESTS="test/format.test.ts test/directory.test.ts test/receiver.test.ts test/issuer.test.ts test/file-store.test.ts test/identity.test.ts test/audit.test.ts test/audit-crash.test.ts test/distribution-memory.test.ts test/wg-psk.test.ts test/wg-rotation.test.ts test/wg-topology.test.ts"
TRANSPORT_NODE_TESTS="test/availability.test.ts test/client-hello-records.test.ts test/gateway.test.ts test/gateway-faults.test.ts test/gateway-cluster.test.ts"
for v in $(grep -v '^#' "$root/scripts/node-versions.txt"); do
  bin="$root/.tools/node-$v/node_modules/$pkg/bin/node"
  for p in core signing seal noble native openssl wasm cli; do
    echo "== Node $("$bin" --version): @hybridkem/$p"
    # What does not run on this Node runs once, in the main run on the pinned Node: wasm's
    # tests in Chromium, workerd, Deno and Bun; seal's checks of its bytes by Go and of
    # its browser bundle by esbuild; the 1 GiB CLI round trip.
    case "$p" in
      wasm) not_node=(--exclude 'test/runtimes/**') ;;
      seal) not_node=(--exclude test/go-interop.test.ts --exclude test/multi-go-interop.test.ts --exclude test/armor-stream-go.test.ts --exclude test/browser-bundle.test.ts) ;;
      # The mesh commands' tests drive nats-server and the mesh package's own
      # code, which MESH_NODE_TESTS below reruns; the command-line handling they
      # share with every other command is in the rest of the suite.
      cli) not_node=(--exclude test/mesh.test.ts --exclude test/mesh-wg.test.ts --exclude test/audit.test.ts) ;;
      *) not_node=() ;;
    esac
    (cd "$root/packages/$p" && HYBRIDKEM_SKIP_1GIB=1 "$bin" "$root/node_modules/vitest/vitest.mjs" run --reporter=dot ${not_node[@]+"${not_node[@]}"})
  done
  # The policy matrix compares with the group the Node client reports, which Nodes before
  # 24.19 / 26.5 cannot name (transport's clientGroupReportUnavailableReason says which).
  echo "== Node $("$bin" --version): @hybridkem/mesh (Node-dependent tests)"
  (cd "$root/packages/mesh" && "$bin" "$root/node_modules/vitest/vitest.mjs" run --reporter=dot $MESH_NODE_TESTS)
  matrix=$("$bin" --input-type=module -e "const t = await import('$root/packages/transport/dist/index.js'); process.stdout.write(t.clientGroupReportUnavailableReason() ? '' : 'test/policy-matrix.test.ts')")
  echo "== Node $("$bin" --version): @hybridkem/transport (Node-dependent tests)"
  (cd "$root/packages/transport" && "$bin" "$root/node_modules/vitest/vitest.mjs" run --reporter=dot $TRANSPORT_NODE_TESTS $matrix)
done
# Nodes the engines field allows whose OpenSSL predates 3.5: transport refuses there, saying why.
for v in $(grep -v '^#' "$root/scripts/node-versions-pre-openssl35.txt"); do
  bin="$root/.tools/node-$v/node_modules/$pkg/bin/node"
  echo "== Node $("$bin" --version): @hybridkem/transport availability"
  (cd "$root/packages/transport" && "$bin" "$root/node_modules/vitest/vitest.mjs" run --reporter=dot test/availability.test.ts)
done
