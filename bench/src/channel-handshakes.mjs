/**
 * Channel handshakes per second over loopback TCP, next to node:tls.
 *
 * Each subject owns one server on 127.0.0.1 and opens one connection at a
 * time to it from the same process: a handshake is timed from the client's
 * `net.connect` / `tls.connect` until BOTH ends report it complete (the
 * channel's connectChannel and acceptChannel promises; tls's
 * `secureConnect` and the server's `secureConnection`), then both sockets are
 * destroyed. Client and server work share one event loop, so a figure is the
 * whole handshake's CPU (both sides) plus the loopback round trips, for the
 * channel and for TLS alike.
 *
 *   channel  pqNK / pqIK / pqXX, X-Wing, ChaChaPoly, SHA256, per KEM backend,
 *            through @hybridkem/transport's Node adapter (connectChannel /
 *            acceptChannel); static keys made once per backend
 *   tls      node:tls TLS 1.3 under tlsOptions('hybrid-only') on both ends:
 *            the X25519MLKEM768 group (checked on every handshake), a
 *            self-signed P-256 certificate made once, verified by the client
 *
 * Subjects are timed in interleaved rounds as measure.mjs does for sync
 * operations (each round runs every subject for ≥ `time` ms and ≥
 * `iterations` handshakes after a warm-up, the order rotating per round).
 * @module
 */
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { createKem, getSuite } from '@hybridkem/core';
import { acceptChannel, connectChannel, groupByNodeName, tlsOptions } from '@hybridkem/transport';
import { summarize } from './measure.mjs';
import { makeCertificate } from './transport.mjs';

export const HANDSHAKE_PATTERNS = Object.freeze(['pqNK', 'pqIK', 'pqXX']);
export const CHANNEL_SUITE = 'X-Wing';
export const CHANNEL_CIPHER = 'ChaChaPoly';
export const CHANNEL_HASH = 'SHA256';
export const TLS_GROUP = 'X25519MLKEM768';
const HOST = '127.0.0.1';
/** One handshake that has not completed after this long is a failure (not a figure). */
const HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * Times `handshake()` of every subject in interleaved rounds.
 * @returns {Promise<import('./measure.mjs').Stats[]>} in the order of `subjects`
 */
export async function measureAsync(subjects, settings, progress = () => {}) {
  const samples = subjects.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const i = (k + round) % subjects.length;
      const subject = subjects[i];
      progress(`channel: round ${round + 1}/${settings.rounds}, ${subject.name}`);
      // Warm-up: JIT, the backend's first calls, the server's first accept.
      const warmupUntil = performance.now() + settings.warmupTime;
      for (let n = 0; n < settings.warmupIterations || performance.now() < warmupUntil; n++) await subject.handshake();
      const until = performance.now() + settings.time;
      for (let n = 0; n < settings.iterations || performance.now() < until; n++) {
        const t0 = performance.now();
        await subject.handshake();
        samples[i].push(performance.now() - t0);
      }
    }
  }
  return samples.map(summarize);
}

/** A server that hands each accepted socket to `onSocket`, on 127.0.0.1, an ephemeral port. */
async function listen(server) {
  server.listen(0, HOST);
  await once(server, 'listening');
  return server.address().port;
}

function closeServer(server, sockets) {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Rejects after HANDSHAKE_TIMEOUT_MS (the timer is cleared by `clear`). */
function deadline(what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`channel: ${what}: no handshake within ${HANDSHAKE_TIMEOUT_MS / 1000} s`)), HANDSHAKE_TIMEOUT_MS);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * One waiter per expected server-side completion: connections come one at a
 * time, so the next completion belongs to the handshake being timed.
 */
function completions() {
  let waiter;
  return {
    next() {
      return new Promise((resolve, reject) => (waiter = { resolve, reject }));
    },
    resolve(value) {
      const w = waiter;
      waiter = undefined;
      w?.resolve(value);
    },
    reject(error) {
      const w = waiter;
      waiter = undefined;
      w?.reject(error);
    },
  };
}

/** The options of both ends of `pattern` (spec/TRANSPORT.md §6.1: who holds which static key). */
export function channelOptions(pattern, backend, keys) {
  const parameters = { suites: [CHANNEL_SUITE], ciphers: [CHANNEL_CIPHER], hashes: [CHANNEL_HASH] };
  const serverPublic = [{ suite: CHANNEL_SUITE, publicKey: keys.server.publicKey }];
  const client = {
    ...parameters,
    backend,
    pattern,
    // pqNK and pqIK need the server's key in advance; pqXX learns it and checks it against this pin.
    remoteStaticKeys: serverPublic,
    ...(pattern === 'pqNK' ? {} : { staticKeys: [{ suite: CHANNEL_SUITE, ...keys.client }] }),
  };
  const server = {
    ...parameters,
    backend,
    patterns: [pattern],
    staticKeys: [{ suite: CHANNEL_SUITE, ...keys.server }],
    // pqIK and pqXX authenticate the client: the server accepts exactly the bench's client key.
    ...(pattern === 'pqNK' ? {} : { verifyRemoteStatic: ({ publicKey }) => Buffer.compare(Buffer.from(publicKey), Buffer.from(keys.client.publicKey)) === 0 }),
  };
  return { client, server };
}

/** Static key pairs of the channel's suite on `backend`, made once. */
export function staticKeys(backend) {
  const kem = createKem(getSuite(CHANNEL_SUITE), backend);
  const server = kem.keygen();
  const client = kem.keygen();
  return { server: { publicKey: server.publicKey, privateKey: server.privateKey }, client: { publicKey: client.publicKey, privateKey: client.privateKey } };
}

/** A channel subject: `pattern` on `backend` through the Node adapter over loopback TCP. */
export async function channelSubject(pattern, backend, keys) {
  const options = channelOptions(pattern, backend, keys);
  const done = completions();
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    acceptChannel(socket, options.server).then(
      (duplex) => {
        duplex.on('error', () => {});
        done.resolve(duplex);
      },
      (error) => done.reject(error),
    );
  });
  const port = await listen(server);
  let checked = false;
  return {
    name: `channel ${pattern} (${backend.name})`,
    kind: 'channel',
    pattern,
    backend: backend.name,
    async handshake() {
      const serverSide = done.next();
      const socket = net.connect(port, HOST);
      socket.on('error', () => {});
      const limit = deadline(`${pattern} on ${backend.name}`);
      let client;
      let accepted;
      try {
        [client, accepted] = await Promise.race([Promise.all([connectChannel(socket, options.client), serverSide]), limit.promise]);
        client.on('error', () => {});
        if (!checked) {
          // Once per subject: the channel agreed on what the row says, both ends the same hash.
          const { info } = client;
          if (info?.pattern !== pattern || info.parameters.suite.name !== CHANNEL_SUITE || info.parameters.cipher !== CHANNEL_CIPHER || info.parameters.hash !== CHANNEL_HASH) {
            throw new Error(`channel: ${pattern} on ${backend.name} agreed on ${info?.pattern} ${info?.parameters?.suite?.name} ${info?.parameters?.cipher} ${info?.parameters?.hash}`);
          }
          if (Buffer.compare(Buffer.from(info.handshakeHash), Buffer.from(accepted.info.handshakeHash)) !== 0) {
            throw new Error(`channel: ${pattern} on ${backend.name}: the two ends' handshake hashes differ`);
          }
          checked = true;
        }
      } finally {
        limit.clear();
        client?.destroy();
        accepted?.destroy();
        socket.destroy();
      }
    },
    close: () => closeServer(server, sockets),
  };
}

/**
 * The node:tls subject: TLS 1.3, X25519MLKEM768 (tlsOptions('hybrid-only'),
 * packages/transport's options), the certificate made once and the client
 * context made once (as a client reusing its CA store would).
 */
export async function tlsSubject(certificate) {
  const options = tlsOptions('hybrid-only');
  const done = completions();
  const sockets = new Set();
  const server = tls.createServer({ key: certificate.key, cert: certificate.cert, ...options }, (socket) => {
    socket.on('error', () => {});
    done.resolve(socket);
  });
  server.on('connection', (raw) => {
    sockets.add(raw);
    raw.once('close', () => sockets.delete(raw));
    raw.on('error', () => {});
  });
  server.on('tlsClientError', (error) => done.reject(error));
  const port = await listen(server);
  const secureContext = tls.createSecureContext({ ca: certificate.cert, ...options });
  let cipher;
  return {
    name: `node:tls TLS 1.3 ${TLS_GROUP}`,
    kind: 'tls',
    get cipher() {
      return cipher;
    },
    async handshake() {
      const serverSide = done.next();
      const socket = tls.connect({ host: HOST, port, servername: 'localhost', secureContext, minVersion: options.minVersion, maxVersion: options.maxVersion });
      const limit = deadline('node:tls');
      let accepted;
      try {
        const clientSide = new Promise((resolve, reject) => {
          socket.once('secureConnect', resolve);
          socket.once('error', reject);
        });
        [, accepted] = await Promise.race([Promise.all([clientSide, serverSide]), limit.promise]);
        // Every handshake: the group is the hybrid one, not a fallback.
        const info = socket.getEphemeralKeyInfo();
        const group = info && typeof info.name === 'string' ? groupByNodeName(info.name) : undefined;
        if (group !== TLS_GROUP) throw new Error(`channel: the node:tls baseline negotiated ${info?.name ?? 'no group'}, not ${TLS_GROUP}`);
        cipher ??= socket.getCipher()?.standardName;
      } finally {
        limit.clear();
        socket.on('error', () => {});
        socket.destroy();
        accepted?.destroy();
      }
    },
    close: () => closeServer(server, sockets),
  };
}

/**
 * Handshakes per pattern and backend next to node:tls, timed together.
 * @returns rows (handshakes/s = 1000 / median ms) with `vsTls` = median / TLS median, the TLS cipher, skipped backends
 */
export async function runHandshakes({ backends, settings, progress }) {
  const subjects = [];
  const skipped = [];
  const certificate = makeCertificate();
  try {
    subjects.push(await tlsSubject(certificate));
    for (const backend of backends) {
      let keys;
      try {
        keys = staticKeys(backend);
      } catch (error) {
        skipped.push(`${backend.name}: ${error.message}`);
        continue;
      }
      for (const pattern of HANDSHAKE_PATTERNS) subjects.push(await channelSubject(pattern, backend, keys));
    }
    const stats = await measureAsync(subjects, settings, progress);
    const tlsIndex = subjects.findIndex((s) => s.kind === 'tls');
    const tlsMedian = stats[tlsIndex].medianMs;
    const rows = subjects.map((s, i) => ({
      implementation: s.name,
      kind: s.kind,
      ...(s.pattern ? { pattern: s.pattern, backend: s.backend, suite: CHANNEL_SUITE, cipher: CHANNEL_CIPHER, hash: CHANNEL_HASH } : { group: TLS_GROUP, cipher: s.cipher }),
      baseline: s.kind === 'tls',
      ...stats[i],
      handshakesPerSecond: stats[i].opsPerSecond,
      vsTls: stats[i].medianMs / tlsMedian,
    }));
    // The TLS row first, then pattern-major (pqNK on every backend, then pqIK, then pqXX).
    rows.sort((a, b) => (a.kind === 'tls' ? -1 : b.kind === 'tls' ? 1 : HANDSHAKE_PATTERNS.indexOf(a.pattern) - HANDSHAKE_PATTERNS.indexOf(b.pattern)));
    return { rows, skipped };
  } finally {
    for (const s of subjects) await s.close();
    certificate.cleanup();
  }
}
