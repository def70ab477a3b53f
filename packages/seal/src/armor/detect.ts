/**
 * Telling the streaming armor from a binary sealed message by its first bytes
 * (spec/WIRE-FORMAT.md §3.1): after at most 1024 bytes of whitespace, armor
 * starts with `-----BEGIN `. Any label counts, so that armor of another kind
 * reaches the armor reader, which names the wrong label; a binary object
 * starts with its version byte 0x01, never with whitespace or "-".
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import { isArmorWhitespace, MAX_LEADING_WHITESPACE } from './reader.js';

const BEGIN_PREFIX = /* @__PURE__ */ Uint8Array.from('-----BEGIN ', (c) => c.charCodeAt(0));

/** The most bytes `isArmoredSealed` ever needs to decide: 1024 of whitespace and `-----BEGIN `. */
export const SEALED_ARMOR_DETECT_LENGTH = MAX_LEADING_WHITESPACE + BEGIN_PREFIX.length;

/**
 * Whether input starting with `firstBytes` is armor: `true` when, after
 * optional whitespace (SP, HT, CR, LF; at most 1024 bytes), it starts with
 * `-----BEGIN `; `false` when it cannot; `undefined` when `firstBytes` is too
 * short to tell (never once it has {@link SEALED_ARMOR_DETECT_LENGTH} bytes).
 * @throws {InvalidArgumentError} when `firstBytes` is not a Uint8Array
 */
export function isArmoredSealed(firstBytes: Uint8Array): boolean | undefined {
  if (!(firstBytes instanceof Uint8Array)) throw new InvalidArgumentError('firstBytes', 'expected a Uint8Array');
  let i = 0;
  while (i < firstBytes.length && isArmorWhitespace(firstBytes[i]!)) {
    if (++i > MAX_LEADING_WHITESPACE) return false;
  }
  for (let j = 0; j < BEGIN_PREFIX.length; j++, i++) {
    if (i >= firstBytes.length) return undefined;
    if (firstBytes[i] !== BEGIN_PREFIX[j]) return false;
  }
  return true;
}
