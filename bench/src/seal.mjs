/**
 * The `seal` family: throughput of @hybridkem/seal (HPKE base mode, X-Wing,
 * HKDF-SHA256, each AEAD) on every KEM backend that loads, next to the
 * platform's raw AES-256-GCM (node:crypto, OpenSSL) over the same payloads in
 * 64 KiB pieces, the peer for ratios. Issue #3's goal: at least 80 % of raw
 * AEAD throughput for large payloads. It is reported, never asserted.
 *
 * Payloads up to STREAM_THRESHOLD go through the one-shot `seal` / `open`
 * (whole message in memory); larger ones stream through the Node stream API
 * (`sealNodeStream` / `openNodeStream` in `stream.pipeline`), so memory stays
 * bounded: the plaintext is generated in 64 KiB pieces, the sealed output is
 * counted and discarded, and `open` reads a sealed file written (untimed) to
 * the temp directory. The raw peer runs in memory at every size (see
 * rawSubject), so the ratio charges seal with its stream plumbing and, for
 * open, the file read.
 *
 * A subject is { name, kind, aead?, backend?, ops: { seal(size), open(size) } }
 * with async operations; kinds: 'seal' (ours) and 'raw' (the baseline).
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SuiteNotSupportedError } from '@hybridkem/core';
import { createHpkeSuite, open, openNodeStream, seal, sealNodeStream, SEALED_HEADER_LENGTH } from '@hybridkem/seal';
import { summarize } from './measure.mjs';
import { formatMs, formatTable } from './report.mjs';

export const SEAL_OPERATIONS = Object.freeze(['seal', 'open']);
export const AEADS = Object.freeze(['ChaCha20-Poly1305', 'AES-256-GCM']);

const KiB = 1024;
const MiB = 1024 * KiB;
/** Payload sizes: 256 MiB in full runs only. */
export const PAYLOADS = Object.freeze({ full: Object.freeze([KiB, MiB, 256 * MiB]), smoke: Object.freeze([KiB, MiB]) });
/** Above this, both sides stream (bounded memory); up to it, one-shot in memory. */
export const STREAM_THRESHOLD = MiB;
/** Plaintext pieces fed to both sides; also seal's chunk size (2^16). */
export const PIECE = 64 * KiB;
/** Streamed open reads its sealed file in pieces this large (fewer reads than 64 KiB; the chunker re-cuts them). */
export const READ_SIZE = MiB;
/** Issue #3: seal / open at least this share of raw AES-256-GCM throughput for large payloads. */
export const SEAL_GOAL = 0.8;

const TAG = 16;
const POOL = randomBytes(MiB);

export function formatSize(bytes) {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
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

/**
 * Temp files of the streamed sizes, removed by cleanUp() (also on exit).
 */
function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hybridkem-bench-seal-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', cleanUp);
  return { dir, cleanUp };
}

/** @hybridkem/seal for one AEAD over one backend: one-shot in memory, or Node streams above STREAM_THRESHOLD. */
async function sealSubject(aead, backend, sizes, dir) {
  const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead, backend });
  const { publicKey, privateKey } = suite.hpkeKem.kem.keygen();
  const tag = `${aead === 'AES-256-GCM' ? 'aes' : 'chacha'}-${backend.name}`;

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
      const file = path.join(dir, `${tag}-${size}.sealed`);
      await pipeline(Readable.from(pieces(size)), sealNodeStream(suite, publicKey), createWriteStream(file));
      inputs.set(size, { file });
    }
  }
  return {
    name: `seal ${aead} (${backend.name})`,
    kind: 'seal',
    aead,
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
        await pipeline(createReadStream(input.file, { highWaterMark: READ_SIZE }), openNodeStream(suite, privateKey), sink);
        expectBytes('openNodeStream', sink.bytes, size);
      },
    },
  };
}

/**
 * node:crypto's AES-256-GCM (OpenSSL), the baseline: one key and nonce per
 * message, the payload fed to update() in 64 KiB pieces (views of the same
 * pool as seal's input), the output counted and discarded, the tag computed /
 * verified. In memory at every size (nothing but the AEAD is timed; memory
 * stays bounded since nothing is kept). Decryption takes the pool pieces as the
 * ciphertext, with the tag that makes them authentic, found once beforehand:
 * the pieces CTR-decrypted give a plaintext whose encryption is those pieces.
 */
function rawSubject(sizes) {
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
    name: 'node:crypto aes-256-gcm',
    kind: 'raw',
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
  const { dir, cleanUp } = tempDir();
  try {
    const subjects = [];
    const skipped = [];
    for (const backend of backends) {
      for (const aead of AEADS) {
        try {
          progress(`seal: preparing ${aead} (${backend.name})`);
          subjects.push(await sealSubject(aead, backend, sizes, dir));
        } catch (error) {
          if (!(error instanceof SuiteNotSupportedError)) throw error;
          skipped.push(error.message);
        }
      }
    }
    const baseline = rawSubject(sizes);
    subjects.push(baseline);

    const rows = [];
    for (const size of sizes) {
      // Streamed sizes: one call per subject per round, no warm-up (each call is seconds long).
      const timing =
        size > STREAM_THRESHOLD
          ? { rounds: settings.rounds, time: 0, iterations: 1, warmupIterations: 0 }
          : { rounds: settings.rounds, time: settings.time, iterations: settings.iterations, warmupIterations: settings.warmupIterations };
      for (const operation of SEAL_OPERATIONS) {
        progress(`timing seal ${formatSize(size)} ${operation} (${subjects.length} implementations)`);
        const stats = await measureAsync(subjects, operation, size, timing);
        const base = stats[subjects.indexOf(baseline)];
        subjects.forEach((subject, i) => {
          rows.push({
            payload: size,
            operation,
            mode: size > STREAM_THRESHOLD ? 'node-stream' : 'one-shot',
            implementation: subject.name,
            kind: subject.kind,
            ...(subject.aead ? { aead: subject.aead } : {}),
            ...(subject.backend ? { backend: subject.backend } : {}),
            baseline: subject === baseline,
            ...stats[i],
            megabytesPerSecond: megabytesPerSecond(size, stats[i].medianMs),
            vsRawAesGcm: base.medianMs / stats[i].medianMs,
          });
        });
      }
    }
    return { sizes, rows, skipped };
  } finally {
    cleanUp();
  }
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
    ]);
    lastPayload = row.payload;
    lastOperation = row.operation;
  }
  return formatTable(
    [
      { title: 'payload' },
      { title: 'operation' },
      { title: 'implementation' },
      { title: 'median', align: 'right' },
      { title: 'MB/s', align: 'right' },
      { title: '±MAD', align: 'right' },
      { title: 'samples', align: 'right' },
      { title: 'of raw AES-GCM', align: 'right' },
    ],
    cells,
  );
}

/**
 * Issue #3's goal on the largest payload measured: per seal implementation,
 * its seal and open throughput as a share of raw AES-256-GCM's and whether
 * both reach SEAL_GOAL. A report, not a check.
 */
export function sealGoal(rows) {
  const payload = Math.max(...rows.map((r) => r.payload));
  const mine = rows.filter((r) => r.kind === 'seal' && r.payload === payload);
  const results = [...new Set(mine.map((r) => r.implementation))].map((implementation) => {
    const share = (op) => mine.find((r) => r.implementation === implementation && r.operation === op)?.vsRawAesGcm ?? Number.NaN;
    const [seal, open] = [share('seal'), share('open')];
    return { implementation, seal, open, met: seal >= SEAL_GOAL && open >= SEAL_GOAL };
  });
  return { shareOfRawAesGcm: SEAL_GOAL, payload, results };
}

/** sealGoal() as one line per seal implementation. */
export function sealGoalLines(rows, { smoke }) {
  const { payload, results } = sealGoal(rows);
  return results.map(
    (g) =>
      `${g.implementation}, ${formatSize(payload)}: seal ${(100 * g.seal).toFixed(1)} %, open ${(100 * g.open).toFixed(1)} % of raw AES-256-GCM; ` +
      `goal ≥ ${100 * SEAL_GOAL} % for large payloads (issue #3): ${g.met ? 'met' : 'not met'}` +
      (smoke ? ' (smoke run, not a large payload: judge on a full run)' : ''),
  );
}
