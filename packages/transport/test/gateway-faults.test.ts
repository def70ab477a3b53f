/**
 * The gateway under misbehaving clients and upstreams: every fault is counted
 * by its reason, nothing throws, no socket is left open, and a good client is
 * served afterwards. Then close(): drain and drain timeout.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway, GatewayOptions } from '../src/gateway/gateway.js';
import type { Refusal } from '../src/tls/handshake-info.js';
import { makeTestCertificate, type TestCertificate } from './support/certs.js';
import {
  captureClientHello,
  connectClient,
  exchange,
  rawConnect,
  readAll,
  sampleLines,
  startGateway as startGatewayIn,
  startUpstream,
  waitFor,
  type ClientTarget,
  type Upstream,
} from './fixtures/gateway-helpers.js';

type Mode = 'echo' | 'reset-first' | 'silent';
let mode: Mode = 'echo';
let cert: TestCertificate;
let upstream: Upstream;
let hello: Buffer;
const gateways: Gateway[] = [];
const extraServers: net.Server[] = [];

beforeAll(async () => {
  cert = makeTestCertificate();
  hello = await captureClientHello('hybrid-only');
  upstream = await startUpstream((socket) => {
    if (mode === 'silent') return;
    if (mode === 'reset-first') {
      mode = 'echo';
      socket.once('data', () => socket.resetAndDestroy());
      return;
    }
    // echo: every byte back, and end when the client ends.
    socket.pipe(socket);
  });
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close({ drainTimeoutMs: 50 })));
  await upstream?.close();
  await Promise.all(extraServers.map((s) => new Promise((r) => s.close(r))));
});

function startGateway(overrides: Partial<GatewayOptions> = {}) {
  mode = 'echo';
  return startGatewayIn(gateways, upstream.port, cert, { handshakeTimeoutMs: 2_000, ...overrides });
}

function nextRefusal(gateway: Gateway): Promise<Refusal> {
  return new Promise((resolve) => gateway.once('refused', resolve));
}

async function line(gateway: Gateway, name: string, labels: string): Promise<string | undefined> {
  return (await sampleLines(gateway.registry, name)).find((l) => l.startsWith(`${name}{${labels}}`));
}

/** A good client still gets its bytes echoed. */
async function expectServing(target: ClientTarget) {
  const reply = await exchange('hybrid-only', target, Buffer.from('still serving'));
  expect(reply.toString()).toBe('still serving');
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

describe('gateway faults', () => {
  it('a truncated ClientHello (40 bytes, then end) is refused and counted', async () => {
    const { gateway, target } = await startGateway();
    const refusal = nextRefusal(gateway);
    const socket = await rawConnect(target.port);
    socket.on('error', () => {});
    socket.end(hello.subarray(0, 40));
    expect((await refusal).reason).toBe('client_aborted');
    await closed(socket);
    expect(await line(gateway, 'hybridkem_gateway_refusals_total', 'policy="hybrid-only",reason="client_aborted"')).toBe(
      'hybridkem_gateway_refusals_total{policy="hybrid-only",reason="client_aborted"} 1',
    );
    await expectServing(target);
  });

  it('garbage (an HTTP request) is refused as not_tls', async () => {
    const { gateway, target } = await startGateway();
    const refusal = nextRefusal(gateway);
    const socket = await rawConnect(target.port);
    socket.on('error', () => {});
    socket.write('GET / HTTP/1.1\r\n\r\n');
    expect((await refusal).reason).toBe('not_tls');
    await closed(socket);
    expect(await line(gateway, 'hybridkem_gateway_refusals_total', 'policy="hybrid-only",reason="not_tls"')).toBe(
      'hybridkem_gateway_refusals_total{policy="hybrid-only",reason="not_tls"} 1',
    );
    await expectServing(target);
  });

  it('slowloris (10 bytes, then nothing) is closed at the handshake timeout', async () => {
    const { gateway, target } = await startGateway({ handshakeTimeoutMs: 300 });
    const refusal = nextRefusal(gateway);
    const socket = await rawConnect(target.port);
    socket.on('error', () => {});
    const start = performance.now();
    socket.write(hello.subarray(0, 10));
    expect((await refusal).reason).toBe('handshake_timeout');
    await closed(socket);
    expect(performance.now() - start).toBeGreaterThanOrEqual(250);
    expect(await line(gateway, 'hybridkem_gateway_refusals_total', 'policy="hybrid-only",reason="handshake_timeout"')).toBe(
      'hybridkem_gateway_refusals_total{policy="hybrid-only",reason="handshake_timeout"} 1',
    );
    await expectServing(target);
  });

  it('a client that resets mid-handshake is counted client_aborted', async () => {
    const { gateway, target } = await startGateway();
    const refusal = nextRefusal(gateway);
    const socket = await rawConnect(target.port);
    socket.on('error', () => {});
    socket.write(hello.subarray(0, hello.length >> 1));
    await new Promise((r) => setTimeout(r, 20));
    socket.resetAndDestroy();
    expect((await refusal).reason).toBe('client_aborted');
    await waitFor(() => gateway.activeConnections === 0, 'the reset connection to close');
    expect(await line(gateway, 'hybridkem_gateway_refusals_total', 'policy="hybrid-only",reason="client_aborted"')).toBe(
      'hybridkem_gateway_refusals_total{policy="hybrid-only",reason="client_aborted"} 1',
    );
    await expectServing(target);
  });

  it('an upstream that refuses: the client is closed and upstream_failures{reason="refused"} counted', async () => {
    // A port nobody listens on (until the end of the test).
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { gateway, target } = await startGateway({ upstream: { host: '127.0.0.1', port: closedPort } });
    const client = await connectClient('hybrid-only', target);
    client.on('error', () => {});
    client.resume();
    await closed(client);
    await waitFor(() => gateway.activeConnections === 0, 'the connection to close');
    expect(await sampleLines(gateway.registry, 'hybridkem_gateway_upstream_failures_total')).toEqual([
      'hybridkem_gateway_upstream_failures_total{reason="refused"} 1',
      'hybridkem_gateway_upstream_failures_total{reason="reset"} 0',
      'hybridkem_gateway_upstream_failures_total{reason="timeout"} 0',
      'hybridkem_gateway_upstream_failures_total{reason="error"} 0',
    ]);
    expect(await line(gateway, 'hybridkem_gateway_connection_closes_total', 'reason="upstream_failure"')).toBe(
      'hybridkem_gateway_connection_closes_total{reason="upstream_failure"} 1',
    );
    // The upstream comes up on that port: the same gateway serves again.
    const late = net.createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
    extraServers.push(late);
    await new Promise<void>((r) => late.listen(closedPort, '127.0.0.1', r));
    await expectServing(target);
  });

  it('an upstream that resets mid-stream: upstream_failures{reason="reset"}', async () => {
    const { gateway, target } = await startGateway();
    mode = 'reset-first';
    const client = await connectClient('hybrid-only', target);
    client.on('error', () => {});
    client.resume();
    client.write('this makes the upstream reset');
    await closed(client);
    await waitFor(() => gateway.activeConnections === 0, 'the connection to close');
    expect(await line(gateway, 'hybridkem_gateway_upstream_failures_total', 'reason="reset"')).toBe(
      'hybridkem_gateway_upstream_failures_total{reason="reset"} 1',
    );
    expect(await line(gateway, 'hybridkem_gateway_connection_closes_total', 'reason="upstream_failure"')).toBe(
      'hybridkem_gateway_connection_closes_total{reason="upstream_failure"} 1',
    );
    await expectServing(target);
  });

  it('a proxied connection with no bytes for idleTimeoutMs is closed as idle_timeout', async () => {
    const { gateway, target } = await startGateway({ idleTimeoutMs: 300 });
    mode = 'silent';
    const client = await connectClient('hybrid-only', target);
    client.on('error', () => {});
    client.resume();
    const start = performance.now();
    await closed(client);
    expect(performance.now() - start).toBeGreaterThanOrEqual(250);
    await waitFor(() => gateway.activeConnections === 0, 'the connection to close');
    expect(await line(gateway, 'hybridkem_gateway_connection_closes_total', 'reason="idle_timeout"')).toBe(
      'hybridkem_gateway_connection_closes_total{reason="idle_timeout"} 1',
    );
    mode = 'echo';
    await expectServing(target);
  });

  it('over maxConnections: 10 000 attempts refused at accept as connection_limit, memory bounded, served afterwards', async () => {
    const { gateway, target } = await startGateway({ maxConnections: 5, handshakeTimeoutMs: 120_000 });
    const held: net.Socket[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await rawConnect(target.port);
      s.on('error', () => {});
      s.write(hello.subarray(0, 10));
      held.push(s);
    }
    await waitFor(() => gateway.activeConnections === 5, '5 held connections');
    const rssBefore = process.memoryUsage().rss;
    let attempts = 0;
    const attempt = async () => {
      while (attempts < 10_000) {
        attempts++;
        await new Promise<void>((resolve) => {
          const s = net.connect({ host: '127.0.0.1', port: target.port });
          s.on('error', () => {});
          s.once('close', () => resolve());
        });
      }
    };
    await Promise.all(Array.from({ length: 200 }, attempt));
    const limitLine = 'hybridkem_gateway_refusals_total{policy="hybrid-only",reason="connection_limit"}';
    await waitFor(async () => (await line(gateway, 'hybridkem_gateway_refusals_total', 'policy="hybrid-only",reason="connection_limit"')) === `${limitLine} 10000`, 'connection_limit 10000');
    const growth = process.memoryUsage().rss - rssBefore;
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    expect(gateway.activeConnections).toBe(5);
    // The held five leave mid-ClientHello; then there is room again.
    for (const s of held) s.destroy();
    await Promise.all(held.map(closed));
    await waitFor(
      async () =>
        (await line(gateway, 'hybridkem_gateway_refusals_total', 'policy="hybrid-only",reason="client_aborted"')) ===
        'hybridkem_gateway_refusals_total{policy="hybrid-only",reason="client_aborted"} 5',
      'client_aborted 5',
    );
    await waitFor(() => gateway.activeConnections === 0, 'the held connections to close');
    await expectServing(target);
  });
});

describe('gateway close', () => {
  it('drains: an in-flight connection completes, new ones are refused, close resolves after the client ends', async () => {
    const { gateway, target } = await startGateway();
    const client = await connectClient('hybrid-only', target);
    const reply = readAll(client);
    client.write('before close;');
    let closeDone = false;
    const closing = gateway.close({ drainTimeoutMs: 2_000 }).then(() => (closeDone = true));
    // Stopped accepting at once.
    const refused = await new Promise<string | undefined>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: target.port });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code));
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
    });
    expect(refused).toBe('ECONNREFUSED');
    await new Promise((r) => setTimeout(r, 100));
    expect(closeDone).toBe(false);
    client.end('after close');
    expect((await reply).toString()).toBe('before close;after close');
    await closing;
    expect(gateway.activeConnections).toBe(0);
    expect(await line(gateway, 'hybridkem_gateway_connection_closes_total', 'reason="completed"')).toBe(
      'hybridkem_gateway_connection_closes_total{reason="completed"} 1',
    );
  });

  it('destroys a connection still open after drainTimeoutMs and counts it as shutdown', async () => {
    const { gateway, target } = await startGateway();
    const client = await connectClient('hybrid-only', target);
    client.on('error', () => {});
    client.resume();
    client.write('never ends');
    const start = performance.now();
    await gateway.close({ drainTimeoutMs: 300 });
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
    await closed(client);
    expect(gateway.activeConnections).toBe(0);
    expect(await line(gateway, 'hybridkem_gateway_connection_closes_total', 'reason="shutdown"')).toBe(
      'hybridkem_gateway_connection_closes_total{reason="shutdown"} 1',
    );
  });
});
