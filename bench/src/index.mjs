/**
 * hybridkem benchmarks, timed in the same process, interleaved:
 *
 *   KEMs: keygen, encapsulate and decapsulate of every suite on every backend
 *   that loads (native, openssl, wasm, noble), against noble's own hybrid presets (the
 *   baseline for ratios) and ML-KEM alone (noble's ml_kem and `mlkem`).
 *
 *   Composite signatures: keygen, sign (hedged) and verify of a 1 KiB message
 *   for every @hybridkem/signing suite on every signature backend that loads,
 *   against noble's ML-DSA alone at the same level (the baseline for ratios)
 *   and noble's EdDSA alone (when @noble/curves is importable from bench).
 *
 *   Sealed messages (@hybridkem/seal): seal and open throughput (MB/s) of
 *   1 KiB, 1 MiB and 256 MiB (full runs only; streamed) for each AEAD on every
 *   backend that loads, against node:crypto's raw AES-256-GCM (the baseline).
 *
 *   Bundle size: gzip of an X-Wing round trip bundled for the browser with
 *   core + noble, against the same page on noble's own ml_kem768_x25519.
 *
 *   Transport (@hybridkem/transport): handshake latency of N concurrent TLS
 *   connections, each with one request / response, through the gateway
 *   (startGatewayCluster, hybrid-with-classical-fallback) with hybrid
 *   (X25519MLKEM768) and classical (X25519) clients, against a plain node:tls
 *   server under hybrid-only (no gateway). Goal: hybrid p99 ≤ 1.2× classical p99.
 *   Then the same three runs one connection at a time: the unloaded cost of
 *   one handshake (informative ratios, no goal).
 *
 *   Channel (@hybridkem/transport's Noise channel): handshakes per second of
 *   pqNK, pqIK and pqXX (X-Wing) per backend over loopback TCP, next to
 *   node:tls's TLS 1.3 X25519MLKEM768 handshake in the same rounds; transport
 *   messages of 16 KiB and 65518 bytes encrypted and decrypted sans-IO, next to
 *   raw node:crypto ChaCha20-Poly1305 (goal ≥ 80 %), and a volume over loopback TCP.
 *
 *   Mesh (@hybridkem/mesh): key envelopes (X-Wing HPKE + MLDSA65-Ed25519-SHA512)
 *   issued and opened per second on every backend whose KEM and signatures
 *   load; then end-to-end delivery latency p50/p99 through one nats-server
 *   (JetStream) to 100 node agents, 2 000 envelopes (smoke: 5 nodes, 50);
 *   then the fault run of issue #16 (packages/mesh's cluster harness): a
 *   3-server JetStream cluster, 100 node agents as processes, 10 000
 *   envelopes, a server and agents SIGKILLed, each envelope applied exactly
 *   once (smoke: 4 nodes, 40 envelopes; 2.5 to 5 minutes at full size).
 *
 * See bench/README.md for how to read the results.
 *
 *   node src/index.mjs                 full run, all seven families (about thirteen minutes, the mesh four to six of them)
 *   node src/index.mjs --smoke         a few ms per cell; CI checks that it runs, not how fast
 *   node src/index.mjs --only kem      only the KEMs (or --only signing, --only seal, --only bundle, --only transport,
 *                                      --only channel, --only mesh)
 *   node src/index.mjs --only transport --connections 2000
 *                                      concurrent TLS connections per transport run (default 1000,
 *                                      smoke 100, at most 10000; each run must finish within 120 s)
 *   node src/index.mjs --only transport --sequential 500
 *                                      connections per sequential transport run, one at a time
 *                                      (default 200, smoke 20, at most 10000)
 *   node src/index.mjs --only mesh --mesh-nodes 20 --mesh-envelopes 1000
 *                                      size of the mesh fault run: node agents (default 100, smoke 4,
 *                                      0 leaves the run out, at most 150) and envelopes (default
 *                                      10000, smoke 40, at least the nodes, at most 50000)
 *   node src/index.mjs --json          JSON on stdout (the tables go to stderr)
 *   node src/index.mjs --out FILE      JSON to FILE, tables on stdout
 *   node src/index.mjs --html FILE     the report as one self-contained HTML page with charts (html-report.mjs)
 *   node src/index.mjs --suite X-Wing  only some suites, KEM or signing (repeatable, or comma-separated;
 *                                      seal and bundle run only when X-Wing is among them)
 *   node src/index.mjs --time 500      ms per implementation per round (default 250)
 *   node src/index.mjs --rounds 5      interleaved rounds (default 3; transport: smoke 1)
 *
 * Nothing here asserts speed: the exit code is 0 unless something throws, or
 * (smoke runs) a transport connection fails or a mesh envelope is not applied exactly once,
 * or (any run) the mesh fault run finds an envelope not applied exactly once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getSuite, probeBackends, registerBackendLoader, SUITES, SuiteNotSupportedError, UnknownSuiteError } from '@hybridkem/core';
import { getSignatureSuite, SIGNATURE_SUITES } from '@hybridkem/signing';
import { measure, OPERATIONS, PRESETS } from './measure.mjs';
import { resultsTable, summaryLines } from './report.mjs';
import { renderHtml } from './html-report.mjs';
import { AEADS, formatSize, PIECE, READ_SIZE, runSeal, SEAL_GOAL, sealGoal, sealGoalLines, sealTable, STREAM_THRESHOLD } from './seal.mjs';
import { loadEdDsaPeers, MESSAGE_LENGTH, operationRows, probeSignatureBackends, runSigning, signingSummaryLines, signingTable } from './signing.mjs';
import { hybridkemSubject, mlkemReferences, NOBLE_HYBRID_PRESETS, nobleHybridSubject } from './subjects.mjs';
import { createRustTimer, nativeAddonSubject, nativeGoalLines } from './native.mjs';
import { compositionGoalLines, handleSubject, nodeCryptoXWingSubject } from './node-crypto.mjs';
import { loadWasmVariants, wasmGoalLines, wasmStaticFigures, wasmVariantSubjects } from './wasm.mjs';
import { chromiumColdStart, coldStartLines } from './wasm-browser.mjs';
import { bundleLines, measureBundles } from './bundle-size.mjs';
import { DEFAULT_CONNECTIONS, DEFAULT_SEQUENTIAL, MAX_CONNECTIONS, MAX_SEQUENTIAL, runTransport, transportLines } from './transport.mjs';
import { meshLines, runMesh } from './mesh.mjs';
import { channelLines, runChannel } from './channel.mjs';
import { MESH_CLUSTER, MESH_CLUSTER_BOUNDS } from './mesh-cluster.mjs';

const FAMILIES = Object.freeze(['kem', 'signing', 'seal', 'bundle', 'transport', 'channel', 'mesh']);

// core's probeBackends() imports each backend package by name from core's own
// location, where pnpm's layout has no @hybridkem/openssl: bench depends on it
// and says how to load it.
registerBackendLoader('openssl', () => import('@hybridkem/openssl'));

const { args, settings, families, kemSuites, signatureSuites } = parseCommandLine();
const jsonToStdout = args.json && args.out === undefined;
const print = jsonToStdout ? (line = '') => process.stderr.write(`${line}\n`) : (line = '') => console.log(line);
// Progress: one self-overwriting line on a terminal, nothing in CI logs.
const progress = process.stderr.isTTY ? (line) => process.stderr.write(`\r\x1b[K${line}`) : () => {};

function parseCommandLine() {
  try {
    const { values: args } = parseArgs({
      options: {
        smoke: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        only: { type: 'string' },
        suite: { type: 'string', multiple: true },
        time: { type: 'string' },
        rounds: { type: 'string' },
        connections: { type: 'string' },
        sequential: { type: 'string' },
        'mesh-nodes': { type: 'string' },
        'mesh-envelopes': { type: 'string' },
        html: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (args.help) {
      const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
      console.log(source.slice(0, source.indexOf('*/')).replace(/^\/\*\*\n?|^ \* ?/gm, '').trimEnd());
      process.exit(0);
    }
    const settings = { ...(args.smoke ? PRESETS.smoke : PRESETS.full) };
    if (args.time !== undefined) settings.time = positiveNumber('--time', args.time);
    if (args.rounds !== undefined) settings.rounds = Math.round(positiveNumber('--rounds', args.rounds));
    settings.connections = args.smoke ? DEFAULT_CONNECTIONS.smoke : DEFAULT_CONNECTIONS.full;
    if (args.connections !== undefined) {
      if (!/^[1-9][0-9]*$/.test(args.connections) || Number(args.connections) > MAX_CONNECTIONS) {
        throw new Error(`--connections expects an integer from 1 to ${MAX_CONNECTIONS}, got "${args.connections}"`);
      }
      settings.connections = Number(args.connections);
    }
    settings.sequential = args.smoke ? DEFAULT_SEQUENTIAL.smoke : DEFAULT_SEQUENTIAL.full;
    if (args.sequential !== undefined) {
      if (!/^[1-9][0-9]*$/.test(args.sequential) || Number(args.sequential) > MAX_SEQUENTIAL) {
        throw new Error(`--sequential expects an integer from 1 to ${MAX_SEQUENTIAL}, got "${args.sequential}"`);
      }
      settings.sequential = Number(args.sequential);
    }
    // The mesh fault run: 0 nodes leaves it out; otherwise nodes ≤ envelopes (each node gets one at least).
    const clusterSize = args.smoke ? MESH_CLUSTER.smoke : MESH_CLUSTER.full;
    const meshNodes = args['mesh-nodes'] === undefined ? clusterSize.nodes : boundedInteger('--mesh-nodes', args['mesh-nodes'], 0, MESH_CLUSTER_BOUNDS.maxNodes);
    const meshEnvelopes =
      args['mesh-envelopes'] === undefined
        ? Math.max(clusterSize.envelopes, meshNodes)
        : boundedInteger('--mesh-envelopes', args['mesh-envelopes'], Math.max(1, meshNodes), MESH_CLUSTER_BOUNDS.maxEnvelopes);
    settings.meshCluster = meshNodes === 0 ? null : { nodes: meshNodes, envelopes: meshEnvelopes };
    let families = FAMILIES;
    if (args.only !== undefined) {
      const family = args.only.trim().toLowerCase();
      if (!FAMILIES.includes(family)) throw new Error(`--only expects ${FAMILIES.join(', ')}, got "${args.only}"`);
      families = [family];
    }
    // The KEM family times hybrid suites next to noble's hybrid presets and ML-KEM alone; core's single-algorithm
    // suites (ML-KEM-768/1024 alone, DHKEM-X25519-HKDF-SHA256) have no hybrid peer and are left out.
    const hybridSuites = SUITES.filter((s) => s.family === undefined || s.family === 'hybrid');
    let kemSuites = hybridSuites;
    let signatureSuites = SIGNATURE_SUITES;
    if (args.suite) {
      // Each name is looked up among the KEM suites, then the signature suites;
      // a family none of the names belongs to is not run.
      const kem = new Set();
      const signing = new Set();
      for (const name of args.suite.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
        const found = lookUp(getSuite, name);
        if (found && !hybridSuites.includes(found)) {
          throw new Error(`suite ${found.name} is not a hybrid: the KEM family times hybrid suites only (${hybridSuites.map((s) => s.name).join(', ')})`);
        }
        if (found) kem.add(found);
        else signing.add(lookUp(getSignatureSuite, name) ?? unknownSuite(name));
      }
      kemSuites = hybridSuites.filter((s) => kem.has(s));
      signatureSuites = SIGNATURE_SUITES.filter((s) => signing.has(s));
      // seal and bundle are X-Wing only.
      const xwing = kemSuites.some((s) => s.name === 'X-Wing');
      // transport has no suites: --suite leaves it out; the channel is X-Wing; mesh is X-Wing with MLDSA65-Ed25519-SHA512.
      const mesh = xwing && signatureSuites.some((s) => s.name === 'MLDSA65-Ed25519-SHA512');
      const wanted = { kem: kemSuites.length > 0, signing: signatureSuites.length > 0, seal: xwing, bundle: xwing, transport: false, channel: xwing, mesh };
      families = families.filter((f) => wanted[f]);
      if (families.length === 0) throw new Error(`--only ${args.only} and --suite leave nothing to run`);
    }
    return { args, settings, families, kemSuites, signatureSuites };
  } catch (error) {
    console.error(`bench: ${error.message} (see --help)`);
    process.exit(2);
  }
}

function lookUp(get, name) {
  try {
    return get(name);
  } catch (error) {
    if (error instanceof UnknownSuiteError) return undefined;
    throw error;
  }
}

function unknownSuite(name) {
  throw new Error(
    `unknown suite "${name}"; KEM suites: ${SUITES.map((s) => s.name).join(', ')}; ` +
      `signature suites: ${SIGNATURE_SUITES.map((s) => s.name).join(', ')}`,
  );
}

function boundedInteger(flag, text, min, max) {
  if (!/^(0|[1-9][0-9]*)$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new Error(`${flag} expects an integer from ${min} to ${max}, got "${text}"`);
  }
  return Number(text);
}

function positiveNumber(flag, text) {
  const n = Number(text);
  if (!(n > 0)) throw new Error(`${flag} expects a positive number, got "${text}"`);
  return n;
}

// The machine's load when the run starts (the report's loadAverage is taken at its end).
const loadAverageAtStart = os.loadavg();
const started = performance.now();
const kem = families.includes('kem') ? await runKem(kemSuites) : undefined;
const signing = families.includes('signing') ? await runSignatures(signatureSuites) : undefined;
const sealed = families.includes('seal') ? await runSealed() : undefined;
if (families.includes('bundle')) progress('bundling an X-Wing round trip with esbuild');
const bundles = families.includes('bundle') ? await measureBundles() : undefined;
const transport = families.includes('transport')
  ? await runTransport({ connections: settings.connections, sequential: settings.sequential, rounds: args.rounds !== undefined || !args.smoke ? settings.rounds : 1, smoke: args.smoke, progress }).catch(
      (error) => {
        // Everything it started is stopped by now; a timed-out run, a too-low open-file limit, a gateway that did not start.
        console.error(`bench: transport: ${error.message.replace(/^transport: /, '')}`);
        process.exit(1);
      },
    )
  : undefined;
const channel = families.includes('channel')
  ? await runChannel({ probes: await probeBackends(), settings, smoke: args.smoke, progress }).catch((error) => {
      // Its servers and sockets are closed by now: a failed or timed-out handshake, a message not intact.
      console.error(`bench: channel: ${error.message.replace(/^channel: /, '')}`);
      process.exit(1);
    })
  : undefined;
const mesh = families.includes('mesh')
  ? await runMesh({ settings, smoke: args.smoke, cluster: settings.meshCluster, progress }).catch((error) => {
      // Everything it started is stopped by now: nats-server missing or not starting (under CI=true), a backend failing.
      console.error(`bench: mesh: ${error.message.replace(/^mesh: /, '')}`);
      process.exit(1);
    })
  : undefined;
const elapsedSeconds = (performance.now() - started) / 1000;
progress('');

// The report.
const allRows = [...(kem?.rows ?? []), ...(signing?.rows ?? []), ...(sealed?.rows.filter((r) => r.payload <= STREAM_THRESHOLD) ?? [])];
const minSamples = Math.min(...allRows.map((r) => r.samples));
print(
  `${args.smoke ? 'SMOKE RUN (numbers are not meaningful): ' : ''}` +
    `Node ${process.versions.node}, ${os.cpus()[0]?.model?.trim() ?? os.arch()} × ${os.availableParallelism()}` +
    (allRows.length === 0
      ? '.'
      : `; ${settings.rounds} interleaved round${settings.rounds === 1 ? '' : 's'} of ≥ ${settings.time} ms per implementation, ` +
        `≥ ${minSamples} samples per cell.`),
);
if (allRows.length > 0) print('median = p50 latency; ops/s = 1000 / median; ±MAD = median absolute deviation / median.');
if (kem) {
  print();
  print("KEMs. vs noble hybrid = median / noble hybrid's median for the same suite and operation (below x1.00 is faster).");
  print();
  print(resultsTable(kem.rows, { label: kem.label, ratioTitle: 'vs noble hybrid', ratio: (row) => row.vsNobleHybrid }));
  print();
  for (const line of summaryLines(kem.rows)) print(line);
  for (const line of kem.notes) print(line);
  const nativeLines = nativeGoalLines(kem.rows, kem.rust, { smoke: args.smoke });
  if (nativeLines.length > 0) print();
  for (const line of nativeLines) print(line);
  const compositionLines = compositionGoalLines(kem.rows, { smoke: args.smoke, unavailable: kem.compositionUnavailable });
  if (compositionLines.length > 0) print();
  for (const line of compositionLines) print(line);
  const wasmLines = wasmGoalLines(kem.rows, kem.wasm.figures, kem.wasm.variants, { smoke: args.smoke });
  if (wasmLines.length > 0) print();
  for (const line of wasmLines) print(line);
  if (kem.wasmChromium) print(...(kem.wasmChromium.results ? coldStartLines(kem.wasmChromium.results) : [`Cold start in Chromium: not measured: ${kem.wasmChromium.error}`]));
}
if (signing) {
  print();
  print(
    `Composite signatures: keygen, hedged sign and verify of a ${MESSAGE_LENGTH}-byte message. vs ML-DSA alone = median / ` +
      "noble ML-DSA alone's median at the same level for the same operation (above x1.00 is the composite's overhead).",
  );
  print();
  print(signingTable(signing.rows, signing.label));
  print();
  for (const line of signingSummaryLines(signing.rows)) print(line);
  for (const line of signing.notes) print(line);
}
if (sealed) {
  print();
  print(
    `Sealed messages (@hybridkem/seal: HPKE base mode, X-Wing, HKDF-SHA256): seal and open of ${sealed.sizes.map(formatSize).join(', ')}. ` +
      "MB/s = 10^6 bytes / s at the median; of raw AES-GCM = raw AES-256-GCM's median / this median (higher is better).",
  );
  print();
  print(sealTable(sealed.rows, sealed.label));
  print();
  for (const line of sealGoalLines(sealed.rows, { smoke: args.smoke })) print(line);
  for (const line of sealed.notes) print(line);
}
if (bundles) {
  print();
  for (const line of bundleLines(bundles)) print(line);
}
if (transport) {
  print();
  for (const line of transportLines(transport, { smoke: args.smoke })) print(line);
  // Zero failures are expected; CI's smoke run fails on any.
  if (transport.failures > 0 && args.smoke) process.exitCode = 1;
}
if (channel) {
  print();
  for (const line of channelLines(channel, { smoke: args.smoke })) print(line);
}
if (mesh) {
  print();
  for (const line of meshLines(mesh, { smoke: args.smoke })) print(line);
  // Every envelope applied exactly once is expected; CI's smoke run fails otherwise.
  if (mesh.failures > 0 && args.smoke) process.exitCode = 1;
  // The fault run checks correctness, not speed: an envelope not applied exactly once fails any run.
  if (mesh.cluster?.problems?.length > 0) process.exitCode = 1;
}
process.stderr.write(`done in ${elapsedSeconds.toFixed(1)} s\n`);

const finalReport = report();
if (args.json || args.out !== undefined) {
  const json = JSON.stringify(finalReport, null, 2) + '\n';
  if (jsonToStdout) process.stdout.write(json);
  else {
    writeFileSync(args.out, json);
    process.stderr.write(`wrote ${args.out}\n`);
  }
}
// The same report as one self-contained HTML page with charts (html-report.mjs).
if (args.html !== undefined) {
  writeFileSync(args.html, renderHtml(finalReport));
  process.stderr.write(`wrote ${args.html}\n`);
}

/** KEMs: every suite on every backend that loads, next to noble's hybrid presets and ML-KEM alone. */
async function runKem(suites) {
  const probes = await probeBackends();
  const backends = probes.filter((p) => p.available).map((p) => p.backend);
  const references = new Map();
  for (const name of new Set(suites.map((s) => s.mlkem.name))) references.set(name, await mlkemReferences(name));
  // The native core's own Rust timings, for the addon / Rust ratio (native.mjs).
  const hasNative = backends.some((b) => b.name === 'native');
  if (hasNative) progress('building the native core timing binary (cargo build --release)');
  const rust = hasNative ? createRustTimer({ smoke: args.smoke }) : { error: 'the native backend did not load', timings: new Map(), measure() {} };
  // The wasm backend's SIMD128 and scalar builds, size and cold start (wasm.mjs).
  const hasWasm = backends.some((b) => b.name === 'wasm');
  const wasmVariants = hasWasm ? await loadWasmVariants() : undefined;
  const wasmFigures = hasWasm ? await wasmStaticFigures(wasmVariants, { suites }) : undefined;
  // The same module's cold start in headless Chromium (wasm-browser.mjs); a missing Chromium is a note.
  if (hasWasm) progress('measuring the wasm cold start in Chromium');
  const wasmChromium = hasWasm
    ? await chromiumColdStart({ runs: args.smoke ? 3 : 15 }).then((results) => ({ results }), (error) => ({ error: loadFailure(error) }))
    : undefined;

  const rows = [];
  const skipped = [];
  const peers = new Map();
  let compositionUnavailable;
  for (const suite of suites) {
    const subjects = [];
    for (const backend of backends) {
      try {
        subjects.push(hybridkemSubject(suite, backend));
        subjects.push(handleSubject(suite, backend));
        if (backend.name === 'native') subjects.push(nativeAddonSubject(suite, backend));
        if (backend.name === 'wasm') subjects.push(...wasmVariantSubjects(suite, wasmVariants));
      } catch (error) {
        if (!(error instanceof SuiteNotSupportedError)) throw error;
        skipped.push(error.message);
      }
    }
    // sameBytes() encapsulates with fixed randomness: a backend that draws its own (openssl) cannot be the reference.
    const peer = nobleHybridSubject(suite, backends.find((b) => b.derandomizedEncapsulation !== false));
    if (peer) {
      subjects.push(peer);
      peers.set(suite.name, peer);
    }
    // X-Wing written by hand over node:crypto (node-crypto.mjs), checked against hybridkem's bytes.
    const composition = nodeCryptoXWingSubject(suite, backends.find((b) => b.name === 'native') ?? backends[0]);
    if (composition?.unavailable) compositionUnavailable = composition.unavailable;
    else if (composition) subjects.push(composition);
    subjects.push(...references.get(suite.mlkem.name));
    if (hasNative) {
      progress(`timing ${suite.name} inside Rust (hybridkem-bench-core)`);
      rust.measure(suite.name);
    }

    for (const operation of OPERATIONS) {
      // A handle subject times decapsulate only.
      const timed = subjects.filter((s) => s.ops[operation]);
      progress(`timing ${suite.name} ${operation} (${timed.length} implementations)`);
      const stats = measure(timed, operation, settings);
      const baseline = peer ? stats[timed.indexOf(peer)] : undefined;
      rows.push(...operationRows(suite, operation, timed, stats, peer, (s) => ({ vsNobleHybrid: baseline ? s.medianMs / baseline.medianMs : null })));
    }
  }

  // Footnotes.
  const differing = [...peers.values()].filter((p) => p.sameBytes === false);
  const notes = [];
  if (differing.length > 0) {
    notes.push(
      `[1] noble's ${differing.map((p) => p.exportName).join(' and ')} follow an older draft of ` +
        'draft-irtf-cfrg-concrete-hybrid-kems (other seed expansion and shared-point encoding) and do not produce ' +
        "hybridkem's bytes (checked at startup: same seed, different public key). Fine for timing, not interoperable.",
    );
  }
  const noPreset = suites.filter((s) => !NOBLE_HYBRID_PRESETS[s.name]).map((s) => s.name);
  if (noPreset.length > 0) {
    notes.push(`    No noble hybrid preset exists for ${noPreset.join(', ')}, so no ratio there.`);
  }
  notes.push(
    '[2] ML-KEM alone, for the ML-KEM share of the cost. Its private key is the expanded decapsulation key, so its ' +
      'decapsulate skips the key derivation from the 32-byte seed that every hybrid here (ours and noble) repeats on each call.',
  );
  if (hasNative) {
    notes.push(
      "[3] The native backend's Backend methods called directly (derivePublicKey of a fixed seed, derandomised " +
        'encapsulate, decapsulate), without the createKem facade: the Rust timing of the same operations is its floor.',
    );
  }
  notes.push(
    "[4] Decapsulation through a private-key handle: kem.importPrivateKey(seed) once, then kem.decapsulate(handle, ct); " +
      'backends with expandPrivateKey (native, openssl, wasm, noble) keep the key expanded, so the seed expansion ' +
      'and key generation of the seed row are not repeated; a backend without it holds a copy of the seed.',
  );
  if (rows.some((r) => r.kind === 'composition')) {
    notes.push(
      '[5] X-Wing written by hand over node:crypto: OpenSSL ML-KEM-768 (crypto.encapsulate / decapsulate), X25519 ' +
        '(crypto.diffieHellman, a fresh generateKeyPairSync key per encapsulation) and SHA3-256 per X-Wing\'s combiner, keys ' +
        "as KeyObjects made once (OpenSSL's own key generation, no seed expansion); checked at startup to decapsulate " +
        "hybridkem's X-Wing ciphertexts to the same secret.",
    );
  }
  for (const p of probes.filter((p) => !p.available)) notes.push(`not loaded: ${p.name}: ${loadFailure(p.error)}`);
  for (const s of skipped) notes.push(`skipped: ${s}`);

  const label = (row) =>
    row.kind === 'handle'
      ? `${row.implementation} [4]`
      : row.kind === 'composition'
      ? `${row.implementation} [5]`
      : row.kind === 'addon'
      ? `${row.implementation} [3]`
      : row.kind === 'reference'
      ? `${row.implementation} [2]`
      : differing.some((p) => p.name === row.implementation)
        ? `${row.implementation} [1]`
        : row.implementation;
  return { probes, peers, rows, notes, label, rust, wasm: { variants: wasmVariants, figures: wasmFigures }, wasmChromium, compositionUnavailable };
}

/** Composite signatures: every suite on every signature backend that loads, next to ML-DSA alone and EdDSA alone. */
async function runSignatures(suites) {
  const probes = await probeSignatureBackends();
  const backends = probes.filter((p) => p.available).map((p) => p.backend);
  const eddsa = await loadEdDsaPeers();
  const { rows, skipped } = runSigning({ suites, backends, curves: eddsa.curves, settings, progress });

  const notes = [
    `[a] ML-DSA alone, the baseline: noble's ml_dsa44 / ml_dsa65 / ml_dsa87 on the same message (pure ML-DSA, empty ` +
      'context, hedged), holding the expanded secret key. The composite also pre-hashes the message (SHA-512 or ' +
      'SHAKE256) into M\', signs / verifies M\' with EdDSA too and, to sign, re-derives the ML-DSA secret key from the ' +
      '32-byte seed it keeps as its private key: its ratio is that overhead.',
  ];
  if (eddsa.curves) {
    notes.push(
      "[b] EdDSA alone: noble's ed25519 / ed448 on the same message (strict RFC 8032 verification, as in the composite): " +
        "the EdDSA share of the composite's cost.",
    );
  } else {
    notes.push(
      `    EdDSA alone not timed: @noble/curves is not importable from bench (${loadFailure(eddsa.error)}). ` +
        "It is a dependency of @noble/post-quantum and @hybridkem/noble, not of bench, and pnpm's strict layout " +
        'keeps it out of reach; ML-DSA alone is the only peer.',
    );
  }
  for (const p of probes.filter((p) => !p.available)) notes.push(`signature backend not loaded: ${p.name}: ${loadFailure(p.error)}`);
  for (const s of skipped) notes.push(`skipped: ${s}`);

  const label = (row) =>
    row.kind === 'mldsa' ? `${row.implementation} [a]` : row.kind === 'eddsa' ? `${row.implementation} [b]` : row.implementation;
  return { probes, eddsa, rows, notes, label };
}

/** Sealed messages: each AEAD on every backend that loads, next to node:crypto's raw AES-256-GCM. */
async function runSealed() {
  const probes = await probeBackends();
  const backends = probes.filter((p) => p.available).map((p) => p.backend);
  const { sizes, rows, skipped } = await runSeal({ backends, smoke: args.smoke, settings, progress });
  const notes = [
    `[c] The baselines, node:crypto createCipheriv / createDecipheriv('aes-256-gcm') (OpenSSL, with AES-NI where the CPU ` +
      `has it), payload in memory, output counted and discarded, tags computed and verified: "per ${PIECE / 1024} KiB chunk" ` +
      'uses a fresh cipher, nonce and tag per chunk as seal does (the peer of the goal); "one message" feeds the whole ' +
      `payload to one cipher in ${PIECE / 1024} KiB pieces. seal is compared with encryption, open with decryption.`,
    `[d] In Node the AEAD inside seal is node:crypto's (suite.aeadImplementation 'node:crypto'), one cipher per ` +
      `${PIECE / 1024} KiB chunk keyed from a KeyObject; hpke-js runs the HPKE key schedule and the nonces. ` +
      'ChaCha20-Poly1305 is compared with raw AES-256-GCM too, which OpenSSL runs faster on CPUs with AES-NI.',
    `    Up to ${formatSize(STREAM_THRESHOLD)}: one-shot seal / open in memory, each call including the X-Wing encapsulation ` +
      '(seal) or decapsulation (open), which dominates small payloads. Above: sealNodeStream / openNodeStream in ' +
      `stream.pipeline (bounded memory), plaintext generated in ${PIECE / 1024} KiB pieces, output counted and discarded; ` +
      `open reads the sealed message from memory in ${READ_SIZE / 1024 / 1024} MiB pieces, as raw decryption does. One call per implementation per round.`,
  ];
  for (const p of probes.filter((p) => !p.available)) notes.push(`not loaded: ${p.name}: ${loadFailure(p.error)}`);
  for (const s of skipped) notes.push(`skipped: ${s}`);
  const label = (row) => (row.kind === 'raw' ? `${row.implementation} [c]` : `${row.implementation} [d]`);
  return { probes, sizes, rows, notes, label };
}

function loadFailure(error) {
  let root = error;
  while (root instanceof Error && root.cause) root = root.cause;
  return (root instanceof Error ? root.message : String(root)).split('\n')[0].replace(/ imported from \S+$/, '');
}

function describeProbe(p) {
  return p.available
    ? { name: p.name, available: true, version: p.backend.version, implementation: p.backend.implementation, constantTime: p.backend.constantTime }
    : { name: p.name, available: false, error: loadFailure(p.error) };
}

function report() {
  return {
    schema: 'hybridkem-bench/1',
    date: new Date().toISOString(),
    mode: args.smoke ? 'smoke' : 'full',
    families,
    settings,
    elapsedSeconds,
    environment: {
      node: process.versions.node,
      v8: process.versions.v8,
      platform: process.platform,
      arch: process.arch,
      cpu: os.cpus()[0]?.model?.trim() ?? null,
      parallelism: os.availableParallelism(),
      loadAverage: os.loadavg(),
      loadAverageAtStart,
    },
    versions: Object.fromEntries(
      ['@hybridkem/core', '@hybridkem/signing', '@hybridkem/seal', '@noble/post-quantum', 'mlkem', 'tinybench', 'esbuild'].map((p) => [p, packageVersion(p)]),
    ),
    // KEMs (empty when not run).
    backends: kem ? kem.probes.map(describeProbe) : [],
    nobleHybridPresets: kem
      ? Object.fromEntries([...kem.peers].map(([suite, p]) => [suite, { export: p.exportName, sameBytesAsHybridkem: p.sameBytes ?? null }]))
      : {},
    results: kem?.rows ?? [],
    notes: kem?.notes ?? [],
    // The native core timed inside Rust, "suite/op" -> median ns (null when not run or not available).
    nativeRust: kem?.rust?.timings ? Object.fromEntries(kem.rust.timings) : null,
    // The wasm backend's size and cold start (null when it did not load).
    wasm: kem?.wasm?.figures ?? null,
    // Its cold start in headless Chromium: { results } or { error } (null when it did not load).
    wasmChromium: kem?.wasmChromium ?? null,
    // Composite signatures (null when not run).
    signing: signing
      ? {
          messageLength: MESSAGE_LENGTH,
          backends: signing.probes.map(describeProbe),
          eddsaAlone: signing.eddsa.curves ? { available: true } : { available: false, error: loadFailure(signing.eddsa.error) },
          results: signing.rows,
          notes: signing.notes,
        }
      : null,
    // Sealed messages (null when not run).
    seal: sealed
      ? {
          payloads: sealed.sizes,
          aeads: AEADS,
          streamThreshold: STREAM_THRESHOLD,
          goal: sealGoal(sealed.rows),
          backends: sealed.probes.map(describeProbe),
          results: sealed.rows,
          notes: sealed.notes,
        }
      : null,
    // Bundle size of an X-Wing round trip (null when not run).
    bundle: bundles ?? null,
    // Transport handshake latency through the gateway (null when not run).
    transport: transport ?? null,
    // The Noise channel: handshakes vs node:tls, throughput vs raw ChaCha20-Poly1305 (null when not run).
    channel: channel ?? null,
    // Mesh envelopes issued / opened per backend and delivery through NATS (null when not run).
    mesh: mesh ?? null,
  };
}

/** A dependency's version from its package.json (found next to its resolved entry point). */
function packageVersion(name) {
  try {
    let dir = new URL('.', import.meta.resolve(name === '@noble/post-quantum' ? `${name}/hybrid.js` : name));
    for (let i = 0; i < 4; i++, dir = new URL('..', dir)) {
      try {
        const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
        if (pkg.name === name) return pkg.version;
      } catch {
        // not here; look one level up
      }
    }
  } catch {
    // unresolvable
  }
  return null;
}
