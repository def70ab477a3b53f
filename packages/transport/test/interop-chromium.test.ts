/**
 * Headless Chromium fetches a page from createServer under each policy: the
 * key-exchange groups in Chromium's net-log must equal the groups the server
 * derived, connection for connection (Chromium may open more than one
 * connection per page load, e.g. for /favicon.ico, so the lists are compared).
 *
 * Chromium offers X25519MLKEM768 (with an X25519 key share next to it, plus
 * GREASE values) and has no SecP256r1MLKEM768 or SecP384r1MLKEM1024: so
 * hybrid-only and hybrid-with-classical-fallback derive X25519MLKEM768,
 * fips-advisory derives X25519MLKEM768 with an advisory (its NIST-hybrid tier
 * has nothing Chromium supports), and fips-strict refuses it (no_shared_group).
 */
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLS_GROUPS } from '../src/tls/groups.js';
import type { HandshakeInfo, Refusal } from '../src/tls/handshake-info.js';
import type { TlsPolicyName } from '../src/tls/policies.js';
import { createServer, type PolicyServer } from '../src/tls/server.js';
import { makeTestCertificate } from './support/certs.js';
import { chromiumAvailable, fetchManyWithChromium, keyExchangeGroupsByAddressFromNetLog, type ChromiumManyResult } from './support/chromium.js';

const X25519MLKEM768 = 4588;
const BODY = 'hello from a policy server';
const RESPONSE = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n${BODY}`;

interface Fixture {
  readonly policy: TlsPolicyName;
  readonly server: PolicyServer;
  url: string;
  readonly negotiated: HandshakeInfo[];
  readonly refused: Refusal[];
  /** TCP connections accepted. */
  accepted: number;
  readonly sockets: Set<Socket>;
}

async function startFixture(policy: TlsPolicyName, cert: { key: string; cert: string }): Promise<Fixture> {
  const server = createServer(policy, { key: cert.key, cert: cert.cert }, (socket) => {
    socket.on('error', () => {});
    // A minimal HTTP/1.1 server: answer the first request and close.
    socket.once('data', () => socket.end(RESPONSE));
  });
  const f: Fixture = { policy, server, url: '', negotiated: [], refused: [], accepted: 0, sockets: new Set() };
  server.on('connection', (raw: Socket) => {
    f.accepted++;
    f.sockets.add(raw);
    raw.on('close', () => f.sockets.delete(raw));
  });
  server.on('negotiated', (info) => f.negotiated.push(info));
  server.on('refused', (refusal) => f.refused.push(refusal));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  f.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return f;
}

/** Waits until every connection the server accepted has ended in `negotiated` or `refused`. */
async function settled(f: Fixture, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (f.negotiated.length + f.refused.length < f.accepted) {
    if (Date.now() > deadline) {
      throw new Error(`${f.policy}: ${f.accepted} connections, ${f.negotiated.length} negotiated + ${f.refused.length} refused after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

describe.skipIf(!chromiumAvailable())('headless Chromium against createServer', () => {
  const cert = makeTestCertificate();
  const fixtures = new Map<TlsPolicyName, Fixture>();
  const results = new Map<TlsPolicyName, ChromiumManyResult>();

  beforeAll(async () => {
    for (const policy of ['hybrid-only', 'hybrid-with-classical-fallback', 'fips-advisory', 'fips-strict'] as const) {
      fixtures.set(policy, await startFixture(policy, cert));
    }
    // One Chromium launch for all four servers; each URL's net-log groups are kept apart.
    const policies = [...fixtures.keys()];
    const out = await fetchManyWithChromium(policies.map((p) => fixtures.get(p)!.url));
    policies.forEach((p, i) => results.set(p, out[i]!));
    for (const f of fixtures.values()) await settled(f);
  });

  afterAll(async () => {
    if (process.env.HK_PRINT_MATRIX) {
      for (const [policy, f] of fixtures) {
        const r = results.get(policy);
        console.log(
          `${policy} | Chromium ${r && 'error' in r ? `error ${r.error.split('\n')[0]}` : `status ${r?.status}`} groups ${JSON.stringify(r?.keyExchangeGroups)}` +
            ` | server negotiated ${JSON.stringify(f.negotiated.map((i) => [i.group, i.helloRetry, i.advisory]))} refused ${JSON.stringify(f.refused.map((x) => [x.reason, x.group]))}`,
        );
      }
    }
    for (const f of fixtures.values()) {
      for (const s of f.sockets) s.destroy();
      await new Promise<void>((resolve) => f.server.close(() => resolve()));
    }
  });

  it.each(['hybrid-only', 'hybrid-with-classical-fallback', 'fips-advisory'] as const)(
    '%s: the page loads and Chromium’s net-log groups equal the server’s derived groups (X25519MLKEM768)',
    (policy) => {
      const f = fixtures.get(policy)!;
      const r = results.get(policy)!;
      if ('error' in r) throw new Error(`Chromium failed to load ${f.url}: ${r.error}`);
      expect(r.status).toBe(200);
      expect(r.body).toBe(BODY);
      expect(r.keyExchangeGroups.length).toBeGreaterThan(0);
      // Connection for connection: every handshake Chromium completed is one the server derived, and vice versa.
      expect(sorted(r.keyExchangeGroups)).toEqual(sorted(f.negotiated.map((info) => TLS_GROUPS[info.group].id)));
      // And the literal: X25519MLKEM768 every time, without HelloRetryRequest (Chromium sends its key share).
      expect(new Set(r.keyExchangeGroups)).toEqual(new Set([X25519MLKEM768]));
      for (const info of f.negotiated) {
        expect(info).toMatchObject({
          group: 'X25519MLKEM768',
          hybrid: true,
          helloRetry: false,
          advisory: policy === 'fips-advisory',
        });
      }
      // Chromium's first connection fails its certificate check (self-signed; Playwright's
      // ignoreHTTPSErrors makes it retry): the server saw that handshake end without
      // Finished, refused (tls_error/client_aborted) after deriving the same group.
      for (const refusal of f.refused) {
        expect(['tls_error', 'client_aborted']).toContain(refusal.reason);
        if (refusal.group !== undefined) expect(refusal.group).toBe('X25519MLKEM768');
      }
    },
  );

  it('fips-strict: Chromium is refused (no_shared_group) and the fetch fails', () => {
    const f = fixtures.get('fips-strict')!;
    const r = results.get('fips-strict')!;
    expect('error' in r, 'the fetch must fail').toBe(true);
    if ('error' in r) expect(r.error).toMatch(/ERR_SSL_VERSION_OR_CIPHER_MISMATCH|ERR_SSL|ERR_CONNECTION/);
    expect(f.negotiated).toEqual([]);
    expect(f.refused.length).toBeGreaterThan(0);
    expect(f.refused.some((refusal) => refusal.reason === 'no_shared_group')).toBe(true);
    for (const refusal of f.refused) expect(['no_shared_group', 'client_aborted']).toContain(refusal.reason);
  });
});

describe('net-log groups by address', () => {
  it('keys each SSL event by its socket’s TCP_CONNECT address', () => {
    const text =
      '{"constants":{"logEventTypes":{"SSL_CONNECT":65,"TCP_CONNECT":30,"TCP_CONNECT_ATTEMPT":31}},\n"events": [\n' +
      '{"params":{"address_list":["127.0.0.1:1000"]},"phase":1,"source":{"id":7,"type":10},"time":"1","type":30},\n' +
      '{"params":{"local_address":"127.0.0.1:5","remote_address":"127.0.0.1:1000"},"phase":2,"source":{"id":7,"type":10},"time":"2","type":30},\n' +
      '{"params":{"address":"127.0.0.1:2000"},"phase":1,"source":{"id":8,"type":10},"time":"3","type":31},\n' +
      '{"params":{"key_exchange_group":4588},"phase":2,"source":{"id":7,"type":10},"time":"4","type":65},\n' +
      '{"params":{"key_exchange_group":29},"phase":2,"source":{"id":8,"type":10},"time":"5","type":65},\n' +
      '{"params":{"key_exchange_group":4588},"phase":2,"source":{"id":7,"type":10},"time":"6","type":65}\n' +
      '],\n"polledData": {}}\n';
    expect(keyExchangeGroupsByAddressFromNetLog(text)).toEqual(
      new Map([
        ['127.0.0.1:1000', [4588, 4588]],
        ['127.0.0.1:2000', [29]],
      ]),
    );
  });
});
