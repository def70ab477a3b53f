/**
 * Names, ids and message patterns of the channel's Noise handshakes
 * (spec/TRANSPORT.md §6.1): the PQNoise KEM patterns pqNK, pqIK and pqXX
 * (Angel et al., CCS 2022, eprint 2022/539), as clatter 2.1 spells them.
 * @module
 */
import type { Suite } from '@hybridkem/core';

export type PatternName = 'pqNK' | 'pqIK' | 'pqXX';
export type CipherName = 'ChaChaPoly' | 'AESGCM';
export type HashName = 'SHA256' | 'SHA512';

/** Wire ids of spec/TRANSPORT.md §6.1. */
export const PATTERN_IDS: Readonly<Record<PatternName, number>> = Object.freeze({ pqNK: 0x01, pqIK: 0x02, pqXX: 0x03 });
export const CIPHER_IDS: Readonly<Record<CipherName, number>> = Object.freeze({ ChaChaPoly: 0x01, AESGCM: 0x02 });
export const HASH_IDS: Readonly<Record<HashName, number>> = Object.freeze({ SHA256: 0x01, SHA512: 0x02 });

export const PATTERN_NAMES: readonly PatternName[] = Object.freeze(['pqNK', 'pqIK', 'pqXX']);
export const CIPHER_NAMES: readonly CipherName[] = Object.freeze(['ChaChaPoly', 'AESGCM']);
export const HASH_NAMES: readonly HashName[] = Object.freeze(['SHA256', 'SHA512']);

/** A KEM pattern token (PQNoise §3; no PSK tokens in these patterns). */
export type KemToken = 'e' | 's' | 'ekem' | 'skem';

export interface KemPattern {
  readonly name: PatternName;
  /** The responder's static key is a pre-message (`<- s ...`). */
  readonly responderStaticPremessage: boolean;
  /** Messages in order; even indices are the initiator's. */
  readonly messages: readonly (readonly KemToken[])[];
}

// The token lists of spec/TRANSPORT.md §6.1, identical to clatter 2.1's
// handshakepattern.rs (noise_pqnk, noise_pqik, noise_pqxx).
const PATTERNS: Readonly<Record<PatternName, KemPattern>> = Object.freeze({
  pqNK: { name: 'pqNK', responderStaticPremessage: true, messages: [['skem', 'e'], ['ekem']] },
  pqIK: { name: 'pqIK', responderStaticPremessage: true, messages: [['skem', 'e', 's'], ['ekem', 'skem']] },
  pqXX: { name: 'pqXX', responderStaticPremessage: false, messages: [['e'], ['ekem', 's'], ['skem', 's'], ['skem']] },
});

export function kemPattern(name: PatternName): KemPattern {
  const p = PATTERNS[name];
  if (p === undefined) throw new TypeError(`unknown Noise pattern`);
  return p;
}

/**
 * The Noise name of a suite's KEM: the suite name without `-` (Noise §8
 * section names are alphanumeric): `X-Wing` → `XWing`, `ML-KEM-768` → `MLKEM768`.
 */
export function noiseKemName(suite: Suite): string {
  return suite.name.replaceAll('-', '');
}

/** `Noise_<pattern>_<kem>_<cipher>_<hash>` (Noise §8; clatter's name when the ephemeral and static KEM are one). */
export function protocolName(p: PatternName, suite: Suite, c: CipherName, h: HashName): string {
  kemPattern(p);
  if (!CIPHER_NAMES.includes(c) || !HASH_NAMES.includes(h)) throw new TypeError('unknown Noise cipher or hash');
  return `Noise_${p}_${noiseKemName(suite)}_${c}_${h}`;
}

/**
 * Which static keys a side needs before the handshake: pqNK's initiator the
 * responder's public key; pqIK's initiator its own key pair and the
 * responder's public key; pqXX both sides their own key pair; every
 * responder its own key pair.
 */
export function patternNeeds(p: PatternName, initiator: boolean): { localStatic: boolean; remoteStaticKnown: boolean } {
  const pattern = kemPattern(p);
  if (!initiator) return { localStatic: true, remoteStaticKnown: false };
  const sends = pattern.messages.some((m, i) => i % 2 === 0 && m.includes('s'));
  return { localStatic: sends, remoteStaticKnown: pattern.responderStaticPremessage };
}
