/**
 * The issuer side of key envelopes (spec/MESH.md §2): seal the key to the
 * recipient's KEM key with every header field as the AAD (RFC 9180 §5.2
 * `aad`; `info` = "hybridkem/v1/mesh/envelope"), then sign the header, the
 * payload length and the payload with the issuer's composite key (context
 * "hybridkem/v1/mesh/envelope", spec/WIRE-FORMAT.md §6.2). Encrypt-then-sign
 * with the issuer's key id inside the AAD: an attacker who strips the
 * signature and signs with another key changes the AAD, so the payload no
 * longer opens (D. Davis, "Defective Sign & Encrypt in S/MIME, PKCS#7,
 * MOSS, PEM, PGP, and XML", USENIX 2001).
 * @module
 */
import { bytesToHex, decodePublicKey, InvalidArgumentError, KEY_ID_LENGTH } from '@hybridkem/core';
import { sha256 } from '@noble/hashes/sha2.js';
import { seal } from '@hybridkem/seal';
import { decodeSigningPrivateKey, decodeSigningPublicKey, signingKeyId } from '@hybridkem/signing';
import type { AuditSink } from './audit/sink.js';
import { systemClock, type Clock } from './clock.js';
import type { MeshCrypto } from './crypto.js';
import { ascii, checkBytes, checkU64 } from './envelope/bytes.js';
import {
  assembleEnvelope,
  checkKeyName,
  encodeEnvelopeHeader,
  ENVELOPE_LABEL,
  MAX_KEY_LENGTH,
  signedPart,
} from './envelope/format.js';
import type { MeshMetrics } from './metrics.js';

/** Default lifetime of an envelope: the receiver's default freshness window, 15 minutes. */
export const DEFAULT_LIFETIME_MS = 15 * 60_000;

const LABEL = ascii(ENVELOPE_LABEL);

/**
 * How many recipients' validated KEM public keys an issuer keeps (least
 * recently used dropped first). Validating an X25519 part is a full scalar
 * multiplication in JavaScript (core's low-order check, ~1.5 ms), far more
 * than sealing and signing together; an issuer sends to the same nodes over
 * and over. An entry is at most ~1.7 KB (the largest v1 public key), so the
 * cache stays under ~2 MB. Exported for tests.
 * @internal
 */
export const RECIPIENT_CACHE_SIZE = 1024;

interface Recipient {
  /** The raw public key decodePublicKey returned (its own copy, never handed out). */
  readonly publicKey: Uint8Array;
  readonly keyId: string;
}

export interface IssuerOptions {
  crypto: MeshCrypto;
  /** Encoded v1 signing private key (kind 0x06), of the signer's suite. Copied. */
  signingPrivateKey: Uint8Array;
  /** Encoded v1 signing public key (kind 0x05), the private key's. */
  signingPublicKey: Uint8Array;
  clock?: Clock;
  /** expires-at − issued-at, 1 ms to 2^31 ms; default 15 minutes. A receiver refuses more than its window. */
  lifetimeMs?: number;
  metrics?: MeshMetrics;
  audit?: AuditSink;
}

export interface IssueRequest {
  /** Encoded v1 KEM public key (kind 0x01) of the recipient, of the HPKE suite's KEM. */
  recipientKemPublicKey: Uint8Array;
  keyName: string;
  /** 1..2^53−1, above what the recipients hold for keyName. */
  version: number;
  /** The key to deliver, 1..4096 bytes. Not kept. */
  key: Uint8Array;
}

export interface IssuedEnvelope {
  readonly bytes: Uint8Array;
  readonly envelopeId: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface Issuer {
  /** signingKeyId of the issuer's signing public key (lower-case hex). */
  readonly keyId: string;
  issue(r: IssueRequest): Promise<IssuedEnvelope>;
}

/**
 * @throws {InvalidArgumentError} keys of another suite than crypto.signer's, a private key that is not the public key's, a bad lifetime
 */
export function createIssuer(o: IssuerOptions): Issuer {
  const { crypto } = o;
  const pub = decodeSigningPublicKey(checkBytes('signingPublicKey', o.signingPublicKey));
  const priv = decodeSigningPrivateKey(checkBytes('signingPrivateKey', o.signingPrivateKey));
  const suite = crypto.signer.suite;
  if (pub.suite.id !== suite.id || priv.suite.id !== suite.id) {
    priv.privateKey.fill(0);
    throw new InvalidArgumentError('signingPublicKey', `issuer keys must be of the signer's suite ${suite.name}`);
  }
  if (bytesToHex(crypto.signer.getPublicKey(priv.privateKey)) !== bytesToHex(pub.publicKey)) {
    priv.privateKey.fill(0);
    throw new InvalidArgumentError('signingPrivateKey', 'does not belong to signingPublicKey');
  }
  const lifetimeMs = o.lifetimeMs ?? DEFAULT_LIFETIME_MS;
  if (!Number.isSafeInteger(lifetimeMs) || lifetimeMs < 1 || lifetimeMs > 2 ** 31) {
    priv.privateKey.fill(0);
    throw new InvalidArgumentError('lifetimeMs', `expected 1 to 2^31, got ${String(lifetimeMs)}`);
  }
  const clock = o.clock ?? systemClock;
  const issuerKeyId = signingKeyId(o.signingPublicKey);
  const privateKey = priv.privateKey;
  const kemSuiteId = crypto.hpke.hpkeKem.kem.suite.id;
  // Keyed by the SHA-256 of the whole encoded key, so a hit is the very same
  // bytes that were validated (a caller changing its array in place misses).
  const recipients = new Map<string, Recipient>();

  /**
   * Decodes and validates an encoded recipient key once (core's
   * decodePublicKey: header, length, ML-KEM modulus check, X25519 low-order
   * check), and its key id: the first 16 bytes of that same SHA-256
   * (spec/WIRE-FORMAT.md §4, what core's keyId returns, without validating
   * the key a second time). Keys that fail are not kept: they throw every time.
   */
  function recipientOf(encoded: Uint8Array): Recipient {
    const digest = sha256(encoded);
    const id = bytesToHex(digest);
    const hit = recipients.get(id);
    if (hit !== undefined) {
      recipients.delete(id);
      recipients.set(id, hit);
      return hit;
    }
    const decoded = decodePublicKey(encoded);
    if (decoded.suite.id !== kemSuiteId) {
      throw new InvalidArgumentError('recipientKemPublicKey', `is a ${decoded.suite.name} key, the HPKE suite's KEM is ${crypto.hpke.kem}`);
    }
    const entry: Recipient = Object.freeze({ publicKey: decoded.publicKey, keyId: bytesToHex(digest.subarray(0, KEY_ID_LENGTH)) });
    if (recipients.size >= RECIPIENT_CACHE_SIZE) recipients.delete(recipients.keys().next().value!);
    recipients.set(id, entry);
    return entry;
  }

  async function issue(r: IssueRequest): Promise<IssuedEnvelope> {
    if (typeof r !== 'object' || r === null) throw new InvalidArgumentError('request', 'expected an object');
    const recipient = recipientOf(checkBytes('recipientKemPublicKey', r.recipientKemPublicKey));
    const keyName = checkKeyName(r.keyName);
    const version = checkU64('version', r.version, 1);
    const key = checkBytes('key', r.key);
    if (key.length < 1 || key.length > MAX_KEY_LENGTH) throw new InvalidArgumentError('key', `expected 1 to ${MAX_KEY_LENGTH} bytes, got ${key.length}`);
    const issuedAt = clock.now();
    const expiresAt = issuedAt + lifetimeMs;
    const envelopeId = bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const recipientKeyId = recipient.keyId;
    const header = encodeEnvelopeHeader({
      issuerSuiteId: suite.id,
      issuerKeyId,
      recipientKeyId,
      envelopeId,
      version,
      issuedAt,
      expiresAt,
      keyName,
    });
    const sealed = await seal(crypto.hpke, recipient.publicKey, key, { aad: header, info: LABEL });
    const signed = signedPart(header, sealed);
    const signature = crypto.signer.sign(privateKey, signed, { context: LABEL });
    const bytes = assembleEnvelope(signed, signature);
    o.metrics?.issued.inc();
    await o.audit?.append('issue', { envelopeId, keyName, version, issuerKeyId, recipientKeyId, issuedAt, expiresAt });
    return Object.freeze({ bytes, envelopeId, issuedAt, expiresAt });
  }

  return Object.freeze({ keyId: issuerKeyId, issue });
}
