/**
 * spec/vectors/transport/*.json (spec/TRANSPORT.md §6.9): the generator,
 * run here on the TypeScript sources, reproduces the files byte for byte; and
 * every backend that takes encapsulation randomness (noble, wasm, native —
 * openssl draws its own) replays every transcript: same messages, handshake
 * hash and transport messages. clatter's check of the same files is Rust's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@hybridkem/core';
import type { Backend } from '@hybridkem/core';
import { backend as native } from '@hybridkem/native';
import { backend as noble } from '@hybridkem/noble';
import { backend as wasm } from '@hybridkem/wasm';
import { shake256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import * as channel from '../src/channel/index.js';
import { HandshakeState, patternNeeds, type CipherName, type HashName, type PatternName } from '../src/channel/noise/index.js';

const spec = resolve(dirname(fileURLToPath(import.meta.url)), '../../../spec');
const dir = resolve(spec, 'vectors/transport');

interface Vector {
  protocolName: string;
  pattern: PatternName;
  cipher: CipherName;
  hash: HashName;
  prologue: string;
  initiatorStatic: boolean;
  initiatorKnowsResponderStatic: boolean;
  random: Record<'initiator' | 'responder', { token: string; bytes: string }[]>;
  messages: { sender: 'initiator' | 'responder'; payload: string; message: string }[];
  handshakeHash: string;
  transport: { sender: 'initiator' | 'responder'; payload: string; ciphertext: string }[];
}
interface VectorFile {
  suite: string;
  suiteId: number;
  staticKeys: Record<'initiator' | 'responder', { seed: string; publicKey: string }>;
  vectors: Vector[];
}

const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
const files = Object.fromEntries(names.map((n) => [n, readFileSync(resolve(dir, n), 'utf8')]));
const hex = core.bytesToHex;
const bytes = (s: string) => core.hexToBytes('vector', s);

describe('transport vectors', () => {
  it('the generator reproduces every file (one per mode: X-Wing, ML-KEM-768, DHKEM-X25519-HKDF-SHA256)', async () => {
    const generator = (await import(resolve(spec, 'scripts/generate-transport-vectors.mjs'))) as {
      transportVectorFiles: (deps: object) => Record<string, unknown>;
    };
    const generated = generator.transportVectorFiles({ channel, core, backend: noble, shake256 });
    expect(Object.keys(generated).sort()).toEqual(['dhkem-x25519-hkdf-sha256.json', 'ml-kem-768.json', 'x-wing.json']);
    expect(names).toEqual(Object.keys(generated).sort());
    for (const [name, contents] of Object.entries(generated)) {
      expect(`${JSON.stringify(contents, null, 2)}\n`, name).toBe(files[name]);
    }
  });

  for (const backend of [noble, wasm, native] as Backend[]) {
    it(`${backend.name} replays every transcript`, () => {
      expect(backend.derandomizedEncapsulation).not.toBe(false);
      let replayed = 0;
      for (const name of names) {
        const file = JSON.parse(files[name]!) as VectorFile;
        const suite = core.getSuite(file.suite);
        expect(suite.id).toBe(file.suiteId);
        const kem = core.createKem(suite, backend);
        const statics = {
          initiator: kem.keygen(bytes(file.staticKeys.initiator.seed)),
          responder: kem.keygen(bytes(file.staticKeys.responder.seed)),
        };
        expect(hex(statics.initiator.publicKey)).toBe(file.staticKeys.initiator.publicKey);
        expect(hex(statics.responder.publicKey)).toBe(file.staticKeys.responder.publicKey);
        expect(file.vectors).toHaveLength(6);
        for (const v of file.vectors) {
          const make = (side: 'initiator' | 'responder') => {
            const initiator = side === 'initiator';
            const needs = patternNeeds(v.pattern, initiator);
            if (initiator) expect(needs).toEqual({ localStatic: v.initiatorStatic, remoteStaticKnown: v.initiatorKnowsResponderStatic });
            const draws = v.random[side].map((d) => bytes(d.bytes));
            return new HandshakeState({
              pattern: v.pattern, initiator, suite, backend, cipher: v.cipher, hash: v.hash, prologue: bytes(v.prologue),
              ...(needs.localStatic && { localStatic: statics[side] }),
              ...(needs.remoteStaticKnown && { remoteStatic: statics.responder.publicKey }),
              random: (n) => {
                const next = draws.shift();
                expect(next?.length, `${v.protocolName}: a draw of ${n} bytes`).toBe(n);
                return next!;
              },
            });
          };
          const sides = { initiator: make('initiator'), responder: make('responder') };
          expect(sides.initiator.protocolName).toBe(v.protocolName);
          for (const [i, m] of v.messages.entries()) {
            const receiver = m.sender === 'initiator' ? 'responder' : 'initiator';
            expect(sides[m.sender].isMyTurn).toBe(true);
            expect(hex(sides[m.sender].writeMessage(bytes(m.payload))), `${v.protocolName} message ${i}`).toBe(m.message);
            expect(hex(sides[receiver].readMessage(bytes(m.message)))).toBe(m.payload);
          }
          expect(sides.initiator.isComplete && sides.responder.isComplete).toBe(true);
          expect(hex(sides.initiator.handshakeHash())).toBe(v.handshakeHash);
          expect(hex(sides.responder.handshakeHash())).toBe(v.handshakeHash);
          const cs = { initiator: sides.initiator.split(), responder: sides.responder.split() };
          for (const t of v.transport) {
            const receiver = t.sender === 'initiator' ? 'responder' : 'initiator';
            expect(hex(cs[t.sender].send.encryptWithAd(new Uint8Array(0), bytes(t.payload)))).toBe(t.ciphertext);
            expect(hex(cs[receiver].receive.decryptWithAd(new Uint8Array(0), bytes(t.ciphertext)))).toBe(t.payload);
          }
          replayed++;
        }
      }
      expect(replayed).toBe(18);
    });
  }
});
