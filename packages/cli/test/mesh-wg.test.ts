/**
 * `hybridkem mesh wg` against a real nats-server: validate a topology (a
 * valid one lists its pairs, an invalid one names each problem, exit 1);
 * two nodes' `mesh wg run --dry-run` engines rotating their pair every
 * second (the wg commands printed with the PSK file redacted); `mesh wg
 * rotate --now` through the control socket; node-a's Prometheus metrics
 * (--metrics); usage errors; a clean stop.
 */
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { startNatsServer, type NatsServer } from '@hybridkem/test-runtimes/nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliBuilt, hybridkem, okJson, tempDir } from './helpers.js';

const PASS_ENV = 'HYBRIDKEM_TEST_MESH_WG_PASSPHRASE';
const pass = ['--passphrase-env', PASS_ENV];

let server: NatsServer | undefined;
let work: { path: string; cleanup: () => Promise<void> } | undefined;
const engines: { child: ChildProcess; log: string }[] = [];
const dir = (name: string) => join(work!.path, name);

const wgPublicKey = () => Buffer.from(generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
const wg = { 'node-a': wgPublicKey(), 'node-b': wgPublicKey() };

function topology(extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    tiers: { t: { peers: ['t'] } },
    nodes: {
      'node-a': { tier: 't', publicKey: wg['node-a'], endpoint: '10.201.0.1:51820', addresses: ['10.202.0.1/24'], allowedIps: ['10.202.0.1/32'] },
      'node-b': { tier: 't', publicKey: wg['node-b'], endpoint: '10.201.0.2:51820', addresses: ['10.202.0.2/24'], allowedIps: ['10.202.0.2/32'] },
    },
    peerings: 'derived',
    ...extra,
  };
}

async function waitFor(what: string, done: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; logs:\n${engines.map((e) => e.log).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  cliBuilt();
  process.env[PASS_ENV] = 'mesh wg test passphrase';
  work = await tempDir();
  server = await startNatsServer();
}, 60_000);

afterAll(async () => {
  for (const e of engines) await stopProcess(e.child);
  await server?.stop();
  await work?.cleanup();
  delete process.env[PASS_ENV];
});

describe('hybridkem mesh wg', () => {
  it('validate: a valid topology lists its pairs; an invalid one names each problem (exit 1)', async () => {
    await writeFile(dir('mesh.json'), JSON.stringify(topology()));
    const good = await hybridkem(['mesh', 'wg', 'validate', dir('mesh.json')]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('valid: 2 nodes, 1 pair');
    expect(good.stdout).toContain('  node-a,node-b');
    expect(await okJson(['mesh', 'wg', 'validate', dir('mesh.json')])).toEqual({ valid: true, nodes: 2, pairs: ['node-a,node-b'] });

    await writeFile(dir('bad.json'), JSON.stringify(topology({ peerings: [['node-a', 'node-c']] })));
    const bad = await hybridkem(['mesh', 'wg', 'validate', dir('bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/node-c.*\[unknown-node\]/);
    const noFormat = await hybridkem(['mesh', 'wg', 'validate', dir('mesh.txt')]);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toContain('--format');
  });

  it('run --dry-run: two engines rotate their pair every second over NATS; rotate --now through the control socket', async () => {
    const url = server!.url;
    await okJson(['mesh', 'create', 'anchor', 'root', '--dir', dir('root'), ...pass]);
    for (const n of ['node-a', 'node-b'] as const) {
      await okJson(['mesh', 'create', 'node', n, '--dir', dir(n), ...pass]);
      await okJson(['mesh', 'enroll', '--anchor', dir('root'), '--identity', dir(n), '--nats', url, ...pass]);
    }
    for (const n of ['node-a', 'node-b'] as const) {
      const child = spawnProcess(
        process.execPath,
        [
          ...[CLI, 'mesh', 'wg', 'run', '--identity', dir(n), '--anchor', dir('root'), '--topology', dir('mesh.json'), '--nats', url, '--iface', 'wg0', '--interval', '1', '--jitter', '0'],
          ...['--dry-run', '--control', dir(`${n}.sock`), '--audit-log', dir(`${n}-audit.jsonl`), ...(n === 'node-a' ? ['--metrics', '127.0.0.1:0'] : []), ...pass],
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
      );
      const e = { child, log: '' };
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (e.log += d));
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (e.log += d));
      engines.push(e);
    }
    const [a, b] = engines as [(typeof engines)[0], (typeof engines)[0]];
    const count = (log: string, re: RegExp) => (log.match(re) ?? []).length;
    await waitFor('three rotations on both sides', () => count(a.log, /rotated node-a,node-b epoch \d+ \(initiator, scheduled\)/g) >= 3 && count(b.log, /rotated node-a,node-b epoch \d+ \(responder, answer\)/g) >= 3);
    // The dry run prints the wg command each side would run, with the PSK file redacted, and never a key.
    expect(a.log).toContain(`dry run: wg set wg0 peer ${wg['node-b']} preshared-key`);
    expect(b.log).toContain(`dry run: wg set wg0 peer ${wg['node-a']} preshared-key`);
    expect(a.log).toMatch(/preshared-key '?<[^>]*redacted[^>]*>'?/);
    expect((await stat(dir('node-a.sock'))).mode & 0o777).toBe(0o600);

    // node-a serves the WireGuard metrics (spec/MESH.md §11.5) on the port the system chose; node-b has no --metrics.
    const metricsUrl = /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(a.log)?.[1];
    expect(metricsUrl, a.log).toBeDefined();
    expect(b.log).not.toContain('metrics on');
    const scraped = await fetch(metricsUrl!);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    const metrics = await scraped.text();
    const scheduled = /^hybridkem_mesh_wg_rotations_total\{reason="scheduled"\} (\d+)$/m.exec(metrics)?.[1];
    expect(Number(scheduled), metrics).toBeGreaterThanOrEqual(1);
    for (const series of [
      'hybridkem_mesh_wg_rotations_total{reason="emergency"}',
      'hybridkem_mesh_wg_rotations_total{reason="manual"}',
      'hybridkem_mesh_wg_rotations_total{reason="answer"}',
      'hybridkem_mesh_wg_aborts_total{cause="timeout"}',
      'hybridkem_mesh_wg_aborts_total{cause="apply"}',
      'hybridkem_mesh_wg_aborts_total{cause="send"}',
    ]) {
      expect(metrics).toMatch(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} \\d+$`, 'm'));
    }
    expect(metrics).toMatch(/^# TYPE hybridkem_mesh_wg_psk_refused_total counter$/m);
    expect(metrics).toMatch(/^hybridkem_mesh_wg_psk_refused_total\{reason="[a-z-]+"\} \d+$/m);
    expect((await fetch(metricsUrl!.replace(/\/metrics$/, '/other'))).status).toBe(404);

    const rotated = await hybridkem(['mesh', 'wg', 'rotate', '--now', '--control', dir('node-a.sock'), '--pair', 'node-b,node-a']);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('node-a: rotating pair node-b,node-a now (emergency)');
    await waitFor('the emergency rotation', () => /rotated node-a,node-b epoch \d+ \(initiator, emergency\)/.test(a.log));
    const json = await okJson<{ ok: boolean; status: { pair: string }[] }>(['mesh', 'wg', 'rotate', '--now', '--control', dir('node-b.sock'), '--node', 'node-a', '--revoke-revision', '0', '--manual']);
    expect(json).toMatchObject({ ok: true, status: [{ pair: 'node-a,node-b' }] });

    const badMetrics = await hybridkem(['mesh', 'wg', 'run', '--identity', dir('node-a'), '--anchor', dir('root'), '--topology', dir('mesh.json'), '--nats', url, '--iface', 'wg0', '--metrics', 'nohost', ...pass]);
    expect(badMetrics.code).toBe(2);
    expect(badMetrics.stderr).toMatch(/^hybridkem: mesh wg run: --metrics: expected HOST:PORT/);
    const usage = await hybridkem(['mesh', 'wg', 'rotate', '--control', dir('node-a.sock'), '--pair', 'node-a,node-b']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--now is required');
    const both = await hybridkem(['mesh', 'wg', 'rotate', '--now', '--control', dir('node-a.sock'), '--pair', 'node-a,node-b', '--node', 'node-a']);
    expect(both.code).toBe(2);
    const notMine = await hybridkem(['mesh', 'wg', 'rotate', '--now', '--control', dir('node-a.sock'), '--pair', 'node-b,node-c']);
    expect(notMine.code).toBe(1);
    expect(notMine.stderr).toContain('is not a pair of "node-a"');

    for (const e of engines) e.child.kill('SIGTERM');
    for (const e of engines) await new Promise((r) => (e.child.exitCode !== null ? r(undefined) : e.child.once('exit', r)));
    expect(engines.map((e) => e.child.exitCode)).toEqual([0, 0]);
    expect(a.log).toMatch(/stopped: node-a,node-b epoch \d+/);
    // On a loaded machine an epoch may time out (aborted, retried with a higher
    // epoch) and its late answer then be refused as old or expired; nothing else
    // may go wrong.
    for (const log of [a.log, b.log]) {
      for (const line of log.split('\n').filter((l) => /aborted|refused|error/.test(l))) {
        expect(line).toMatch(/^.*(aborted node-a,node-b epoch \d+ \(timeout\)|refused a PSK message from node-[ab]: (old-epoch|expired)).*$/);
      }
    }

    // Every rotation is in the node's audit log, which `hybridkem audit verify` accepts.
    for (const n of ['node-a', 'node-b']) {
      const verified = await hybridkem(['audit', 'verify', '--signer', join(dir(n), 'signing.pub'), dir(`${n}-audit.jsonl`)]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      const lines = (await readFile(dir(`${n}-audit.jsonl`), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
      const rotations = lines.filter((l) => l.type === 'rotate');
      expect(rotations.length).toBeGreaterThanOrEqual(4);
      expect(rotations.every((r) => r.data.pair === 'node-a,node-b' && r.data.node === n)).toBe(true);
    }
  }, 90_000);
});
