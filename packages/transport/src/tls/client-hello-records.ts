/**
 * Reads a whole ClientHello off a socket before TLS takes it, however the
 * client split it into records, and puts every byte back.
 *
 * RFC 8446 §5.1 lets a handshake message span several records (OpenSSL's
 * client does with a small max_send_fragment); read-tls-client-hello parses
 * one record, so the message is reassembled here and handed to it as one.
 * Every length is checked against a fixed bound before it is waited for.
 * @module
 */
import type { Readable } from 'node:stream';

const HANDSHAKE_RECORD = 0x16;
const CLIENT_HELLO = 0x01;
/** RFC 8446 §5.1: a plaintext record carries at most 2^14 bytes. */
export const MAX_RECORD_LENGTH = 16_384;
/**
 * The longest ClientHello accepted: what one record's 16-bit length can carry
 * with the 4-byte handshake header (real ones with two hybrid shares are
 * about 3 KB; Chromium's about 1.8 KB).
 */
export const MAX_CLIENT_HELLO_LENGTH = 65_535 - 4;
/** Records a ClientHello may be split into (64 × 1 KiB fragments is already unusual). */
export const MAX_CLIENT_HELLO_RECORDS = 64;

/** Why a ClientHello could not be read: not TLS at all, TLS that is not a readable ClientHello, or the client left first. */
export class ClientHelloError extends Error {
  constructor(
    readonly reason: 'not_tls' | 'malformed_client_hello' | 'client_aborted',
    message: string,
  ) {
    super(message);
    this.name = 'ClientHelloError';
  }
}

/** Either the message, or how many bytes must have arrived before anything can change. */
type Progress = { done: false; need: number } | { done: true; handshake: Buffer };

/** Parses what has arrived so far; throws ClientHelloError as soon as a bound or a type is wrong. */
function progress(buffered: Buffer): Progress {
  const fragments: Buffer[] = [];
  let fragmentBytes = 0;
  let offset = 0;
  let records = 0;
  for (;;) {
    if (buffered.length - offset < 5) return { done: false, need: offset + 5 };
    const type = buffered[offset]!;
    if (type !== HANDSHAKE_RECORD) {
      throw new ClientHelloError(
        records === 0 ? 'not_tls' : 'malformed_client_hello',
        records === 0 ? `not a TLS stream: the first byte is 0x${type.toString(16).padStart(2, '0')}, not a handshake record (0x16)` : `record ${records + 1} of the ClientHello has type 0x${type.toString(16)}, not a handshake record`,
      );
    }
    const length = buffered.readUInt16BE(offset + 3);
    if (length === 0 || length > MAX_RECORD_LENGTH) {
      throw new ClientHelloError('malformed_client_hello', `a handshake record of ${length} bytes (expected 1 to ${MAX_RECORD_LENGTH})`);
    }
    if (++records > MAX_CLIENT_HELLO_RECORDS) {
      throw new ClientHelloError('malformed_client_hello', `the ClientHello spans more than ${MAX_CLIENT_HELLO_RECORDS} records`);
    }
    if (buffered.length - offset - 5 < length) return { done: false, need: offset + 5 + length };
    fragments.push(buffered.subarray(offset + 5, offset + 5 + length));
    fragmentBytes += length;
    offset += 5 + length;
    const handshake = Buffer.concat(fragments, fragmentBytes);
    if (handshake.length < 4) continue;
    if (handshake[0] !== CLIENT_HELLO) {
      throw new ClientHelloError('malformed_client_hello', `the first handshake message has type ${handshake[0]}, not ClientHello (1)`);
    }
    const helloLength = handshake.readUIntBE(1, 3);
    if (helloLength > MAX_CLIENT_HELLO_LENGTH) {
      throw new ClientHelloError('malformed_client_hello', `a ClientHello of ${helloLength} bytes (at most ${MAX_CLIENT_HELLO_LENGTH})`);
    }
    if (handshake.length >= 4 + helloLength) {
      if (handshake.length > 4 + helloLength) {
        // TLS 1.3 forbids another handshake message in the ClientHello's records (RFC 8446 §5.1: key change boundary).
        throw new ClientHelloError('malformed_client_hello', 'the ClientHello record carries more than the ClientHello');
      }
      return { done: true, handshake };
    }
  }
}

/**
 * Resolves with the ClientHello handshake message (header included) once it
 * has arrived whole, after putting every byte read back into `socket`; on a
 * rejection the bytes stay consumed (the caller closes the socket).
 * Rejects with ClientHelloError for what is not a ClientHello, for a bound
 * exceeded, or for a socket that ends, fails or closes first. The caller
 * bounds the wait (the handshake timeout).
 */
export function readClientHelloMessage(socket: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    // Parse again only once the bytes the last parse waited for are here: a
    // client trickling one byte at a time costs one parse per record, not per byte.
    let need = 5;
    const finish = (error: ClientHelloError | undefined, handshake?: Buffer) => {
      socket.removeListener('readable', onReadable);
      socket.removeListener('end', onEnd);
      socket.removeListener('close', onEnd);
      socket.removeListener('error', onError);
      if (error) return reject(error); // the caller closes the socket: nothing to put back
      socket.unshift(Buffer.concat(chunks, length));
      resolve(handshake!);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      let grew = false;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        length += chunk.length;
        grew = true;
      }
      if (!grew || length < need) return;
      try {
        const state = progress(Buffer.concat(chunks, length));
        if (state.done) finish(undefined, state.handshake);
        else need = state.need;
      } catch (error) {
        finish(error as ClientHelloError);
      }
    };
    const onEnd = () => finish(new ClientHelloError('client_aborted', 'the client closed the connection before its ClientHello was complete'));
    const onError = (error: Error) => finish(new ClientHelloError('client_aborted', `the connection failed before the ClientHello was complete: ${error.message}`));
    socket.on('readable', onReadable);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
  });
}
