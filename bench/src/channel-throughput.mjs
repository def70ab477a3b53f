/**
 * Channel throughput next to raw node:crypto ChaCha20-Poly1305 over the same
 * message sizes, in the same interleaved rounds (measure.mjs).
 *
 * Sans-IO, so that sockets do not dominate: two `Channel`s (pqNK, X-Wing,
 * ChaChaPoly, SHA256, handshake pumped in memory), then per call
 *
 *   encrypt    initiator.send(payload) + takeOutput(): one transport message
 *              (type byte, ChaCha20-Poly1305, 2-byte frame), output discarded
 *   roundtrip  the same, then responder.receive(frame): the authenticated
 *              payload back (a second pair, kept in step)
 *
 * and the raw peer of each, a loop of node:crypto createCipheriv /
 * createDecipheriv('chacha20-poly1305') over the same payload with a fresh
 * Noise-style nonce per message (4 zero bytes ‖ 64-bit little-endian counter,
 * Noise §12.3) and a 16-byte tag, the key a KeyObject made once; ciphertext
 * and tag kept apart (no framing, no copy): the floor.
 *
 * Then, informative: a larger volume through two connected channel Duplexes
 * (the Node adapter) over loopback TCP, next to the same volume through a
 * plain loopback TCP pair without encryption.
 * @module
 */
import { once } from 'node:events';
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import net from 'node:net';
import * as transport from '@hybridkem/transport';
import { measure, summarize } from './measure.mjs';
import { channelOptions, staticKeys } from './channel-handshakes.mjs';

export const THROUGHPUT_OPERATIONS = Object.freeze(['encrypt', 'roundtrip']);
/** The channel's largest data message (65535 − 16 tag − 1 type, spec/TRANSPORT.md §6.6). */
export const MAX_CHANNEL_DATA = 65518;
export const MESSAGE_SIZES = Object.freeze([16 * 1024, MAX_CHANNEL_DATA]);
/** The goal: channel round trips at least this share of raw ChaCha20-Poly1305 throughput at the same size. */
export const THROUGHPUT_GOAL = 0.8;
/** Volume piped through loopback TCP per call. */
export const TCP_VOLUME = Object.freeze({ full: 64 * 1024 * 1024, smoke: 2 * 1024 * 1024 });
const TCP_WRITE = 64 * 1024;
const TAG = 16;
const HOST = '127.0.0.1';

/** MB/s with MB = 10^6 bytes. */
export function megabytesPerSecond(bytes, ms) {
  return bytes / 1e6 / (ms / 1000);
}

const { acceptChannel, Channel, connectChannel } = transport;

/**
 * The crypto providers to time: the build's default (what `new Channel()`
 * uses without a `crypto` option: the goal is judged on it), then each
 * provider the entry exports under another name. The default's name is read
 * from `platformCrypto` when the entry exports it.
 */
export function cryptoProviders() {
  const defaultName = transport.platformCrypto?.name;
  const providers = [{ name: defaultName ?? 'default', crypto: undefined, isDefault: true }];
  for (const provider of [transport.nodeCrypto, transport.portableCrypto]) {
    if (provider?.name && provider.name !== defaultName) providers.push({ name: provider.name, crypto: provider, isDefault: false });
  }
  return providers;
}

/** Two open channels (pqNK), the handshake pumped in memory. */
function channelPair(backend, keys, crypto) {
  const options = channelOptions('pqNK', backend, keys);
  const initiator = new Channel('initiator', { ...options.client, ...(crypto && { crypto }) });
  const responder = new Channel('responder', { ...options.server, ...(crypto && { crypto }) });
  initiator.start();
  responder.start();
  for (let turn = 0; turn < 16 && (initiator.state !== 'open' || responder.state !== 'open'); turn++) {
    for (const frame of initiator.takeOutput()) responder.receive(frame);
    for (const frame of responder.takeOutput()) initiator.receive(frame);
  }
  if (initiator.state !== 'open' || responder.state !== 'open') throw new Error(`channel: the in-memory handshake did not open (${initiator.state} / ${responder.state})`);
  return { initiator, responder };
}

function equal(a, b) {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** The channel subject at `size` with `provider`: encrypt and roundtrip, each on its own pair. */
function channelSubject(size, backend, keys, provider) {
  const payload = randomBytes(size);
  const sender = channelPair(backend, keys, provider.crypto).initiator;
  const pair = channelPair(backend, keys, provider.crypto);
  const roundtrip = () => {
    pair.initiator.send(payload);
    let received = 0;
    for (const frame of pair.initiator.takeOutput()) for (const data of pair.responder.receive(frame)) received += data.length;
    if (received !== size) throw new Error(`channel: a round trip of ${size} bytes delivered ${received}`);
  };
  // Checked once before timing: the exact bytes come back.
  pair.initiator.send(payload);
  const back = pair.initiator.takeOutput().flatMap((f) => pair.responder.receive(f));
  if (back.length !== 1 || !equal(back[0], payload)) throw new Error(`channel: a ${size}-byte message did not come back intact`);
  return {
    name: `channel (Channel, sans-IO, ${provider.isDefault ? `default provider${provider.name === 'default' ? '' : `: ${provider.name}`}` : `${provider.name} provider`})`,
    kind: 'channel',
    provider: provider.name,
    isDefault: provider.isDefault,
    ops: {
      encrypt: () => {
        sender.send(payload);
        const out = sender.takeOutput();
        if (out.length !== 1 || out[0].length !== 2 + 1 + size + TAG) throw new Error(`channel: ${size} bytes encrypted to ${out.map((f) => f.length)}`);
      },
      roundtrip,
    },
  };
}

/** Raw node:crypto ChaCha20-Poly1305 at `size`: one cipher per message, Noise's nonce layout. */
function rawSubject(size) {
  const key = createSecretKey(randomBytes(32));
  const payload = randomBytes(size);
  const nonce = Buffer.alloc(12);
  let n = 0n;
  const next = () => {
    nonce.writeBigUInt64LE(n++, 4);
    return nonce;
  };
  const encrypt = () => {
    const cipher = createCipheriv('chacha20-poly1305', key, next(), { authTagLength: TAG });
    const ciphertext = cipher.update(payload);
    cipher.final();
    return { ciphertext, tag: cipher.getAuthTag() };
  };
  const roundtrip = () => {
    const { ciphertext, tag } = encrypt();
    const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
    decipher.setAuthTag(tag);
    const plaintext = decipher.update(ciphertext);
    decipher.final();
    return plaintext;
  };
  if (!equal(roundtrip(), payload)) throw new Error('channel: raw ChaCha20-Poly1305 did not round-trip');
  return {
    name: 'node:crypto chacha20-poly1305, raw',
    kind: 'raw',
    ops: {
      encrypt: () => {
        if (encrypt().ciphertext.length !== size) throw new Error('channel: raw ChaCha20-Poly1305 output length');
      },
      roundtrip,
    },
  };
}

/**
 * Sans-IO channel vs raw ChaCha20-Poly1305 per message size and operation.
 * @returns rows (MB/s; `vsRaw` = raw median / this median, higher is better) and the goal per size
 */
export function runSansIo({ backend, settings, progress }) {
  const keys = staticKeys(backend);
  const providers = cryptoProviders();
  const rows = [];
  for (const size of MESSAGE_SIZES) {
    const subjects = [rawSubject(size), ...providers.map((p) => channelSubject(size, backend, keys, p))];
    for (const operation of THROUGHPUT_OPERATIONS) {
      progress(`channel: throughput, ${size}-byte messages, ${operation}`);
      const stats = measure(subjects, operation, settings);
      const raw = stats[0];
      subjects.forEach((s, i) =>
        rows.push({
          messageSize: size,
          operation,
          implementation: s.name,
          kind: s.kind,
          ...(s.kind === 'channel' ? { backend: backend.name, provider: s.provider, defaultProvider: s.isDefault } : {}),
          baseline: s.kind === 'raw',
          ...stats[i],
          megabytesPerSecond: megabytesPerSecond(size, stats[i].medianMs),
          vsRaw: raw.medianMs / stats[i].medianMs,
        }),
      );
    }
  }
  const goal = MESSAGE_SIZES.map((size) => {
    // Judged on the default provider: what `new Channel()` / connectChannel use in Node without a `crypto` option.
    const share = rows.find((r) => r.messageSize === size && r.operation === 'roundtrip' && r.kind === 'channel' && r.defaultProvider).vsRaw;
    return { messageSize: size, operation: 'roundtrip', share, met: share >= THROUGHPUT_GOAL };
  });
  return { rows, goal, providers: providers.map((p) => ({ name: p.name, default: p.isDefault })) };
}

/** Writes `volume` bytes to `writable` in TCP_WRITE pieces, honouring backpressure. */
async function writeVolume(writable, volume, piece) {
  for (let sent = 0; sent < volume; sent += piece.length) {
    if (!writable.write(sent + piece.length <= volume ? piece : piece.subarray(0, volume - sent))) await once(writable, 'drain');
  }
}

/** Resolves when `readable` has delivered `volume` bytes. */
function readVolume(readable, volume) {
  return new Promise((resolve, reject) => {
    let got = 0;
    const onData = (chunk) => {
      got += chunk.length;
      if (got >= volume) {
        readable.off('data', onData);
        readable.off('error', reject);
        resolve(got);
      }
    };
    readable.on('data', onData);
    readable.once('error', reject);
  });
}

/** A connected loopback TCP pair. */
async function tcpPair() {
  const server = net.createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const client = net.connect(server.address().port, HOST);
  const [[serverSocket]] = await Promise.all([accepted, once(client, 'connect')]);
  server.close();
  return { client, server: serverSocket };
}

/**
 * `volume` bytes through two channel Duplexes over loopback TCP, and through
 * a plain TCP pair, one call per round each, order alternating.
 */
export async function runTcp({ backend, volume, rounds, progress }) {
  const keys = staticKeys(backend);
  const options = channelOptions('pqNK', backend, keys);
  const piece = randomBytes(TCP_WRITE);
  const samples = { channel: [], plain: [] };
  const sockets = [];
  try {
    const plain = await tcpPair();
    sockets.push(plain.client, plain.server);
    const tcp = await tcpPair();
    sockets.push(tcp.client, tcp.server);
    const [client, server] = await Promise.all([connectChannel(tcp.client, options.client), acceptChannel(tcp.server, options.server)]);
    sockets.push(client, server);
    const subjects = {
      channel: () => Promise.all([writeVolume(client, volume, piece), readVolume(server, volume)]),
      plain: () => Promise.all([writeVolume(plain.client, volume, piece), readVolume(plain.server, volume)]),
    };
    for (let round = 0; round < rounds; round++) {
      for (const name of round % 2 === 0 ? ['channel', 'plain'] : ['plain', 'channel']) {
        progress(`channel: round ${round + 1}/${rounds}, ${volume / 1024 / 1024} MiB over loopback TCP (${name})`);
        const t0 = performance.now();
        const [, got] = await subjects[name]();
        samples[name].push(performance.now() - t0);
        if (got !== volume) throw new Error(`channel: ${name} TCP delivered ${got} of ${volume} bytes`);
      }
    }
  } finally {
    for (const s of sockets) {
      s.on('error', () => {});
      s.destroy();
    }
  }
  const rows = [
    { name: 'channel', implementation: `channel over loopback TCP (Node adapter, ${backend.name})`, baseline: false },
    { name: 'plain', implementation: 'plain loopback TCP, no encryption', baseline: true },
  ].map((r) => {
    const stats = summarize(samples[r.name]);
    return { ...r, volume, ...stats, megabytesPerSecond: megabytesPerSecond(volume, stats.medianMs) };
  });
  return { volume, rounds, rows, vsPlain: rows[1].medianMs / rows[0].medianMs };
}
