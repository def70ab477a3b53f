/**
 * What the server needs from a ClientHello to know the group OpenSSL will
 * pick, read before TLS takes the socket (client-hello-records.ts puts the
 * bytes back, so the TLS handshake sees them unchanged) and parsed with
 * `read-tls-client-hello`.
 * @module
 */
import type { Readable } from 'node:stream';
import { Readable as ReadableStream } from 'node:stream';
import { getExtensionData, isGREASE, readTlsClientHello } from 'read-tls-client-hello';
import { ClientHelloError, readClientHelloMessage } from './client-hello-records.js';

export { ClientHelloError };

/** The ClientHello fields the group selection depends on; GREASE values removed. */
export interface ClientHelloSummary {
  /** supported_versions (RFC 8446 §4.2.1), or the legacy version when the extension is absent. */
  readonly versions: readonly number[];
  readonly cipherSuites: readonly number[];
  /** supported_groups (§4.2.7), client preference order. */
  readonly groups: readonly number[];
  /** Groups of the key_share entries (§4.2.8), in the client's order. */
  readonly keyShareGroups: readonly number[];
  readonly serverName: string | undefined;
}

const notGrease = (value: number) => !isGREASE(value);

/**
 * Reads the ClientHello off `socket` (over as many records as the client
 * used, within client-hello-records.ts's bounds) and summarises it. Rejects
 * with ClientHelloError. The caller bounds the wait (the handshake timeout).
 */
export async function readClientHelloSummary(socket: Readable): Promise<ClientHelloSummary> {
  const message = await readClientHelloMessage(socket);
  // The parser reads one record: give it the reassembled message as one.
  const record = Buffer.alloc(5 + message.length);
  record.set([0x16, 0x03, 0x01]);
  record.writeUInt16BE(message.length, 3);
  record.set(message, 5);
  let hello;
  try {
    hello = await readTlsClientHello(ReadableStream.from([record], { objectMode: false }));
  } catch (error) {
    throw new ClientHelloError('malformed_client_hello', error instanceof Error ? error.message : String(error));
  }
  const versions = getExtensionData(hello, 43)?.versions;
  return {
    versions: versions ? versions.filter(notGrease) : [hello.version],
    cipherSuites: hello.cipherSuites.filter(notGrease),
    groups: (getExtensionData(hello, 10)?.groups ?? []).filter(notGrease),
    keyShareGroups: (getExtensionData(hello, 51)?.entries ?? []).map((entry) => entry.group).filter(notGrease),
    serverName: getExtensionData(hello, 0)?.serverName,
  };
}
