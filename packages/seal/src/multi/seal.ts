/**
 * Sealing to several recipients (spec/WIRE-FORMAT.md §10): a random file
 * key, one HPKE `SealBase` of it per recipient (RFC 9180 §6.1), the header
 * MAC, then the payload chunks of §7 under the payload key.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import { concatBytes } from '@noble/hashes/utils.js';
import { expectBytes } from '../bytes.js';
import { SealChunker } from '../chunks.js';
import { DEFAULT_CHUNK_SIZE_EXPONENT, recipientKeyId } from '../format.js';
import { checkOptions, checkSuite, type SealOptions } from '../raw.js';
import type { HpkeSuite } from '../suite.js';
import { encodeFixed, FILE_KEY_LENGTH, MAX_RECIPIENTS, PAYLOAD_SALT_LENGTH, payloadSalt, WRAPPED_LENGTH } from './format.js';
import { headerMac, payloadAead, wrapInfo } from './schedule.js';

/** A recipient: the HPKE suite of its key (every recipient's with the same KDF and AEAD) and its raw public key. */
export interface MultiRecipient {
  readonly suite: HpkeSuite;
  readonly publicKey: Uint8Array;
}

export interface MultiSealOptions extends SealOptions {
  /** Leave the recipients' key ids out of the stanzas (spec §10.1, flags bit 0). Default false. */
  hideKeyIds?: boolean;
}

/** Random bytes from the platform's CSPRNG (WebCrypto `getRandomValues`, as core and hpke-js draw theirs). */
function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/**
 * Checks the recipients (1 to 64, suites from createHpkeSuite with one KDF
 * and one AEAD, keys of the right length).
 * @throws {InvalidArgumentError} field `recipients`
 * @throws {InvalidLengthError} field `recipients[i].publicKey`
 */
function checkRecipients(recipients: readonly MultiRecipient[]): { suite: HpkeSuite; publicKey: Uint8Array }[] {
  if (!Array.isArray(recipients)) throw new InvalidArgumentError('recipients', 'expected an array');
  if (recipients.length < 1 || recipients.length > MAX_RECIPIENTS) {
    throw new InvalidArgumentError('recipients', `expected 1 to ${MAX_RECIPIENTS} recipients, got ${recipients.length}`);
  }
  const out = recipients.map((r: MultiRecipient, i) => {
    if (typeof r !== 'object' || r === null) throw new InvalidArgumentError(`recipients[${i}]`, 'expected { suite, publicKey }');
    checkSuite(r.suite);
    return { suite: r.suite, publicKey: expectBytes(`recipients[${i}].publicKey`, r.publicKey, r.suite.hpkeKem.publicKeySize).slice() };
  });
  const first = out[0]!.suite;
  for (const [i, { suite }] of out.entries()) {
    if (suite.ids.kdf !== first.ids.kdf || suite.ids.aead !== first.ids.aead) {
      throw new InvalidArgumentError(
        'recipients',
        `every recipient's suite must have the same KDF and AEAD: recipients[0] has ${first.kdf} / ${first.aead}, recipients[${i}] ${suite.kdf} / ${suite.aead}`,
      );
    }
  }
  return out;
}

/**
 * Checks the arguments (synchronously, so a stream factory throws before
 * returning) and returns a function that makes the chunker, whose prefix is
 * HEADER (FIXED ‖ stanzas ‖ MAC).
 * @internal
 */
export function prepareMultiSeal(recipients: readonly MultiRecipient[], options: MultiSealOptions | undefined): () => Promise<SealChunker> {
  const list = checkRecipients(recipients);
  const { info, aad } = checkOptions(options);
  const hide = options?.hideKeyIds ?? false;
  if (typeof hide !== 'boolean') throw new InvalidArgumentError('hideKeyIds', `expected a boolean, got ${typeof hide}`);
  const userInfo = info.slice();
  const userAad = aad.slice();
  const { kdf, aead } = list[0]!.suite.ids;
  return async () => {
    const exponent = DEFAULT_CHUNK_SIZE_EXPONENT;
    // Keys first: an invalid public key fails before any secret exists.
    const keys = await Promise.all(list.map(({ suite, publicKey }) => suite.hpkeKem.deserializePublicKey(publicKey)));
    const fileKey = randomBytes(FILE_KEY_LENGTH);
    try {
      const fixed = encodeFixed(kdf, aead, exponent, hide, list.length, randomBytes(PAYLOAD_SALT_LENGTH));
      const stanzas: Uint8Array[] = [];
      for (const [i, { suite, publicKey }] of list.entries()) {
        const keyId = hide ? undefined : recipientKeyId(suite, publicKey);
        const suiteId = suite.ids.kem;
        const { ct, enc } = await suite.cipherSuite.seal({ recipientPublicKey: keys[i]!, info: wrapInfo(fixed, suiteId, keyId, userInfo) }, fileKey);
        if (ct.byteLength !== WRAPPED_LENGTH) throw new InvalidArgumentError('wrapped', `expected ${WRAPPED_LENGTH} bytes, got ${ct.byteLength}`);
        stanzas.push(new Uint8Array([suiteId >>> 8, suiteId & 0xff]), keyId ?? new Uint8Array(0), new Uint8Array(enc), new Uint8Array(ct));
      }
      const unauthenticated = concatBytes(fixed, ...stanzas);
      const header = concatBytes(unauthenticated, headerMac(fileKey, unauthenticated));
      const payload = payloadAead(fileKey, payloadSalt(fixed), list[0]!.suite.aead, list[0]!.suite.aeadImplementation);
      return new SealChunker(payload, header, userAad, exponent);
    } finally {
      fileKey.fill(0);
    }
  };
}

/**
 * Seals `plaintext` once to every recipient (spec/WIRE-FORMAT.md §10): each
 * recipient's suite may be any of §7.1, all with the same KDF and AEAD.
 * @throws {InvalidArgumentError} field `recipients` (none, more than 64, mixed KDF / AEAD), `hideKeyIds`, `info`, `aad`
 * @throws {InvalidLengthError} a public key of the wrong length for its suite
 * @throws {InvalidMlKemKeyError} / {InvalidGroupElementError} an invalid public key
 */
export async function sealToRecipients(
  recipients: readonly MultiRecipient[],
  plaintext: Uint8Array,
  options?: MultiSealOptions,
): Promise<Uint8Array> {
  const make = prepareMultiSeal(recipients, options);
  expectBytes('plaintext', plaintext);
  const chunker = await make();
  const parts: Uint8Array[] = [];
  const emit = (b: Uint8Array) => void parts.push(b);
  await chunker.push(plaintext, emit);
  await chunker.finish(emit);
  return concatBytes(...parts);
}
