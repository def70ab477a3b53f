// Helpers for the multi-recipient tests (spec/WIRE-FORMAT.md §10): key
// pairs of every suite, and the layout of §10.1 computed from the spec's
// literal sizes (not from the code under test).
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createKem } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { concatBytes } from '@noble/hashes/utils.js';
import { createHpkeSuite, type HpkeAeadName, type HpkeSuite, type HybridHpkeKemName as SuiteName } from '../src/index.js';
import { pattern } from './helpers.js';

/** Nenc of each suite, spec §7.1's table. */
export const NENC: Record<SuiteName, number> = {
  'X-Wing': 1120,
  'X25519-MLKEM768': 1120,
  'X25519-MLKEM1024': 1600,
  'MLKEM768-P256': 1153,
  'MLKEM1024-P384': 1665,
  'HPKE-MLKEM768-P256': 1153,
  'HPKE-MLKEM1024-P384': 1665,
};
/** Suite ids, spec §1 / §7.1. */
export const SUITE_ID: Record<SuiteName, number> = {
  'X-Wing': 0x647a,
  'X25519-MLKEM768': 0xff01,
  'X25519-MLKEM1024': 0xff02,
  'MLKEM768-P256': 0xff03,
  'MLKEM1024-P384': 0xff04,
  'HPKE-MLKEM768-P256': 0x0050,
  'HPKE-MLKEM1024-P384': 0x0051,
};
export const ALL_SUITES = Object.keys(NENC) as SuiteName[];
export const FIXED = 25;
export const MAC = 32;

export interface Party {
  readonly name: SuiteName;
  readonly suite: HpkeSuite;
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

const suiteCache = new Map<string, HpkeSuite>();
export function suiteFor(name: SuiteName, aead: HpkeAeadName = 'ChaCha20-Poly1305'): HpkeSuite {
  const k = `${name}/${aead}`;
  let s = suiteCache.get(k);
  if (!s) suiteCache.set(k, (s = createHpkeSuite({ kem: name, kdf: 'HKDF-SHA256', aead, backend })));
  return s;
}

/** A key pair of `name` from a fixed seed, so failures are reproducible. */
export function party(name: SuiteName, seed: number, aead: HpkeAeadName = 'ChaCha20-Poly1305'): Party {
  const { publicKey, privateKey } = createKem(name, backend).keygen(pattern(32, seed));
  return { name, suite: suiteFor(name, aead), publicKey, privateKey };
}

export const recipient = (p: Party) => ({ suite: p.suite, publicKey: p.publicKey });
export const identity = (p: Party) => ({ suite: p.suite, privateKey: p.privateKey });

/** Stanza length of spec §10.1: suite id ‖ key id (visible) ‖ enc ‖ 48. */
export const stanzaLength = (name: SuiteName, hidden = false) => 2 + (hidden ? 0 : 16) + NENC[name] + 48;

/** Header length of spec §10.1 for these recipients. */
export function headerLength(names: SuiteName[], hidden = false): number {
  return FIXED + names.reduce((n, s) => n + stanzaLength(s, hidden), 0) + MAC;
}

/** Runs `t` over `inputs` and collects what it pushes; resolves the output and the error, if any. */
export async function nodeRun(t: import('node:stream').Transform, inputs: Uint8Array[]): Promise<{ out: Uint8Array; error: unknown }> {
  const out: Uint8Array[] = [];
  let error: unknown;
  try {
    await pipeline(Readable.from(inputs), t, new Writable({ write: (c, _e, cb) => cb(void out.push(new Uint8Array(c))) }));
  } catch (e) {
    error = e;
  }
  return { out: concatBytes(...out), error };
}
