/**
 * The receiving side of key envelopes (spec/MESH.md §4). The checks run in
 * a fixed order and the first failure refuses the envelope with an
 * EnvelopeRefusedError naming the reason:
 *
 *  1 malformed · 2 unknown-issuer · 3 bad-signature · 4 issuer-not-authorized
 *  · 5 wrong-recipient · 6 not-yet-valid / expired · 7 replay · 8 rollback
 *  · 9 undecryptable
 *
 * Nothing is decrypted and no KDF runs before the signature, the issuer's
 * authority, the address, freshness, replay and rollback all passed. Then
 * the envelope is committed to the node store (durably), counted, audited,
 * and its key returned for the caller to apply. Calls are serialised, so a
 * check and its commit are never interleaved with another's.
 * @module
 */
import { bytesToHex, decodePrivateKey, decodePublicKey, HybridKemError, InvalidArgumentError, keyId } from '@hybridkem/core';
import { open, parseSealedHeader } from '@hybridkem/seal';
import { decodeSigningPublicKey } from '@hybridkem/signing';
import type { AuditSink } from './audit/sink.js';
import { systemClock, type Clock } from './clock.js';
import type { MeshCrypto } from './crypto.js';
import type { TrustedDirectory } from './directory/trusted.js';
import { patternCovers } from './directory/record.js';
import { ascii, checkBytes } from './envelope/bytes.js';
import { decodeKeyEnvelope, ENVELOPE_LABEL, MAX_KEY_LENGTH, type DecodedKeyEnvelope } from './envelope/format.js';
import { EnvelopeRefusedError, type RefusedEnvelopeInfo } from './errors.js';
import type { MeshMetrics } from './metrics.js';
import type { RefusalReason } from './refusals.js';
import { DEFAULT_SKEW_MS } from './store/state.js';
import { envelopeFields, type EnvelopeFields, type NodeStore } from './store/types.js';

/** Default freshness window: expires-at − issued-at may not exceed it (spec/MESH.md §4). */
export const DEFAULT_WINDOW_MS = 15 * 60_000;
export { DEFAULT_SKEW_MS };

const LABEL = ascii(ENVELOPE_LABEL);

export interface ReceiverOptions {
  crypto: MeshCrypto;
  /** Encoded v1 KEM private key (kind 0x02) of this node. Copied. */
  kemPrivateKey: Uint8Array;
  /** Encoded v1 KEM public key (kind 0x01) of this node, the private key's. */
  kemPublicKey: Uint8Array;
  directory: TrustedDirectory;
  store: NodeStore;
  clock?: Clock;
  windowMs?: number;
  skewMs?: number;
  metrics?: MeshMetrics;
  audit?: AuditSink;
}

export interface AppliedEnvelope extends EnvelopeFields {
  /** The delivered key. Secret: wipe it once applied. */
  readonly key: Uint8Array;
}

export interface Receiver {
  /** keyId of this node's KEM public key (lower-case hex). */
  readonly keyId: string;
  /**
   * Opens, checks and commits one envelope; resolves with its key.
   * @throws {EnvelopeRefusedError}
   */
  receive(bytes: Uint8Array): Promise<AppliedEnvelope>;
  /**
   * Opens an envelope this node already committed (from store.applied(),
   * e.g. after a restart) without the freshness, replay and rollback checks,
   * which held when it was committed: structure, issuer, signature,
   * authority, address and decryption are checked again (so a journal
   * edited on disk yields nothing, and an envelope whose issuer key was
   * since replaced in the directory is refused as unknown-issuer). Not
   * counted, not audited.
   * @throws {EnvelopeRefusedError}
   */
  reopen(bytes: Uint8Array): Promise<AppliedEnvelope>;
}

function nonNegative(field: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError(field, 'expected a non-negative integer');
  return v;
}

export function createReceiver(o: ReceiverOptions): Receiver {
  const { crypto, directory, store } = o;
  const hpke = crypto.hpke;
  const pub = decodePublicKey(checkBytes('kemPublicKey', o.kemPublicKey));
  const priv = decodePrivateKey(checkBytes('kemPrivateKey', o.kemPrivateKey));
  const kemSuite = hpke.hpkeKem.kem.suite;
  if (pub.suite.id !== kemSuite.id || priv.suite.id !== kemSuite.id) {
    priv.privateKey.fill(0);
    throw new InvalidArgumentError('kemPublicKey', `node keys must be of the HPKE suite's KEM ${kemSuite.name}`);
  }
  if (bytesToHex(hpke.hpkeKem.kem.getPublicKey(priv.privateKey)) !== bytesToHex(pub.publicKey)) {
    priv.privateKey.fill(0);
    throw new InvalidArgumentError('kemPrivateKey', 'does not belong to kemPublicKey');
  }
  const seed = priv.privateKey;
  const ourKeyId = keyId(o.kemPublicKey);
  const clock = o.clock ?? systemClock;
  const windowMs = nonNegative('windowMs', o.windowMs, DEFAULT_WINDOW_MS);
  const skewMs = nonNegative('skewMs', o.skewMs, DEFAULT_SKEW_MS);
  let queue: Promise<unknown> = Promise.resolve();

  const infoOf = (e: DecodedKeyEnvelope | undefined): RefusedEnvelopeInfo =>
    e === undefined
      ? {}
      : { envelopeId: e.envelopeId, keyName: e.keyName, version: e.version, issuerKeyId: e.issuerKeyId, recipientKeyId: e.recipientKeyId };

  /** Steps 1-5 and 9 (everything but time and the store). */
  function authenticate(bytes: Uint8Array): DecodedKeyEnvelope {
    let e: DecodedKeyEnvelope;
    try {
      e = decodeKeyEnvelope(bytes);
    } catch (err) {
      if (err instanceof HybridKemError) throw new EnvelopeRefusedError('malformed', err.message, { cause: err, code: err.code });
      throw err;
    }
    const envelope = infoOf(e);
    const issuer = directory.issuerByKeyId(e.issuerKeyId);
    if (issuer === undefined || issuer.signingSuite.id !== e.issuerSuiteId || e.issuerSuiteId !== crypto.signer.suite.id) {
      throw new EnvelopeRefusedError(
        'unknown-issuer',
        issuer === undefined ? `no trusted issuer has key id ${e.issuerKeyId}` : `issuer "${issuer.name}" signs with ${issuer.signingSuite.name}, not suite 0x${e.issuerSuiteId.toString(16)}`,
        { envelope },
      );
    }
    const issuerKey = decodeSigningPublicKey(issuer.signingPublicKey).publicKey;
    const v = crypto.signer.verify(issuerKey, e.signed, e.signature, { context: LABEL });
    if (!v.valid) {
      throw new EnvelopeRefusedError(
        'bad-signature',
        `issuer "${issuer.name}": ${v.mldsa.algorithm} ${v.mldsa.valid ? 'valid' : 'invalid'}, ${v.eddsa.algorithm} ${v.eddsa.valid ? 'valid' : 'invalid'}`,
        { envelope, verdicts: { mldsa: v.mldsa, eddsa: v.eddsa } },
      );
    }
    if (!patternCovers(issuer.keyNamePattern, e.keyName)) {
      throw new EnvelopeRefusedError('issuer-not-authorized', `issuer "${issuer.name}" may issue "${issuer.keyNamePattern}", not "${e.keyName}"`, { envelope });
    }
    if (e.recipientKeyId !== ourKeyId) {
      throw new EnvelopeRefusedError('wrong-recipient', `addressed to ${e.recipientKeyId}, this node is ${ourKeyId}`, { envelope });
    }
    return e;
  }

  /** Step 9: the sealed payload's own header, then HPKE open with the header as AAD. */
  async function decrypt(e: DecodedKeyEnvelope): Promise<Uint8Array> {
    const envelope = infoOf(e);
    const refuse = (why: string, cause?: unknown) => new EnvelopeRefusedError('undecryptable', why, { envelope, cause });
    let h;
    try {
      h = parseSealedHeader(e.sealedPayload, true);
    } catch (err) {
      throw refuse(`the sealed payload's header is malformed (${(err as Error).message})`, err);
    }
    if (h === undefined || h.keyId !== ourKeyId) throw refuse(`the sealed payload is sealed to ${h?.keyId ?? 'an unreadable key'}, not ${ourKeyId}`);
    if (h.kemId !== hpke.ids.kem || h.kdfId !== hpke.ids.kdf || h.aeadId !== hpke.ids.aead) {
      throw refuse(`the sealed payload uses HPKE suite ${h.kemId}/${h.kdfId}/${h.aeadId}, this node ${hpke.ids.kem}/${hpke.ids.kdf}/${hpke.ids.aead}`);
    }
    let key: Uint8Array;
    try {
      // open() wipes the copy of the seed it is given.
      key = await open(hpke, seed.slice(), e.sealedPayload, { aad: e.header, info: LABEL });
    } catch (err) {
      throw refuse('the sealed payload does not open', err);
    }
    if (key.length < 1 || key.length > MAX_KEY_LENGTH) {
      key.fill(0);
      throw refuse(`the key is ${key.length} bytes, expected 1 to ${MAX_KEY_LENGTH}`);
    }
    return key;
  }

  const result = (e: DecodedKeyEnvelope, key: Uint8Array): AppliedEnvelope =>
    Object.freeze({ ...envelopeFields(e), key });

  async function receiveNow(bytes: Uint8Array): Promise<AppliedEnvelope> {
    const e = authenticate(bytes);
    const envelope = infoOf(e);
    const now = clock.now();
    if (e.issuedAt > now + skewMs) {
      throw new EnvelopeRefusedError('not-yet-valid', `issued at ${e.issuedAt}, now is ${now} (skew ${skewMs} ms)`, { envelope });
    }
    if (now >= e.expiresAt + skewMs) {
      throw new EnvelopeRefusedError('expired', `expired at ${e.expiresAt}, now is ${now} (skew ${skewMs} ms)`, { envelope });
    }
    if (e.expiresAt - e.issuedAt > windowMs) {
      throw new EnvelopeRefusedError('expired', `lifetime ${e.expiresAt - e.issuedAt} ms exceeds the window of ${windowMs} ms`, { envelope });
    }
    if (store.hasApplied(e.envelopeId)) throw new EnvelopeRefusedError('replay', `envelope ${e.envelopeId} was already applied`, { envelope });
    const held = store.latestVersion(e.keyName);
    if (e.version <= held) {
      throw new EnvelopeRefusedError('rollback', `key "${e.keyName}" version ${e.version} is not above the held version ${held}`, { envelope });
    }
    const key = await decrypt(e);
    try {
      await store.commit({ ...envelopeFields(e), bytes: e.bytes });
    } catch (err) {
      key.fill(0);
      throw err;
    }
    const appliedAt = clock.now();
    if (o.metrics) {
      o.metrics.applied.inc();
      o.metrics.deliveryLatency.observe(Math.max(0, appliedAt - e.issuedAt) / 1000);
    }
    await o.audit?.append('deliver', {
      envelopeId: e.envelopeId,
      keyName: e.keyName,
      version: e.version,
      issuerKeyId: e.issuerKeyId,
      recipientKeyId: ourKeyId,
      issuedAt: e.issuedAt,
      appliedAt,
    });
    return result(e, key);
  }

  async function refused(err: unknown): Promise<never> {
    if (err instanceof EnvelopeRefusedError) {
      o.metrics?.refuse(err.reason);
      if (o.audit) {
        const data: Record<string, string | number> = { reason: err.reason, code: err.code, recipientKeyId: ourKeyId };
        for (const [k, v] of Object.entries(err.envelope)) if (v !== undefined) data[k] = v;
        await o.audit.append('refuse', data);
      }
    }
    throw err;
  }

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  }

  return Object.freeze({
    keyId: ourKeyId,
    receive: (bytes: Uint8Array) => serial(() => receiveNow(bytes).catch(refused)),
    reopen: (bytes: Uint8Array) =>
      serial(async () => {
        const e = authenticate(bytes);
        return result(e, await decrypt(e));
      }),
  });
}

/** The refusal reason of an error, or undefined when it is not a refusal. */
export function refusalReason(error: unknown): RefusalReason | undefined {
  return error instanceof EnvelopeRefusedError ? error.reason : undefined;
}
