/**
 * The sans-IO Channel between two instances, frames edited in transit:
 * tamper / replay / reorder / truncate of each handshake message and of
 * transport messages, downgrade of the offer and the choice, refusal, rekey,
 * close, and death after a failure. Expected outcomes come from the rules of
 * spec/TRANSPORT.md §6.4-§6.6 (which side can detect what, and with which code).
 */
import { describe, expect, it } from 'vitest';
import { Channel, MAX_DATA_LENGTH } from '../src/channel/channel.js';
import { encodeFrame } from '../src/channel/framing.js';
import { backend, channelPair, concatBytes, pump, staticKey, type Direction, type FrameHook } from './support/channel-pair.js';

const PATTERNS = ['pqNK', 'pqIK', 'pqXX'] as const;
// Handshake frames per direction, after the offer (i2r 0) and the choice (r2i 0).
const HANDSHAKE_FRAMES: Record<(typeof PATTERNS)[number], { i2r: number[]; r2i: number[] }> = {
  pqNK: { i2r: [1], r2i: [1] },
  pqIK: { i2r: [1], r2i: [1] },
  pqXX: { i2r: [1, 2], r2i: [1, 2] },
};
const code = (c: string) => expect.objectContaining({ code: c });

function flip(frame: Uint8Array, at: number): Uint8Array {
  const copy = frame.slice();
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}
function onFrame(dir: Direction, index: number, edit: (frame: Uint8Array) => Uint8Array[]): FrameHook {
  return (d, i, frame) => (d === dir && i === index ? edit(frame) : [frame]);
}
/** Open pair, then `data` from initiator to responder with `hook` applied to transport frames only. */
function openPair(pattern: (typeof PATTERNS)[number] = 'pqNK') {
  const { initiator, responder } = channelPair({ pattern });
  const r = pump(initiator, responder);
  expect(r.initiatorError).toBeUndefined();
  expect(r.responderError).toBeUndefined();
  expect(initiator.state).toBe('open');
  expect(responder.state).toBe('open');
  return { initiator, responder };
}

describe('handshake', () => {
  for (const pattern of PATTERNS) {
    it(`${pattern}: both sides open with the same handshake hash and the agreed parameters`, () => {
      const { initiator, responder } = openPair(pattern);
      expect(Buffer.from(initiator.info!.handshakeHash).equals(Buffer.from(responder.info!.handshakeHash))).toBe(true);
      expect(initiator.info!.parameters.suite.name).toBe('X-Wing');
      expect(responder.info!.pattern).toBe(pattern);
      // The responder learns the client's key in pqIK/pqXX; the initiator knows or learns the server's.
      expect(Buffer.from(initiator.info!.remoteStatic!).equals(Buffer.from(staticKey('X-Wing', 'server').publicKey))).toBe(true);
      if (pattern !== 'pqNK') expect(Buffer.from(responder.info!.remoteStatic!).equals(Buffer.from(staticKey('X-Wing', 'client').publicKey))).toBe(true);
    });

    for (const dir of ['i2r', 'r2i'] as const) {
      for (const index of HANDSHAKE_FRAMES[pattern][dir]) {
        const receiver = dir === 'i2r' ? 'responderError' : 'initiatorError';
        const dataKey = dir === 'i2r' ? 'responderData' : 'initiatorData';
        const unkeyed = pattern === 'pqXX' && dir === 'i2r' && index === 1;
        it(`${pattern} ${dir} handshake message ${index}: a flipped bit anywhere is ERR_CHANNEL_HANDSHAKE, nothing released`, () => {
          const probe = channelPair({ pattern });
          const length = pump(probe.initiator, probe.responder).frames[dir][index]!.length;
          for (const at of [2, 3, Math.floor(length / 2), length - 17, length - 1]) {
            const { initiator, responder } = channelPair({ pattern });
            const r = pump(initiator, responder, onFrame(dir, index, (f) => [flip(f, at)]));
            if (unkeyed) {
              // pqXX's first message (`-> e`) is not yet keyed: the initiator detects the edit on the reply,
              // unless the flip made the ephemeral key invalid (an ML-KEM coefficient ≥ q, FIPS 203 §7.2's
              // modulus check), which the responder refuses when it encapsulates to it.
              const detectedBy = r.responderError === undefined ? 'initiatorError' : 'responderError';
              expect(r[detectedBy]).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
            } else {
              expect(r[receiver]).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
            }
            expect(r.initiatorData).toEqual([]);
            expect(r[dataKey]).toEqual([]);
            expect(initiator.state === 'open' && responder.state === 'open').toBe(false);
          }
        });
        it(`${pattern} ${dir} handshake message ${index}: cut short or lengthened is ERR_CHANNEL_HANDSHAKE`, () => {
          const shorter = (f: Uint8Array) => encodeFrame(f.subarray(2, f.length - 1));
          const longer = (f: Uint8Array) => encodeFrame(Buffer.concat([f.subarray(2), Buffer.of(0)]));
          for (const [edit, expected] of [
            [shorter, 'ERR_CHANNEL_HANDSHAKE'],
            // An unkeyed message's extra byte reads as a (forbidden) cleartext payload.
            [longer, unkeyed ? 'ERR_CHANNEL_PROTOCOL' : 'ERR_CHANNEL_HANDSHAKE'],
          ] as const) {
            const { initiator, responder } = channelPair({ pattern });
            const r = pump(initiator, responder, onFrame(dir, index, (f) => [edit(f)]));
            expect(r[receiver]).toEqual(code(expected));
          }
        });
        it(`${pattern} ${dir} handshake message ${index}: a message of another session (replay) is ERR_CHANNEL_HANDSHAKE`, () => {
          const other = channelPair({ pattern });
          const old = pump(other.initiator, other.responder).frames[dir][index]!;
          const { initiator, responder } = channelPair({ pattern });
          const r = pump(initiator, responder, onFrame(dir, index, () => [old]));
          // The initiator's first message cannot be told from a fresh one (Noise §7.7: no replay protection
          // for it); the responder answers to the old ephemeral, which the initiator cannot read.
          expect(r[dir === 'i2r' && index === 1 ? 'initiatorError' : receiver]).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
          expect(r.initiatorData).toEqual([]);
          expect(r.responderData).toEqual([]);
          expect(initiator.state).not.toBe('open');
        });
        it(`${pattern} ${dir} handshake message ${index}: sent twice, the copy fails the receiver`, () => {
          const { initiator, responder } = channelPair({ pattern });
          const r = pump(initiator, responder, onFrame(dir, index, (f) => [f, f]));
          // The copy arrives either as the next handshake message or, after the last one, as a transport message.
          expect([code('ERR_CHANNEL_HANDSHAKE'), code('ERR_CHANNEL_DECRYPT')]).toContainEqual(r[receiver]);
          expect(r[receiver]).toBeDefined();
          expect(r[dataKey]).toEqual([]);
        });
        it(`${pattern} ${dir} handshake message ${index}: the stream ending inside it is ERR_CHANNEL_TRUNCATED`, () => {
          const { initiator, responder } = channelPair({ pattern });
          const r = pump(initiator, responder, onFrame(dir, index, (f) => [f.subarray(0, f.length - 5)]));
          expect(r[receiver]).toBeUndefined();
          const to = dir === 'i2r' ? responder : initiator;
          expect(() => to.end()).toThrow(code('ERR_CHANNEL_TRUNCATED'));
          expect(() => to.receive(new Uint8Array(1))).toThrow(code('ERR_CHANNEL_CLOSED'));
        });
      }
    }
  }

  it('pqXX: the first initiator message delivered again where the third is due is ERR_CHANNEL_HANDSHAKE', () => {
    const { initiator, responder } = channelPair({ pattern: 'pqXX' });
    let first: Uint8Array | undefined;
    const r = pump(initiator, responder, (d, i, f) => {
      if (d === 'i2r' && i === 1) first = f;
      return d === 'i2r' && i === 2 ? [first!] : [f];
    });
    expect(r.responderError).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
  });

  it('a wrong server key (pqNK) fails the responder with ERR_CHANNEL_HANDSHAKE and the initiator sees a truncated stream', () => {
    const wrong = staticKey('X-Wing', 'impostor');
    const { initiator, responder } = channelPair({ pattern: 'pqNK', initiator: { remoteStaticKeys: [{ suite: 'X-Wing', publicKey: wrong.publicKey }] } });
    const r = pump(initiator, responder);
    expect(r.responderError).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
    expect(() => initiator.end()).toThrow(code('ERR_CHANNEL_TRUNCATED'));
  });

  it('pqXX: a pinned server key that differs, or a verifier saying no, is ERR_CHANNEL_PEER_KEY', () => {
    const wrong = staticKey('X-Wing', 'impostor');
    let r = pump(...Object.values(channelPair({ pattern: 'pqXX', initiator: { remoteStaticKeys: [{ suite: 'X-Wing', publicKey: wrong.publicKey }], pattern: 'pqXX' } })) as [Channel, Channel]);
    expect(r.initiatorError).toEqual(code('ERR_CHANNEL_PEER_KEY'));
    expect(r.responderData).toEqual([]);
    r = pump(...Object.values(channelPair({ pattern: 'pqIK', responder: { verifyRemoteStatic: () => false } })) as [Channel, Channel]);
    expect(r.responderError).toEqual(code('ERR_CHANNEL_PEER_KEY'));
    // On the responder, remoteStaticKeys is an allow-list.
    const other = staticKey('X-Wing', 'other client');
    r = pump(...Object.values(channelPair({ pattern: 'pqIK', responder: { remoteStaticKeys: [other] } })) as [Channel, Channel]);
    expect(r.responderError).toEqual(code('ERR_CHANNEL_PEER_KEY'));
    r = pump(...Object.values(channelPair({ pattern: 'pqIK', responder: { remoteStaticKeys: [other, staticKey('X-Wing', 'client')] } })) as [Channel, Channel]);
    expect(r.responderError).toBeUndefined();
    let seen: Uint8Array | undefined;
    r = pump(...Object.values(channelPair({ pattern: 'pqXX', responder: { verifyRemoteStatic: (k) => ((seen = k.publicKey), true) } })) as [Channel, Channel]);
    expect(r.responderError).toBeUndefined();
    expect(Buffer.from(seen!).equals(Buffer.from(staticKey('X-Wing', 'client').publicKey))).toBe(true);
  });
});

describe('negotiation and downgrade', () => {
  const editOffer = (edit: (offer: Buffer) => Buffer): FrameHook => onFrame('i2r', 0, (f) => [encodeFrame(edit(Buffer.from(f.subarray(2))))]);

  it('an entry removed from the offer fails the handshake (ERR_CHANNEL_HANDSHAKE at the responder)', () => {
    const { initiator, responder } = channelPair({ initiator: { ciphers: ['ChaChaPoly', 'AESGCM'] }, responder: { ciphers: ['AESGCM', 'ChaChaPoly'] } });
    // Offer: 01 01 01 02 [X-Wing ChaChaPoly] [X-Wing AESGCM]; drop the first entry.
    const r = pump(initiator, responder, editOffer((o) => Buffer.concat([Buffer.of(1, 1, 1, 1), o.subarray(10, 16)])));
    expect(r.responderError).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
    expect(r.responderData).toEqual([]);
  });

  it('an entry added to the offer fails the handshake', () => {
    // The responder still prefers the initiator's own entry, so only the prologue can tell.
    const { initiator, responder } = channelPair({ initiator: { ciphers: ['ChaChaPoly'] }, responder: { ciphers: ['ChaChaPoly', 'AESGCM'] } });
    const r = pump(initiator, responder, editOffer((o) => Buffer.concat([Buffer.of(1, 1, 1, 2), o.subarray(4, 10), Buffer.from('0102647a0201', 'hex')])));
    expect(r.responderError).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
  });

  it('a changed choice fails the handshake', () => {
    const { initiator, responder } = channelPair({ initiator: { ciphers: ['ChaChaPoly', 'AESGCM'] }, responder: { ciphers: ['ChaChaPoly', 'AESGCM'] } });
    // Choice 02 | 01 02 647a 01 01 (ChaChaPoly) → AESGCM, still one of the offer's entries.
    const r = pump(initiator, responder, onFrame('r2i', 0, (f) => [encodeFrame(Buffer.from('020102647a0201', 'hex'))]));
    expect(r.responderError).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
  });

  it('a choice outside the offer is ERR_CHANNEL_NEGOTIATION at the initiator', () => {
    const { initiator, responder } = channelPair({ initiator: { ciphers: ['ChaChaPoly'] } });
    const r = pump(initiator, responder, onFrame('r2i', 0, () => [encodeFrame(Buffer.from('020102647a0201', 'hex'))]));
    expect(r.initiatorError).toEqual(expect.objectContaining({ code: 'ERR_CHANNEL_NEGOTIATION', reason: 'choice-not-offered' }));
  });

  for (const pattern of ['pqNK', 'pqXX'] as const) {
    for (const [dir, what] of [
      ['i2r', 'offer'],
      ['r2i', 'choice'],
    ] as const) {
      it(`${pattern}: a flipped bit in any byte of the ${what} stops the channel before it opens`, () => {
        const probe = channelPair({ pattern, initiator: { ciphers: ['ChaChaPoly', 'AESGCM'] } });
        const length = pump(probe.initiator, probe.responder).frames[dir][0]!.length;
        for (let at = 2; at < length; at++) {
          for (const bit of [0x01, 0x80]) {
            const { initiator, responder } = channelPair({ pattern, initiator: { ciphers: ['ChaChaPoly', 'AESGCM'] } });
            const r = pump(initiator, responder, onFrame(dir, 0, (f) => {
              const copy = f.slice();
              copy[at] = copy[at]! ^ bit;
              return [copy];
            }));
            const first = r.responderError ?? r.initiatorError;
            expect(['ERR_CHANNEL_NEGOTIATION', 'ERR_CHANNEL_HANDSHAKE']).toContain((first as { code?: string } | undefined)?.code);
            expect(initiator.state === 'open' && responder.state === 'open').toBe(false);
            expect([...r.initiatorData, ...r.responderData]).toEqual([]);
          }
        }
      });
    }
  }

  it('no common parameters: the responder refuses (0x01), both fail with ERR_CHANNEL_NEGOTIATION', () => {
    const { initiator, responder } = channelPair({ initiator: { ciphers: ['ChaChaPoly'] }, responder: { ciphers: ['AESGCM'] } });
    const r = pump(initiator, responder);
    expect(Buffer.from(r.frames.r2i[0]!).toString('hex')).toBe('00020301');
    expect(r.responderError).toEqual(expect.objectContaining({ code: 'ERR_CHANNEL_NEGOTIATION', reason: 'no-common-parameters' }));
    expect(r.initiatorError).toEqual(expect.objectContaining({ code: 'ERR_CHANNEL_NEGOTIATION', reason: 'refused', refusalCode: 1 }));
  });

  it('a pattern the responder does not accept is refused with 0x02; a malformed offer with 0x03', () => {
    let { initiator, responder } = channelPair({ pattern: 'pqNK', responder: { patterns: ['pqXX'] } });
    let r = pump(initiator, responder);
    expect(Buffer.from(r.frames.r2i[0]!).toString('hex')).toBe('00020302');
    expect(r.initiatorError).toEqual(expect.objectContaining({ reason: 'refused', refusalCode: 2 }));
    ({ initiator, responder } = channelPair());
    r = pump(initiator, responder, editOffer((o) => o.subarray(0, o.length - 1)));
    expect(Buffer.from(r.frames.r2i[0]!).toString('hex')).toBe('00020303');
    expect(r.responderError).toEqual(expect.objectContaining({ reason: 'malformed-offer' }));
  });

  it('the responder needs a static key of the suite it picks', () => {
    const { initiator, responder } = channelPair({ responder: { staticKeys: [staticKey('X25519-MLKEM768')] , suites: ['X-Wing', 'X25519-MLKEM768'] } });
    const r = pump(initiator, responder);
    expect(r.responderError).toEqual(expect.objectContaining({ reason: 'no-common-parameters' }));
  });
});

describe('transport messages', () => {
  const send = (from: Channel, ...chunks: string[]) => {
    for (const c of chunks) from.send(Buffer.from(c));
    return from.takeOutput();
  };

  it('data flows both ways, large writes are split at 65518 bytes', () => {
    const { initiator, responder } = openPair('pqXX');
    const big = new Uint8Array(MAX_DATA_LENGTH * 2 + 5).map((_, i) => i);
    initiator.send(big);
    const frames = initiator.takeOutput();
    expect(frames.map((f) => f.length)).toEqual([65535 + 2, 65535 + 2, 5 + 17 + 2]);
    const got = frames.flatMap((f) => responder.receive(f));
    expect(concatBytes(got).equals(Buffer.from(big))).toBe(true);
    const back = send(responder, 'pong');
    expect(concatBytes(back.flatMap((f) => initiator.receive(f))).toString()).toBe('pong');
  });

  it('a flipped bit in a transport message is ERR_CHANNEL_DECRYPT; nothing of it or after it is released; the channel is dead', () => {
    for (const at of [2, 5, 20]) {
      const { initiator, responder } = openPair();
      const [a, b] = send(initiator, 'first', 'second message');
      expect(concatBytes(responder.receive(a!)).toString()).toBe('first');
      expect(() => responder.receive(flip(b!, at))).toThrow(code('ERR_CHANNEL_DECRYPT'));
      expect(() => responder.receive(b!)).toThrow(code('ERR_CHANNEL_CLOSED'));
      expect(() => responder.send(Buffer.from('x'))).toThrow(code('ERR_CHANNEL_CLOSED'));
      expect(responder.takeOutput()).toEqual([]);
    }
  });

  it('a replayed transport message is ERR_CHANNEL_DECRYPT', () => {
    const { initiator, responder } = openPair();
    const [a] = send(initiator, 'once');
    responder.receive(a!);
    expect(() => responder.receive(a!)).toThrow(code('ERR_CHANNEL_DECRYPT'));
  });

  it('reordered or dropped transport messages are ERR_CHANNEL_DECRYPT', () => {
    let { initiator, responder } = openPair();
    let [a, b] = send(initiator, 'one', 'two');
    expect(() => responder.receive(b!)).toThrow(code('ERR_CHANNEL_DECRYPT'));
    ({ initiator, responder } = openPair());
    [a, b] = send(initiator, 'one', 'two');
    // Both in one chunk, swapped: the call releases nothing.
    expect(() => responder.receive(Buffer.concat([b!, a!]))).toThrow(code('ERR_CHANNEL_DECRYPT'));
    ({ initiator, responder } = openPair());
    const [, , c] = send(initiator, 'one', 'two', 'three');
    expect(() => responder.receive(c!)).toThrow(code('ERR_CHANNEL_DECRYPT'));
  });

  it('truncation: a stream ending inside a frame, or without the close, is ERR_CHANNEL_TRUNCATED', () => {
    let { initiator, responder } = openPair();
    const [a] = send(initiator, 'partial');
    expect(responder.receive(a!.subarray(0, 10))).toEqual([]);
    expect(() => responder.end()).toThrow(code('ERR_CHANNEL_TRUNCATED'));
    ({ initiator, responder } = openPair());
    const [b] = send(initiator, 'whole');
    responder.receive(b!);
    expect(() => responder.end()).toThrow(code('ERR_CHANNEL_TRUNCATED'));
  });

  it('close is a half-close: after it the peer can still send; then both are closed and a later frame is an error', () => {
    const { initiator, responder } = openPair();
    initiator.send(Buffer.from('last words'));
    initiator.close();
    const out = initiator.takeOutput();
    expect(concatBytes(out.flatMap((f) => responder.receive(f))).toString()).toBe('last words');
    expect(responder.peerClosed).toBe(true);
    expect(() => initiator.send(Buffer.from('more'))).toThrow(code('ERR_CHANNEL_CLOSED'));
    responder.send(Buffer.from('reply'));
    responder.close();
    expect(responder.state).toBe('closed');
    const back = responder.takeOutput();
    expect(concatBytes(back.flatMap((f) => initiator.receive(f))).toString()).toBe('reply');
    expect(initiator.state).toBe('closed');
    responder.end();
    initiator.end();
    // A frame after the close (e.g. the close replayed) is refused.
    expect(() => initiator.receive(back[back.length - 1]!)).toThrow(code('ERR_CHANNEL_PROTOCOL'));
  });

  it('an empty write sends nothing', () => {
    const { initiator } = openPair();
    initiator.send(new Uint8Array(0));
    expect(initiator.takeOutput()).toEqual([]);
  });

  it('rekey: after N messages the sender rekeys (its ciphertext differs from a sender that did not), data stays intact', () => {
    const run = (rekeyAfterMessages: number) => {
      const { initiator, responder } = channelPair({ pattern: 'pqNK', random: 'rekey', initiator: { rekeyAfterMessages }, responder: { rekeyAfterMessages } });
      pump(initiator, responder);
      const frames: Uint8Array[] = [];
      const got: Uint8Array[] = [];
      for (let i = 0; i < 10; i++) {
        initiator.send(Buffer.from(`message ${i}`));
        const out = initiator.takeOutput();
        frames.push(...out);
        for (const f of out) got.push(...responder.receive(f));
      }
      return { frames, text: concatBytes(got).toString() };
    };
    const rekeyed = run(3);
    const plain = run(1000);
    const expected = Array.from({ length: 10 }, (_, i) => `message ${i}`).join('');
    expect(rekeyed.text).toBe(expected);
    expect(plain.text).toBe(expected);
    // 10 data messages + a rekey message before messages 3, 6 and 9.
    expect(rekeyed.frames).toHaveLength(13);
    expect(plain.frames).toHaveLength(10);
    // Same keys and randomness: the first 3 frames are identical, later ones are not.
    expect(rekeyed.frames.slice(0, 3).map((f) => Buffer.from(f).toString('hex'))).toEqual(plain.frames.slice(0, 3).map((f) => Buffer.from(f).toString('hex')));
    // The rekey message (nonce 3) and message 3 (nonce 4, new key) vs message 3 of the plain run (nonce 3, old key).
    expect(Buffer.from(rekeyed.frames[4]!).equals(Buffer.from(plain.frames[3]!))).toBe(false);
  });

  it('rekey by bytes', () => {
    const { initiator, responder } = channelPair({ initiator: { rekeyAfterBytes: 100 } });
    pump(initiator, responder);
    initiator.send(new Uint8Array(150));
    initiator.send(new Uint8Array(10));
    const frames = initiator.takeOutput();
    expect(frames).toHaveLength(3);
    expect(concatBytes(frames.flatMap((f) => responder.receive(f))).length).toBe(160);
  });
});

describe('options', () => {
  it('an initiator without a key the pattern needs, or a backend without the suite, cannot build an offer', () => {
    expect(() => new Channel('initiator', { backend, pattern: 'pqNK', suites: ['X-Wing'] })).toThrow(expect.objectContaining({ reason: 'unsupported-configuration' }));
    expect(() => new Channel('initiator', { backend: { ...backend, suites: [] }, pattern: 'pqXX', staticKeys: [staticKey('X-Wing', 'client')] })).toThrow(
      expect.objectContaining({ code: 'ERR_CHANNEL_NEGOTIATION' }),
    );
  });
});

describe('modes, suites and policies', () => {
  const ALL = ['X-Wing', 'X25519-MLKEM768', 'X25519-MLKEM1024', 'MLKEM768-P256', 'MLKEM1024-P384', 'HPKE-MLKEM768-P256', 'HPKE-MLKEM1024-P384', 'ML-KEM-768', 'ML-KEM-1024', 'DHKEM-X25519-HKDF-SHA256'];
  for (const suite of ALL) {
    it(`pqIK over ${suite}: open, same handshake hash, data both ways`, () => {
      const { initiator, responder } = channelPair({ pattern: 'pqIK', suite });
      const r = pump(initiator, responder);
      expect([r.initiatorError, r.responderError]).toEqual([undefined, undefined]);
      expect(initiator.info!.parameters.suite.name).toBe(suite);
      expect(initiator.info!.parameters.mode).toBe(suite.startsWith('ML-KEM') ? 'pq-only' : suite.startsWith('DHKEM') ? 'classical' : 'hybrid');
      expect(Buffer.from(initiator.info!.handshakeHash).equals(Buffer.from(responder.info!.handshakeHash))).toBe(true);
      initiator.send(Buffer.from(suite));
      expect(concatBytes(initiator.takeOutput().flatMap((f) => responder.receive(f))).toString()).toBe(suite);
    });
  }

  it('modes: a pq-only initiator and a responder accepting hybrid and pq-only agree on ML-KEM-768', () => {
    const key = staticKey('ML-KEM-768');
    const initiator = new Channel('initiator', { backend, modes: ['pq-only'], remoteStaticKeys: [{ suite: 'ML-KEM-768', publicKey: key.publicKey }] });
    const responder = new Channel('responder', { backend, modes: ['hybrid', 'pq-only'], staticKeys: [staticKey('X-Wing'), key] });
    initiator.start();
    responder.start();
    const r = pump(initiator, responder);
    expect(r.initiatorError).toBeUndefined();
    expect(initiator.info!.parameters).toMatchObject({ mode: 'pq-only', cipher: 'ChaChaPoly', hash: 'SHA256' });
    expect(initiator.info!.parameters.suite.name).toBe('ML-KEM-768');
  });

  it('policy fips-strict on both sides: a NIST-curve hybrid with AESGCM and SHA256; against a hybrid-only X-Wing client: refused', () => {
    const key = staticKey('MLKEM768-P256');
    const responder = new Channel('responder', { backend, policy: 'fips-strict', staticKeys: [key, staticKey('X-Wing')] });
    const initiator = new Channel('initiator', { backend, policy: 'fips-strict', remoteStaticKeys: [{ suite: key.suite, publicKey: key.publicKey }] });
    initiator.start();
    responder.start();
    pump(initiator, responder);
    expect(initiator.info!.parameters.suite.name).toBe('MLKEM768-P256');
    expect(initiator.info!.parameters).toMatchObject({ cipher: 'AESGCM', hash: 'SHA256' });
    const strict = new Channel('responder', { backend, policy: 'fips-strict', staticKeys: [key, staticKey('X-Wing')] });
    const xwingClient = new Channel('initiator', { backend, policy: 'hybrid-only', remoteStaticKeys: [{ suite: 'X-Wing', publicKey: staticKey('X-Wing').publicKey }] });
    strict.start();
    xwingClient.start();
    const r = pump(xwingClient, strict);
    expect(r.responderError).toEqual(expect.objectContaining({ reason: 'no-common-parameters' }));
    expect(r.initiatorError).toEqual(expect.objectContaining({ reason: 'refused' }));
  });
});
