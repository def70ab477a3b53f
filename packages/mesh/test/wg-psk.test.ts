// The PSK exchange (spec/MESH.md §10). Expected PSKs come from outside the
// code under test: the ciphertexts are cut out of the messages at the
// offsets of §10.2, decapsulated with the native backend (C, not the noble
// backend the code under test runs on), and the PSK computed with
// node:crypto's hkdfSync and createHash from §10.4's formula.
import { createHash, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { armor, createKem, dearmor, decodePrivateKey, encodePublicKey, encodePrivateKey, getSuite } from '@hybridkem/core';
import { markdownTableAfter } from '@hybridkem/core/testing';
import { backend as nativeBackend } from '@hybridkem/native';
import { backend as nobleBackend, signatureBackend as nobleSignatureBackend } from '@hybridkem/noble';
import { createHpkeSuite } from '@hybridkem/seal';
import { createSigner, getSignatureSuite } from '@hybridkem/signing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { MeshCrypto } from '../src/crypto.js';
import { createDirectoryRecord } from '../src/directory/record.js';
import { TrustedDirectory } from '../src/directory/trusted.js';
import { createWgMetrics } from '../src/wg/metrics.js';
import { createPskExchange, type PskExchangeOptions } from '../src/wg/psk-exchange.js';
import { decodePskMessage, encodePskSignedPart, MAX_PSK_MESSAGE_LENGTH } from '../src/wg/psk-format.js';
import { PSK_REFUSAL_REASONS, PSK_REFUSALS, PskExchangeRefusedError } from '../src/wg/refusals.js';
import { makeCrypto, makeMesh, ManualClock, signingKeys, T0 } from './helpers.js';

const crypto = makeCrypto();
const enc = new TextEncoder();

function nodeKeys(mesh: ReturnType<typeof makeMesh>, i: number) {
  const n = mesh.nodes[i]!;
  return { name: `node-${i}`, kemPublicKey: n.kem.publicKey, kemPrivateKey: n.kem.privateKey, signingPublicKey: n.signing.publicKey, signingPrivateKey: n.signing.privateKey };
}

function setup(o: { nodes?: number; clock?: ManualClock; opts?: Partial<PskExchangeOptions>; cryptoOf?: MeshCrypto } = {}) {
  const c = o.cryptoOf ?? crypto;
  const mesh = makeMesh(c, { nodes: o.nodes ?? 3 });
  const clock = o.clock ?? new ManualClock();
  const ex = (i: number, extra: Partial<PskExchangeOptions> = {}) =>
    createPskExchange({ crypto: c, node: nodeKeys(mesh, i), directory: mesh.directory(), clock, ...o.opts, ...extra });
  return { mesh, clock, ex };
}

/** Ciphertext of a message, cut at spec/MESH.md §10.2's offsets (C read from the wire). */
function ciphertextOf(m: Uint8Array): Uint8Array {
  const s = m[111]!;
  const r = m[112 + s]!;
  const C = (m[113 + s + r]! << 8) | m[114 + s + r]!;
  return m.slice(115 + s + r, 115 + s + r + C);
}

const nativeXWing = createKem('X-Wing', nativeBackend);
const seedOf = (encodedPrivateKey: Uint8Array) => decodePrivateKey(encodedPrivateKey).privateKey;

/** PSK by §10.4 with node:crypto. */
function expectedPsk(a: string, b: string, epoch: number, ssI: Uint8Array, ssR: Uint8Array, mI: Uint8Array, mR: Uint8Array): Uint8Array {
  const sha = (x: Uint8Array) => createHash('sha256').update(x).digest();
  const salt = Buffer.concat([sha(mI), sha(mR)]);
  const epochBytes = Buffer.alloc(8);
  epochBytes.writeBigUInt64BE(BigInt(epoch));
  const info = Buffer.concat([Buffer.from('hybridkem/v1/mesh/wg-psk'), Buffer.from([a.length]), Buffer.from(a), Buffer.from([b.length]), Buffer.from(b), epochBytes]);
  return new Uint8Array(hkdfSync('sha256', Buffer.concat([ssI, ssR]), salt, info, 32));
}

function refusal(fn: () => unknown): PskExchangeRefusedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PskExchangeRefusedError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('PSK exchange (spec/MESH.md §10)', () => {
  it('both sides derive the PSK of §10.4, computed independently (native decapsulation, node:crypto HKDF)', () => {
    const { mesh, ex } = setup();
    const A = ex(0);
    const B = ex(1);
    const init = A.initiate('node-1', 7);
    const atB = B.receive(init.bytes);
    expect(atB.type).toBe('initiation');
    if (atB.type !== 'initiation') throw new Error('unreachable');
    const atA = A.receive(atB.response);
    expect(atA.type).toBe('response');
    expect(atA.epoch).toBe(7);
    expect(Buffer.from(atA.psk).toString('hex')).toBe(Buffer.from(atB.psk).toString('hex'));

    const ssI = nativeXWing.decapsulate(seedOf(mesh.nodes[1]!.kem.privateKey), ciphertextOf(init.bytes));
    const ssR = nativeXWing.decapsulate(seedOf(mesh.nodes[0]!.kem.privateKey), ciphertextOf(atB.response));
    const expected = expectedPsk('node-0', 'node-1', 7, ssI, ssR, init.bytes, atB.response);
    expect(Buffer.from(atA.psk).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
    expect(atA.psk.length).toBe(32);
    // The response names its initiation by SHA-256 (offset 79).
    expect(Buffer.from(atB.response.subarray(79, 111)).toString('hex')).toBe(createHash('sha256').update(init.bytes).digest('hex'));
    // Layout of §10.2: kind 0x0c, type bytes, names, signature context.
    expect([init.bytes[0], init.bytes[1], init.bytes[78], atB.response[78]]).toEqual([1, 0x0c, 1, 2]);
    const d = decodePskMessage(init.bytes);
    expect(d.signature.length).toBe(crypto.signer.suite.lengths.signature);
    expect(crypto.signer.verify(crypto.signer.getPublicKey(mesh.nodes[0]!.signing.raw), d.signed, d.signature, { context: enc.encode('hybridkem/v1/mesh/wg-psk') }).valid).toBe(true);
  });

  it("either side's randomness alone changes the PSK", () => {
    const { mesh, ex } = setup();
    const rI = new Uint8Array(64).fill(1);
    const rR = new Uint8Array(64).fill(2);
    const run = (initiatorRandomness: Uint8Array, responderRandomness: Uint8Array, epoch: number) => {
      const A = ex(0);
      const B = ex(1);
      const init = A.initiate('node-1', epoch, { randomness: initiatorRandomness });
      const r = B.receive(init.bytes, { randomness: responderRandomness });
      if (r.type !== 'initiation') throw new Error('unreachable');
      const done = A.receive(r.response);
      const ssI = nativeXWing.decapsulate(seedOf(mesh.nodes[1]!.kem.privateKey), ciphertextOf(init.bytes));
      const ssR = nativeXWing.decapsulate(seedOf(mesh.nodes[0]!.kem.privateKey), ciphertextOf(r.response));
      expect(Buffer.from(done.psk)).toEqual(Buffer.from(expectedPsk('node-0', 'node-1', epoch, ssI, ssR, init.bytes, r.response)));
      return { psk: Buffer.from(done.psk).toString('hex'), ssI: Buffer.from(ssI).toString('hex'), ssR: Buffer.from(ssR).toString('hex') };
    };
    const base = run(rI, rR, 1);
    // Same initiator randomness (an attacker who knows it knows ss_I): the responder's alone changes the PSK.
    const otherR = run(rI, new Uint8Array(64).fill(3), 1);
    expect(otherR.ssI).toBe(base.ssI);
    expect(otherR.ssR).not.toBe(base.ssR);
    expect(otherR.psk).not.toBe(base.psk);
    // And the other way round.
    const otherI = run(new Uint8Array(64).fill(4), rR, 1);
    expect(otherI.ssR).toBe(base.ssR);
    expect(otherI.ssI).not.toBe(base.ssI);
    expect(otherI.psk).not.toBe(base.psk);
    // With both secrets fixed, the formula still separates epochs (info) — checked against node:crypto inside run().
    expect(run(rI, rR, 2).psk).not.toBe(base.psk);
  });

  it('refuses in the order of §10.3, each reason with its code, counted in the metric', async () => {
    const clock = new ManualClock();
    const { mesh, ex } = setup({ clock });
    const metrics = createWgMetrics(new Registry());
    const A = ex(0);
    const B = ex(1, { metrics });
    const init = A.initiate('node-1', 3);

    // 1 malformed: structure, with core's codes.
    expect(refusal(() => B.receive(init.bytes.subarray(0, 100))).code).toBe('ERR_TRUNCATED');
    const trailing = new Uint8Array(init.bytes.length + 1);
    trailing.set(init.bytes);
    expect(refusal(() => B.receive(trailing)).code).toBe('ERR_TRAILING_DATA');
    const wrongKind = init.bytes.slice();
    wrongKind[1] = 0x0a;
    expect(refusal(() => B.receive(wrongKind)).code).toBe('ERR_WRONG_KIND');
    const unknownKind = init.bytes.slice();
    unknownKind[1] = 0x7f;
    expect(refusal(() => B.receive(unknownKind)).code).toBe('ERR_UNKNOWN_KIND');

    // 3 bad-signature: a changed ciphertext byte never reaches the KEM.
    const tampered = init.bytes.slice();
    tampered[200] = tampered[200]! ^ 1;
    const bad = refusal(() => B.receive(tampered));
    expect(bad.reason).toBe('bad-signature');
    expect(bad.code).toBe('ERR_AUTHENTICATION');
    expect(bad.verdicts?.mldsa.valid).toBe(false);
    expect(bad.verdicts?.eddsa.valid).toBe(false);

    // 4 wrong-recipient: node-2 gets node-1's initiation.
    const C = ex(2);
    expect(refusal(() => C.receive(init.bytes)).reason).toBe('wrong-recipient');

    // 5 pair-not-allowed: the topology does not pair them.
    const Bdeny = ex(1, { isPairAllowed: () => false });
    expect(refusal(() => Bdeny.receive(init.bytes)).reason).toBe('pair-not-allowed');

    // 6 freshness.
    clock.advance(30_000 + 10_000);
    expect(refusal(() => B.receive(init.bytes)).reason).toBe('expired');
    clock.t = T0 - 10_001;
    expect(refusal(() => B.receive(init.bytes)).reason).toBe('not-yet-valid');
    clock.t = T0;
    const longLived = ex(0, { lifetimeMs: 61_000 }).initiate('node-1', 3);
    expect(refusal(() => B.receive(longLived.bytes)).reason).toBe('expired');

    // Accepted once; 7 replay; 8 old epoch.
    B.receive(init.bytes);
    expect(refusal(() => B.receive(init.bytes)).reason).toBe('replay');
    const sameEpoch = A.initiate('node-1', 3);
    expect(refusal(() => B.receive(sameEpoch.bytes)).reason).toBe('old-epoch');
    expect(refusal(() => B.receive(A.initiate('node-1', 2).bytes)).reason).toBe('old-epoch');
    expect(B.epoch('node-0')).toBe(3);

    const counts = Object.fromEntries((await metrics.refused.get()).values.map((v) => [v.labels.reason, v.value]));
    expect(counts).toEqual({ ...Object.fromEntries(PSK_REFUSAL_REASONS.map((r) => [r, 0])), malformed: 4, 'bad-signature': 1, expired: 2, 'not-yet-valid': 1, replay: 1, 'old-epoch': 2 });
    // Nothing secret in a message: the error text is ASCII about fields.
    expect(bad.message).not.toMatch(/[^\x20-\x7e]/);
  });

  it('a response that does not answer the outstanding initiation is old-epoch; a replayed response is replay', () => {
    const { ex } = setup();
    const A = ex(0);
    const B = ex(1);
    const first = A.initiate('node-1', 1);
    const r1 = B.receive(first.bytes);
    if (r1.type !== 'initiation') throw new Error('unreachable');
    A.abort('node-1');
    expect(refusal(() => A.receive(r1.response)).reason).toBe('old-epoch');
    const second = A.initiate('node-1', 2);
    expect(refusal(() => A.receive(r1.response)).reason).toBe('old-epoch');
    const r2 = B.receive(second.bytes);
    if (r2.type !== 'initiation') throw new Error('unreachable');
    A.receive(r2.response);
    expect(refusal(() => A.receive(r2.response)).reason).toBe('replay');
  });

  it('unknown-sender for a key the directory replaced; revoked until the new record arrives; against the pair order', () => {
    const { mesh, ex, clock } = setup();
    const A = ex(0);
    const B = ex(1);
    B.revoke('node-0', 1);
    const init = A.initiate('node-1', 1);
    expect(refusal(() => B.receive(init.bytes)).reason).toBe('revoked');

    // The anchor publishes node-0 revision 2 with new keys: the old key is unknown, the new one accepted.
    const dirB = new TrustedDirectory({ crypto, anchorPublicKey: mesh.anchor.publicKey });
    for (const n of mesh.nodes) dirB.add(n.record);
    const kem = crypto.hpke.hpkeKem.kem.keygen();
    const signing = signingKeys(crypto);
    const kemPublicKey = encodePublicKey(crypto.hpke.hpkeKem.kem.suite.id, kem.publicKey);
    dirB.add(
      createDirectoryRecord({
        crypto,
        anchorPrivateKey: mesh.anchor.privateKey,
        anchorPublicKey: mesh.anchor.publicKey,
        role: 'node',
        name: 'node-0',
        revision: 2,
        issuedAt: T0,
        kemPublicKey,
        signingPublicKey: signing.publicKey,
      }),
    );
    const B2 = createPskExchange({ crypto, node: nodeKeys(mesh, 1), directory: dirB, clock });
    B2.revoke('node-0', 1);
    expect(refusal(() => B2.receive(init.bytes)).reason).toBe('unknown-sender');
    const newA = createPskExchange({
      crypto,
      node: { name: 'node-0', kemPublicKey, kemPrivateKey: encodePrivateKey(crypto.hpke.hpkeKem.kem.suite.id, kem.privateKey), signingPublicKey: signing.publicKey, signingPrivateKey: signing.privateKey },
      directory: dirB,
      clock,
    });
    expect(B2.receive(newA.initiate('node-1', 1).bytes).type).toBe('initiation');

    // An "initiation" from the higher name, genuinely signed by node-1: against the pair order.
    expect(() => B.initiate('node-0', 1)).toThrow(/responder/);
    const n1 = mesh.nodes[1]!;
    const signed = encodePskSignedPart(
      {
        senderSuiteId: crypto.signer.suite.id,
        senderKeyId: mesh.directory().node('node-1')!.signingKeyId,
        kemSuiteId: crypto.hpke.hpkeKem.kem.suite.id,
        recipientKeyId: mesh.directory().node('node-0')!.kemKeyId!,
        exchangeId: '11'.repeat(16),
        epoch: 1,
        issuedAt: T0,
        expiresAt: T0 + 1000,
        type: 'initiation',
        inReplyTo: undefined,
        sender: 'node-1',
        recipient: 'node-0',
      },
      ciphertextOf(init.bytes),
    );
    const sig = crypto.signer.sign(n1.signing.raw, signed, { context: enc.encode('hybridkem/v1/mesh/wg-psk') });
    const reversed = new Uint8Array([...signed, ...sig]);
    expect(refusal(() => A.receive(reversed)).reason).toBe('pair-not-allowed');
  });

  it('undecapsulable: a P-256 part that is not a curve point, genuinely signed, is refused by the KEM', () => {
    const p256: MeshCrypto = Object.freeze({
      hpke: createHpkeSuite({ kem: 'MLKEM768-P256', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM', backend: nobleBackend }),
      signer: createSigner('MLDSA65-Ed25519-SHA512', nobleSignatureBackend),
    });
    const { mesh, ex } = setup({ cryptoOf: p256, nodes: 2 });
    const A = ex(0);
    const B = ex(1);
    const init = A.initiate('node-1', 1);
    const d = decodePskMessage(init.bytes);
    const ct = d.ciphertext.slice();
    ct.fill(0xff, ct.length - 65); // the uncompressed P-256 point: not on the curve
    const signed = encodePskSignedPart(d, ct);
    const sig = p256.signer.sign(mesh.nodes[0]!.signing.raw, signed, { context: enc.encode('hybridkem/v1/mesh/wg-psk') });
    const e = refusal(() => B.receive(new Uint8Array([...signed, ...sig])));
    expect(e.reason).toBe('undecapsulable');
    expect(e.code).toBe('ERR_AUTHENTICATION');
  });

  it('decoding checks every bound before reading (§10.2)', () => {
    const { ex } = setup();
    const m = ex(0).initiate('node-1', 1).bytes;
    const at = (i: number, v: number) => {
      const x = m.slice();
      x[i] = v;
      return x;
    };
    const code = (b: Uint8Array) => {
      try {
        decodePskMessage(b);
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'ok';
    };
    expect(code(at(0, 2))).toBe('ERR_UNSUPPORTED_VERSION');
    expect(code(at(2, 0x00))).toBe('ERR_UNKNOWN_SUITE'); // sender suite 0x00fe
    expect(code(at(20, 0x12))).toBe('ERR_UNKNOWN_SUITE'); // KEM suite 0x127a
    expect(code(at(54, 0x00).map((v, i) => (i >= 54 && i < 62 ? 0 : v)))).toBe('ERR_INVALID_ARGUMENT'); // epoch 0
    expect(code(at(54, 0x01))).toBe('ERR_INVALID_ARGUMENT'); // epoch above 2^53 − 1
    expect(code(at(78, 3))).toBe('ERR_INVALID_ARGUMENT'); // type
    expect(code(at(79, 1))).toBe('ERR_INVALID_ARGUMENT'); // an initiation with in-reply-to
    expect(code(at(111, 0))).toBe('ERR_INVALID_ARGUMENT'); // sender name length 0
    expect(code(at(111, 65))).toBe('ERR_INVALID_ARGUMENT'); // 65
    expect(code(at(112, 'A'.charCodeAt(0)))).toBe('ERR_INVALID_ARGUMENT'); // upper case
    expect(code(at(118, '0'.charCodeAt(0)))).toBe('ERR_INVALID_ARGUMENT'); // recipient "node-0" = sender
    const s = m[111]!;
    const r = m[112 + s]!;
    expect(code(at(114 + s + r, 0x61))).toBe('ERR_INVALID_ARGUMENT'); // C = 1121
    expect(code(m.subarray(0, m.length - 1))).toBe('ERR_TRUNCATED');
    expect(code(m)).toBe('ok');
    expect(MAX_PSK_MESSAGE_LENGTH).toBe(6649);
  });

  it('the largest message (64-character names, MLKEM1024-P384, MLDSA87-Ed448) decodes and armors within the armor limit', () => {
    const kemSuite = getSuite('MLKEM1024-P384');
    const sigSuite = getSignatureSuite('MLDSA87-Ed448-SHAKE256');
    const signed = encodePskSignedPart(
      {
        senderSuiteId: sigSuite.id,
        senderKeyId: 'ab'.repeat(16),
        kemSuiteId: kemSuite.id,
        recipientKeyId: 'cd'.repeat(16),
        exchangeId: 'ef'.repeat(16),
        epoch: Number.MAX_SAFE_INTEGER,
        issuedAt: T0,
        expiresAt: Number.MAX_SAFE_INTEGER,
        type: 'response',
        inReplyTo: '01'.repeat(32),
        sender: 'a'.repeat(64),
        recipient: 'b'.repeat(64),
      },
      new Uint8Array(kemSuite.lengths.ciphertext).fill(7),
    );
    const message = new Uint8Array([...signed, ...new Uint8Array(sigSuite.lengths.signature).fill(9)]);
    expect(message.length).toBe(MAX_PSK_MESSAGE_LENGTH);
    const d = decodePskMessage(message);
    expect([d.epoch, d.sender.length, d.recipient.length, d.ciphertext.length]).toEqual([Number.MAX_SAFE_INTEGER, 64, 64, 1665]);
    const text = armor(message);
    expect(text.startsWith('-----BEGIN HYBRIDKEM MESH PSK EXCHANGE-----\n')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(16_384);
    expect(Buffer.from(dearmor(text).encoded)).toEqual(Buffer.from(message));
  });

  it("spec/MESH.md §10.3's table is PSK_REFUSALS", () => {
    const spec = readFileSync(new URL('../../../spec/MESH.md', import.meta.url), 'utf8');
    const rows = markdownTableAfter(spec, '<!-- psk-refusals-table');
    expect(rows.map((r) => r[0]!.replaceAll('`', ''))).toEqual([...PSK_REFUSAL_REASONS]);
    for (const row of rows) {
      const reason = row[0]!.replaceAll('`', '') as keyof typeof PSK_REFUSALS;
      const t = PSK_REFUSALS[reason];
      expect(Number(row[1])).toBe(t.step);
      expect(row[2]).toBe(t.code === undefined ? "the decoder's (§10.2)" : `\`${t.code}\``);
      expect(row[3]).toBe(t.description);
    }
  });
});
