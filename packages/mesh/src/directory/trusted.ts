/**
 * The directory a node trusts (spec/MESH.md §3): only records that verify
 * under the configured trust anchor's key are kept, one per name, the
 * highest revision seen. A lower revision, or the same revision with other
 * bytes, is refused as a directory rollback, so whoever can write to the
 * transport (NATS) can neither swap a key nor bring back an old one.
 * @module
 */
import { bytesToHex, HybridKemError } from '@hybridkem/core';
import { decodeSigningPublicKey, signingKeyId } from '@hybridkem/signing';
import type { MeshCrypto } from '../crypto.js';
import { ascii, checkBytes } from '../envelope/bytes.js';
import { DirectoryError } from '../errors.js';
import { decodeDirectoryRecord, DIRECTORY_LABEL, type DirectoryRecord } from './record.js';

const CONTEXT = ascii(DIRECTORY_LABEL);

export class TrustedDirectory {
  readonly #crypto: MeshCrypto;
  readonly #anchorPublicKey: Uint8Array;
  readonly #anchorSuiteId: number;
  /** Lower-case hex key id of the anchor's signing public key. */
  readonly anchorKeyId: string;
  readonly #byName = new Map<string, DirectoryRecord>();
  readonly #issuers = new Map<string, DirectoryRecord>();

  /**
   * @param o.anchorPublicKey - the trust anchor's encoded signing public key (kind 0x05), of the signer's suite
   * @throws core's decoding errors for the anchor key; InvalidArgumentError when its suite is not the signer's
   */
  constructor(o: { crypto: MeshCrypto; anchorPublicKey: Uint8Array }) {
    const decoded = decodeSigningPublicKey(checkBytes('anchorPublicKey', o.anchorPublicKey));
    if (decoded.suite.id !== o.crypto.signer.suite.id) {
      throw new DirectoryError('unknown-anchor', `the anchor key is ${decoded.suite.name}, the signer is ${o.crypto.signer.suite.name}`);
    }
    this.#crypto = o.crypto;
    this.#anchorPublicKey = decoded.publicKey;
    this.#anchorSuiteId = decoded.suite.id;
    this.anchorKeyId = signingKeyId(o.anchorPublicKey);
  }

  /**
   * Verifies a record and keeps it: the anchor's key id and suite, the
   * anchor's signature (both components), then the revision rule. Adding the
   * record already held is a no-op that returns it.
   * @throws {DirectoryError} reason malformed (cause: the decoder's error), unknown-anchor, bad-signature (with verdicts) or rollback
   */
  add(recordBytes: Uint8Array): DirectoryRecord {
    let record: DirectoryRecord;
    try {
      record = decodeDirectoryRecord(recordBytes);
    } catch (e) {
      if (e instanceof HybridKemError) throw new DirectoryError('malformed', e.message, { cause: e, code: e.code });
      throw e;
    }
    const name = record.name;
    if (record.anchorKeyId !== this.anchorKeyId || record.anchorSuiteId !== this.#anchorSuiteId) {
      throw new DirectoryError('unknown-anchor', `record "${name}" is signed by anchor ${record.anchorKeyId}, this node trusts ${this.anchorKeyId}`, {
        recordName: name,
      });
    }
    const result = this.#crypto.signer.verify(this.#anchorPublicKey, record.signed, record.signature, { context: CONTEXT });
    if (!result.valid) {
      throw new DirectoryError('bad-signature', `record "${name}": ML-DSA ${result.mldsa.valid ? 'valid' : 'invalid'}, EdDSA ${result.eddsa.valid ? 'valid' : 'invalid'}`, {
        recordName: name,
        verdicts: { mldsa: result.mldsa, eddsa: result.eddsa },
      });
    }
    const held = this.#byName.get(name);
    if (held !== undefined) {
      const same = bytesToHex(held.bytes) === bytesToHex(record.bytes);
      if (same) return held;
      if (record.revision <= held.revision) {
        throw new DirectoryError(
          'rollback',
          `record "${name}" revision ${record.revision} ${record.revision === held.revision ? 'differs from the one held with that revision' : `is older than the held revision ${held.revision}`}`,
          { recordName: name },
        );
      }
      if (held.role === 'issuer') this.#issuers.delete(held.signingKeyId);
    }
    this.#byName.set(name, record);
    if (record.role === 'issuer') this.#issuers.set(record.signingKeyId, record);
    return record;
  }

  /** The node record of `name`, if held. */
  node(name: string): DirectoryRecord | undefined {
    const r = this.#byName.get(name);
    return r?.role === 'node' ? r : undefined;
  }

  /** The issuer record whose signing key has this id (lower-case hex), if held. */
  issuerByKeyId(signingKeyIdHex: string): DirectoryRecord | undefined {
    return this.#issuers.get(signingKeyIdHex);
  }

  /** The record of any role held for `name`. */
  get(name: string): DirectoryRecord | undefined {
    return this.#byName.get(name);
  }

  /** Every record held, by name. */
  records(): DirectoryRecord[] {
    return [...this.#byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
