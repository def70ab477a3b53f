/**
 * The audit log as the mesh's AuditSink (spec/MESH.md §8): an issuer and a
 * receiver writing to one file log; the log verifies and holds the issue,
 * delivery and refusal events in order, and no key bytes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuer, createMemoryNodeStore, createReceiver, openAuditLog, verifyAuditLog, type MeshCrypto } from '../src/index.js';
import { makeCrypto, makeMesh, ManualClock, signingKeys } from './helpers.js';

let crypto: MeshCrypto;
let mesh: ReturnType<typeof makeMesh>;
let dir: string;

beforeAll(async () => {
  crypto = makeCrypto();
  mesh = makeMesh(crypto, { nodes: 1, pattern: 'svc-*' });
  dir = await mkdtemp(join(tmpdir(), 'hybridkem-audit-mesh-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the audit log as the mesh audit sink', () => {
  it('logs issue, deliver and refuse events in order; the log verifies and holds no key', async () => {
    const auditKey = signingKeys(crypto);
    const path = join(dir, 'mesh-audit.jsonl');
    const clock = new ManualClock();
    const audit = await openAuditLog(path, { signer: crypto.signer, signingPrivateKey: auditKey.privateKey, signingPublicKey: auditKey.publicKey, clock });
    const issuer = createIssuer({ crypto, signingPrivateKey: mesh.issuer.privateKey, signingPublicKey: mesh.issuer.publicKey, clock, audit });
    const node = mesh.nodes[0]!;
    const receiver = createReceiver({
      crypto,
      kemPrivateKey: node.kem.privateKey,
      kemPublicKey: node.kem.publicKey,
      directory: mesh.directory(),
      store: createMemoryNodeStore({ clock }),
      clock,
      audit,
    });
    const key = new Uint8Array(randomBytes(32));
    const envelope = await issuer.issue({ recipientKemPublicKey: node.kem.publicKey, keyName: 'svc-db', version: 1, key });
    await receiver.receive(envelope.bytes);
    await expect(receiver.receive(envelope.bytes)).rejects.toMatchObject({ reason: 'replay' });
    const head = await audit.close();

    const result = await verifyAuditLog(path, { signingPublicKeys: [auditKey.publicKey] });
    expect(result).toMatchObject({ ok: true, entries: 4, checkpoints: 1, head });
    const text = await readFile(path, 'utf8');
    const entries = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    expect(entries.map((e) => e.type)).toEqual(['issue', 'deliver', 'refuse', 'checkpoint']);
    expect(entries[0]!.data).toMatchObject({ envelopeId: envelope.envelopeId, keyName: 'svc-db', version: 1 });
    expect(entries[2]!.data).toMatchObject({ reason: 'replay' });
    for (const form of [Buffer.from(key).toString('hex'), Buffer.from(key).toString('base64'), Buffer.from(key).toString('base64url')]) {
      expect(text).not.toContain(form);
    }
  });
});
