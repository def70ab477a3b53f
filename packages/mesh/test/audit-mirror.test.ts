/**
 * The audit log's JetStream mirror (spec/MESH.md §8.7) against a real
 * nats-server: every line published as it is appended, the stream's head
 * equal to the log's, a restarted mirror catching up without duplicates,
 * and the head read back from the stream catching a cut the file alone
 * cannot show.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { signatureBackend } from '@hybridkem/noble';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey } from '@hybridkem/signing';
import { requireNatsServer, startNatsServer, type NatsServer } from '@hybridkem/test-runtimes/nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorAuditLog, openAuditLog, readAuditHead, verifyAuditLog } from '../src/index.js';

const signer = createSigner('MLDSA44-Ed25519-SHA512', signatureBackend);
const kp = signer.keygen(new Uint8Array(signer.suite.lengths.seed).fill(7));
const publicKey = encodeSigningPublicKey(signer.suite, kp.publicKey);
const privateKey = encodeSigningPrivateKey(signer.suite, kp.privateKey);

const hashOf = (line: string) => createHash('sha256').update('hybridkem/v1/mesh/audit\0').update(line, 'utf8').digest('hex');

let server: NatsServer;
let nc: NatsConnection;
let dir: string;

beforeAll(async () => {
  requireNatsServer();
  dir = await mkdtemp(join(tmpdir(), 'hybridkem-audit-mirror-'));
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  await nc?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const open = (path: string) => openAuditLog(path, { signer, signingPrivateKey: privateKey, signingPublicKey: publicKey, checkpointEvery: 3 });

describe('mirrorAuditLog', () => {
  it('publishes every line as appended; readAuditHead is the log head; a cut at a checkpoint is caught with it', async () => {
    const path = join(dir, 'a.jsonl');
    const log = await open(path);
    const mirror = await mirrorAuditLog(log, nc, { stream: 'AUDIT_A', subject: 'audit.a' });
    for (let i = 0; i < 7; i++) await log.append('issue', { i });
    const head = await log.close();
    await mirror.stop();
    expect(head.count).toBe(10); // 7 events, checkpoints after 3 and 6, and on close
    expect(mirror.published()).toBe(10);
    expect(mirror.failures()).toBe(0);

    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    const jsm = await jetstreamManager(nc);
    for (let seq = 1; seq <= 10; seq++) {
      const m = await jsm.streams.getMessage('AUDIT_A', { seq });
      expect(m?.subject).toBe('audit.a');
      expect(m?.string()).toBe(lines[seq - 1]);
    }
    expect(await readAuditHead(nc, 'AUDIT_A', 'audit.a')).toEqual({ count: 10, hash: hashOf(lines[9]!) });
    expect(await readAuditHead(jetstream(nc), 'AUDIT_A')).toEqual(head);

    const opts = { signingPublicKeys: [publicKey], backend: signatureBackend };
    expect(await verifyAuditLog(path, { ...opts, expectHead: await readAuditHead(nc, 'AUDIT_A', 'audit.a') })).toMatchObject({ ok: true, entries: 10 });
    // The file cut after the second checkpoint (seq 8) verifies alone, not against the stream's head.
    const cut = join(dir, 'a-cut.jsonl');
    await writeFile(cut, `${lines.slice(0, 8).join('\n')}\n`);
    expect(await verifyAuditLog(cut, opts)).toMatchObject({ ok: true, entries: 8 });
    expect(await verifyAuditLog(cut, { ...opts, expectHead: await readAuditHead(nc, 'AUDIT_A', 'audit.a') })).toMatchObject({
      ok: false,
      reason: 'head-missing',
      line: 9,
    });
  });

  it('a mirror started on a resumed log publishes the lines the stream lacks, once each', async () => {
    const path = join(dir, 'b.jsonl');
    let log = await open(path);
    for (let i = 0; i < 2; i++) await log.append('deliver', { i });
    await log.close(); // 3 entries, never mirrored
    log = await open(path);
    let mirror = await mirrorAuditLog(log, jetstream(nc), { stream: 'AUDIT_B', subject: 'audit.b' });
    await log.append('deliver', { i: 2 });
    await mirror.flush();
    expect(mirror.published()).toBe(4);
    await mirror.stop();
    await log.close(); // the closing checkpoint (seq 5) is not mirrored: the mirror was stopped
    expect(await readAuditHead(nc, 'AUDIT_B', 'audit.b')).toMatchObject({ count: 4 });

    log = await open(path);
    mirror = await mirrorAuditLog(log, nc, { stream: 'AUDIT_B', subject: 'audit.b' });
    await mirror.flush();
    expect(mirror.published()).toBe(1);
    await log.close();
    await mirror.stop();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    const info = await (await jetstreamManager(nc)).streams.info('AUDIT_B');
    expect(info.state.messages).toBe(5);
    expect(await readAuditHead(nc, 'AUDIT_B', 'audit.b')).toEqual({ count: 5, hash: hashOf(lines[4]!) });
  });

  it('refuses to mirror onto a subject that holds another log', async () => {
    const path = join(dir, 'c.jsonl');
    const log = await open(path);
    await log.append('issue', { other: true });
    // The first test's log left 10 entries on audit.a; this log has 1.
    await expect(mirrorAuditLog(log, nc, { stream: 'AUDIT_A', subject: 'audit.a' })).rejects.toMatchObject({ reason: 'head-exceeded' });
    // 8 events and 2 checkpoints: as long as the log on audit.a, but its entry 10 is not that log's.
    for (let i = 0; i < 7; i++) await log.append('issue', { other: true });
    expect(log.head().count).toBe(10);
    await expect(mirrorAuditLog(log, nc, { stream: 'AUDIT_A', subject: 'audit.a' })).rejects.toMatchObject({ reason: 'head-mismatch' });
    await log.close();
  });

  it('a publication that fails does not fail the append; it is counted and reported', async () => {
    const own = await startNatsServer();
    const conn = await connect({ servers: own.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    try {
      const path = join(dir, 'd.jsonl');
      const log = await open(path);
      const errors: number[] = [];
      const mirror = await mirrorAuditLog(log, jetstream(conn, { timeout: 1000 }), { stream: 'AUDIT_D', subject: 'audit.d', onError: (_e, seq) => errors.push(seq) });
      await log.append('issue', { n: 1 });
      await mirror.flush();
      expect(mirror.published()).toBe(1);
      await own.kill(0);
      await log.append('issue', { n: 2 }); // durable in the file whatever NATS does
      expect(log.head().count).toBe(2);
      await mirror.flush();
      expect(mirror.failures()).toBe(1);
      expect(errors).toEqual([2]);
      await mirror.stop();
      await log.close();
      expect(await verifyAuditLog(path, { signingPublicKeys: [publicKey], backend: signatureBackend })).toMatchObject({ ok: true, entries: 3 });
    } finally {
      await conn.close().catch(() => undefined);
      await own.stop();
    }
  });
});
