/**
 * The `seal` family: throughput of @hybridkem/seal (HPKE base mode, X-Wing,
 * HKDF-SHA256, each AEAD) on every KEM backend that loads, next to the
 * platform's raw AES-256-GCM (node:crypto, OpenSSL) over the same payloads in
 * the same run, two ways: one AEAD call per 64 KiB chunk (a fresh nonce and
 * tag per chunk, as seal does: the peer for the goal) and one AEAD call over
 * the whole payload fed in 64 KiB pieces (no per-chunk cost at all). The
 * goal: seal and open of large payloads at least 80 % of raw AEAD
 * throughput. It is reported, never asserted.
 *
 * Payloads up to STREAM_THRESHOLD go through the one-shot `seal` / `open`
 * (whole message in memory); larger ones stream through the Node stream API
 * (`sealNodeStream` / `openNodeStream` in `stream.pipeline`): the plaintext
 * is generated in 64 KiB pieces and the sealed output counted and discarded,
 * so seal's memory stays bounded; `open` reads a sealed message made
 * beforehand (untimed) and held by the bench in 1 MiB pieces, in memory as
 * the raw peers' input is, so neither side pays for file reads. The ratios
 * charge seal and open with their stream plumbing, which raw does not have.
 *
 * A subject is { name, kind, aead?, backend?, ops: { seal(size), open(size) } }
 * with async operations; kinds: 'seal' (ours) and 'raw' (the baseline).
 * @module
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SuiteNotSupportedError } from '@hybridkem/core';
import { createHpkeSuite, open, openNodeStream, seal, sealNodeStream, SEALED_HEADER_LENGTH } from '@hybridkem/seal';
import { summarize } from './measure.mjs';
import { formatMs, formatTable } from './report.mjs';

export const SEAL_OPERATIONS = Object.freeze(['seal', 'open']);
export const AEADS = Object.freeze(['AES-128-GCM', 'AES-256-GCM', 'ChaCha20-Poly1305']);

const KiB = 1024;
const MiB = 1024 * KiB;
/** Payload sizes: 256 MiB in full runs only. */
export const PAYLOADS = Object.freeze({ full: Object.freeze([KiB, MiB, 256 * MiB]), smoke: Object.freeze([KiB, MiB]) });
/** Above this, both sides stream (bounded memory); up to it, one-shot in memory. */
export const STREAM_THRESHOLD = MiB;
/** Rounds of the streamed (256 MiB) sizes at least, whatever --rounds says: 3 single calls were too few on a shared machine. */
export const STREAMED_ROUNDS = 5;
/** Plaintext pieces fed to both sides; also seal's chunk size (2^16). */
export const PIECE = 64 * KiB;
/** Streamed open reads its sealed message in pieces this large (not aligned to chunks: the chunker re-cuts them). */
export const READ_SIZE = MiB;
/** The goal: seal / open at least this share of raw AES-256-GCM throughput (per 64 KiB chunk) for large payloads. */
export const SEAL_GOAL = 0.8;

const TAG = 16;
const POOL = randomBytes(MiB);

export function formatSize(bytes) {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
}

/**
 * The columns of a throughput table (seal's and the channel's): the size
 * (titled `sizeTitle`), operation, implementation, median, MB/s, ±MAD,
 * samples, then one right-aligned column per title of `shareTitles`.
 */
export function throughputColumns(sizeTitle, ...shareTitles) {
  return [
    { title: sizeTitle },
    { title: 'operation' },
    { title: 'implementation' },
    { title: 'median', align: 'right' },
    { title: 'MB/s', align: 'right' },
    { title: '±MAD', align: 'right' },
    { title: 'samples', align: 'right' },
    ...shareTitles.map((title) => ({ title, align: 'right' })),
  ];
}

/** MB/s with MB = 10^6 bytes. */
export function megabytesPerSecond(bytes, ms) {
  return bytes / 1e6 / (ms / 1000);
}

/** `size` bytes of plaintext as 64 KiB pieces (views of a 1 MiB random pool, rotating). */
function* pieces(size) {
  for (let off = 0; off < size; off += PIECE) {
    const at = off % POOL.length;
    yield POOL.subarray(at, at + Math.min(PIECE, size - off));
  }
}

function counter() {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      sink.bytes += chunk.length;
      callback();
    },
  });
  sink.bytes = 0;
  return sink;
}

const sealedLength = (suite, size) => SEALED_HEADER_LENGTH + suite.hpkeKem.encSize + size + TAG * Math.max(1, Math.ceil(size / PIECE));

function expectBytes(what, got, expected) {
  if (got !== expected) throw new Error(`${what}: ${got} bytes out, expected ${expected}`);
}

/** @hybridkem/seal for one AEAD over one backend: one-shot in memory, or Node streams above STREAM_THRESHOLD. */
async function sealSubject(aead, backend, sizes) {
  const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead, backend });
  const { publicKey, privateKey } = suite.hpkeKem.kem.keygen();

  // Checked once before timing: one-shot and streamed round trips across forms.
  const message = POOL.subarray(0, 3 * PIECE + 1);
  const oneShot = await seal(suite, publicKey, message);
  expectBytes(`${aead} seal`, oneShot.length, sealedLength(suite, message.length));
  const parts = [];
  await pipeline(Readable.from([oneShot]), openNodeStream(suite, privateKey), new Writable({ write: (c, _e, cb) => cb(void parts.push(c)) }));
  const back = Buffer.concat(parts);
  if (back.length !== message.length || !timingSafeEqual(back, message)) throw new Error(`${aead} (${backend.name}): round trip failed`);

  const inputs = new Map();
  for (const size of sizes) {
    if (size <= STREAM_THRESHOLD) {
      const plaintext = POOL.subarray(0, size);
      inputs.set(size, { plaintext, sealed: await seal(suite, publicKey, plaintext) });
    } else {
      // The sealed message, held in READ_SIZE pieces for open to read from memory as raw decryption does.
      const out = [];
      await pipeline(Readable.from(pieces(size)), sealNodeStream(suite, publicKey), new Writable({ write: (c, _e, cb) => cb(void out.push(c)) }));
      const whole = Buffer.concat(out);
      out.length = 0;
      const reads = [];
      for (let off = 0; off < whole.length; off += READ_SIZE) reads.push(whole.subarray(off, off + READ_SIZE));
      inputs.set(size, { reads });
    }
  }
  return {
    // aeadImplementation: node:crypto in Node, hpke-js's WebCrypto / JavaScript AEAD where node:crypto lacks the cipher.
    name: `seal ${aead} (${backend.name}, ${suite.aeadImplementation})`,
    kind: 'seal',
    aead,
    aeadImplementation: suite.aeadImplementation,
    backend: backend.name,
    ops: {
      async seal(size) {
        const input = inputs.get(size);
        if (input.plaintext) return seal(suite, publicKey, input.plaintext);
        const sink = counter();
        await pipeline(Readable.from(pieces(size)), sealNodeStream(suite, publicKey), sink);
        expectBytes('sealNodeStream', sink.bytes, sealedLength(suite, size));
      },
      async open(size) {
        const input = inputs.get(size);
        if (input.sealed) return open(suite, privateKey, input.sealed);
        const sink = counter();
        await pipeline(Readable.from(input.reads), openNodeStream(suite, privateKey), sink);
        expectBytes('openNodeStream', sink.bytes, size);
      },
    },
  };
}

/**
 * node:crypto's AES-256-GCM (OpenSSL) over the whole payload as one message:
 * one key and nonce, the payload fed to update() in 64 KiB pieces (views of
 * the same pool as seal's input), the output counted and discarded, one tag
 * computed / verified. No per-chunk cost at all: the ceiling. In memory at
 * every size (nothing but the AEAD is timed; memory stays bounded since
 * nothing is kept). Decryption takes the pool pieces as the ciphertext, with
 * the tag that makes them authentic, found once beforehand: the pieces
 * CTR-decrypted give a plaintext whose encryption is those pieces.
 */
function rawStreamSubject(sizes) {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const tags = new Map();
  for (const size of sizes) {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    for (const p of pieces(size)) cipher.update(decipher.update(p));
    cipher.final();
    tags.set(size, cipher.getAuthTag());
  }
  return {
    name: 'node:crypto aes-256-gcm, one message',
    kind: 'raw',
    rawMode: 'stream',
    ops: {
      async seal(size) {
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        let bytes = 0;
        for (const p of pieces(size)) bytes += cipher.update(p).length;
        bytes += cipher.final().length;
        cipher.getAuthTag();
        expectBytes('aes-256-gcm encrypt', bytes, size);
      },
      async open(size) {
        const decipher = createDecipheriv('aes-256-gcm', key, iv).setAuthTag(tags.get(size));
        let bytes = 0;
        for (const p of pieces(size)) bytes += decipher.update(p).length;
        bytes += decipher.final().length; // throws unless the tag verifies
        expectBytes('aes-256-gcm decrypt', bytes, size);
      },
    },
  };
}

/** Chunk i's nonce: the base nonce with i XORed into its last four bytes (RFC 9180's ComputeNonce for i < 2^32). */
function chunkNonce(base, i) {
  const nonce = Buffer.from(base);
  nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ i) >>> 0, 8);
  return nonce;
}

/**
 * node:crypto's AES-256-GCM as an AEAD over 64 KiB chunks, the peer for the
 * goal: per chunk a fresh cipher with that chunk's nonce, update(), final()
 * and the chunk's own tag — the AEAD work of a sealed message, without HPKE,
 * framing, streams or the final-chunk AAD. The key is a KeyObject made once
 * (createCipheriv with a raw key Buffer costs more than the cipher itself in
 * Node 24), so this is the fastest way node:crypto offers. In memory at every
 * size; decryption verifies each chunk's tag, made beforehand as for the
 * one-message subject.
 */
function rawChunkedSubject(sizes) {
  const key = createSecretKey(randomBytes(32));
  const base = randomBytes(12);
  const tags = new Map();
  for (const size of sizes) {
    const list = [];
    let i = 0;
    for (const p of pieces(size)) {
      const nonce = chunkNonce(base, i++);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG });
      cipher.update(createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG }).update(p));
      cipher.final();
      list.push(cipher.getAuthTag());
    }
    tags.set(size, list);
  }
  return {
    name: `node:crypto aes-256-gcm per ${PIECE / KiB} KiB chunk`,
    kind: 'raw',
    rawMode: 'chunked',
    ops: {
      async seal(size) {
        let bytes = 0;
        let i = 0;
        for (const p of pieces(size)) {
          const cipher = createCipheriv('aes-256-gcm', key, chunkNonce(base, i++), { authTagLength: TAG });
          bytes += cipher.update(p).length;
          bytes += cipher.final().length;
          bytes += cipher.getAuthTag().length;
        }
        expectBytes('aes-256-gcm encrypt per chunk', bytes, size + TAG * i);
      },
      async open(size) {
        const list = tags.get(size);
        let bytes = 0;
        let i = 0;
        for (const p of pieces(size)) {
          const decipher = createDecipheriv('aes-256-gcm', key, chunkNonce(base, i), { authTagLength: TAG }).setAuthTag(list[i]);
          i += 1;
          bytes += decipher.update(p).length;
          bytes += decipher.final().length; // throws unless the chunk's tag verifies
        }
        expectBytes('aes-256-gcm decrypt per chunk', bytes, size);
      },
    },
  };
}

/**
 * Like measure() of measure.mjs, for async operations taking the payload
 * size: interleaved rounds, the order rotated each round, each subject
 * running for at least `time` ms and `iterations` calls after
 * `warmupIterations` untimed ones.
 */
async function measureAsync(subjects, operation, size, { rounds, time, iterations, warmupIterations }) {
  const samples = subjects.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const i = (k + round) % subjects.length;
      const run = subjects[i].ops[operation];
      for (let w = 0; w < warmupIterations; w++) await run(size);
      const start = performance.now();
      for (let n = 0; n < iterations || performance.now() - start < time; n++) {
        const t0 = performance.now();
        await run(size);
        samples[i].push(performance.now() - t0);
      }
    }
  }
  return samples.map(summarize);
}

/**
 * Times seal and open of every payload size for every AEAD on every backend,
 * next to raw AES-256-GCM. Returns the rows (size × operation ×
 * implementation) and the suites skipped (SuiteNotSupportedError).
 */
export async function runSeal({ backends, smoke, settings, progress = () => {} }) {
  const sizes = smoke ? PAYLOADS.smoke : PAYLOADS.full;
  const subjects = [];
  const skipped = [];
  // Streamed sizes on the first backend only: the KEM backend changes only the
  // one encapsulation / decapsulation (milliseconds of a 256 MiB call), and
  // fewer subjects leave time for more rounds, which a shared machine needs.
  const streamedBackend = backends[0]?.name;
  for (const backend of backends) {
    for (const aead of AEADS) {
      try {
        progress(`seal: preparing ${aead} (${backend.name})`);
        const own = backend.name === streamedBackend ? sizes : sizes.filter((size) => size <= STREAM_THRESHOLD);
        subjects.push(await sealSubject(aead, backend, own));
      } catch (error) {
        if (!(error instanceof SuiteNotSupportedError)) throw error;
        skipped.push(error.message);
      }
    }
  }
  const baseline = rawChunkedSubject(sizes);
  const streamRaw = rawStreamSubject(sizes);
  subjects.push(baseline, streamRaw);

  const rows = [];
  for (const size of sizes) {
    const streamed = size > STREAM_THRESHOLD;
    const timed = streamed
      ? subjects.filter((s) => s.kind === 'raw' || s.backend === streamedBackend)
      : subjects;
    // Streamed sizes: one call per subject per round, no warm-up (each call takes a fraction of a second or more), at least STREAMED_ROUNDS rounds.
    const timing = streamed
      ? { rounds: Math.max(settings.rounds, STREAMED_ROUNDS), time: 0, iterations: 1, warmupIterations: 0 }
      : { rounds: settings.rounds, time: settings.time, iterations: settings.iterations, warmupIterations: settings.warmupIterations };
    for (const operation of SEAL_OPERATIONS) {
      progress(`timing seal ${formatSize(size)} ${operation} (${timed.length} implementations)`);
      const stats = await measureAsync(timed, operation, size, timing);
      const base = stats[timed.indexOf(baseline)];
      const stream = stats[timed.indexOf(streamRaw)];
      timed.forEach((subject, i) => {
        rows.push({
          payload: size,
          operation,
          mode: streamed ? 'node-stream' : 'one-shot',
          implementation: subject.name,
          kind: subject.kind,
          ...(subject.aead ? { aead: subject.aead, aeadImplementation: subject.aeadImplementation } : {}),
          ...(subject.rawMode ? { rawMode: subject.rawMode } : {}),
          ...(subject.backend ? { backend: subject.backend } : {}),
          baseline: subject === baseline,
          ...stats[i],
          megabytesPerSecond: megabytesPerSecond(size, stats[i].medianMs),
          vsRawAesGcm: base.medianMs / stats[i].medianMs,
          vsRawAesGcmOneMessage: stream.medianMs / stats[i].medianMs,
        });
      });
    }
  }
  return { sizes, rows, skipped };
}

/** The seal table: payload × operation × implementation, MB/s and the share of raw AES-256-GCM's throughput. */
export function sealTable(rows, label = (row) => row.implementation) {
  const cells = [];
  let lastPayload;
  let lastOperation;
  for (const row of rows) {
    const newPayload = row.payload !== lastPayload;
    if (newPayload && lastPayload !== undefined) cells.push([]);
    cells.push([
      newPayload ? formatSize(row.payload) : '',
      newPayload || row.operation !== lastOperation ? row.operation : '',
      label(row),
      formatMs(row.medianMs),
      row.megabytesPerSecond >= 100 ? row.megabytesPerSecond.toFixed(0) : row.megabytesPerSecond.toPrecision(3),
      `${((100 * row.madMs) / row.medianMs).toFixed(1)}%`,
      String(row.samples),
      row.baseline ? 'baseline' : `${(100 * row.vsRawAesGcm).toFixed(1)} %`,
      row.rawMode === 'stream' ? '' : `${(100 * row.vsRawAesGcmOneMessage).toFixed(1)} %`,
    ]);
    lastPayload = row.payload;
    lastOperation = row.operation;
  }
  return formatTable(throughputColumns('payload', 'of raw AES-GCM', 'of one message'), cells);
}

/**
 * The goal on the largest payload measured: per seal implementation, its seal
 * and open throughput as a share of raw AES-256-GCM's per 64 KiB chunk (the
 * peer), whether both reach SEAL_GOAL, and the same shares of the
 * one-message raw AES-256-GCM. A report, not a check.
 */
export function sealGoal(rows) {
  const payload = Math.max(...rows.map((r) => r.payload));
  const mine = rows.filter((r) => r.kind === 'seal' && r.payload === payload);
  const results = [...new Set(mine.map((r) => r.implementation))].map((implementation) => {
    const row = (op) => mine.find((r) => r.implementation === implementation && r.operation === op);
    const [seal, open] = [row('seal')?.vsRawAesGcm ?? Number.NaN, row('open')?.vsRawAesGcm ?? Number.NaN];
    const oneMessage = { seal: row('seal')?.vsRawAesGcmOneMessage ?? Number.NaN, open: row('open')?.vsRawAesGcmOneMessage ?? Number.NaN };
    const megabytesPerSecond = { seal: row('seal')?.megabytesPerSecond ?? Number.NaN, open: row('open')?.megabytesPerSecond ?? Number.NaN };
    return { implementation, seal, open, met: seal >= SEAL_GOAL && open >= SEAL_GOAL, oneMessage, megabytesPerSecond };
  });
  return { shareOfRawAesGcm: SEAL_GOAL, peer: `raw AES-256-GCM per ${PIECE / KiB} KiB chunk`, payload, results };
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;

/** sealGoal() as one line per seal implementation, then the load average at the end of the run. */
export function sealGoalLines(rows, { smoke }) {
  const { payload, results } = sealGoal(rows);
  const raw = (mode, op) => rows.find((r) => r.kind === 'raw' && r.rawMode === mode && r.payload === payload && r.operation === op);
  const mbs = (row) => (row ? row.megabytesPerSecond.toFixed(0) : '?');
  return [
    `raw node:crypto AES-256-GCM, ${formatSize(payload)}: per ${PIECE / KiB} KiB chunk encrypt ${mbs(raw('chunked', 'seal'))} MB/s, ` +
      `decrypt ${mbs(raw('chunked', 'open'))} MB/s; ` +
      `one message encrypt ${mbs(raw('stream', 'seal'))} MB/s, decrypt ${mbs(raw('stream', 'open'))} MB/s`,
    ...results.map(
      (g) =>
        `${g.implementation}, ${formatSize(payload)}: seal ${g.megabytesPerSecond.seal.toFixed(0)} MB/s = ${pct(g.seal)}, ` +
        `open ${g.megabytesPerSecond.open.toFixed(0)} MB/s = ${pct(g.open)} of raw AES-256-GCM per ${PIECE / KiB} KiB chunk ` +
        `(${pct(g.oneMessage.seal)} / ${pct(g.oneMessage.open)} of one message); ` +
        `goal ≥ ${100 * SEAL_GOAL} % of raw: ${g.met ? 'met' : 'not met'}` +
        (smoke ? ' (smoke run, not a large payload: judge on a full run)' : ''),
    ),
    `load average (1, 5, 15 min) at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`,
  ];
}
