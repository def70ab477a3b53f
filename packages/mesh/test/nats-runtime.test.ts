/**
 * The NATS test support itself (@hybridkem/test-runtimes/nats): a cluster
 * starts with a meta leader, a killed server is down and comes back on its
 * ports, and stop() leaves no server process.
 */
import { processExists } from '@hybridkem/core/testing';
import { probeNatsServer, startNatsCluster, startNatsServer } from '@hybridkem/test-runtimes/nats';
import { shouldRun } from '@hybridkem/test-runtimes/runtime';
import { describe, expect, it } from 'vitest';

async function jsz(port: number): Promise<{ meta_cluster?: { leader?: string; cluster_size?: number } }> {
  return (await (await fetch(`http://127.0.0.1:${port}/jsz`)).json()) as never;
}

// Under CI=true always (a missing nats-server fails); elsewhere skipped, saying why, without one.
describe.runIf(shouldRun(probeNatsServer(), { what: 'nats-server tests' }))('test-runtimes/nats', () => {
  it('a single JetStream server starts, serves /healthz and stops', async () => {
    const server = await startNatsServer({ jetstream: true });
    try {
      expect(server.servers).toHaveLength(1);
      const res = await fetch(`http://127.0.0.1:${server.servers[0]!.monitorPort}/healthz?js-enabled-only=true`);
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
    await expect(fetch(`http://127.0.0.1:${server.servers[0]!.monitorPort}/healthz`)).rejects.toThrow();
  });

  it('a 3-server cluster elects a meta leader; kill(i) and restart(i) one server; stop() leaves none', async () => {
    const cluster = await startNatsCluster({ size: 3 });
    const pids: number[] = [];
    try {
      expect(cluster.url.split(',')).toHaveLength(3);
      const meta = await jsz(cluster.servers[0]!.monitorPort);
      expect(meta.meta_cluster?.cluster_size).toBe(3);
      expect(meta.meta_cluster?.leader).toMatch(/^hk-nats-\d$/);
      await cluster.kill(1);
      expect(cluster.running(1)).toBe(false);
      await expect(fetch(`http://127.0.0.1:${cluster.servers[1]!.monitorPort}/healthz`)).rejects.toThrow();
      await cluster.restart(1);
      expect(cluster.running(1)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${cluster.servers[1]!.monitorPort}/healthz`)).status).toBe(200);
      for (let i = 0; i < 3; i++) pids.push(cluster.pid(i)!);
      expect(pids.every((pid) => processExists(pid))).toBe(true);
    } finally {
      await cluster.stop();
    }
    for (const pid of pids) expect(processExists(pid)).toBe(false);
  });
});
