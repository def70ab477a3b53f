/**
 * `hybridkem mesh` end to end against a real nats-server (JetStream): make a
 * trust anchor, an issuer and a node, enroll them, run the node agent as a
 * child process, publish a key and see its file appear with the key's bytes,
 * a rollback refused, a rotation applied, the store's state, and a clean stop.
 * Then the failures: one line each, the exit status, and nothing secret.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { startNatsServer, type NatsServer } from '@hybridkem/test-runtimes/nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliBuilt, hybridkem, okJson, tempDir, type RunResult } from './helpers.js';

const PASSPHRASE = 'correct horse battery staple mesh';
const PASS_ENV = 'HYBRIDKEM_TEST_MESH_PASSPHRASE';

let server: NatsServer | undefined;
let work: { path: string; cleanup: () => Promise<void> } | undefined;
let agent: ChildProcess | undefined;
let agentLog = '';
const outputs: string[] = [];

const dir = (name: string) => join(work!.path, name);
const pass = ['--passphrase-env', PASS_ENV];

/** Runs hybridkem and keeps what it printed, for the no-secret check at the end. */
async function run(args: readonly string[]): Promise<RunResult> {
  const r = await hybridkem(args);
  outputs.push(r.stdout, r.stderr);
  return r;
}

async function json<T = Record<string, unknown>>(args: readonly string[]): Promise<T> {
  const r = await okJson<T>(args);
  outputs.push(JSON.stringify(r));
  return r;
}

async function waitFor(what: string, done: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; agent log:\n${agentLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  cliBuilt();
  process.env[PASS_ENV] = PASSPHRASE;
  work = await tempDir();
  server = await startNatsServer();
});

afterAll(async () => {
  if (agent) await stopProcess(agent);
  await server?.stop();
  await work?.cleanup();
  delete process.env[PASS_ENV];
});

describe('hybridkem mesh, end to end over NATS JetStream', () => {
  const ids: Record<string, { signingKeyId: string; kemKeyId?: string }> = {};
  const key1 = randomBytes(48);
  const key2 = randomBytes(32);

  it('creates a trust anchor, an issuer and a node, private keys encrypted and 0600', async () => {
    for (const [role, name] of [['anchor', 'root'], ['issuer', 'issuer-1'], ['node', 'node-a']] as const) {
      const out = await json<{ role: string; name: string; signingKeyId: string; kemKeyId?: string }>(['mesh', 'create', role, name, '--dir', dir(name), ...pass]);
      expect(out).toMatchObject({ role, name });
      expect(out.signingKeyId).toMatch(/^[0-9a-f]{32}$/);
      ids[name] = out;
      const signingKey = await readFile(join(dir(name), 'signing.key'), 'utf8');
      expect(signingKey).toContain('-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----');
      expect((await stat(join(dir(name), 'signing.key'))).mode & 0o777).toBe(0o600);
      expect(existsSync(join(dir(name), 'kem.key'))).toBe(role === 'node');
    }
    expect(ids['node-a']!.kemKeyId).toMatch(/^[0-9a-f]{32}$/);
    // An identity is not overwritten without --force.
    const again = await run(['mesh', 'create', 'node', 'node-a', '--dir', dir('node-a'), ...pass]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^hybridkem: mesh create: .* already holds an identity \(--force replaces it\)\n$/);
  });

  it('enrolls the issuer and the node: the directory lists both, verified against the anchor', async () => {
    const url = server!.url;
    const issuer = await json(['mesh', 'enroll', '--anchor', dir('root'), '--identity', dir('issuer-1'), '--key-names', 'svc-*', '--nats', url, ...pass]);
    expect(issuer).toMatchObject({ role: 'issuer', name: 'issuer-1', revision: 1, keyNames: 'svc-*', signingKeyId: ids['issuer-1']!.signingKeyId });
    const node = await json(['mesh', 'enroll', '--anchor', dir('root'), '--identity', dir('node-a'), '--nats', url, ...pass]);
    expect(node).toMatchObject({ role: 'node', name: 'node-a', revision: 1, kemKeyId: ids['node-a']!.kemKeyId });
    const listed = await json<{ records: Record<string, unknown>[] }>(['mesh', 'directory', '--nats', url, '--anchor', join(dir('root'), 'signing.pub')]);
    expect(listed.records).toEqual([
      expect.objectContaining({ role: 'issuer', name: 'issuer-1', status: 'verified', signingKeyId: ids['issuer-1']!.signingKeyId }),
      expect.objectContaining({ role: 'node', name: 'node-a', status: 'verified', kemKeyId: ids['node-a']!.kemKeyId }),
    ]);
    // Under another anchor nothing verifies: records signed by root are refused.
    await json(['mesh', 'create', 'anchor', 'other', '--dir', dir('other'), ...pass]);
    const foreign = await json<{ records: { status: string }[] }>(['mesh', 'directory', '--nats', url, '--anchor', dir('other')]);
    expect(foreign.records.map((r) => r.status)).toEqual(['refused: unknown-anchor', 'refused: unknown-anchor']);
  });

  it('runs the agent; a published key appears in --keys-dir with its bytes, 0600; a rollback is refused; v2 replaces it', async () => {
    const url = server!.url;
    agent = spawnProcess(
      process.execPath,
      [CLI, 'mesh', 'agent', '--identity', dir('node-a'), '--anchor', dir('root'), '--store', dir('store'), '--keys-dir', dir('keys'), '--nats', url, '--metrics', '127.0.0.1:0', '--audit-log', dir('node-audit.log'), ...pass],
      { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    agent.stdout!.setEncoding('utf8').on('data', (d: string) => (agentLog += d));
    agent.stderr!.setEncoding('utf8').on('data', (d: string) => (agentLog += d));
    await waitFor('the agent to be ready', () => agentLog.includes('node node-a ready'));

    await writeFile(dir('key1'), key1);
    const sent = await json<{ envelopes: { node: string; envelopeId: string }[] }>([
      'mesh', 'publish', '--issuer', dir('issuer-1'), '--anchor', dir('root'), '--nats', url,
      '--to', 'node-a', '--key-name', 'svc-db', '--version', '1', '--key-file', dir('key1'), '--audit-log', dir('issuer-audit.log'), ...pass,
    ]);
    expect(sent.envelopes).toEqual([expect.objectContaining({ node: 'node-a', envelopeId: expect.stringMatching(/^[0-9a-f]{32}$/) })]);
    const keyFile = join(dir('keys'), 'svc-db');
    await waitFor('the key file', () => existsSync(keyFile));
    expect(new Uint8Array(await readFile(keyFile))).toEqual(new Uint8Array(key1));
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(agentLog).toContain(`applied svc-db v1 (envelope ${sent.envelopes[0]!.envelopeId})`);

    // The same version again: the node holds v1, so it is refused as a rollback and the file stays.
    await writeFile(dir('key2'), key2);
    const publishArgs = (version: string) => [
      'mesh', 'publish', '--issuer', dir('issuer-1'), '--anchor', dir('root'), '--nats', url,
      '--to', 'node-a', '--key-name', 'svc-db', '--version', version, '--key-file', dir('key2'), '--audit-log', dir('issuer-audit.log'), ...pass,
    ];
    const stale = await json<{ envelopes: { envelopeId: string }[] }>(publishArgs('1'));
    await waitFor('the rollback refusal', () => agentLog.includes(`refused envelope ${stale.envelopes[0]!.envelopeId}`));
    expect(agentLog).toMatch(/refused envelope [0-9a-f]{32}: key envelope refused \(rollback\)/);
    expect(new Uint8Array(await readFile(keyFile))).toEqual(new Uint8Array(key1));

    await json(publishArgs('2'));
    await waitFor('v2 to be applied', () => agentLog.includes('applied svc-db v2'));
    expect(new Uint8Array(await readFile(keyFile))).toEqual(new Uint8Array(key2));

    const state = await json<{ keys: { keyName: string; version: number }[]; envelopeIds: number }>(['mesh', 'state', '--store', dir('store')]);
    expect(state.keys).toEqual([expect.objectContaining({ keyName: 'svc-db', version: 2 })]);
    expect(state.envelopeIds).toBe(2);

    // Its Prometheus metrics count what it did.
    const metricsUrl = /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(agentLog)?.[1];
    expect(metricsUrl).toBeDefined();
    const metrics = await (await fetch(metricsUrl!)).text();
    expect(metrics).toMatch(/^hybridkem_mesh_envelopes_applied_total 2$/m);
    expect(metrics).toMatch(/^hybridkem_mesh_envelopes_refused_total\{reason="rollback"\} 1$/m);
    expect(metrics).toMatch(/^hybridkem_mesh_envelopes_refused_total\{reason="replay"\} 0$/m);
    expect(metrics).toMatch(/^hybridkem_mesh_delivery_latency_seconds_count 2$/m);

    const exited = new Promise<number | null>((resolve) => agent!.once('exit', (code) => resolve(code)));
    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(agentLog).toContain('stopped: 2 applied, 0 redelivered, 1 refused');

    // Both audit logs verify with hybridkem audit verify: the node's holds 2 deliveries, the
    // refusal and the rotation, then its closing checkpoint; the issuer's 3 issues, each
    // invocation ending with a checkpoint.
    type Verified = { ok: boolean; entries: number; checkpoints: number };
    const nodeLog = await json<Verified>(['audit', 'verify', '--signer', join(dir('node-a'), 'signing.pub'), dir('node-audit.log')]);
    expect(nodeLog).toMatchObject({ ok: true, entries: 5, checkpoints: 1 });
    const nodeEvents = (await readFile(dir('node-audit.log'), 'utf8')).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { type: string }).type);
    expect(nodeEvents).toEqual(['deliver', 'refuse', 'deliver', 'rotate', 'checkpoint']);
    const issuerLog = await json<Verified>(['audit', 'verify', '--signer', join(dir('issuer-1'), 'signing.pub'), dir('issuer-audit.log')]);
    expect(issuerLog).toMatchObject({ ok: true, entries: 6, checkpoints: 3 });
  });

  it('fails with one line and a non-zero status, printing nothing secret', async () => {
    const url = server!.url;
    const publish = (over: Record<string, string>, extra: string[] = pass) => {
      const o: Record<string, string> = {
        issuer: dir('issuer-1'), anchor: dir('root'), nats: url, to: 'node-a', 'key-name': 'svc-db', version: '9', 'key-file': dir('key2'), ...over,
      };
      return run(['mesh', 'publish', ...Object.entries(o).flatMap(([k, v]) => (v === '' ? [] : [`--${k}`, v])), ...extra]);
    };
    const cases: [Promise<RunResult>, number, RegExp][] = [
      [publish({ nats: '' }), 2, /^hybridkem: mesh publish: --nats URL is required$/],
      [publish({ version: '0' }), 2, /--version: expected an integer from 1 to 9007199254740991, got "0"$/],
      [publish({ 'key-name': '../etc' }), 2, /--key-name: "\.\.\/etc" is not a key name/],
      [publish({ to: 'node-b' }), 1, /^hybridkem: mesh publish: node node-b is not enrolled/],
      [publish({ 'key-name': 'db-main' }), 1, /^hybridkem: mesh publish: issuer issuer-1 may issue "svc-\*", not "db-main"$/],
      [publish({ issuer: dir('node-a') }), 1, /is the identity of a node, expected an issuer$/],
      [publish({ anchor: dir('other') }), 1, /^hybridkem: mesh publish: issuer issuer-1 is not enrolled/],
      [publish({ nats: 'nats://127.0.0.1:1' }), 1, /^hybridkem: mesh publish: no NATS server answers at nats:\/\/127\.0\.0\.1:1$/],
      [publish({}, ['--passphrase-env', 'HYBRIDKEM_TEST_MESH_WRONG']), 1, /HYBRIDKEM_TEST_MESH_WRONG is not set$/],
      [run(['mesh', 'enroll', '--anchor', dir('root'), '--identity', dir('issuer-1'), '--nats', url, ...pass]), 2, /an issuer needs --key-names PATTERN/],
      [run(['mesh', 'agent', '--identity', dir('node-a'), '--anchor', dir('root'), '--store', dir('s2'), '--keys-dir', dir('k2'), '--nats', url, '--metrics', 'nohost', ...pass]), 2, /^hybridkem: mesh agent: --metrics: expected HOST:PORT/],
      [run(['mesh', 'state', '--store', dir('nowhere')]), 1, /no node store there/],
      [run(['mesh', 'create', 'king', 'k', '--dir', dir('k'), ...pass]), 2, /ROLE must be one of anchor, issuer, node/],
    ];
    for (const [pending, code, message] of cases) {
      const r = await pending;
      expect(r.code, r.stderr).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2); // one line and its newline
      expect(r.stderr.trimEnd()).toMatch(message);
    }
    // A wrong passphrase: the file is named, the passphrase is not.
    process.env.HYBRIDKEM_TEST_MESH_WRONG = 'not the passphrase';
    try {
      const r = await publish({}, ['--passphrase-env', 'HYBRIDKEM_TEST_MESH_WRONG']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^hybridkem: mesh publish: --issuer .*issuer-1: .*signing\.key: wrong passphrase or modified file/);
      expect(r.stderr).not.toContain('not the passphrase');
    } finally {
      delete process.env.HYBRIDKEM_TEST_MESH_WRONG;
    }

    const printed = [...outputs, agentLog].join('\n');
    expect(printed).not.toContain(PASSPHRASE);
    for (const k of [key1, key2]) {
      expect(printed).not.toContain(k.toString('hex'));
      expect(printed).not.toContain(k.toString('base64'));
    }
  });
});
