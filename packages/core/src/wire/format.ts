/**
 * Wire format v1 header: version ‖ kind ‖ suite id (spec/WIRE-FORMAT.md §2).
 * @module
 */
import type { Suite } from '../suites.js';

export const WIRE_VERSION = 1;
export const HEADER_LENGTH = 4;

/** The kinds of object; the byte values are fixed by spec/WIRE-FORMAT.md §2. */
export const Kind = Object.freeze({
  publicKey: 0x01,
  privateKey: 0x02,
  ciphertext: 0x03,
} as const);
export type KindName = keyof typeof Kind;

export const KIND_NAMES: Readonly<Record<number, KindName>> = Object.freeze({
  0x01: 'publicKey',
  0x02: 'privateKey',
  0x03: 'ciphertext',
});

/** The body length a suite declares for a kind. */
export function bodyLength(suite: Suite, kind: KindName): number {
  return suite.lengths[kind];
}
