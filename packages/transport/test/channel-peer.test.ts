/**
 * A responder Channel against a peer driven by hand from spec/TRANSPORT.md
 * §6.4-§6.5: the offer bytes are written out, the prologue is built by hand,
 * the Noise handshake runs through noise/'s HandshakeState directly, and
 * transport plaintexts `type ‖ data` are encrypted with the split
 * CipherState. Checks the message format and every ERR_CHANNEL_PROTOCOL rule
 * a well-behaved Channel peer never exercises.
 */
import { getSuite } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { Channel } from '../src/channel/channel.js';
import { encodeFrame } from '../src/channel/framing.js';
import { HandshakeState } from '../src/channel/noise/handshake-state.js';
import { backend, staticKey } from './support/channel-pair.js';

const server = staticKey('X-Wing', 'server');
const EMPTY = new Uint8Array(0);
const code = (c: string) => expect.objectContaining({ code: c });
const text = (parts: Uint8Array[]) => Buffer.concat(parts).toString();

/** Negotiates and handshakes by hand (pqNK, X-Wing, ChaChaPoly, SHA256); `payload` goes into the handshake message. */
function handDriven(payload: Uint8Array = EMPTY) {
  const responder = new Channel('responder', { backend, staticKeys: [server], suites: ['X-Wing'] });
  responder.start();
  // offer = 0x01 ‖ version 1 ‖ pqNK 1 ‖ count 1 ‖ (version 1, hybrid 2, X-Wing 0x647a, ChaChaPoly 1, SHA256 1)
  const offer = Buffer.from('01010101' + '0102647a0101', 'hex');
  expect(responder.receive(encodeFrame(offer))).toEqual([]);
  const [choiceFrame] = responder.takeOutput();
  expect(Buffer.from(choiceFrame!).toString('hex')).toBe('0007' + '02' + '0102647a0101');
  const prologue = Buffer.concat([Buffer.from('hybridkem/v1/channel'), Buffer.of(0), offer, choiceFrame!.subarray(2)]);
  const hs = new HandshakeState({
    pattern: 'pqNK',
    initiator: true,
    suite: getSuite('X-Wing'),
    backend,
    cipher: 'ChaChaPoly',
    hash: 'SHA256',
    prologue,
    remoteStatic: server.publicKey,
  });
  const first = responder.receive(encodeFrame(hs.writeMessage(payload)));
  return { responder, hs, first };
}

function opened() {
  const { responder, hs, first } = handDriven();
  expect(first).toEqual([]);
  const [m2] = responder.takeOutput();
  expect(hs.readMessage(m2!.subarray(2))).toEqual(EMPTY);
  const { send, receive } = hs.split();
  expect(Buffer.from(responder.info!.handshakeHash).equals(Buffer.from(hs.handshakeHash()))).toBe(true);
  const message = (...bytes: number[]) => encodeFrame(send.encryptWithAd(EMPTY, Uint8Array.from(bytes)));
  return { responder, send, receive, message };
}

describe('a responder against a hand-driven initiator', () => {
  it('data is type 0x00 ‖ data; the responder replies in the same format', () => {
    const { responder, receive, message } = opened();
    expect(text(responder.receive(message(0x00, 0x68, 0x69)))).toBe('hi');
    responder.send(Buffer.from('yo'));
    const [reply] = responder.takeOutput();
    expect(Buffer.from(receive.decryptWithAd(EMPTY, reply!.subarray(2))).toString('hex')).toBe('00' + Buffer.from('yo').toString('hex'));
    responder.close();
    const [close] = responder.takeOutput();
    expect(Buffer.from(receive.decryptWithAd(EMPTY, close!.subarray(2))).toString('hex')).toBe('02');
  });

  it('rekey (0x01): the responder rekeys its receiving key (Noise §11.3) and keeps reading', () => {
    const { responder, send, message } = opened();
    expect(responder.receive(message(0x01))).toEqual([]);
    send.rekey();
    expect(text(responder.receive(message(0x00, 0x41)))).toBe('A');
  });

  it('a rekey message without the sender rekeying makes the next message fail (ERR_CHANNEL_DECRYPT)', () => {
    const { responder, message } = opened();
    responder.receive(message(0x01));
    expect(() => responder.receive(message(0x00, 0x41))).toThrow(code('ERR_CHANNEL_DECRYPT'));
  });

  for (const [what, bytes] of [
    ['an unknown type', [0x07]],
    ['a close with data', [0x02, 0x41]],
    ['a rekey with data', [0x01, 0x41]],
    ['a message without a type', []],
  ] as const) {
    it(`${what} is ERR_CHANNEL_PROTOCOL and nothing is released`, () => {
      const { responder, message } = opened();
      expect(() => responder.receive(Buffer.concat([message(0x00, 0x41), message(...bytes)]))).toThrow(code('ERR_CHANNEL_PROTOCOL'));
      expect(() => responder.receive(message(0x00))).toThrow(code('ERR_CHANNEL_CLOSED'));
    });
  }

  it('a message after the close is ERR_CHANNEL_PROTOCOL', () => {
    const { responder, message } = opened();
    expect(responder.receive(message(0x02))).toEqual([]);
    expect(responder.peerClosed).toBe(true);
    expect(() => responder.receive(message(0x00, 0x41))).toThrow(code('ERR_CHANNEL_PROTOCOL'));
  });

  it('a handshake payload is ERR_CHANNEL_PROTOCOL (version 1 sends none) and is not released', () => {
    expect(() => handDriven(Buffer.from('early data'))).toThrow(code('ERR_CHANNEL_PROTOCOL'));
  });
});
