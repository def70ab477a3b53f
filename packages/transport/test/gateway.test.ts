import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createGateway, type Gateway, type GatewayOptions } from '../src/gateway/gateway.js';
import { GATEWAY_METRICS } from '../src/gateway/metrics.js';
import { tlsOptions } from '../src/tls/options.js';
import { makeTestCertificate, type TestCertificate } from './support/certs.js';
import {
  exchange,
  gatewayOptions,
  rawConnect,
  pattern,
  replyAfterEnd,
  sampleLines,
  startGateway as startGatewayIn,
  startUpstream,
  waitFor,
  x25519Client,
  type Upstream,
} from './fixtures/gateway-helpers.js';

let cert: TestCertificate;
let upstream: Upstream;
const gateways: Gateway[] = [];
const extraUpstreams: Upstream[] = [];

beforeAll(async () => {
  cert = makeTestCertificate();
  // Answers 3 000 bytes (after the client ends its side) whatever it was sent.
  upstream = await startUpstream(replyAfterEnd(() => pattern(3_000, 1)));
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close({ drainTimeoutMs: 100 })));
  await upstream?.close();
  await Promise.all(extraUpstreams.map((u) => u.close()));
});

const startGateway = (overrides: Partial<GatewayOptions> = {}) => startGatewayIn(gateways, upstream.port, cert, overrides);

describe('createGateway', () => {
  it('proxies a round trip under hybrid-only and counts the bytes exactly', async () => {
    const { gateway, target } = await startGateway();
    const sent = pattern(10_000);
    const reply = await exchange('hybrid-only', target, sent);
    expect(reply.equals(pattern(3_000, 1))).toBe(true);
    await waitFor(() => gateway.activeConnections === 0, 'the connection to close');
    expect(await sampleLines(gateway.registry, 'hybridkem_gateway_proxied_bytes_total')).toEqual([
      'hybridkem_gateway_proxied_bytes_total{direction="to_upstream"} 10000',
      'hybridkem_gateway_proxied_bytes_total{direction="to_client"} 3000',
    ]);
    expect(await sampleLines(gateway.registry, 'hybridkem_gateway_connection_closes_total')).toContain(
      'hybridkem_gateway_connection_closes_total{reason="completed"} 1',
    );
    expect(await sampleLines(gateway.registry, 'hybridkem_gateway_active_connections')).toEqual(['hybridkem_gateway_active_connections 0']);
  });

  it('passes a half-close from the upstream to the client, and the client may still send afterwards', async () => {
    // This upstream greets, ends its side at once, and then counts what the client still sends.
    let received = 0;
    let upstreamEnded: () => void = () => {};
    const upstreamDone = new Promise<void>((resolve) => (upstreamEnded = resolve));
    const greeter = await startUpstream((socket) => {
      socket.end('greeting');
      socket.on('data', (c: Buffer) => (received += c.length));
      socket.on('end', () => upstreamEnded());
    });
    extraUpstreams.push(greeter);
    const { gateway, target } = await startGateway({ upstream: { host: '127.0.0.1', port: greeter.port } });
    // allowHalfOpen: the client keeps its write side after the gateway's end.
    const client = await new Promise<tls.TLSSocket>((resolve, reject) => {
      // Node's tls.connect passes allowHalfOpen on to the socket; @types/node does not list it.
      const options = { host: '127.0.0.1', port: target.port, ca: target.ca, servername: 'localhost', allowHalfOpen: true, ...tlsOptions('hybrid-only') };
      const socket = tls.connect(options as tls.ConnectionOptions, () => resolve(socket));
      socket.once('error', reject);
    });
    const reply = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      client.on('data', (c: Buffer) => chunks.push(c));
      client.once('end', () => resolve(Buffer.concat(chunks)));
    });
    expect(reply.toString()).toBe('greeting');
    client.end(pattern(5_000));
    await upstreamDone;
    expect(received).toBe(5_000);
    await waitFor(() => gateway.activeConnections === 0, 'the connection to close');
    expect(await sampleLines(gateway.registry, 'hybridkem_gateway_proxied_bytes_total')).toEqual([
      'hybridkem_gateway_proxied_bytes_total{direction="to_upstream"} 5000',
      'hybridkem_gateway_proxied_bytes_total{direction="to_client"} 8',
    ]);
  });

  it('counts a client that resets mid-stream as connection_closes{reason="error"}', async () => {
    const { gateway, target } = await startGateway();
    // resetAndDestroy needs the TCP socket: the TLS one runs over it.
    const tcp = await rawConnect(target.port);
    tcp.on('error', () => {});
    const client = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({ socket: tcp, ca: target.ca, servername: 'localhost', ...tlsOptions('hybrid-only') }, () => resolve(socket));
      socket.once('error', reject);
    });
    client.on('error', () => {});
    client.write('some bytes');
    await waitFor(async () => (await sampleLines(gateway.registry, 'hybridkem_gateway_proxied_bytes_total'))[0]!.endsWith(' 10'), 'the bytes to go through');
    tcp.resetAndDestroy();
    await waitFor(() => gateway.activeConnections === 0, 'the connection to close');
    expect(await sampleLines(gateway.registry, 'hybridkem_gateway_connection_closes_total')).toContain(
      'hybridkem_gateway_connection_closes_total{reason="error"} 1',
    );
  });

  it('counts a hybrid and a classical client under hybrid-with-classical-fallback', async () => {
    const { gateway, target } = await startGateway({ policy: 'hybrid-with-classical-fallback' });
    await exchange('hybrid-with-classical-fallback', target, Buffer.from('hello'));
    const classical = await x25519Client(target);
    classical.resume();
    classical.end('hi');
    await new Promise((r) => classical.once('close', r));
    await waitFor(() => gateway.activeConnections === 0, 'both connections to close');
    const handshakes = await sampleLines(gateway.registry, 'hybridkem_gateway_handshakes_total');
    expect(handshakes).toContain(
      'hybridkem_gateway_handshakes_total{policy="hybrid-with-classical-fallback",group="X25519MLKEM768",result="accepted"} 1',
    );
    expect(handshakes).toContain('hybridkem_gateway_handshakes_total{policy="hybrid-with-classical-fallback",group="X25519",result="accepted"} 1');
    expect(handshakes).toContain('hybridkem_gateway_handshakes_total{policy="hybrid-with-classical-fallback",group="none",result="refused"} 0');
    expect(await sampleLines(gateway.registry, 'hybridkem_gateway_fallbacks_total')).toEqual([
      'hybridkem_gateway_fallbacks_total{policy="hybrid-with-classical-fallback",group="X25519"} 1',
      'hybridkem_gateway_fallbacks_total{policy="hybrid-with-classical-fallback",group="secp256r1"} 0',
    ]);
    expect(await sampleLines(gateway.registry, 'hybridkem_gateway_handshake_duration_seconds')).toContain(
      'hybridkem_gateway_handshake_duration_seconds_count{policy="hybrid-with-classical-fallback",group="X25519"} 1',
    );
  });

  it('refuses the X25519-only client under hybrid-only as no_shared_group', async () => {
    const { gateway, target } = await startGateway();
    const refused = new Promise((r) => gateway.once('refused', r));
    await expect(x25519Client(target)).rejects.toThrow();
    await refused;
    const refusals = await sampleLines(gateway.registry, 'hybridkem_gateway_refusals_total');
    expect(refusals).toContain('hybridkem_gateway_refusals_total{policy="hybrid-only",reason="no_shared_group"} 1');
    expect(refusals).toContain('hybridkem_gateway_refusals_total{policy="hybrid-only",reason="not_tls"} 0');
    expect(await sampleLines(gateway.registry, 'hybridkem_gateway_handshakes_total')).toContain(
      'hybridkem_gateway_handshakes_total{policy="hybrid-only",group="none",result="refused"} 1',
    );
  });

  it('registers exactly the metrics GATEWAY_METRICS describes, with its help and labels', async () => {
    const registry = new Registry();
    await startGateway({ registry });
    const json = await registry.getMetricsAsJSON();
    const described = Object.values(GATEWAY_METRICS);
    expect(json.map((m) => m.name).sort()).toEqual(described.map((d) => d.name).sort());
    for (const d of described) {
      const metric = json.find((m) => m.name === d.name)!;
      expect(metric.help).toBe(d.help);
      expect(metric.type).toBe(d.type);
    }
  });

  it('rejects bad options with InvalidArgumentError naming the field', () => {
    const base: GatewayOptions = gatewayOptions(1, cert);
    const cases: [Partial<GatewayOptions> & Record<string, unknown>, RegExp][] = [
      [{ policy: 'nope' as never }, /^policy: unknown TLS policy/],
      [{ listen: { host: '', port: 0 } }, /^listen\.host:/],
      [{ listen: { host: '127.0.0.1', port: 70_000 } }, /^listen\.port:/],
      [{ upstream: { host: '127.0.0.1', port: 0 } }, /^upstream\.port:/],
      [{ handshakeTimeoutMs: 0 }, /^handshakeTimeoutMs:/],
      [{ idleTimeoutMs: -1 }, /^idleTimeoutMs:/],
      [{ upstreamConnectTimeoutMs: 1.5 }, /^upstreamConnectTimeoutMs:/],
      [{ maxConnections: 0 }, /^maxConnections:/],
      [{ key: '' }, /^key:/],
    ];
    for (const [override, message] of cases) {
      let error: unknown;
      try {
        createGateway({ ...base, ...override });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(Object.keys(override))).toMatchObject({ name: 'InvalidArgumentError', code: 'ERR_INVALID_ARGUMENT' });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('PRIVATE KEY');
    }
  });
});
