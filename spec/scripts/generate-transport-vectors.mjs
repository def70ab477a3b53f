#!/usr/bin/env node
// Writes spec/vectors/transport/<suite name in lower case>.json: complete
// handshake transcripts of the channel's Noise patterns (spec/TRANSPORT.md
// §6.9) from fixed static keys, ephemeral seeds and encapsulation randomness,
// computed with @hybridkem/transport's HandshakeState (built dist) on the
// noble backend. With --check it writes nothing and exits 1 when a file on
// disk differs. packages/transport/test/noise-vectors.test.ts imports
// transportVectorFiles() and runs it on the TypeScript sources, so the files
// are held to the generator in every test run too.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR = 'spec/scripts/generate-transport-vectors.mjs';
export const LABEL = 'hybridkem/v1/transport-vectors';
/** Suites with vector files: one per mode (spec/TRANSPORT.md §6.2). */
export const VECTOR_SUITES = ['X-Wing', 'ML-KEM-768', 'DHKEM-X25519-HKDF-SHA256'];
export const VECTOR_PARAMETERS = [
  { cipher: 'ChaChaPoly', hash: 'SHA256' },
  { cipher: 'AESGCM', hash: 'SHA512' },
];
export const VECTOR_PATTERNS = ['pqNK', 'pqIK', 'pqXX'];

const utf8 = (s) => new TextEncoder().encode(s);
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** SHAKE256(LABEL ‖ 0x00 ‖ context ‖ 0x00 ‖ what ‖ 0x00 ‖ I2OSP(index, 4)), n bytes (spec/TRANSPORT.md §6.9). */
export function deriveBytes(shake256, context, what, index, n) {
  const idx = new Uint8Array(4);
  new DataView(idx.buffer).setUint32(0, index);
  const input = concat([utf8(LABEL), Uint8Array.of(0), utf8(context), Uint8Array.of(0), utf8(what), Uint8Array.of(0), idx]);
  return shake256(input, { dkLen: n });
}

/**
 * The vector files, as { name: contents }.
 * @param deps { channel: the `./channel` module (HandshakeState, patternNeeds, protocolName),
 *               core: @hybridkem/core, backend: a Backend with derandomised encapsulation,
 *               shake256: @noble/hashes' shake256 }
 */
export function transportVectorFiles({ channel, core, backend, shake256 }) {
  const files = {};
  for (const suiteName of VECTOR_SUITES) {
    const suite = core.getSuite(suiteName);
    const kem = core.createKem(suite, backend);
    const statics = {};
    for (const side of ['initiator', 'responder']) {
      const seed = deriveBytes(shake256, suite.name, `${side} static`, 0, suite.lengths.seed);
      const pair = kem.keygen(seed);
      statics[side] = { seed, publicKey: pair.publicKey, privateKey: pair.privateKey };
    }
    const vectors = [];
    for (const pattern of VECTOR_PATTERNS) {
      for (const { cipher, hash } of VECTOR_PARAMETERS) {
        vectors.push(transcript({ channel, suite, backend, shake256, statics, pattern, cipher, hash }));
      }
    }
    files[`${suiteName.toLowerCase()}.json`] = {
      suite: suite.name,
      suiteId: suite.id,
      generator: GENERATOR,
      staticKeys: Object.fromEntries(
        Object.entries(statics).map(([side, s]) => [side, { seed: hex(s.seed), publicKey: hex(s.publicKey) }]),
      ),
      vectors,
    };
  }
  return files;
}

function transcript({ channel, suite, backend, shake256, statics, pattern, cipher, hash }) {
  const protocolName = channel.protocolName(pattern, suite, cipher, hash);
  const prologue = utf8(`prologue of ${protocolName}`);
  const draws = { initiator: [], responder: [] };
  const make = (side) => {
    const initiator = side === 'initiator';
    const needs = channel.patternNeeds(pattern, initiator);
    let index = 0;
    return new channel.HandshakeState({
      pattern, initiator, suite, backend, cipher, hash, prologue,
      ...(needs.localStatic && { localStatic: statics[side] }),
      ...(needs.remoteStaticKnown && { remoteStatic: statics.responder.publicKey }),
      random: (n) => {
        const bytes = deriveBytes(shake256, protocolName, `${side} random`, index++, n);
        draws[side].push(hex(bytes));
        return bytes;
      },
    });
  };
  const sides = { initiator: make('initiator'), responder: make('responder') };
  const messages = [];
  for (let i = 0; !sides.initiator.isComplete || !sides.responder.isComplete; i++) {
    const sender = sides.initiator.isMyTurn ? 'initiator' : 'responder';
    const receiver = sender === 'initiator' ? 'responder' : 'initiator';
    const payload = utf8(`handshake payload ${i}`);
    const message = sides[sender].writeMessage(payload);
    if (hex(sides[receiver].readMessage(message)) !== hex(payload)) throw new Error(`${protocolName}: payload ${i} differs`);
    messages.push({ sender, payload: hex(payload), message: hex(message) });
  }
  const handshakeHash = hex(sides.initiator.handshakeHash());
  if (hex(sides.responder.handshakeHash()) !== handshakeHash) throw new Error(`${protocolName}: handshake hashes differ`);
  const learned = sides.responder.remoteStatic;
  if (pattern !== 'pqNK' && hex(learned) !== hex(statics.initiator.publicKey)) throw new Error(`${protocolName}: wrong static key learned`);
  const cs = { initiator: sides.initiator.split(), responder: sides.responder.split() };
  const transport = [];
  for (const [i, sender] of ['initiator', 'responder', 'initiator', 'responder'].entries()) {
    const receiver = sender === 'initiator' ? 'responder' : 'initiator';
    const payload = utf8(`transport payload ${i} from the ${sender}`);
    const ciphertext = cs[sender].send.encryptWithAd(new Uint8Array(0), payload);
    if (hex(cs[receiver].receive.decryptWithAd(new Uint8Array(0), ciphertext)) !== hex(payload)) {
      throw new Error(`${protocolName}: transport ${i} differs`);
    }
    transport.push({ sender, payload: hex(payload), ciphertext: hex(ciphertext) });
  }
  const needs = (initiator) => channel.patternNeeds(pattern, initiator);
  // Name each draw by the token that used it: `e` (ephemeral keygen seed) or `ekem`/`skem` (encapsulation randomness).
  const random = {};
  for (const side of ['initiator', 'responder']) {
    const tokens = channel
      .kemPattern(pattern)
      .messages.filter((_, i) => (i % 2 === 0) === (side === 'initiator'))
      .flat()
      .filter((t) => t !== 's');
    if (tokens.length !== draws[side].length) throw new Error(`${protocolName}: ${side} drew ${draws[side].length} times`);
    random[side] = tokens.map((token, i) => ({ token, bytes: draws[side][i] }));
  }
  return {
    protocolName,
    pattern,
    cipher,
    hash,
    prologue: hex(prologue),
    initiatorStatic: needs(true).localStatic,
    initiatorKnowsResponderStatic: needs(true).remoteStaticKnown,
    random,
    messages,
    handshakeHash,
    transport,
  };
}

const render = (obj) => `${JSON.stringify(obj, null, 2)}\n`;

async function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = join(here, '..', 'vectors', 'transport');
  const channelDist = join(here, '..', '..', 'packages', 'transport', 'dist', 'channel', 'index.js');
  if (!existsSync(channelDist)) throw new Error(`${channelDist} is missing: build @hybridkem/transport first`);
  const channel = await import(channelDist);
  const core = await import('@hybridkem/core');
  const { backend } = await import('@hybridkem/noble');
  const { shake256 } = await import('@noble/hashes/sha3.js');
  const check = process.argv.includes('--check');
  const files = transportVectorFiles({ channel, core, backend, shake256 });
  if (!check) mkdirSync(outDir, { recursive: true });
  const stale = [];
  for (const [name, contents] of Object.entries(files)) {
    const path = join(outDir, name);
    const text = render(contents);
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    if (check) stale.push(name);
    else writeFileSync(path, text);
  }
  if (check && stale.length > 0) {
    console.error(`stale transport vectors (run pnpm vectors:generate): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(`${check ? 'checked' : 'wrote'} ${Object.keys(files).length} transport vector files`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
