// Shared fixtures: a trust anchor, an issuer and nodes with noble keys, an
// in-memory audit sink and a clock the tests move by hand.
import { encodePrivateKey, encodePublicKey, type Backend } from '@hybridkem/core';
import { backend as nobleBackend, signatureBackend as nobleSignatureBackend } from '@hybridkem/noble';
import { createHpkeSuite } from '@hybridkem/seal';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey, type SignatureBackend } from '@hybridkem/signing';
import type { AuditData, AuditEventType, AuditSink } from '../src/audit/sink.js';
import type { MeshCrypto } from '../src/crypto.js';
import { createDirectoryRecord } from '../src/directory/record.js';
import { TrustedDirectory } from '../src/directory/trusted.js';

export const T0 = Date.UTC(2026, 0, 1); // 1767225600000

export function makeCrypto(backend: Backend = nobleBackend, signatureBackend: SignatureBackend = nobleSignatureBackend): MeshCrypto {
  return Object.freeze({
    hpke: createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM', backend }),
    signer: createSigner('MLDSA65-Ed25519-SHA512', signatureBackend),
  });
}

export interface SigningKeys {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
  /** The raw composite private key, for tests that sign arbitrary bytes. */
  readonly raw: Uint8Array;
}

export function signingKeys(crypto: MeshCrypto): SigningKeys {
  const kp = crypto.signer.keygen();
  return {
    publicKey: encodeSigningPublicKey(crypto.signer.suite, kp.publicKey),
    privateKey: encodeSigningPrivateKey(crypto.signer.suite, kp.privateKey),
    raw: kp.privateKey,
  };
}

export interface KemKeys {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export function kemKeys(crypto: MeshCrypto): KemKeys {
  const kem = crypto.hpke.hpkeKem.kem;
  const kp = kem.keygen();
  return { publicKey: encodePublicKey(kem.suite.id, kp.publicKey), privateKey: encodePrivateKey(kem.suite.id, kp.privateKey) };
}

export class ManualClock {
  constructor(public t = T0) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export class MemoryAudit implements AuditSink {
  readonly events: { type: AuditEventType; data: AuditData }[] = [];
  async append(type: AuditEventType, data: AuditData): Promise<void> {
    this.events.push({ type, data });
  }
}

/** A mesh: anchor, one issuer ("issuer-a", pattern given), nodes, and a directory per node. */
export function makeMesh(crypto: MeshCrypto, o: { pattern?: string; nodes?: number } = {}) {
  const anchor = signingKeys(crypto);
  const issuer = signingKeys(crypto);
  /** Revision 1 of a record signed by the anchor at T0. */
  const anchored = (fields: Pick<Parameters<typeof createDirectoryRecord>[0], 'role' | 'name' | 'signingPublicKey' | 'kemPublicKey' | 'keyNamePattern'>) =>
    createDirectoryRecord({ crypto, anchorPrivateKey: anchor.privateKey, anchorPublicKey: anchor.publicKey, revision: 1, issuedAt: T0, ...fields });
  const issuerRecord = anchored({ role: 'issuer', name: 'issuer-a', signingPublicKey: issuer.publicKey, keyNamePattern: o.pattern ?? '*' });
  const nodes = Array.from({ length: o.nodes ?? 1 }, (_, i) => {
    const kem = kemKeys(crypto);
    const signing = signingKeys(crypto);
    const record = anchored({ role: 'node', name: `node-${i}`, kemPublicKey: kem.publicKey, signingPublicKey: signing.publicKey });
    return { kem, signing, record };
  });
  const directory = () => {
    const d = new TrustedDirectory({ crypto, anchorPublicKey: anchor.publicKey });
    d.add(issuerRecord);
    for (const n of nodes) d.add(n.record);
    return d;
  };
  return { anchor, issuer, issuerRecord, nodes, directory };
}

export const utf8 = (s: string) => new TextEncoder().encode(s);
