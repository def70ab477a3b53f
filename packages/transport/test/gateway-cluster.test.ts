/**
 * The cluster form runs the built worker entry (a cluster worker is its own
 * process and cannot load .ts): run `scripts/pnpm --filter @hybridkem/transport
 * build` first; beforeAll fails with that instruction when dist is missing or
 * older than src.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { childPids, processExists as isAlive } from '@hybridkem/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayWorkerEntry } from '../src/gateway/cluster.js';
import type * as Transport from '../src/index.js';
import { makeTestCertificate, type TestCertificate } from './support/certs.js';
import * as net from 'node:net';
import { captureClientHello, connectClient, exchange, gatewayOptions, rawConnect, readAll, startUpstream, waitFor, type Upstream } from './fixtures/gateway-helpers.js';

let dist: typeof Transport;
let cert: TestCertificate;
let upstream: Upstream;
const clusters: Transport.GatewayCluster[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  gatewayWorkerEntry(); // throws "build first: ..." when dist is missing or stale
  dist = (await import('../dist/index.js' as string)) as typeof Transport;
  cert = makeTestCertificate();
  upstream = await startUpstream((socket) => socket.pipe(socket));
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.close()));
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await upstream?.close();
});

describe('startGatewayCluster (built dist)', () => {
  it('proxies 20 connections over 2 workers, sums their metrics on the primary, and leaves no worker after close', async () => {
    const gateway = await dist.startGatewayCluster({
      ...gatewayOptions(upstream.port, cert),
      workers: 2,
      metrics: { host: '127.0.0.1', port: 0 },
      drainTimeoutMs: 1_000,
    });
    clusters.push(gateway);
    const pids = Object.values(cluster.workers ?? {}).map((w) => w!.process.pid!);
    expect(pids).toHaveLength(2);
    const target = { port: gateway.address.port, ca: cert.cert };
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => exchange('hybrid-only', target, Buffer.from(`connection ${i}`))));
    expect(replies.map((r) => r.toString())).toEqual(Array.from({ length: 20 }, (_, i) => `connection ${i}`));

    const base = `http://127.0.0.1:${gateway.metricsAddress!.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    await health.text();
    const accepted = 'hybridkem_gateway_handshakes_total{policy="hybrid-only",group="X25519MLKEM768",result="accepted"} 20';
    let text = '';
    // The workers count a handshake as it completes; by now every one has.
    await waitFor(async () => (text = await (await fetch(`${base}/metrics`)).text()).split('\n').includes(accepted), `${accepted} in /metrics`);
    // "connection 0".."connection 19": 20 × 11 + 10 × 1 + 10 × 2 = 250 bytes each way, once every connection has closed.
    await waitFor(
      async () => (text = await (await fetch(`${base}/metrics`)).text()).split('\n').includes('hybridkem_gateway_proxied_bytes_total{direction="to_client"} 250'),
      'to_client 250 in /metrics',
    );
    expect(text.split('\n')).toContain('hybridkem_gateway_proxied_bytes_total{direction="to_upstream"} 250');
    expect(text.split('\n')).toContain('hybridkem_gateway_active_connections 0');

    await gateway.close();
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('maxConnections is split over the workers and connections over it are dropped and counted in every worker', async () => {
    const hello = await captureClientHello('hybrid-only');
    const gateway = await dist.startGatewayCluster({
      ...gatewayOptions(upstream.port, cert),
      workers: 2,
      maxConnections: 4, // 2 per worker
      // Connections that stay open (mid-ClientHello, or not yet sent anything) must not time out before
      // the metrics are read: a timed-out one counts as handshake_timeout, and the sum below could never
      // reach 14. The test destroys them itself.
      handshakeTimeoutMs: 120_000,
      metrics: { host: '127.0.0.1', port: 0 },
      drainTimeoutMs: 200,
    });
    clusters.push(gateway);
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const s = await rawConnect(gateway.address.port);
        s.on('error', () => {});
        s.write(hello.subarray(0, 10));
        held.push(s);
      }
      // Each further connection is dropped at accept (closed within milliseconds) unless round-robin gave
      // a held one's place to it (a worker dropped an earlier one): then it stays open like the held ones.
      // Either way it is one of the 14; a bounded wait, never a wait for a close that may not come.
      for (let i = 0; i < 10; i++) {
        const s = net.connect({ host: '127.0.0.1', port: gateway.address.port });
        s.on('error', () => {});
        held.push(s);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1_000);
          s.once('close', () => (clearTimeout(timer), resolve()));
        });
      }
      const value = (text: string, name: string) => Number(text.split('\n').find((l) => l.startsWith(name + ' '))?.split(' ')[1]);
      const limitName = 'hybridkem_gateway_refusals_total{policy="hybrid-only",reason="connection_limit"}';
      let text = '';
      // Round-robin need not alternate strictly, so a held one may itself be dropped: the 14 add up either way.
      await waitFor(async () => {
        text = await (await fetch(`http://127.0.0.1:${gateway.metricsAddress!.port}/metrics`)).text();
        return value(text, limitName) + value(text, 'hybridkem_gateway_active_connections') === 14;
      }, '14 connections accounted for', 20_000);
      expect(value(text, limitName)).toBeGreaterThanOrEqual(10);
      expect(value(text, 'hybridkem_gateway_active_connections')).toBeLessThanOrEqual(4);
    } finally {
      for (const s of held) s.destroy();
      await gateway.close();
    }
  });

  it('replaces a worker that dies, and shuts down after more than 5 deaths within a minute', async () => {
    const gateway = await dist.startGatewayCluster({
      ...gatewayOptions(upstream.port, cert),
      workers: 2,
      drainTimeoutMs: 200,
    });
    clusters.push(gateway);
    const target = { port: gateway.address.port, ca: cert.cert };
    const seen = new Set<number>();
    for (let death = 1; death <= 6; death++) {
      const [victim] = Object.values(cluster.workers ?? {});
      const pid = victim!.process.pid!;
      for (const w of Object.values(cluster.workers ?? {})) seen.add(w!.process.pid!);
      const listening = new Promise<void>((r) => cluster.once('listening', () => r()));
      victim!.process.kill('SIGKILL');
      await waitFor(() => !isAlive(pid), `worker ${pid} to die`);
      if (death === 1) {
        // The replacement joins the same port: the gateway still serves.
        await listening;
        expect(Object.keys(cluster.workers ?? {})).toHaveLength(2);
        expect((await exchange('hybrid-only', target, Buffer.from('after a death'))).toString()).toBe('after a death');
      } else if (death < 6) {
        await listening;
      }
    }
    const error = await gateway.done;
    expect(error?.message).toMatch(/died 6 times within a minute/);
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
    for (const pid of seen) expect(isAlive(pid)).toBe(false);
  });

  it('rejects when the workers cannot listen (address in use) and leaves no worker', async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    try {
      const port = (squatter.address() as net.AddressInfo).port;
      await expect(
        dist.startGatewayCluster({
          ...gatewayOptions(upstream.port, cert),
          listen: { host: '127.0.0.1', port },
          workers: 2,
        }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
      await waitFor(() => Object.keys(cluster.workers ?? {}).length === 0, 'no workers');
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('runGatewayMain: SIGTERM drains an open connection, then the process exits 0 and its workers are gone', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/gateway-main.mjs', import.meta.url));
    const child = spawn(process.execPath, [fixture], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        HK_GATEWAY_FIXTURE: JSON.stringify({
          policy: 'hybrid-only',
          upstreamPort: upstream.port,
          keyPath: cert.keyPath,
          certPath: cert.certPath,
          workers: 2,
          drainTimeoutMs: 5_000,
        }),
      },
    });
    children.push(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await waitFor(() => /listening on/.test(stderr) || child.exitCode !== null, 'the listening line', 15_000);
    const match = /^hybridkem gateway: listening on 127\.0\.0\.1:(\d+) \(policy hybrid-only, 2 workers\)$/m.exec(stderr);
    expect(match, stderr).not.toBeNull();
    const port = Number(match![1]);
    const workerPids = childPids(child.pid!);
    expect(workerPids).toHaveLength(2);

    const client = await connectClient('hybrid-only', { port, ca: cert.cert });
    const reply = readAll(client);
    client.write('before SIGTERM;');
    child.kill('SIGTERM');
    await waitFor(() => /SIGTERM, draining/.test(stderr), 'the drain to start');
    await new Promise((r) => setTimeout(r, 100));
    client.end('after SIGTERM');
    expect((await reply).toString()).toBe('before SIGTERM;after SIGTERM');
    expect(await exited).toBe(0);
    await waitFor(() => workerPids.every((pid) => !isAlive(pid)), 'the workers to exit');
  });
});
