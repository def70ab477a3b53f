/**
 * Transport: handshake latency of N concurrent TLS connections through the
 * @hybridkem/transport gateway (`startGatewayCluster`, policy
 * hybrid-with-classical-fallback, default workers) in front of a small TCP
 * upstream, all on 127.0.0.1. Each connection measures its handshake (from
 * the `tls.connect` call to `secureConnect`) and then makes one small
 * request / response through the gateway.
 *
 * Three runs, interleaved round by round:
 *   hybrid     clients under `connect('hybrid-only')`: X25519MLKEM768
 *   classical  clients offering X25519 only, through the same gateway (fallbacks)
 *   baseline   clients under `connect('hybrid-only')` to a plain node:tls server
 *              with `tlsOptions('hybrid-only')`, no gateway, no proxy (in a worker thread)
 *
 * Two measurements of the same three runs, in the same rounds:
 *   concurrent  all N connections of a run opened at once (`--connections`): on a
 *               2-core machine mostly queueing under a burst
 *   sequential  S connections one at a time (`--sequential`): connect, handshake,
 *               request / response, close, then the next; the unloaded cost of one
 *               handshake (client, gateway workers and upstream still share the cores)
 * A run that has not finished after RUN_TIMEOUT_MS fails. Every failure is
 * counted by error code.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { connect, groupByNodeName, startGatewayCluster, tlsOptions } from '@hybridkem/transport';

export const TRANSPORT_POLICY = 'hybrid-with-classical-fallback';
export const MAX_CONNECTIONS = 10_000;
export const DEFAULT_CONNECTIONS = Object.freeze({ full: 1_000, smoke: 100 });
/** Connections per sequential run (one at a time). */
export const DEFAULT_SEQUENTIAL = Object.freeze({ full: 200, smoke: 20 });
export const MAX_SEQUENTIAL = 10_000;
/** Bound on one run (N connections, handshake and request each; concurrent or sequential). */
export const RUN_TIMEOUT_MS = 120_000;
/** The goal: hybrid p99 handshake latency at most this multiple of the classical p99. */
export const TRANSPORT_GOAL = 1.2;

const REQUEST = Buffer.from('ping\n');
const RESPONSE = Buffer.from('pong\n');
const HOST = '127.0.0.1';
const WORKER_ROLE = 'hybridkem-bench-transport-baseline';

// The baseline server, in a worker thread so that its handshakes do not share the clients' event loop.
if (!isMainThread && workerData?.role === WORKER_ROLE) runBaselineServer(workerData);

const RUNS = Object.freeze([
  { name: 'hybrid', label: 'hybrid (X25519MLKEM768, gateway)', group: 'X25519MLKEM768', target: 'gateway' },
  { name: 'classical', label: 'classical (X25519 only, gateway, fallback)', group: 'X25519', target: 'gateway' },
  { name: 'baseline', label: 'baseline (X25519MLKEM768, plain node:tls, no proxy)', group: 'X25519MLKEM768', target: 'baseline' },
]);

/** The open-file limit of this process (Node raises the soft limit to the hard one at start) and what a run needs. */
export function fileDescriptorCheck(connections) {
  let soft;
  let hard;
  try {
    [soft, hard] = execFileSync('sh', ['-c', 'ulimit -n; ulimit -Hn'], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    // no sh: say so, do not guess
  }
  const limit = soft === undefined ? undefined : soft === 'unlimited' ? Infinity : Number(soft);
  // This process: each client socket plus, at the same time, its upstream (gateway runs) or server (baseline) socket.
  const needed = 2 * connections + 100;
  return { soft: soft ?? 'unknown', hard: hard ?? 'unknown', needed, tooLow: limit !== undefined && limit < needed };
}

/**
 * Runs the three runs `rounds` times, interleaved: in each round the three
 * concurrent runs, then the three sequential ones.
 * @returns the figures per run (medians over rounds), the ratio and goal, the sequential figures and
 *   ratios, failures by code, and notes
 */
export async function runTransport({ connections, sequential = DEFAULT_SEQUENTIAL.full, rounds, smoke, progress = () => {} }) {
  if (!Number.isInteger(connections) || connections < 1 || connections > MAX_CONNECTIONS) {
    throw new Error(`--connections must be an integer from 1 to ${MAX_CONNECTIONS}, got ${connections}`);
  }
  if (!Number.isInteger(sequential) || sequential < 1 || sequential > MAX_SEQUENTIAL) {
    throw new Error(`--sequential must be an integer from 1 to ${MAX_SEQUENTIAL}, got ${sequential}`);
  }
  const loadAverageAtStart = os.loadavg();
  const fd = fileDescriptorCheck(connections);
  if (fd.tooLow) {
    throw new Error(
      `the open-file limit (ulimit -n) is ${fd.soft} (hard ${fd.hard}), too low for ${connections} connections: ` +
        `this process needs about ${fd.needed}; raise it (ulimit -n ${fd.needed}) or use fewer --connections`,
    );
  }

  const cleanups = [];
  const samples = new Map(RUNS.map((r) => [r.name, []]));
  const sequentialSamples = new Map(RUNS.map((r) => [r.name, []]));
  let gatewayCounts;
  let workers;
  try {
    progress('transport: making a test certificate');
    const { key, cert, cleanup } = makeCertificate();
    cleanups.push(cleanup);

    progress('transport: starting the upstream, the gateway and the baseline server');
    const upstream = await startUpstream();
    cleanups.push(upstream.close);
    const cluster = await startGatewayCluster({
      policy: TRANSPORT_POLICY,
      listen: { host: HOST, port: 0 },
      upstream: { host: HOST, port: upstream.port },
      key,
      cert,
      metrics: { host: HOST, port: 0 },
      // A run opens every connection at once: neither limit may be what is measured.
      maxConnections: Math.max(10_000, 4 * connections),
      handshakeTimeoutMs: RUN_TIMEOUT_MS,
      // Closing after a failed run must not wait the default 30 s for connections already given up.
      drainTimeoutMs: 5_000,
    });
    cleanups.push(() => cluster.close());
    workers = cluster.workers ?? os.availableParallelism();
    const baseline = await startBaseline(key, cert);
    cleanups.push(baseline.close);

    const ports = { gateway: cluster.address.port, baseline: baseline.port };
    const contexts = {
      // One client context per kind, made once: 1 000 contexts parsing the CA would be measured too.
      hybrid: tls.createSecureContext({ ca: cert, ...tlsOptions('hybrid-only') }),
      classical: tls.createSecureContext({ ca: cert, ecdhCurve: 'X25519', minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' }),
    };
    const open = {
      hybrid: (port) => connect('hybrid-only', { host: HOST, port, servername: 'localhost', secureContext: contexts.hybrid }),
      classical: (port) => tls.connect({ host: HOST, port, servername: 'localhost', secureContext: contexts.classical }),
    };

    for (let round = 0; round < rounds; round++) {
      // Rotate the order, so that a burst of load elsewhere does not always hit the same run.
      for (let k = 0; k < RUNS.length; k++) {
        const run = RUNS[(k + round) % RUNS.length];
        progress(`transport: round ${round + 1}/${rounds}, ${run.name}, ${connections} connections`);
        const opener = run.name === 'classical' ? open.classical : open.hybrid;
        samples.get(run.name).push(await oneRun(run, connections, () => opener(ports[run.target])));
      }
      // Let the gateway finish closing the burst's connections before timing one at a time.
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let k = 0; k < RUNS.length; k++) {
        const run = RUNS[(k + round) % RUNS.length];
        progress(`transport: round ${round + 1}/${rounds}, ${run.name}, ${sequential} connections one at a time`);
        const opener = run.name === 'classical' ? open.classical : open.hybrid;
        sequentialSamples.get(run.name).push(await oneRun(run, sequential, () => opener(ports[run.target]), { sequential: true }));
      }
    }
    gatewayCounts = await gatewayMetrics(cluster.metricsAddress);
  } finally {
    progress('transport: stopping');
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`bench: transport: cleanup failed: ${error?.message ?? error}\n`);
      }
    }
    progress('');
  }

  const runs = RUNS.map((r) => summarize(r, samples.get(r.name), connections));
  const byName = Object.fromEntries(runs.map((r) => [r.name, r]));
  const sequentialRuns = RUNS.map((r) => {
    const { p999, ...figures } = summarize(r, sequentialSamples.get(r.name), sequential);
    return figures;
  });
  const sequentialByName = Object.fromEntries(sequentialRuns.map((r) => [r.name, r]));
  // What the gateway counted must be what the clients did, both measurements (counted as failures when not).
  const expected = {
    hybrid: byName.hybrid.handshakes + sequentialByName.hybrid.handshakes,
    fallbacks: byName.classical.handshakes + sequentialByName.classical.handshakes,
  };
  const countsMatch = gatewayCounts !== undefined && gatewayCounts.hybrid === expected.hybrid && gatewayCounts.fallbacks === expected.fallbacks;
  const failures = [...runs, ...sequentialRuns].reduce((n, r) => n + r.failures, 0) + (countsMatch ? 0 : 1);
  const ratio = byName.hybrid.p99 / byName.classical.p99;
  return {
    policy: TRANSPORT_POLICY,
    connections,
    rounds,
    workers,
    smoke,
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg(),
    fileDescriptors: fd,
    runs,
    ratio,
    goal: TRANSPORT_GOAL,
    goalMet: Number.isFinite(ratio) && ratio <= TRANSPORT_GOAL,
    // One connection at a time: the unloaded cost of one handshake; the ratios are informative, no goal.
    sequential: {
      connections: sequential,
      runs: sequentialRuns,
      ratioP50: sequentialByName.hybrid.p50 / sequentialByName.classical.p50,
      ratioP99: sequentialByName.hybrid.p99 / sequentialByName.classical.p99,
    },
    gatewayCounts: gatewayCounts ?? null,
    expectedGatewayCounts: expected,
    countsMatch,
    failures,
  };
}

/**
 * N connections, each: handshake, request, response. Concurrent: all opened at once;
 * sequential: one at a time, the next opened once the previous one has closed.
 */
async function oneRun(run, connections, open, { sequential = false } = {}) {
  const sockets = new Set();
  const started = performance.now();
  let timer;
  let timedOut = false;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      for (const s of sockets) s.destroy();
      reject(
        new Error(
          `transport: the ${run.name} ${sequential ? 'sequential ' : ''}run (${connections} connections) did not finish within ${RUN_TIMEOUT_MS / 1000} s`,
        ),
      );
    }, RUN_TIMEOUT_MS);
  });
  let all;
  if (sequential) {
    all = (async () => {
      const done = [];
      for (let i = 0; i < connections && !timedOut; i++) done.push(await oneConnection(run, open, sockets));
      return done;
    })();
  } else {
    const results = [];
    for (let i = 0; i < connections; i++) results.push(oneConnection(run, open, sockets));
    all = Promise.all(results);
  }
  try {
    const done = await Promise.race([all, timeout]);
    const latencies = done.filter((r) => r.handshakeMs !== undefined && r.error === undefined).map((r) => r.handshakeMs);
    const lastHandshake = Math.max(...done.filter((r) => r.handshakeAt !== undefined).map((r) => r.handshakeAt));
    const codes = {};
    for (const r of done) if (r.error !== undefined) codes[r.error] = (codes[r.error] ?? 0) + 1;
    return {
      latencies: latencies.sort((a, b) => a - b),
      failures: connections - latencies.length,
      // Handshakes that completed, whatever came after: what the gateway counts.
      handshakes: done.filter((r) => r.handshakeMs !== undefined).length,
      codes,
      handshakesPerSecond: latencies.length / ((lastHandshake - started) / 1000),
      elapsedMs: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

function oneConnection(run, open, sockets) {
  return new Promise((resolve) => {
    let settled = false;
    let handshakeMs;
    let handshakeAt;
    const chunks = [];
    const t0 = performance.now();
    let socket;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      sockets.delete(socket);
      socket?.destroy();
      resolve({ handshakeMs, handshakeAt, error: error === undefined ? undefined : errorCode(error) });
    };
    try {
      socket = open();
    } catch (error) {
      finish(error);
      return;
    }
    sockets.add(socket);
    socket.once('secureConnect', () => {
      handshakeAt = performance.now();
      handshakeMs = handshakeAt - t0;
      const info = socket.getEphemeralKeyInfo();
      const group = info && typeof info.name === 'string' ? groupByNodeName(info.name) : undefined;
      if (group !== run.group) return finish(coded('WRONG_GROUP'));
      socket.write(REQUEST);
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.once('end', () => finish(Buffer.concat(chunks).equals(RESPONSE) ? undefined : coded('BAD_RESPONSE')));
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(coded(handshakeMs === undefined ? 'CLOSED_BEFORE_HANDSHAKE' : 'CLOSED_BEFORE_RESPONSE')));
  });
}

function coded(code) {
  return Object.assign(new Error(code), { code });
}

function errorCode(error) {
  return error?.code ?? error?.name ?? String(error);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function median(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** One run's figures: each the median over rounds; failures and their codes summed. */
function summarize(run, rounds, connections) {
  const per = (f) => median(rounds.map(f));
  const codes = {};
  for (const r of rounds) for (const [code, n] of Object.entries(r.codes)) codes[code] = (codes[code] ?? 0) + n;
  return {
    name: run.name,
    label: run.label,
    group: run.group,
    connections,
    rounds: rounds.length,
    succeeded: rounds.reduce((n, r) => n + r.latencies.length, 0),
    handshakes: rounds.reduce((n, r) => n + r.handshakes, 0),
    failures: rounds.reduce((n, r) => n + r.failures, 0),
    failureCodes: codes,
    handshakesPerSecond: per((r) => r.handshakesPerSecond),
    p50: per((r) => percentile(r.latencies, 0.5)),
    p90: per((r) => percentile(r.latencies, 0.9)),
    p99: per((r) => percentile(r.latencies, 0.99)),
    p999: per((r) => percentile(r.latencies, 0.999)),
  };
}

/** One table of runs: handshakes/s and latency percentiles (ms); with p99.9 when `p999`. */
function runsTable(runs, rounds, { p999 }) {
  const ms = (x) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 2 : 1) : '-');
  const header = ['run', 'connections', 'failures', 'handshakes/s', 'p50', 'p90', ...(p999 ? ['p99', 'p99.9 (ms)'] : ['p99 (ms)'])];
  const rows = runs.map((r) => [
    r.label,
    rounds > 1 ? `${r.connections} × ${rounds}` : String(r.connections),
    String(r.failures),
    Number.isFinite(r.handshakesPerSecond) ? r.handshakesPerSecond.toFixed(0) : '-',
    ms(r.p50),
    ms(r.p90),
    ms(r.p99),
    ...(p999 ? [ms(r.p999)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The report: load average, the concurrent table and goal line, the sequential table and its ratios, failures. */
export function transportLines(result, { smoke }) {
  const times = (x) => (Number.isFinite(x) ? `x${x.toFixed(2)}` : '-');
  const seq = result.sequential;
  const gc = result.gatewayCounts;
  const out = [
    `${smoke ? 'SMOKE RUN (figures are not meaningful): ' : ''}Transport (@hybridkem/transport): TLS 1.3 connections ` +
      `on 127.0.0.1, each a handshake (tls.connect to secureConnect) and a ${REQUEST.length}-byte request / ` +
      `${RESPONSE.length}-byte response; gateway: startGatewayCluster, policy ${result.policy}, ${result.workers} workers, in front of a TCP upstream.`,
    (result.rounds === 1
      ? '1 round, runs back to back '
      : `${result.rounds} rounds, runs interleaved (order rotated each round); each figure is the median over rounds of that round's figure `) +
      '(percentiles: nearest rank; handshakes/s: completed handshakes / seconds from the first connect to the last handshake).',
    `load average (1, 5, 15 min) at the start: ${result.loadAverageAtStart.map((l) => l.toFixed(2)).join(', ')}; ` +
      `${os.cpus()[0]?.model?.trim() ?? os.arch()} × ${os.availableParallelism()}; open-file limit ${result.fileDescriptors.soft} ` +
      `(hard ${result.fileDescriptors.hard}), about ${result.fileDescriptors.needed} needed here`,
    '',
    `Concurrent: ${result.connections} connections opened at once per run (on ${os.availableParallelism()} cores, mostly queueing under the burst):`,
    '',
    ...runsTable(result.runs, result.rounds, { p999: true }),
    '',
    `hybrid p99 / classical p99 = ${times(result.ratio)}; ` +
      `goal hybrid p99 ≤ ${result.goal}× classical p99: ${result.goalMet ? 'met' : 'not met'}` +
      (smoke ? ' (smoke run: not meaningful, judge on a full run)' : ''),
    '',
    `Sequential, the unloaded cost of one handshake through the gateway: ${seq.connections} connections per run, one at a time ` +
      `(connect, handshake, request / response, close, then the next), in the same rounds; client, gateway workers and upstream ` +
      `still share the ${os.availableParallelism()} cores (handshakes/s: one connection at a time, each with its request and close):`,
    '',
    ...runsTable(seq.runs, result.rounds, { p999: false }),
    '',
    `sequential hybrid / classical: p50 ${times(seq.ratioP50)}, p99 ${times(seq.ratioP99)} ` +
      `(informative, no goal${smoke ? '; smoke run: not meaningful' : ''})`,
    gc
      ? `gateway metrics (both measurements): ${gc.hybrid} X25519MLKEM768 handshakes accepted, ${gc.fallbacks} fallbacks, ${gc.refusals} refusals, ` +
        `${gc.upstreamFailures} upstream failures ` +
        (result.countsMatch
          ? '(as the clients counted)'
          : `(MISMATCH: the clients completed ${result.expectedGatewayCounts.hybrid} hybrid and ${result.expectedGatewayCounts.fallbacks} classical handshakes)`)
      : 'gateway metrics: not read (no metrics address)',
  ];
  for (const [runs, kind] of [[result.runs, ''], [seq.runs, ' (sequential)']]) {
    for (const r of runs) {
      const codes = Object.entries(r.failureCodes);
      if (codes.length > 0) out.push(`FAILURES in ${r.name}${kind}: ${codes.map(([c, n]) => `${c} × ${n}`).join(', ')}`);
    }
  }
  if (!result.countsMatch && gc) out.push("FAILURE: the gateway's counts differ from the clients'");
  if (result.failures === 0) out.push('no failures');
  out.push(`load average (1, 5, 15 min) at the end: ${result.loadAverageAtEnd.map((l) => l.toFixed(2)).join(', ')}`);
  return out;
}

/** The gateway's own counts, from its /metrics (the cluster's primary sums the workers). */
async function gatewayMetrics(address) {
  if (!address) return undefined;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  const res = await fetch(`http://${host}:${address.port}/metrics`);
  if (res.status !== 200) throw new Error(`transport: GET /metrics answered ${res.status}`);
  const text = await res.text();
  const sum = (name, labels = {}) => {
    let total = 0;
    for (const line of text.split('\n')) {
      const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(m[3]);
    }
    return total;
  };
  return {
    hybrid: sum('hybridkem_gateway_handshakes_total', { group: 'X25519MLKEM768', result: 'accepted' }),
    fallbacks: sum('hybridkem_gateway_fallbacks_total'),
    refusals: sum('hybridkem_gateway_refusals_total'),
    upstreamFailures: sum('hybridkem_gateway_upstream_failures_total'),
  };
}

/** A fresh self-signed P-256 certificate for localhost / 127.0.0.1 (openssl CLI). */
export function makeCertificate() {
  const dir = mkdtempSync(join(os.tmpdir(), 'hybridkem-bench-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-out', certPath,
        '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`transport: making a test certificate with the openssl CLI failed: ${error.stderr?.toString().trim() || error.message}`);
  }
}

/** The upstream: answers each connection's first bytes with RESPONSE and closes. */
async function startUpstream() {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', () => socket.end(RESPONSE));
  });
  await listen(server);
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The baseline server in a worker thread; resolves once it listens. */
async function startBaseline(key, cert) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: WORKER_ROLE, key, cert } });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    worker.once('message', (m) => resolve(m.port));
    worker.once('error', reject);
    exited.then((code) => reject(new Error(`transport: the baseline server's worker exited (${code}) before listening`)));
  });
  return {
    port,
    close: async () => {
      worker.postMessage('close');
      const timer = setTimeout(() => worker.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function runBaselineServer({ key, cert }) {
  const sockets = new Set();
  const server = tls.createServer({ key, cert, ...tlsOptions('hybrid-only'), handshakeTimeout: RUN_TIMEOUT_MS }, (socket) => {
    socket.once('data', () => socket.end(RESPONSE));
  });
  server.on('connection', (raw) => {
    sockets.add(raw);
    raw.on('error', () => {});
    raw.once('close', () => sockets.delete(raw));
  });
  server.on('tlsClientError', () => {});
  listen(server).then(() => parentPort.postMessage({ port: server.address().port }));
  parentPort.on('message', (m) => {
    if (m !== 'close') return;
    for (const s of sockets) s.destroy();
    server.close(() => parentPort.close());
  });
}
