/**
 * The `channel` family: @hybridkem/transport's Noise channel (spec/TRANSPORT.md §6).
 *
 *   handshakes  pqNK, pqIK, pqXX (X-Wing, ChaChaPoly, SHA256) per KEM backend
 *               that loads, over loopback TCP through the Node adapter, next to
 *               node:tls's TLS 1.3 X25519MLKEM768 handshake in the same rounds
 *               (channel-handshakes.mjs)
 *   throughput  transport messages of 16 KiB and 65518 bytes (the largest)
 *               through two sans-IO Channels, next to raw node:crypto
 *               ChaCha20-Poly1305 over the same sizes; goal: the round trip at
 *               ≥ 80 % of raw; then a volume through the Node adapter over
 *               loopback TCP next to plain TCP (channel-throughput.mjs)
 *
 * Reported, never asserted: the exit code is non-zero only when something
 * throws (a handshake that fails or does not complete within 30 s, a
 * negotiated group or parameter that is not the row's, a message that does
 * not come back intact).
 * @module
 */
import os from 'node:os';
import { runHandshakes } from './channel-handshakes.mjs';
import { MESSAGE_SIZES, runSansIo, runTcp, TCP_VOLUME, THROUGHPUT_GOAL } from './channel-throughput.mjs';
import { formatMs, formatOps, formatTable } from './report.mjs';
import { throughputColumns } from './seal.mjs';

export { THROUGHPUT_GOAL } from './channel-throughput.mjs';

/** The backend the throughput runs on: the KEM only runs in the handshake, so any one does; the first that loads. */
function throughputBackend(backends) {
  return backends[0];
}

/**
 * @param {{ probes: { name: string, available: boolean, backend?: import('@hybridkem/core').Backend, error?: unknown }[], settings: object, smoke: boolean, progress: (line: string) => void }} options
 *   probes: core's probeBackends(); every backend that loads is timed, the others are listed
 */
export async function runChannel({ probes, settings, smoke, progress = () => {} }) {
  const backends = probes.filter((p) => p.available).map((p) => p.backend);
  if (backends.length === 0) throw new Error('channel: no KEM backend loaded');
  const loadAverageAtStart = os.loadavg();
  const handshakes = await runHandshakes({ backends, settings, progress });
  const backend = throughputBackend(backends);
  const sansIo = runSansIo({ backend, settings, progress });
  // Full runs: at least 3 rounds of the TCP volume (each call is one sample).
  const tcp = await runTcp({ backend, volume: smoke ? TCP_VOLUME.smoke : TCP_VOLUME.full, rounds: smoke ? 1 : Math.max(3, settings.rounds), progress });
  progress('');
  return {
    suite: 'X-Wing',
    cipher: 'ChaChaPoly',
    hash: 'SHA256',
    smoke,
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg(),
    handshakes: handshakes.rows,
    skipped: handshakes.skipped,
    notLoaded: probes.filter((p) => !p.available).map((p) => ({ name: p.name, error: firstLine(p.error) })),
    throughput: {
      backend: backend.name,
      providers: sansIo.providers,
      messageSizes: MESSAGE_SIZES,
      rows: sansIo.rows,
      goal: THROUGHPUT_GOAL,
      results: sansIo.goal,
      met: sansIo.goal.every((g) => g.met),
    },
    tcp,
  };
}

function firstLine(error) {
  let root = error;
  while (root instanceof Error && root.cause) root = root.cause;
  return (root instanceof Error ? root.message : String(root)).split('\n')[0];
}

const pct = (share) => `${(100 * share).toFixed(1)} %`;
const mad = (row) => `${((100 * row.madMs) / row.medianMs).toFixed(1)}%`;

/** The printed report: the handshake table, the throughput table, the goal lines, the TCP lines. */
export function channelLines(result, { smoke }) {
  const smokeNote = smoke ? 'SMOKE RUN (figures are not meaningful): ' : '';
  const out = [
    `${smokeNote}Channel (@hybridkem/transport, Noise with a KEM): ${result.suite}, ${result.cipher}, ${result.hash}. ` +
      `load average (1, 5, 15 min) at the start: ${result.loadAverageAtStart.map((l) => l.toFixed(2)).join(', ')}`,
    '',
    'Handshakes over loopback TCP, one at a time, from connect until both ends are open; client and server in this process ' +
      '(each figure is both sides\' work). vs TLS = median / the node:tls median (below x1.00 is faster); handshakes/s = 1000 / median.',
    '',
  ];
  const tls = result.handshakes.find((r) => r.kind === 'tls');
  out.push(
    formatTable(
      [
        { title: 'pattern' },
        { title: 'implementation' },
        { title: 'median', align: 'right' },
        { title: 'handshakes/s', align: 'right' },
        { title: '±MAD', align: 'right' },
        { title: 'samples', align: 'right' },
        { title: 'vs TLS', align: 'right' },
      ],
      result.handshakes.map((r) => [
        r.kind === 'tls' ? 'TLS 1.3' : r.pattern,
        r.kind === 'tls' ? `${r.implementation} (${r.cipher ?? '?'}, P-256 certificate)` : `channel (${r.backend})`,
        formatMs(r.medianMs),
        formatOps(r.handshakesPerSecond),
        mad(r),
        String(r.samples),
        r.baseline ? 'baseline' : `x${r.vsTls.toFixed(2)}`,
      ]),
    ),
  );
  out.push('');
  for (const r of result.handshakes.filter((h) => h.kind === 'channel')) {
    out.push(
      `${r.pattern} ${r.backend}: ${formatOps(r.handshakesPerSecond)} handshakes/s vs node:tls ${formatOps(tls.handshakesPerSecond)}/s: ` +
        `${(r.handshakesPerSecond / tls.handshakesPerSecond).toFixed(2)}× the TLS rate (x${r.vsTls.toFixed(2)} its time)`,
    );
  }
  for (const s of result.skipped) out.push(`skipped: ${s}`);
  for (const p of result.notLoaded) out.push(`not loaded: ${p.name}: ${p.error}`);

  const t = result.throughput;
  out.push(
    '',
    `Throughput of transport messages, sans-IO (two Channels in memory, KEM backend ${t.backend}; no sockets). MB/s = 10^6 bytes / s ` +
      'at the median; of raw = raw ChaCha20-Poly1305\'s median / this median at the same size and operation (higher is better).',
    '',
  );
  let last;
  out.push(
    formatTable(
      throughputColumns('message', 'of raw'),
      t.rows.map((r) => {
        const first = r.messageSize !== last;
        last = r.messageSize;
        return [
          first ? `${r.messageSize} B` : '',
          r.operation,
          r.implementation,
          formatMs(r.medianMs),
          r.megabytesPerSecond.toFixed(0),
          mad(r),
          String(r.samples),
          r.baseline ? 'baseline' : pct(r.vsRaw),
        ];
      }),
    ),
  );
  out.push('');
  for (const g of t.results) {
    const row = (kind) => t.rows.find((r) => r.messageSize === g.messageSize && r.operation === g.operation && r.kind === kind && (kind === 'raw' || r.defaultProvider));
    out.push(
      `${g.messageSize}-byte messages, encrypt + decrypt: ${row('channel').implementation} ${row('channel').megabytesPerSecond.toFixed(0)} MB/s = ${pct(g.share)} of raw ` +
        `ChaCha20-Poly1305 ${row('raw').megabytesPerSecond.toFixed(0)} MB/s; goal ≥ ${pct(t.goal)}: ${g.met ? 'met' : 'not met'}` +
        (smoke ? ' (smoke run: judge on a full run)' : ''),
    );
  }
  const c = result.tcp;
  const [channelRow, plainRow] = c.rows;
  out.push(
    '',
    `Over loopback TCP (informative, no goal): ${c.volume / 1024 / 1024} MiB per call written in 64 KiB pieces, ${c.rounds} call${c.rounds === 1 ? '' : 's'} each, ` +
      `median: ${channelRow.implementation} ${channelRow.megabytesPerSecond.toFixed(0)} MB/s, ${plainRow.implementation} ` +
      `${plainRow.megabytesPerSecond.toFixed(0)} MB/s (${pct(c.vsPlain)}).`,
    `load average (1, 5, 15 min) at the end: ${result.loadAverageAtEnd.map((l) => l.toFixed(2)).join(', ')}`,
  );
  return out;
}
