// The ClientHello is reassembled from however many records the client used,
// within fixed bounds, and every byte read goes back into the socket.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readClientHelloMessage } from '../src/tls/client-hello-records.js';

function record(type: number, body: Uint8Array): Buffer {
  const header = Buffer.from([type, 0x03, 0x01, 0, 0]);
  header.writeUInt16BE(body.length, 3);
  return Buffer.concat([header, body]);
}

/** A handshake message of type 1 (ClientHello) with a body of `n` bytes 0, 1, 2, ... */
function clientHello(n: number): Buffer {
  const message = Buffer.alloc(4 + n);
  message[0] = 1;
  message.writeUIntBE(n, 1, 3);
  for (let i = 0; i < n; i++) message[4 + i] = i & 0xff;
  return message;
}

function split(message: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < message.length; i += size) out.push(message.subarray(i, i + size));
  return out;
}

function readAll(stream: PassThrough): Buffer {
  const chunks: Buffer[] = [];
  let chunk: Buffer | null;
  while ((chunk = stream.read() as Buffer | null) !== null) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function refusal(bytes: Buffer, end = false): Promise<{ reason: string; message: string }> {
  const stream = new PassThrough();
  const pending = readClientHelloMessage(stream).then(
    () => ({ reason: 'resolved', message: '' }),
    (e: { reason: string; message: string }) => ({ reason: e.reason, message: e.message }),
  );
  stream.write(bytes);
  if (end) stream.end();
  return pending;
}

describe('readClientHelloMessage', () => {
  it('one record: the message, and every byte put back', async () => {
    const message = clientHello(1500);
    const wire = record(0x16, message);
    const stream = new PassThrough();
    const pending = readClientHelloMessage(stream);
    stream.write(wire);
    expect(Buffer.compare(await pending, message)).toBe(0);
    expect(Buffer.compare(readAll(stream), wire)).toBe(0);
  });

  it('three records of 512 bytes, trickled one byte at a time, with the next record behind it', async () => {
    const message = clientHello(1500);
    const wire = Buffer.concat([...split(message, 512).map((f) => record(0x16, f)), record(0x14, Buffer.from([1]))]);
    const stream = new PassThrough();
    const pending = readClientHelloMessage(stream);
    for (const byte of wire) {
      stream.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    expect(Buffer.compare(await pending, message)).toBe(0);
    expect(Buffer.compare(readAll(stream), wire)).toBe(0);
  });

  it('64 records is the most; 65 is malformed', async () => {
    const message = clientHello(64 * 8 - 4);
    const stream = new PassThrough();
    const pending = readClientHelloMessage(stream);
    stream.write(Buffer.concat(split(message, 8).map((f) => record(0x16, f))));
    expect((await pending).length).toBe(512);
    expect(await refusal(Buffer.concat(split(clientHello(65 * 8 - 4), 8).map((f) => record(0x16, f))))).toEqual({
      reason: 'malformed_client_hello',
      message: 'the ClientHello spans more than 64 records',
    });
  });

  it('refuses, by reason, before waiting for what a bound excludes', async () => {
    expect(await refusal(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toEqual({
      reason: 'not_tls',
      message: 'not a TLS stream: the first byte is 0x47, not a handshake record (0x16)',
    });
    const oversized = Buffer.from([0x16, 0x03, 0x01, 0x40, 0x01]);
    expect(await refusal(oversized)).toEqual({ reason: 'malformed_client_hello', message: 'a handshake record of 16385 bytes (expected 1 to 16384)' });
    expect(await refusal(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x00]))).toEqual({
      reason: 'malformed_client_hello',
      message: 'a handshake record of 0 bytes (expected 1 to 16384)',
    });
    expect(await refusal(record(0x16, Buffer.from([2, 0, 0, 1, 0])))).toEqual({
      reason: 'malformed_client_hello',
      message: 'the first handshake message has type 2, not ClientHello (1)',
    });
    expect(await refusal(record(0x16, Buffer.from([1, 0x01, 0x00, 0x00])))).toEqual({
      reason: 'malformed_client_hello',
      message: 'a ClientHello of 65536 bytes (at most 65531)',
    });
    const [first] = split(clientHello(600), 512);
    expect(await refusal(Buffer.concat([record(0x16, first!), record(0x17, Buffer.from([0]))]))).toEqual({
      reason: 'malformed_client_hello',
      message: 'record 2 of the ClientHello has type 0x17, not a handshake record',
    });
    expect(await refusal(record(0x16, Buffer.concat([clientHello(10), Buffer.from([0x10])])))).toEqual({
      reason: 'malformed_client_hello',
      message: 'the ClientHello record carries more than the ClientHello',
    });
    expect(await refusal(record(0x16, clientHello(100)).subarray(0, 50), true)).toEqual({
      reason: 'client_aborted',
      message: 'the client closed the connection before its ClientHello was complete',
    });
  });
});
