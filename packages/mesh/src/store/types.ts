/**
 * What a node keeps across restarts (spec/MESH.md §5): the ids of applied
 * envelopes until they expire, the latest version per key name, and the
 * latest applied envelope per key name (its bytes, which are sealed: no
 * plaintext key at rest).
 * @module
 */

/** The header fields of a key envelope a node keeps and reports (spec/MESH.md §2). Ids are lower-case hex. */
export interface EnvelopeFields {
  readonly envelopeId: string;
  readonly keyName: string;
  readonly version: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly issuerKeyId: string;
}

/** Just the EnvelopeFields of `e` (a decoded envelope, say), a new object. */
export function envelopeFields(e: EnvelopeFields): EnvelopeFields {
  return {
    envelopeId: e.envelopeId,
    keyName: e.keyName,
    version: e.version,
    issuedAt: e.issuedAt,
    expiresAt: e.expiresAt,
    issuerKeyId: e.issuerKeyId,
  };
}

/** An applied envelope as the store keeps it. */
export interface StoredEnvelope extends EnvelopeFields {
  /** The whole key envelope as received (kind 0x0a). */
  readonly bytes: Uint8Array;
}

export interface NodeStore {
  /** Whether an envelope with this id was committed and its id has not yet expired (expiresAt + skew). */
  hasApplied(envelopeIdHex: string): boolean;
  /** The highest version committed for `keyName`, 0 when none. */
  latestVersion(keyName: string): number;
  /**
   * Records an envelope as applied, durably (the file store resolves once
   * the journal line is fsynced).
   * @throws {NodeStoreError} failure conflict for an id already applied or a version not above the latest; closed
   */
  commit(a: StoredEnvelope): Promise<void>;
  /** The latest applied envelope of each key name, by key name. */
  applied(): readonly StoredEnvelope[];
  /** Releases the store (the file store its lock); further commits fail. */
  close(): Promise<void>;
}
