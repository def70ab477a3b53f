/**
 * Frames of spec/TRANSPORT.md §6.3: `I2OSP(len, 2) ‖ body`, len ≤ 65535.
 * Expected bytes are written by hand from that rule.
 */
import { describe, expect, it } from 'vitest';
import { FrameReader, MAX_FRAME_LENGTH, encodeFrame } from '../src/channel/framing.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('channel framing', () => {
  it('prefixes the body with its big-endian 2-byte length', () => {
    expect(hex(encodeFrame(Uint8Array.of(0xaa, 0xbb, 0xcc)))).toBe('0003aabbcc');
    expect(hex(encodeFrame(new Uint8Array(0)))).toBe('0000');
    const big = encodeFrame(new Uint8Array(0x1234));
    expect(hex(big.subarray(0, 2))).toBe('1234');
    expect(big.length).toBe(0x1234 + 2);
  });

  it('frames 65535 bytes and refuses 65536 with ERR_CHANNEL_PROTOCOL', () => {
    expect(MAX_FRAME_LENGTH).toBe(65535);
    expect(hex(encodeFrame(new Uint8Array(65535)).subarray(0, 2))).toBe('ffff');
    expect(() => encodeFrame(new Uint8Array(65536))).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_PROTOCOL' }));
  });

  it('reads frames split at every byte boundary and packed several per chunk', () => {
    const stream = Buffer.from('0003aabbcc' + '0000' + '0001ff' + '0002' + '0102', 'hex');
    const expected = ['aabbcc', '', 'ff', '0102'];
    for (let cut = 0; cut <= stream.length; cut++) {
      const reader = new FrameReader();
      const got = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))].map(hex);
      expect(got).toEqual(expected);
      expect(reader.pending).toBe(false);
      reader.end();
    }
    const reader = new FrameReader();
    const got: string[] = [];
    for (const byte of stream) got.push(...reader.push(Uint8Array.of(byte)).map(hex));
    expect(got).toEqual(expected);
  });

  it('a 65535-byte frame arrives whole across chunks', () => {
    const body = new Uint8Array(65535).map((_, i) => i * 7);
    const frame = encodeFrame(body);
    const reader = new FrameReader();
    const frames: Uint8Array[] = [];
    for (let at = 0; at < frame.length; at += 1000) frames.push(...reader.push(frame.subarray(at, at + 1000)));
    expect(frames).toHaveLength(1);
    expect(Buffer.from(frames[0]!).equals(Buffer.from(body))).toBe(true);
  });

  it('a stream ending inside the length or the body is ERR_CHANNEL_TRUNCATED', () => {
    for (const partial of ['00', '0005aabb', 'ffff']) {
      const reader = new FrameReader();
      expect(reader.push(Buffer.from(partial, 'hex'))).toEqual([]);
      expect(reader.pending).toBe(true);
      expect(() => reader.end()).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_TRUNCATED' }));
    }
  });
});
