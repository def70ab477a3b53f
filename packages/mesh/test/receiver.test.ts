// spec/MESH.md §4: each refusal reason, the order of the checks, the
// counts in the metrics and the audit events, with noble's backends.
import { hexToBytes } from '@hybridkem/core';
import { backend as nobleBackend } from '@hybridkem/noble';
import { createHpkeSuite, seal } from '@hybridkem/seal';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createIssuer,
  createMemoryNodeStore,
  createMeshMetrics,
  createReceiver,
  EnvelopeRefusedError,
  REFUSAL_REASONS,
  type Issuer,
  type MeshCrypto,
  type Receiver,
  type RefusalReason,
} from '../src/index.js';
import { makeCrypto, makeMesh, ManualClock, MemoryAudit, signingKeys, T0, utf8, type SigningKeys } from './helpers.js';
import { handHeader, handSigned, type HandFields } from './wire.js';

const MIN = 60_000;
const LABEL = utf8('hybridkem/v1/mesh/envelope');

let crypto: MeshCrypto;
let mesh: ReturnType<typeof makeMesh>;

beforeAll(() => {
  crypto = makeCrypto();
  mesh = makeMesh(crypto, { nodes: 2, pattern: 'svc-*' });
});

function setup(o: { issuerClock?: ManualClock; receiverClock?: ManualClock; lifetimeMs?: number; node?: number } = {}) {
  const issuerClock = o.issuerClock ?? new ManualClock();
  const receiverClock = o.receiverClock ?? new ManualClock();
  const metrics = createMeshMetrics();
  const audit = new MemoryAudit();
  const issuer = createIssuer({
    crypto,
    signingPrivateKey: mesh.issuer.privateKey,
    signingPublicKey: mesh.issuer.publicKey,
    clock: issuerClock,
    ...(o.lifetimeMs === undefined ? {} : { lifetimeMs: o.lifetimeMs }),
    metrics,
    audit,
  });
  const node = mesh.nodes[o.node ?? 0]!;
  const store = createMemoryNodeStore({ clock: receiverClock });
  const receiver = createReceiver({
    crypto,
    kemPrivateKey: node.kem.privateKey,
    kemPublicKey: node.kem.publicKey,
    directory: mesh.directory(),
    store,
    clock: receiverClock,
    metrics,
    audit,
  });
  const to = (n: number) => mesh.nodes[n]!.kem.publicKey;
  return { issuer, receiver, store, metrics, audit, issuerClock, receiverClock, to };
}

async function refusal(receiver: Receiver, bytes: Uint8Array): Promise<EnvelopeRefusedError> {
  try {
    await receiver.receive(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvelopeRefusedError);
    return e as EnvelopeRefusedError;
  }
  throw new Error('expected a refusal');
}

const issue = (issuer: Issuer, recipient: Uint8Array, keyName = 'svc-db', version = 1, key = utf8('k1')) =>
  issuer.issue({ recipientKemPublicKey: recipient, keyName, version, key });

/**
 * An envelope with any header and sealed payload, correctly signed by `signer`
 * (the issuer's raw composite key): what a compromised sealing step or a
 * buggy issuer would produce.
 */
function signedEnvelope(signer: SigningKeys, f: HandFields): Uint8Array {
  const signed = handSigned(f);
  const signature = crypto.signer.sign(signer.raw, signed, { context: LABEL });
  const out = new Uint8Array(signed.length + signature.length);
  out.set(signed);
  out.set(signature, signed.length);
  return out;
}

function fieldsFor(recipientKeyId: string, over: Partial<HandFields> = {}): HandFields {
  return {
    suite: 0xfe02,
    issuerKeyId: hexToBytes('id', createIssuer({ crypto, signingPrivateKey: mesh.issuer.privateKey, signingPublicKey: mesh.issuer.publicKey }).keyId),
    recipientKeyId: hexToBytes('id', recipientKeyId),
    envelopeId: globalThis.crypto.getRandomValues(new Uint8Array(16)),
    version: 1n,
    issuedAt: BigInt(T0),
    expiresAt: BigInt(T0 + 15 * MIN),
    keyName: 'svc-db',
    sealed: new Uint8Array(0),
    ...over,
  };
}

describe('receiver: refusal reasons (spec/MESH.md §4)', () => {
  it('applies a good envelope and returns its key', async () => {
    const s = setup();
    const env = await issue(s.issuer, s.to(0), 'svc-db', 3, utf8('the key'));
    const got = await s.receiver.receive(env.bytes);
    expect(new TextDecoder().decode(got.key)).toBe('the key');
    expect(got).toMatchObject({ envelopeId: env.envelopeId, keyName: 'svc-db', version: 3, issuedAt: T0, expiresAt: T0 + 15 * MIN, issuerKeyId: s.issuer.keyId });
    expect(s.store.latestVersion('svc-db')).toBe(3);
    expect(s.store.hasApplied(env.envelopeId)).toBe(true);
  });

  it('malformed: truncated, with core\'s code and the decoder\'s error as cause', async () => {
    const s = setup();
    const env = await issue(s.issuer, s.to(0));
    const e = await refusal(s.receiver, env.bytes.subarray(0, env.bytes.length - 1));
    expect(e.reason).toBe('malformed');
    expect(e.code).toBe('ERR_TRUNCATED');
    expect((e.cause as { code?: string }).code).toBe('ERR_TRUNCATED');
    const trailing = new Uint8Array(env.bytes.length + 1);
    trailing.set(env.bytes);
    expect((await refusal(s.receiver, trailing)).code).toBe('ERR_TRAILING_DATA');
  });

  it('unknown-issuer: signed by a key no issuer record has', async () => {
    const s = setup();
    const stranger = signingKeys(crypto);
    const rogue = createIssuer({ crypto, signingPrivateKey: stranger.privateKey, signingPublicKey: stranger.publicKey, clock: s.issuerClock });
    const e = await refusal(s.receiver, (await issue(rogue, s.to(0))).bytes);
    expect(e.reason).toBe('unknown-issuer');
    expect(e.code).toBe('ERR_AUTHENTICATION');
    // A node's signing key is in the directory, but not as an issuer.
    const nodeAsIssuer = createIssuer({ crypto, signingPrivateKey: mesh.nodes[1]!.signing.privateKey, signingPublicKey: mesh.nodes[1]!.signing.publicKey, clock: s.issuerClock });
    expect((await refusal(s.receiver, (await issue(nodeAsIssuer, s.to(0))).bytes)).reason).toBe('unknown-issuer');
  });

  it('bad-signature: a tampered header byte fails both components; a tampered EdDSA half fails EdDSA only', async () => {
    const s = setup();
    const env = await issue(s.issuer, s.to(0), 'svc-db', 5);
    const tampered = env.bytes.slice();
    tampered[59] = 6; // version 5 -> 6 (the low byte of the u64 at offset 52)
    const e = await refusal(s.receiver, tampered);
    expect(e.reason).toBe('bad-signature');
    expect(e.verdicts?.mldsa).toMatchObject({ algorithm: 'ML-DSA-65', valid: false });
    expect(e.verdicts?.eddsa).toMatchObject({ algorithm: 'Ed25519', valid: false });
    const edOnly = env.bytes.slice();
    edOnly[edOnly.length - 1]! ^= 0x01; // inside the last 64 bytes: the Ed25519 signature
    const e2 = await refusal(s.receiver, edOnly);
    expect(e2.reason).toBe('bad-signature');
    expect(e2.verdicts?.mldsa.valid).toBe(true);
    expect(e2.verdicts?.eddsa.valid).toBe(false);
    const mlOnly = env.bytes.slice();
    mlOnly[mlOnly.length - 64 - 100]! ^= 0x01; // inside the ML-DSA-65 signature
    const e3 = await refusal(s.receiver, mlOnly);
    expect([e3.verdicts?.mldsa.valid, e3.verdicts?.eddsa.valid]).toEqual([false, true]);
    expect(s.store.latestVersion('svc-db')).toBe(0);
  });

  it('issuer-not-authorized: the issuer record says "svc-*"', async () => {
    const s = setup();
    const e = await refusal(s.receiver, (await issue(s.issuer, s.to(0), 'db-main')).bytes);
    expect(e.reason).toBe('issuer-not-authorized');
    expect((await refusal(s.receiver, (await issue(s.issuer, s.to(0), 'svc')).bytes)).reason).toBe('issuer-not-authorized');
    await expect(s.receiver.receive((await issue(s.issuer, s.to(0), 'svc-')).bytes)).resolves.toMatchObject({ keyName: 'svc-' });
  });

  it('wrong-recipient: addressed to another node', async () => {
    const s = setup();
    const e = await refusal(s.receiver, (await issue(s.issuer, s.to(1))).bytes);
    expect(e.reason).toBe('wrong-recipient');
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('not-yet-valid: issued after now + skew (60 s); exactly now + skew is accepted', async () => {
    const ahead = setup({ issuerClock: new ManualClock(T0 + MIN + 1) });
    expect((await refusal(ahead.receiver, (await issue(ahead.issuer, ahead.to(0))).bytes)).reason).toBe('not-yet-valid');
    const edge = setup({ issuerClock: new ManualClock(T0 + MIN) });
    await expect(edge.receiver.receive((await issue(edge.issuer, edge.to(0))).bytes)).resolves.toMatchObject({ issuedAt: T0 + MIN });
  });

  it('expired: at expires-at + skew, not a millisecond before', async () => {
    const s = setup();
    const a = await issue(s.issuer, s.to(0), 'svc-a');
    const b = await issue(s.issuer, s.to(0), 'svc-b');
    s.receiverClock.t = T0 + 15 * MIN + MIN - 1;
    await expect(s.receiver.receive(a.bytes)).resolves.toMatchObject({ keyName: 'svc-a' });
    s.receiverClock.t = T0 + 15 * MIN + MIN;
    expect((await refusal(s.receiver, b.bytes)).reason).toBe('expired');
  });

  it('expired: a lifetime longer than the 15-minute window, even when fresh', async () => {
    const long = setup({ lifetimeMs: 15 * MIN + 1 });
    expect((await refusal(long.receiver, (await issue(long.issuer, long.to(0))).bytes)).reason).toBe('expired');
    const exact = setup({ lifetimeMs: 15 * MIN });
    await expect(exact.receiver.receive((await issue(exact.issuer, exact.to(0))).bytes)).resolves.toBeDefined();
  });

  it('replay: the same envelope twice', async () => {
    const s = setup();
    const env = await issue(s.issuer, s.to(0));
    await s.receiver.receive(env.bytes);
    expect((await refusal(s.receiver, env.bytes)).reason).toBe('replay');
  });

  it('rollback: reordered delivery (v2 then v1), and a second envelope of the held version', async () => {
    const s = setup();
    const v1 = await issue(s.issuer, s.to(0), 'svc-db', 1);
    const v2 = await issue(s.issuer, s.to(0), 'svc-db', 2);
    const v2again = await issue(s.issuer, s.to(0), 'svc-db', 2);
    await s.receiver.receive(v2.bytes);
    expect((await refusal(s.receiver, v1.bytes)).reason).toBe('rollback');
    expect((await refusal(s.receiver, v2again.bytes)).reason).toBe('rollback');
    expect(s.store.latestVersion('svc-db')).toBe(2);
    // Another key name has its own versions.
    await expect(s.receiver.receive((await issue(s.issuer, s.to(0), 'svc-other', 1)).bytes)).resolves.toBeDefined();
  });

  it('undecryptable: correctly signed, but sealed to another key', async () => {
    const s = setup();
    const ours = s.receiver.keyId;
    const f = fieldsFor(ours);
    // The payload is sealed to node 1 with this very header as AAD; only the addressee differs.
    const otherRaw = mesh.nodes[1]!.kem.publicKey.subarray(4); // the v1 object's body: the raw X-Wing key
    f.sealed = await seal(crypto.hpke, otherRaw, utf8('k'), { aad: handHeader(f), info: LABEL });
    const e = await refusal(s.receiver, signedEnvelope(mesh.issuer, f));
    expect(e.reason).toBe('undecryptable');
    expect(e.message).toContain('sealed to');
  });

  it('undecryptable: sealed to us but under another header (the AAD binds every header field)', async () => {
    const s = setup();
    const f = fieldsFor(s.receiver.keyId);
    const ourRaw = mesh.nodes[0]!.kem.publicKey.subarray(4);
    f.sealed = await seal(crypto.hpke, ourRaw, utf8('k'), { aad: handHeader({ ...f, version: 2n }), info: LABEL });
    const e = await refusal(s.receiver, signedEnvelope(mesh.issuer, f));
    expect(e.reason).toBe('undecryptable');
    expect(e.message).toContain('does not open');
    // The same with the right AAD opens: the helper builds good envelopes.
    const g = fieldsFor(s.receiver.keyId);
    g.sealed = await seal(crypto.hpke, ourRaw, utf8('k'), { aad: handHeader(g), info: LABEL });
    await expect(s.receiver.receive(signedEnvelope(mesh.issuer, g))).resolves.toMatchObject({ version: 1 });
  });

  it('undecryptable: sealed to us with another HPKE suite (its header is checked before opening)', async () => {
    const s = setup();
    const f = fieldsFor(s.receiver.keyId);
    const chacha = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend: nobleBackend });
    f.sealed = await seal(chacha, mesh.nodes[0]!.kem.publicKey.subarray(4), utf8('k'), { aad: handHeader(f), info: LABEL });
    const e = await refusal(s.receiver, signedEnvelope(mesh.issuer, f));
    expect(e.reason).toBe('undecryptable');
    expect(e.message).toContain('HPKE suite');
  });

  it('undecryptable: a payload that is not a sealed message', async () => {
    const s = setup();
    const f = fieldsFor(s.receiver.keyId, { sealed: new Uint8Array(200).fill(7) });
    expect((await refusal(s.receiver, signedEnvelope(mesh.issuer, f))).reason).toBe('undecryptable');
  });

  it('checks in the documented order', async () => {
    const s = setup({ receiverClock: new ManualClock(T0 + 60 * MIN) });
    // Wrong recipient and expired: wrong-recipient (step 5) before expired (step 6).
    const env = await issue(s.issuer, s.to(1), 'db-main');
    // ...and not authorised for db-main (step 4) before both.
    expect((await refusal(s.receiver, env.bytes)).reason).toBe('issuer-not-authorized');
    expect((await refusal(s.receiver, (await issue(s.issuer, s.to(1))).bytes)).reason).toBe('wrong-recipient');
    // A tampered byte (step 3) before all of them.
    const t = env.bytes.slice();
    t[40]! ^= 1;
    expect((await refusal(s.receiver, t)).reason).toBe('bad-signature');
  });
});

describe('receiver: metrics and audit events', () => {
  it('counts issued, applied, refused by reason, and the delivery latency', async () => {
    const s = setup({ receiverClock: new ManualClock(T0 + 250) });
    const a = await issue(s.issuer, s.to(0), 'svc-a', 2);
    const old = await issue(s.issuer, s.to(0), 'svc-a', 1);
    await s.receiver.receive(a.bytes);
    await refusal(s.receiver, a.bytes); // replay
    await refusal(s.receiver, old.bytes); // rollback
    await refusal(s.receiver, (await issue(s.issuer, s.to(1))).bytes); // wrong-recipient
    const text = await s.metrics.registry.metrics();
    const value = (line: string) => {
      const found = text.split('\n').find((l) => l.startsWith(`${line} `));
      return found === undefined ? undefined : Number(found.slice(line.length + 1));
    };
    expect(value('hybridkem_mesh_envelopes_issued_total')).toBe(3);
    expect(value('hybridkem_mesh_envelopes_applied_total')).toBe(1);
    const expected: Partial<Record<RefusalReason, number>> = { replay: 1, rollback: 1, 'wrong-recipient': 1 };
    for (const reason of REFUSAL_REASONS) {
      expect(value(`hybridkem_mesh_envelopes_refused_total{reason="${reason}"}`), reason).toBe(expected[reason] ?? 0);
    }
    // Issued at T0, applied at T0 + 250 ms: 0.25 s, in the le=0.25 bucket and not the le=0.1 one.
    expect(value('hybridkem_mesh_delivery_latency_seconds_bucket{le="0.1"}')).toBe(0);
    expect(value('hybridkem_mesh_delivery_latency_seconds_bucket{le="0.25"}')).toBe(1);
    expect(value('hybridkem_mesh_delivery_latency_seconds_sum')).toBe(0.25);
    expect(value('hybridkem_mesh_delivery_latency_seconds_count')).toBe(1);
  });

  it('writes issue, deliver and refuse events without key material', async () => {
    const s = setup();
    const key = utf8('super secret key bytes');
    const env = await issue(s.issuer, s.to(0), 'svc-db', 1, key);
    await s.receiver.receive(env.bytes);
    await refusal(s.receiver, env.bytes);
    expect(s.audit.events.map((e) => e.type)).toEqual(['issue', 'deliver', 'refuse']);
    const [issued, delivered, refused] = s.audit.events;
    // What the issue and deliver events both say about the envelope.
    const envelope = {
      envelopeId: env.envelopeId,
      keyName: 'svc-db',
      version: 1,
      issuerKeyId: s.issuer.keyId,
      recipientKeyId: s.receiver.keyId,
      issuedAt: T0,
    };
    expect(issued!.data).toEqual({ ...envelope, expiresAt: T0 + 15 * MIN });
    expect(delivered!.data).toEqual({ ...envelope, appliedAt: T0 });
    expect(refused!.data).toMatchObject({ reason: 'replay', envelopeId: env.envelopeId, keyName: 'svc-db', recipientKeyId: s.receiver.keyId });
    const secrets = [
      Buffer.from(key).toString('hex'),
      Buffer.from(key).toString('base64'),
      'super secret',
      Buffer.from(mesh.nodes[0]!.kem.privateKey).toString('hex').slice(8),
      Buffer.from(mesh.issuer.privateKey).toString('hex').slice(8, 72),
    ];
    const dump = JSON.stringify(s.audit.events);
    for (const secret of secrets) expect(dump).not.toContain(secret);
    for (const e of s.audit.events) for (const v of Object.values(e.data)) expect(['string', 'number', 'boolean']).toContain(typeof v);
  });

  it('serialises concurrent receives: one envelope delivered twice at once applies once', async () => {
    const s = setup();
    const env = await issue(s.issuer, s.to(0));
    const results = await Promise.allSettled([s.receiver.receive(env.bytes), s.receiver.receive(env.bytes)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as EnvelopeRefusedError).reason).toBe('replay');
  });
});
