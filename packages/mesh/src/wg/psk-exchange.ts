/**
 * The PSK exchange of one node (spec/MESH.md §10): for each pair {A, B}
 * (A < B) and epoch, the initiator A encapsulates to B's hybrid KEM key and
 * signs an initiation; the responder B checks it, encapsulates to A's key
 * and signs a response; both derive
 *
 *     PSK = HKDF-SHA-256(salt = SHA-256(m_I) ‖ SHA-256(m_R),
 *                        IKM = ss_I ‖ ss_R,
 *                        info = "hybridkem/v1/mesh/wg-psk" ‖ u8|A| ‖ A ‖ u8|B| ‖ B ‖ u64 epoch, L = 32).
 *
 * Receiving runs the checks of §10.3 in order, the first failure a
 * PskExchangeRefusedError; the KEM runs only after the signature, the
 * address, the pair, freshness, replay and epoch all passed. Keys come from
 * the node's own identity and its peers' anchor-verified directory records.
 * @module
 */
import { bytesToHex, decodePrivateKey, decodePublicKey, HybridKemError, InvalidArgumentError, keyId, type Kem } from '@hybridkem/core';
import { decodeSigningPrivateKey, decodeSigningPublicKey, signingKeyId } from '@hybridkem/signing';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { systemClock, type Clock } from '../clock.js';
import type { MeshCrypto } from '../crypto.js';
import type { DirectoryRecord } from '../directory/record.js';
import type { TrustedDirectory } from '../directory/trusted.js';
import { ascii, checkBytes } from '../envelope/bytes.js';
import type { WgMetrics } from './metrics.js';
import { decodePskMessage, encodePskSignedPart, isValidNodeName, PSK_LABEL, type DecodedPskMessage } from './psk-format.js';
import { PskExchangeRefusedError, type RefusedPskMessageInfo } from './refusals.js';

/** WireGuard's pre-shared key length (NDSS 2017 §5.2). */
export const PSK_LENGTH = 32;
/** Default lifetime of a message: expires-at − issued-at (spec/MESH.md §10.3). */
export const DEFAULT_PSK_LIFETIME_MS = 30_000;
/** Default freshness window: a longer lifetime is refused as expired. */
export const DEFAULT_PSK_WINDOW_MS = 60_000;
/** Default clock skew allowed between nodes. */
export const DEFAULT_PSK_SKEW_MS = 10_000;

const LABEL = ascii(PSK_LABEL);

/** A pair as the exchange sees it: the two names, lower first. */
export interface PskPair {
  readonly a: string;
  readonly b: string;
}

/** The two names in pair order (A < B by byte order), checked. */
export function orderPair(x: string, y: string): PskPair {
  if (!isValidNodeName(x) || !isValidNodeName(y)) throw new InvalidArgumentError('pair', 'expected two node names of 1 to 64 characters of a-z 0-9 -');
  if (x === y) throw new InvalidArgumentError('pair', `a node cannot pair with itself ("${x}")`);
  return x < y ? { a: x, b: y } : { a: y, b: x };
}

/** "A,B" (A < B): how a pair is written in the audit log and metrics. */
export function pairKey(x: string, y: string): string {
  const p = orderPair(x, y);
  return `${p.a},${p.b}`;
}

/** The HKDF `info` of a pair and epoch (spec/MESH.md §10.4). */
export function pskInfo(a: string, b: string, epoch: number): Uint8Array {
  const A = ascii(a);
  const B = ascii(b);
  const out = new Uint8Array(LABEL.length + 1 + A.length + 1 + B.length + 8);
  let o = 0;
  out.set(LABEL, o);
  o += LABEL.length;
  out[o++] = A.length;
  out.set(A, o);
  o += A.length;
  out[o++] = B.length;
  out.set(B, o);
  o += B.length;
  const view = new DataView(out.buffer);
  view.setUint32(o, Math.floor(epoch / 0x100000000));
  view.setUint32(o + 4, epoch >>> 0);
  return out;
}

/**
 * PSK_e of spec/MESH.md §10.4 from the two shared secrets and the two whole
 * messages. `a` < `b`; `initiatorSecret` is ss_I (encapsulated by `a` to
 * `b`), `responderSecret` ss_R. Does not wipe its inputs.
 */
export function derivePsk(d: {
  a: string;
  b: string;
  epoch: number;
  initiatorSecret: Uint8Array;
  responderSecret: Uint8Array;
  initiation: Uint8Array;
  response: Uint8Array;
}): Uint8Array {
  const pair = orderPair(d.a, d.b);
  if (pair.a !== d.a) throw new InvalidArgumentError('a', 'the initiator must be the lower name');
  const salt = new Uint8Array(64);
  salt.set(sha256(d.initiation), 0);
  salt.set(sha256(d.response), 32);
  const ikm = new Uint8Array(d.initiatorSecret.length + d.responderSecret.length);
  ikm.set(d.initiatorSecret, 0);
  ikm.set(d.responderSecret, d.initiatorSecret.length);
  try {
    return hkdf(sha256, ikm, salt, pskInfo(pair.a, pair.b, d.epoch), PSK_LENGTH);
  } finally {
    ikm.fill(0);
  }
}

/** A node's own keys, all encoded v1 objects (kinds 0x01, 0x02, 0x05, 0x06). */
export interface PskNodeKeys {
  readonly name: string;
  readonly kemPublicKey: Uint8Array;
  readonly kemPrivateKey: Uint8Array;
  readonly signingPublicKey: Uint8Array;
  readonly signingPrivateKey: Uint8Array;
}

export interface PskExchangeOptions {
  crypto: MeshCrypto;
  node: PskNodeKeys;
  /** The anchor-verified directory: peers' KEM and signing keys come from their node records. */
  directory: TrustedDirectory;
  /** Whether the topology lets these two nodes peer (default: any two). */
  isPairAllowed?: (a: string, b: string) => boolean;
  clock?: Clock;
  lifetimeMs?: number;
  windowMs?: number;
  skewMs?: number;
  metrics?: WgMetrics;
}

/** An initiation this node sent and waits on. */
export interface PskInitiation {
  readonly peer: string;
  readonly epoch: number;
  readonly exchangeId: string;
  readonly bytes: Uint8Array;
}

/** The result of accepting a message: for an initiation, the response to send back; the PSK to apply (secret: wipe once applied). */
export type PskReceived =
  | { readonly type: 'initiation'; readonly peer: string; readonly epoch: number; readonly exchangeId: string; readonly response: Uint8Array; readonly psk: Uint8Array }
  | { readonly type: 'response'; readonly peer: string; readonly epoch: number; readonly exchangeId: string; readonly psk: Uint8Array };

/** Test-only derandomization: the KEM encapsulation randomness (suite.lengths.randomness bytes) of the next message. */
export interface EncapsulationOptions {
  randomness?: Uint8Array;
}

export interface PskExchange {
  readonly name: string;
  /** keyId of this node's KEM public key (lower-case hex). */
  readonly keyId: string;
  /**
   * Builds and signs an initiation of `epoch` to `peer` (this node must be the
   * pair's lower name) and keeps it as the pair's outstanding initiation,
   * replacing (and wiping) any earlier one.
   * @throws {InvalidArgumentError} not the initiator, no node record for the peer, a bad epoch
   */
  initiate(peer: string, epoch: number, options?: EncapsulationOptions): PskInitiation;
  /**
   * Checks one message (spec/MESH.md §10.3) and, for an initiation, builds the
   * response; returns the PSK.
   * @throws {PskExchangeRefusedError}
   */
  receive(bytes: Uint8Array, options?: EncapsulationOptions): PskReceived;
  /** Forgets the outstanding initiation to `peer` (an aborted epoch), wiping its secret. */
  abort(peer: string): void;
  /** The highest epoch this node accepted or completed for the pair with `peer` (0: none). */
  epoch(peer: string): number;
  /** Whether an initiation to `peer` is outstanding. */
  pending(peer: string): PskInitiation | undefined;
  /** Refuse messages signed under `node`'s records with revision ≤ `revision` (spec/MESH.md §11.3). */
  revoke(node: string, revision: number): void;
  /** Wipes the private keys and every outstanding secret. */
  destroy(): void;
}

function nonNegative(field: string, v: unknown, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new InvalidArgumentError(field, `expected an integer ≥ ${min}`);
  return v;
}

interface Outstanding extends PskInitiation {
  readonly hash: string;
  readonly secret: Uint8Array;
}

/**
 * The PSK exchange of one node.
 * @throws {InvalidArgumentError} keys of another suite than the crypto's, a private key that is not its public key's
 */
export function createPskExchange(o: PskExchangeOptions): PskExchange {
  const { crypto, directory } = o;
  const me = o.node.name;
  if (!isValidNodeName(me)) throw new InvalidArgumentError('node.name', 'expected 1 to 64 characters of a-z 0-9 -');
  const kem: Kem = crypto.hpke.hpkeKem.kem;
  const kemPub = decodePublicKey(checkBytes('node.kemPublicKey', o.node.kemPublicKey));
  const kemPriv = decodePrivateKey(checkBytes('node.kemPrivateKey', o.node.kemPrivateKey));
  const sigPub = decodeSigningPublicKey(checkBytes('node.signingPublicKey', o.node.signingPublicKey));
  const sigPriv = decodeSigningPrivateKey(checkBytes('node.signingPrivateKey', o.node.signingPrivateKey));
  const wipeKeys = () => {
    kemPriv.privateKey.fill(0);
    sigPriv.privateKey.fill(0);
  };
  if (kemPub.suite.id !== kem.suite.id || kemPriv.suite.id !== kem.suite.id) {
    wipeKeys();
    throw new InvalidArgumentError('node.kemPublicKey', `node KEM keys must be of the HPKE suite's KEM ${kem.suite.name}`);
  }
  if (bytesToHex(kem.getPublicKey(kemPriv.privateKey)) !== bytesToHex(kemPub.publicKey)) {
    wipeKeys();
    throw new InvalidArgumentError('node.kemPrivateKey', 'does not belong to node.kemPublicKey');
  }
  const signer = crypto.signer;
  if (sigPub.suite.id !== signer.suite.id || sigPriv.suite.id !== signer.suite.id) {
    wipeKeys();
    throw new InvalidArgumentError('node.signingPublicKey', `node signing keys must be of the signer's suite ${signer.suite.name}`);
  }
  if (bytesToHex(signer.getPublicKey(sigPriv.privateKey)) !== bytesToHex(sigPub.publicKey)) {
    wipeKeys();
    throw new InvalidArgumentError('node.signingPrivateKey', 'does not belong to node.signingPublicKey');
  }
  const seed = kemPriv.privateKey;
  const signingKey = sigPriv.privateKey;
  const ourKeyId = keyId(o.node.kemPublicKey);
  const ourSigningKeyId = signingKeyId(o.node.signingPublicKey);
  const clock = o.clock ?? systemClock;
  const lifetimeMs = nonNegative('lifetimeMs', o.lifetimeMs, DEFAULT_PSK_LIFETIME_MS, 1);
  const windowMs = nonNegative('windowMs', o.windowMs, DEFAULT_PSK_WINDOW_MS);
  const skewMs = nonNegative('skewMs', o.skewMs, DEFAULT_PSK_SKEW_MS);
  const allowed = o.isPairAllowed ?? (() => true);

  /** Accepted exchange ids → until when they are remembered. */
  const seen = new Map<string, number>();
  /** Per peer: the highest epoch accepted or completed. */
  const epochs = new Map<string, number>();
  const outstanding = new Map<string, Outstanding>();
  /** Per node name: records with revision ≤ this are refused. */
  const revokedUpTo = new Map<string, number>();
  let destroyed = false;

  const alive = () => {
    if (destroyed) throw new InvalidArgumentError('exchange', 'destroyed');
  };

  function peerRecord(peer: string): DirectoryRecord {
    const r = directory.node(peer);
    if (r === undefined || r.kemPublicKey === undefined) throw new InvalidArgumentError('peer', `no node record with a KEM key for "${peer}"`);
    return r;
  }

  /** Encapsulates to the record's KEM key; builds, signs, and returns the message and the secret. */
  function build(
    peer: DirectoryRecord,
    type: 'initiation' | 'response',
    epoch: number,
    inReplyTo: string | undefined,
    enc: EncapsulationOptions | undefined,
  ): { bytes: Uint8Array; exchangeId: string; secret: Uint8Array } {
    const pub = decodePublicKey(peer.kemPublicKey!);
    if (pub.suite.id !== kem.suite.id) throw new InvalidArgumentError('peer', `"${peer.name}" has a ${pub.suite.name} key, this mesh runs ${kem.suite.name}`);
    const { ciphertext, sharedSecret } = kem.encapsulate(pub.publicKey, enc?.randomness);
    const issuedAt = clock.now();
    const exchangeId = bytesToHex(randomBytes(16));
    try {
      const signed = encodePskSignedPart(
        {
          senderSuiteId: signer.suite.id,
          senderKeyId: ourSigningKeyId,
          kemSuiteId: kem.suite.id,
          recipientKeyId: keyId(peer.kemPublicKey!),
          exchangeId,
          epoch,
          issuedAt,
          expiresAt: issuedAt + lifetimeMs,
          type,
          inReplyTo,
          sender: me,
          recipient: peer.name,
        },
        ciphertext,
      );
      const signature = signer.sign(signingKey, signed, { context: LABEL });
      const bytes = new Uint8Array(signed.length + signature.length);
      bytes.set(signed);
      bytes.set(signature, signed.length);
      return { bytes, exchangeId, secret: sharedSecret };
    } catch (e) {
      sharedSecret.fill(0);
      throw e;
    }
  }

  function prune(now: number): void {
    for (const [id, until] of seen) if (until <= now) seen.delete(id);
  }

  function infoOf(m: DecodedPskMessage): RefusedPskMessageInfo {
    return { exchangeId: m.exchangeId, sender: m.sender, recipient: m.recipient, epoch: m.epoch, type: m.type };
  }

  function check(bytes: Uint8Array): { m: DecodedPskMessage; sender: DirectoryRecord } {
    let m: DecodedPskMessage;
    try {
      m = decodePskMessage(bytes);
    } catch (err) {
      if (err instanceof HybridKemError) throw new PskExchangeRefusedError('malformed', err.message, { cause: err, code: err.code });
      throw err;
    }
    const message = infoOf(m);
    // 2: the sender is a node the anchor vouches for, with this signing key.
    const sender = directory.node(m.sender);
    if (sender === undefined || sender.signingKeyId !== m.senderKeyId || sender.signingSuite.id !== m.senderSuiteId || m.senderSuiteId !== signer.suite.id) {
      throw new PskExchangeRefusedError(
        'unknown-sender',
        sender === undefined ? `no node record for "${m.sender}"` : `"${m.sender}" has signing key ${sender.signingKeyId} (${sender.signingSuite.name}), not ${m.senderKeyId}`,
        { message },
      );
    }
    const floor = revokedUpTo.get(m.sender);
    if (floor !== undefined && sender.revision <= floor) {
      throw new PskExchangeRefusedError('revoked', `"${m.sender}" revision ${sender.revision} is revoked (up to ${floor}) and no newer record arrived`, { message });
    }
    // 3: both signature components.
    const v = signer.verify(decodeSigningPublicKey(sender.signingPublicKey).publicKey, m.signed, m.signature, { context: LABEL });
    if (!v.valid) {
      throw new PskExchangeRefusedError(
        'bad-signature',
        `"${m.sender}": ${v.mldsa.algorithm} ${v.mldsa.valid ? 'valid' : 'invalid'}, ${v.eddsa.algorithm} ${v.eddsa.valid ? 'valid' : 'invalid'}`,
        { message, verdicts: { mldsa: v.mldsa, eddsa: v.eddsa } },
      );
    }
    // 4: addressed to this node's name and KEM key, of this node's KEM suite.
    if (m.recipient !== me || m.recipientKeyId !== ourKeyId || m.kemSuiteId !== kem.suite.id) {
      throw new PskExchangeRefusedError('wrong-recipient', `addressed to "${m.recipient}" key ${m.recipientKeyId} (KEM suite 0x${m.kemSuiteId.toString(16)}), this node is "${me}" key ${ourKeyId}`, {
        message,
      });
    }
    // 5: a pair of the topology, in the right direction.
    const initiatorIsSender = m.sender < m.recipient;
    if (!allowed(m.sender, m.recipient) || initiatorIsSender !== (m.type === 'initiation')) {
      throw new PskExchangeRefusedError(
        'pair-not-allowed',
        !allowed(m.sender, m.recipient) ? `the topology does not pair "${m.sender}" and "${m.recipient}"` : `a ${m.type} from "${m.sender}" to "${m.recipient}" is against the pair order`,
        { message },
      );
    }
    // 6: freshness.
    const now = clock.now();
    if (m.issuedAt > now + skewMs) throw new PskExchangeRefusedError('not-yet-valid', `issued at ${m.issuedAt}, now is ${now} (skew ${skewMs} ms)`, { message });
    if (now >= m.expiresAt + skewMs) throw new PskExchangeRefusedError('expired', `expired at ${m.expiresAt}, now is ${now} (skew ${skewMs} ms)`, { message });
    if (m.expiresAt - m.issuedAt > windowMs) {
      throw new PskExchangeRefusedError('expired', `lifetime ${m.expiresAt - m.issuedAt} ms exceeds the window of ${windowMs} ms`, { message });
    }
    // 7: replay.
    prune(now);
    if (seen.has(m.exchangeId)) throw new PskExchangeRefusedError('replay', `exchange ${m.exchangeId} was already accepted`, { message });
    // 8: epoch.
    if (m.type === 'initiation') {
      const held = epochs.get(m.sender) ?? 0;
      if (m.epoch <= held) throw new PskExchangeRefusedError('old-epoch', `epoch ${m.epoch} is not above the pair's epoch ${held}`, { message });
    } else {
      const out = outstanding.get(m.sender);
      if (out === undefined || out.epoch !== m.epoch || out.hash !== m.inReplyTo) {
        throw new PskExchangeRefusedError(
          'old-epoch',
          out === undefined ? `no initiation to "${m.sender}" is outstanding` : `the outstanding initiation is epoch ${out.epoch}, this response answers epoch ${m.epoch}${out.hash === m.inReplyTo ? '' : ' and another initiation'}`,
          { message },
        );
      }
    }
    return { m, sender };
  }

  function decapsulate(m: DecodedPskMessage): Uint8Array {
    try {
      return kem.decapsulate(seed, m.ciphertext);
    } catch (err) {
      throw new PskExchangeRefusedError('undecapsulable', `the ${m.kemSuite.name} ciphertext was refused by the KEM`, { cause: err, message: infoOf(m) });
    }
  }

  function receiveNow(bytes: Uint8Array, enc: EncapsulationOptions | undefined): PskReceived {
    const { m, sender } = check(bytes);
    const ss = decapsulate(m);
    try {
      if (m.type === 'initiation') {
        const r = build(sender, 'response', m.epoch, bytesToHex(sha256(m.bytes)), enc);
        try {
          const psk = derivePsk({ a: m.sender, b: me, epoch: m.epoch, initiatorSecret: ss, responderSecret: r.secret, initiation: m.bytes, response: r.bytes });
          seen.set(m.exchangeId, m.expiresAt + skewMs);
          epochs.set(m.sender, m.epoch);
          return Object.freeze({ type: 'initiation', peer: m.sender, epoch: m.epoch, exchangeId: m.exchangeId, response: r.bytes, psk });
        } finally {
          r.secret.fill(0);
        }
      }
      const out = outstanding.get(m.sender)!;
      const psk = derivePsk({ a: me, b: m.sender, epoch: m.epoch, initiatorSecret: out.secret, responderSecret: ss, initiation: out.bytes, response: m.bytes });
      seen.set(m.exchangeId, m.expiresAt + skewMs);
      epochs.set(m.sender, Math.max(m.epoch, epochs.get(m.sender) ?? 0));
      out.secret.fill(0);
      outstanding.delete(m.sender);
      return Object.freeze({ type: 'response', peer: m.sender, epoch: m.epoch, exchangeId: m.exchangeId, psk });
    } finally {
      ss.fill(0);
    }
  }

  function receive(bytes: Uint8Array, enc?: EncapsulationOptions): PskReceived {
    alive();
    try {
      return receiveNow(bytes, enc);
    } catch (err) {
      if (err instanceof PskExchangeRefusedError) o.metrics?.refuse(err.reason);
      throw err;
    }
  }

  function initiate(peer: string, epoch: number, enc?: EncapsulationOptions): PskInitiation {
    alive();
    const pair = orderPair(me, peer);
    if (pair.a !== me) throw new InvalidArgumentError('peer', `"${me}" is the responder of the pair with "${peer}" (initiations come from the lower name)`);
    if (!allowed(me, peer)) throw new InvalidArgumentError('peer', `the topology does not pair "${me}" and "${peer}"`);
    if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 1) throw new InvalidArgumentError('epoch', 'expected an integer from 1 to 2^53 − 1');
    const record = peerRecord(peer);
    const built = build(record, 'initiation', epoch, undefined, enc);
    abort(peer);
    const out: Outstanding = Object.freeze({ peer, epoch, exchangeId: built.exchangeId, bytes: built.bytes, hash: bytesToHex(sha256(built.bytes)), secret: built.secret });
    outstanding.set(peer, out);
    return Object.freeze({ peer, epoch, exchangeId: out.exchangeId, bytes: out.bytes });
  }

  function abort(peer: string): void {
    const out = outstanding.get(peer);
    if (out !== undefined) {
      out.secret.fill(0);
      outstanding.delete(peer);
    }
  }

  return Object.freeze({
    name: me,
    keyId: ourKeyId,
    initiate,
    receive,
    abort,
    epoch: (peer: string) => epochs.get(peer) ?? 0,
    pending: (peer: string): PskInitiation | undefined => {
      const out = outstanding.get(peer);
      return out === undefined ? undefined : Object.freeze({ peer: out.peer, epoch: out.epoch, exchangeId: out.exchangeId, bytes: out.bytes });
    },
    revoke(node: string, revision: number): void {
      if (!isValidNodeName(node)) throw new InvalidArgumentError('node', 'expected a node name');
      if (!Number.isSafeInteger(revision) || revision < 0) throw new InvalidArgumentError('revision', 'expected a non-negative integer');
      revokedUpTo.set(node, Math.max(revision, revokedUpTo.get(node) ?? 0));
    },
    destroy(): void {
      if (destroyed) return;
      destroyed = true;
      for (const peer of [...outstanding.keys()]) abort(peer);
      wipeKeys();
    },
  });
}
