/**
 * What the server needs from a ClientHello to know the group OpenSSL will
 * pick, read with `read-tls-client-hello` before TLS takes the socket (the
 * bytes are put back, so the TLS handshake sees them unchanged).
 * @module
 */
import type { Readable } from 'node:stream';
import { getExtensionData, isGREASE, NonTlsError, readTlsClientHello } from 'read-tls-client-hello';

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

/** Why a ClientHello could not be read: not TLS at all, TLS the parser could not read, or the client left first. */
export class ClientHelloError extends Error {
  constructor(
    readonly reason: 'not_tls' | 'malformed_client_hello' | 'client_aborted',
    message: string,
  ) {
    super(message);
    this.name = 'ClientHelloError';
  }
}

const notGrease = (value: number) => !isGREASE(value);

/**
 * Reads the first TLS record of `socket` (one record holds at most 2^16 - 1
 * bytes, a bound the record's length field sets) and summarises the
 * ClientHello in it. Rejects with ClientHelloError; resolves or rejects once
 * the socket closes. The caller bounds the wait (the handshake timeout).
 */
export async function readClientHelloSummary(socket: Readable): Promise<ClientHelloSummary> {
  let hello;
  try {
    hello = await readTlsClientHello(socket);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | undefined)?.code;
    // read-tls-client-hello throws NonTlsError both for a first byte that is not a
    // handshake record and for a stream that closed or failed mid-record.
    const reason =
      code === 'ECONNRESET' || code === 'EPIPE' || /closed before/i.test(message)
        ? 'client_aborted'
        : error instanceof NonTlsError && /not a TLS stream/.test(message)
          ? 'not_tls'
          : 'malformed_client_hello';
    throw new ClientHelloError(reason, message);
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
