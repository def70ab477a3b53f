import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificate, type TestCertificate } from './support/certs.js';
import { chromiumAvailable, fetchWithChromium, keyExchangeGroupsFromNetLog } from './support/chromium.js';
import { buildGoTlsClient, runGoTlsClient } from './support/go-client.js';
import { closeServer } from './support/policy-server.js';

const X25519MLKEM768 = 4588;
const X25519 = 29;
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello';

interface TestServer {
  port: number;
  close(): Promise<void>;
}

async function startServer(cert: TestCertificate, ecdhCurve: string): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = tls.createServer({ key: cert.key, cert: cert.cert, ecdhCurve, minVersion: 'TLSv1.3' }, (socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(RESPONSE));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server, sockets) };
}

const cert = makeTestCertificate();
const servers: TestServer[] = [];
async function server(ecdhCurve: string): Promise<TestServer> {
  const s = await startServer(cert, ecdhCurve);
  servers.push(s);
  return s;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('Go TLS client (interop/go/cmd/hktls)', () => {
  let hybrid: TestServer;
  let hybridOnly: TestServer;
  beforeAll(async () => {
    await buildGoTlsClient();
    hybrid = await server('X25519MLKEM768:X25519');
    hybridOnly = await server('X25519MLKEM768');
  });

  it('negotiates X25519MLKEM768 with default groups and reads the response', async () => {
    const r = await runGoTlsClient({ port: hybrid.port, ca: cert.certPath, request: 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n' });
    expect(r).toMatchObject({ ok: true, group: X25519MLKEM768, version: 'TLS 1.3' });
    if (!r.ok) throw new Error(r.error);
    expect(r.response).toContain('hello');
    expect([4865, 4866, 4867]).toContain(r.cipherSuite);
  });

  it('negotiates X25519 when offering only X25519', async () => {
    const r = await runGoTlsClient({ port: hybrid.port, ca: cert.certPath, groups: [X25519] });
    expect(r).toMatchObject({ ok: true, group: X25519 });
    if (r.ok) expect(r.response).toBeUndefined();
  });

  it('fails against a hybrid-only server when offering only X25519', async () => {
    const r = await runGoTlsClient({ port: hybridOnly.port, ca: cert.certPath, groups: [X25519] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/handshake/i);
  });

  it('fails verification with a CA that did not sign the server certificate', async () => {
    const other = makeTestCertificate();
    const r = await runGoTlsClient({ port: hybrid.port, ca: other.certPath });
    expect(r.ok).toBe(false);
  });
});

describe.skipIf(!chromiumAvailable())('Chromium with net-log', () => {
  it('fetches over X25519MLKEM768', async () => {
    const s = await server('X25519MLKEM768:X25519');
    const r = await fetchWithChromium(`https://127.0.0.1:${s.port}/`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('hello');
    expect(r.keyExchangeGroups).toContain(X25519MLKEM768);
  });

  it('reports X25519 against an X25519-only server', async () => {
    const s = await server('X25519');
    const r = await fetchWithChromium(`https://127.0.0.1:${s.port}/`);
    expect(r.status).toBe(200);
    expect(r.keyExchangeGroups.length).toBeGreaterThan(0);
    expect(new Set(r.keyExchangeGroups)).toEqual(new Set([X25519]));
  });
});

describe('net-log parsing', () => {
  const constants = '{"constants":{"logEventTypes":{"SSL_CONNECT":65,"TCP_CONNECT":30}},\n"events": [\n';
  const ssl = (g: number) =>
    `{"params":{"cipher_suite":4865,"key_exchange_group":${g},"version":"TLS 1.3"},"phase":2,"source":{"id":1,"type":10},"time":"1","type":65}`;
  const other = '{"params":{"key_exchange_group":1},"phase":2,"source":{"id":2,"type":4},"time":"2","type":30}';

  it('reads a complete log', () => {
    const text = `${constants}${ssl(4588)},\n${other},\n${ssl(29)}\n],\n"polledData": {}}\n`;
    expect(keyExchangeGroupsFromNetLog(text)).toEqual([4588, 29]);
  });

  it('reads a log truncated by a killed browser', () => {
    const text = `${constants}${ssl(4588)},\n${other},\n${ssl(29)},\n${ssl(23).slice(0, 40)}`;
    expect(keyExchangeGroupsFromNetLog(text)).toEqual([4588, 29]);
  });
});
