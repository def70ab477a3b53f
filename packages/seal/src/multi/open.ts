/**
 * Opening a multi-recipient sealed message with the identities one holds
 * (spec/WIRE-FORMAT.md §10.3): the header is read and checked field by
 * field, the candidate (stanza, identity) pairs are bounded before any
 * decapsulation, the first stanza that opens gives the file key, the header
 * MAC is verified, and only then are payload chunks opened (chunks.ts) and
 * released.
 * @module
 */
import { bytesToHex, HybridKemError, InvalidArgumentError, TruncatedError } from '@hybridkem/core';
import { concatBytes } from '@noble/hashes/utils.js';
import { expectBytes } from '../bytes.js';
import { OpenChunker, type Emit, type Pending } from '../chunks.js';
import { OpenError, toOpenError } from '../errors.js';
import { recipientKeyId } from '../format.js';
import { wipeKey, type XWingKey } from '../key.js';
import { checkOptions, checkSuite, type SealOptions } from '../raw.js';
import type { HpkeSuite } from '../suite.js';
import {
  FILE_KEY_LENGTH,
  FIXED_LENGTH,
  MAC_LENGTH,
  MAX_HEADER_LENGTH,
  MAX_RECIPIENTS,
  payloadSalt,
  scanHeader,
  truncatedHeader,
  type MultiRecipientHeader,
} from './format.js';
import { headerMac, macEquals, payloadAead, wrapInfo } from './schedule.js';

/** An identity: the HPKE suite of its key (every identity's with the same KDF and AEAD) and its private key (the 32-byte seed). */
export interface MultiIdentity {
  readonly suite: HpkeSuite;
  readonly privateKey: Uint8Array;
}

/** At most this many trial decapsulations per message (spec §10.3 step 4). */
export const MAX_TRIAL_DECAPSULATIONS = 64;

const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;

interface HeldIdentity {
  readonly suite: HpkeSuite;
  readonly seed: Uint8Array;
  /** The key id (spec §4), computed when first needed. */
  keyId?: string;
}

function keyIdOf(id: HeldIdentity): string {
  id.keyId ??= bytesToHex(recipientKeyId(id.suite, id.suite.hpkeKem.kem.getPublicKey(id.seed)));
  return id.keyId;
}

/** Whether a trial's failure means "this stanza does not open with this key" (and not a bug to report). */
function isTrialFailure(e: unknown): boolean {
  return e instanceof HybridKemError || toOpenError(e) instanceof OpenError || (e instanceof Error && e.name === 'DecapError');
}

/**
 * The opener: push the message's bytes, then finish. Holds at most the
 * header (≤ 110841 bytes, spec §10.1) and then one chunk.
 */
export class MultiOpenChunker {
  private head = new Uint8Array(FIXED_LENGTH);
  private fill = 0;
  private needed = FIXED_LENGTH;
  private chunker: OpenChunker | undefined;
  private failed: unknown;

  constructor(
    private readonly identities: HeldIdentity[],
    private readonly userInfo: Uint8Array,
    private readonly userAad: Uint8Array,
  ) {}

  push(data: Uint8Array, emit: Emit): Pending {
    if (this.failed !== undefined) throw this.failed;
    try {
      if (this.chunker) return this.chunker.push(data, emit);
      expectBytes('chunk', data);
      let off = 0;
      while (off < data.length) {
        const n = Math.min(this.needed - this.fill, data.length - off);
        this.head.set(data.subarray(off, off + n), this.fill);
        this.fill += n;
        off += n;
        if (this.fill < this.needed) break;
        const scanned = scanHeader(this.head.subarray(0, this.fill));
        if (this.fill === FIXED_LENGTH) this.checkAlgorithms();
        if (typeof scanned === 'number') {
          this.grow(scanned);
          continue;
        }
        const rest = data.subarray(off);
        return this.start(scanned).then(
          () => (rest.length > 0 ? this.chunker!.push(rest, emit) : undefined),
          (e) => Promise.reject(this.fail(e)),
        );
      }
      return undefined;
    } catch (e) {
      throw this.fail(e);
    }
  }

  finish(emit: Emit): Pending {
    if (this.failed !== undefined) throw this.failed;
    try {
      if (this.chunker) return this.chunker.finish(emit);
      // A short input still reports its first bad field before ERR_TRUNCATED.
      scanHeader(this.head.subarray(0, this.fill));
      throw truncatedHeader(this.needed, this.fill);
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** Step 2: the message's KDF and AEAD must be the identities' (a reader never switches algorithm). */
  private checkAlgorithms(): void {
    const { ids, kdf, aead } = this.identities[0]!.suite;
    const kdfId = (this.head[2]! << 8) | this.head[3]!;
    const aeadId = (this.head[4]! << 8) | this.head[5]!;
    if (kdfId !== ids.kdf) throw new InvalidArgumentError('kdf', `message uses KDF ${hex4(kdfId)}, identities use ${kdf} (${hex4(ids.kdf)})`);
    if (aeadId !== ids.aead) throw new InvalidArgumentError('aead', `message uses AEAD ${hex4(aeadId)}, identities use ${aead} (${hex4(ids.aead)})`);
  }

  private grow(needed: number): void {
    if (needed > MAX_HEADER_LENGTH) throw new TruncatedError('multi-recipient header', MAX_HEADER_LENGTH, needed); // not reached: the parser bounds it
    this.needed = needed;
    if (needed > this.head.length) {
      const bigger = new Uint8Array(Math.min(MAX_HEADER_LENGTH, Math.max(needed, 2 * this.head.length)));
      bigger.set(this.head.subarray(0, this.fill));
      this.head = bigger;
    }
  }

  /** Steps 4 and 5: candidates, trial decapsulation, the header MAC; then the payload opener. */
  private async start(header: MultiRecipientHeader): Promise<void> {
    const candidates: { stanza: MultiRecipientHeader['recipients'][number]; identity: HeldIdentity }[] = [];
    for (const stanza of header.recipients) {
      for (const identity of this.identities) {
        if (identity.suite.ids.kem !== stanza.suiteId) continue;
        if (!header.keyIdsHidden && keyIdOf(identity) !== stanza.keyId) continue;
        candidates.push({ stanza, identity });
      }
    }
    if (candidates.length === 0) throw this.noIdentity(header, false);
    if (candidates.length > MAX_TRIAL_DECAPSULATIONS) {
      throw new InvalidArgumentError(
        'identities',
        `${candidates.length} trial decapsulations needed (${header.recipients.length} stanzas, key ids hidden, ${this.identities.length} identities), at most ${MAX_TRIAL_DECAPSULATIONS}: pass fewer identities`,
      );
    }
    const fixed = header.bytes.subarray(0, FIXED_LENGTH);
    for (const { stanza, identity } of candidates) {
      const keyId = header.keyIdsHidden ? undefined : header.bytes.subarray(stanza.offset + 2, stanza.offset + 18);
      const info = wrapInfo(fixed, stanza.suiteId, keyId, this.userInfo);
      let fileKey: Uint8Array;
      try {
        fileKey = await this.unwrap(identity, stanza.enc, stanza.wrapped, info);
      } catch (e) {
        if (isTrialFailure(e)) continue;
        throw e;
      }
      try {
        const unauthenticated = header.bytes.subarray(0, header.headerLength - MAC_LENGTH);
        const expected = headerMac(fileKey, unauthenticated);
        // A stanza made for this identity opened, so a failing MAC means the header was changed: stop here (spec §10.3 step 5).
        if (!macEquals(expected, header.bytes.subarray(header.headerLength - MAC_LENGTH))) throw new OpenError();
        const aead = payloadAead(fileKey, payloadSalt(fixed), identity.suite.aead, identity.suite.aeadImplementation);
        this.wipe();
        this.chunker = OpenChunker.forChunks(aead, header.chunkSizeExponent, this.userAad);
        return;
      } finally {
        fileKey.fill(0);
      }
    }
    // Visible ids: a stanza named for one of our keys did not open (changed, or another info). Hidden: not ours, or changed.
    if (!header.keyIdsHidden) throw new OpenError();
    throw this.noIdentity(header, true);
  }

  /** OpenBase(enc, skR, info, "", wrapped) (RFC 9180 §6.1) with the identity's suite: the 32-byte file key. */
  private async unwrap(identity: HeldIdentity, enc: Uint8Array, wrapped: Uint8Array, info: Uint8Array): Promise<Uint8Array> {
    const sk = (await identity.suite.hpkeKem.deserializePrivateKey(identity.seed)) as XWingKey;
    try {
      const pt = new Uint8Array(await identity.suite.cipherSuite.open({ recipientKey: sk, enc: enc.slice(), info }, wrapped.slice()));
      if (pt.length !== FILE_KEY_LENGTH) {
        pt.fill(0);
        throw new OpenError();
      }
      return pt;
    } finally {
      wipeKey(sk);
    }
  }

  /** ERR_INVALID_ARGUMENT (field keyId) naming the public key ids on both sides. */
  private noIdentity(header: MultiRecipientHeader, tried: boolean): InvalidArgumentError {
    const ours = this.identities.map((i) => `${keyIdOf(i)} (${i.suite.kem})`).join(', ');
    if (header.keyIdsHidden) {
      const why = tried ? 'no identity opens any of its stanzas' : 'no identity has the suite of any of its stanzas';
      const suites = header.recipients.map((r) => r.suite).join(', ');
      return new InvalidArgumentError('keyId', `message for ${header.recipients.length} hidden recipients (${suites}): ${why}; identities: ${ours}`);
    }
    const theirs = header.recipients.map((r) => `${r.keyId} (${r.suite})`).join(', ');
    return new InvalidArgumentError('keyId', `message is sealed to ${theirs}; identities: ${ours}`);
  }

  private wipe(): void {
    for (const i of this.identities) i.seed.fill(0);
  }

  private fail(e: unknown): unknown {
    this.failed = e;
    this.wipe();
    this.head.fill(0);
    return e;
  }
}

/**
 * Checks the identities and options and returns the opener. The private keys
 * are copied and wiped once the file key is found (or on failure).
 * @internal
 */
export function prepareMultiOpen(identities: readonly MultiIdentity[], options: SealOptions | undefined): MultiOpenChunker {
  if (!Array.isArray(identities)) throw new InvalidArgumentError('identities', 'expected an array');
  if (identities.length < 1) throw new InvalidArgumentError('identities', 'expected at least one identity');
  if (identities.length > MAX_RECIPIENTS * MAX_TRIAL_DECAPSULATIONS) {
    throw new InvalidArgumentError('identities', `expected at most ${MAX_RECIPIENTS * MAX_TRIAL_DECAPSULATIONS}, got ${identities.length}`);
  }
  const { info, aad } = checkOptions(options);
  // Everything is checked before any private key is copied, so a refusal leaves no copy behind.
  identities.forEach((id: MultiIdentity, i) => {
    if (typeof id !== 'object' || id === null) throw new InvalidArgumentError(`identities[${i}]`, 'expected { suite, privateKey }');
    checkSuite(id.suite);
    expectBytes(`identities[${i}].privateKey`, id.privateKey, id.suite.hpkeKem.privateKeySize);
  });
  const first = identities[0]!.suite;
  for (const [i, { suite }] of identities.entries()) {
    if (suite.ids.kdf !== first.ids.kdf || suite.ids.aead !== first.ids.aead) {
      throw new InvalidArgumentError(
        'identities',
        `every identity's suite must have the same KDF and AEAD: identities[0] has ${first.kdf} / ${first.aead}, identities[${i}] ${suite.kdf} / ${suite.aead}`,
      );
    }
  }
  const held = identities.map((id): HeldIdentity => ({ suite: id.suite, seed: id.privateKey.slice() }));
  return new MultiOpenChunker(held, info.slice(), aad.slice());
}

/**
 * Opens a multi-recipient sealed message (spec/WIRE-FORMAT.md §10) with the
 * identities one holds; returns the plaintext, released only after the header
 * MAC and every chunk verified.
 * @throws {OpenError} (ERR_AUTHENTICATION) the header MAC fails, a stanza named for an identity does not open, a chunk fails
 * @throws {InvalidArgumentError} field `keyId` (no identity is a recipient), `identities` (more than 64 trial
 *   decapsulations, mixed KDF / AEAD), `kdf` / `aead`, `chunkSizeExponent`, `flags`, `recipientCount`, `final chunk`
 * @throws {TruncatedError} / {UnsupportedVersionError} / {UnknownKindError} / {WrongKindError} / {UnknownSuiteError} header
 */
export async function openWithIdentities(
  identities: readonly MultiIdentity[],
  sealed: Uint8Array,
  options?: SealOptions,
): Promise<Uint8Array> {
  const opener = prepareMultiOpen(identities, options);
  expectBytes('sealed', sealed);
  const parts: Uint8Array[] = [];
  const emit = (b: Uint8Array) => void parts.push(b);
  await opener.push(sealed, emit);
  await opener.finish(emit);
  return concatBytes(...parts);
}
