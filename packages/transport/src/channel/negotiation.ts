/**
 * Negotiation of the channel (spec/TRANSPORT.md §6.2, §6.4): the initiator's
 * offer, the responder's choice or refusal, the prologue that binds both into
 * the handshake, key-exchange modes and the TLS policies' counterparts.
 * @module
 */
import { UnknownSuiteError, getSuite, type Suite } from '@hybridkem/core';
import type { TlsPolicyName } from '../tls/policies.js';
import { ChannelNegotiationError } from './errors.js';

// The names and ids of spec/TRANSPORT.md §6.1 (the same as noise/'s tables,
// kept private here so the entry exports each name once).
type Pattern = 'pqNK' | 'pqIK' | 'pqXX';
type Cipher = 'ChaChaPoly' | 'AESGCM';
type Hash = 'SHA256' | 'SHA512';
const PATTERNS: readonly Pattern[] = ['pqNK', 'pqIK', 'pqXX'];
const CIPHERS: readonly Cipher[] = ['ChaChaPoly', 'AESGCM'];
const HASHES: readonly Hash[] = ['SHA256', 'SHA512'];
const patternId = (p: Pattern): number => PATTERNS.indexOf(p) + 1;

/** The channel's protocol version (spec/TRANSPORT.md §6.4). */
export const CHANNEL_VERSION = 1;

export type KeyExchangeMode = 'classical' | 'hybrid' | 'pq-only';
export const KEY_EXCHANGE_MODES: readonly KeyExchangeMode[] = Object.freeze(['classical', 'hybrid', 'pq-only']);
export const MODE_IDS: Readonly<Record<KeyExchangeMode, number>> = Object.freeze({ classical: 1, hybrid: 2, 'pq-only': 3 });

/** Each mode's suites in preference order (spec/TRANSPORT.md §6.2). */
export const MODE_SUITES: Readonly<Record<KeyExchangeMode, readonly string[]>> = Object.freeze({
  classical: Object.freeze(['DHKEM-X25519-HKDF-SHA256']),
  hybrid: Object.freeze([
    'X-Wing',
    'X25519-MLKEM768',
    'X25519-MLKEM1024',
    'MLKEM768-P256',
    'MLKEM1024-P384',
    'HPKE-MLKEM768-P256',
    'HPKE-MLKEM1024-P384',
  ]),
  'pq-only': Object.freeze(['ML-KEM-768', 'ML-KEM-1024']),
});

export const MESSAGE_OFFER = 0x01;
export const MESSAGE_CHOICE = 0x02;
export const MESSAGE_REFUSAL = 0x03;
/** Refusal reasons (spec/TRANSPORT.md §6.4). */
export const REFUSAL_CODES = Object.freeze({ 'no-common-parameters': 1, 'pattern-not-accepted': 2, 'malformed-offer': 3 });
export type ChannelRefusalReason = keyof typeof REFUSAL_CODES;
/** An offer holds 1..16 entries. */
export const MAX_OFFER_ENTRIES = 16;
const ENTRY_LENGTH = 6;

/** One set of parameters: (version, mode, suite, cipher, hash). */
export interface ChannelParameters {
  readonly mode: KeyExchangeMode;
  readonly suite: Suite;
  readonly cipher: Cipher;
  readonly hash: Hash;
}

/** An entry as read from the wire: ids kept as sent, names when this build knows them. */
export interface ChannelOfferEntry {
  readonly version: number;
  readonly modeId: number;
  readonly suiteId: number;
  readonly cipherId: number;
  readonly hashId: number;
  /** The entry's parameters when this build knows every id and the suite belongs to the mode. */
  readonly parameters: ChannelParameters | undefined;
}

export interface ChannelOffer {
  readonly pattern: Pattern;
  readonly entries: readonly ChannelOfferEntry[];
  /** The offer's exact bytes (they go into the prologue). */
  readonly bytes: Uint8Array;
}

/** The suites of `mode` that this build of @hybridkem/core has, in the mode's order. */
export function modeSuites(mode: KeyExchangeMode): Suite[] {
  const suites: Suite[] = [];
  for (const name of MODE_SUITES[mode]) {
    try {
      suites.push(getSuite(name));
    } catch (error) {
      if (!(error instanceof UnknownSuiteError)) throw error;
    }
  }
  return suites;
}

/** The mode a suite belongs to, or undefined when it is in none. */
export function suiteMode(suite: Suite): KeyExchangeMode | undefined {
  return KEY_EXCHANGE_MODES.find((mode) => MODE_SUITES[mode].includes(suite.name));
}

export interface ParameterChoices {
  /** Key-exchange modes, in preference order; default ['hybrid']. Ignored when `suites` is given. */
  readonly modes?: readonly KeyExchangeMode[];
  /** Suites (names, ids or Suite objects) in preference order; default: every suite of `modes` this build has. */
  readonly suites?: readonly (Suite | string | number)[];
  /** Default ['ChaChaPoly', 'AESGCM']. */
  readonly ciphers?: readonly Cipher[];
  /** Default ['SHA256']. */
  readonly hashes?: readonly Hash[];
}

/**
 * The TLS policies' counterparts (spec/TRANSPORT.md §6.7): the same groups'
 * constructions, the channel's ciphers for the policy's TLS cipher suites.
 */
export const POLICY_PARAMETERS: Readonly<Record<TlsPolicyName, Required<Pick<ParameterChoices, 'suites' | 'ciphers' | 'hashes'>>>> =
  Object.freeze({
    'hybrid-only': { suites: MODE_SUITES.hybrid, ciphers: ['ChaChaPoly', 'AESGCM'], hashes: ['SHA256'] },
    'hybrid-with-classical-fallback': {
      suites: [...MODE_SUITES.hybrid, ...MODE_SUITES.classical],
      ciphers: ['ChaChaPoly', 'AESGCM'],
      hashes: ['SHA256'],
    },
    'fips-advisory': {
      suites: ['MLKEM768-P256', 'MLKEM1024-P384', 'HPKE-MLKEM768-P256', 'HPKE-MLKEM1024-P384', 'X-Wing', 'X25519-MLKEM768', 'X25519-MLKEM1024'],
      ciphers: ['AESGCM', 'ChaChaPoly'],
      hashes: ['SHA256'],
    },
    // SP 800-56C/SP 800-52r2: NIST-curve hybrids, AES-256-GCM, SHA-256 (Noise has no SHA-384).
    'fips-strict': {
      suites: ['MLKEM768-P256', 'MLKEM1024-P384', 'HPKE-MLKEM768-P256', 'HPKE-MLKEM1024-P384'],
      ciphers: ['AESGCM'],
      hashes: ['SHA256'],
    },
  });

function unsupported(message: string): ChannelNegotiationError {
  return new ChannelNegotiationError('unsupported-configuration', message);
}

/**
 * The parameter list a side accepts, in preference order: suite-major, then
 * cipher, then hash. Suites core does not have are left out when they came
 * from a mode; a suite named explicitly, or a mode with no suite at all, is
 * ERR_CHANNEL_NEGOTIATION ('unsupported-configuration').
 */
export function parameterList(choices: ParameterChoices = {}): ChannelParameters[] {
  const ciphers = choices.ciphers ?? ['ChaChaPoly', 'AESGCM'];
  const hashes = choices.hashes ?? ['SHA256'];
  for (const c of ciphers) if (!CIPHERS.includes(c)) throw unsupported(`cipher ${JSON.stringify(String(c))} is not ChaChaPoly or AESGCM`);
  for (const h of hashes) if (!HASHES.includes(h)) throw unsupported(`hash ${JSON.stringify(String(h))} is not SHA256 or SHA512`);
  let suites: Suite[];
  if (choices.suites !== undefined) {
    suites = choices.suites.map((ref) => {
      try {
        return getSuite(ref);
      } catch (error) {
        if (error instanceof UnknownSuiteError) throw unsupported(`suite ${String(typeof ref === 'object' ? ref.name : ref)}: this build of @hybridkem/core does not have it`);
        throw error;
      }
    });
  } else {
    suites = [];
    for (const mode of choices.modes ?? ['hybrid']) {
      if (!KEY_EXCHANGE_MODES.includes(mode)) throw unsupported(`mode ${JSON.stringify(String(mode))} is not one of ${KEY_EXCHANGE_MODES.join(', ')}`);
      const found = modeSuites(mode);
      if (found.length === 0) {
        throw unsupported(`mode ${mode}: this build of @hybridkem/core has none of its suites (${MODE_SUITES[mode].join(', ')})`);
      }
      suites.push(...found);
    }
  }
  const list: ChannelParameters[] = [];
  for (const suite of suites) {
    const mode = suiteMode(suite);
    if (mode === undefined) throw unsupported(`suite ${suite.name} belongs to no key-exchange mode`);
    for (const cipher of ciphers) for (const hash of hashes) {
      if (!list.some((p) => p.suite.id === suite.id && p.cipher === cipher && p.hash === hash)) list.push({ mode, suite, cipher, hash });
    }
  }
  if (list.length === 0) throw unsupported('no parameters: the suite, cipher or hash list is empty');
  return list;
}

/** The parameters of a TLS policy (spec/TRANSPORT.md §6.7), leaving out suites core lacks. */
export function policyParameters(policy: TlsPolicyName): ChannelParameters[] {
  const p = POLICY_PARAMETERS[policy];
  if (p === undefined) throw unsupported(`policy ${JSON.stringify(String(policy))} has no channel parameters`);
  const available = p.suites.filter((name) => {
    try {
      getSuite(name as string);
      return true;
    } catch {
      return false;
    }
  });
  if (available.length === 0) throw unsupported(`policy ${policy}: this build of @hybridkem/core has none of its suites`);
  return parameterList({ suites: available, ciphers: p.ciphers, hashes: p.hashes });
}

function encodeEntry(out: Uint8Array, at: number, p: ChannelParameters): void {
  out[at] = CHANNEL_VERSION;
  out[at + 1] = MODE_IDS[p.mode];
  out[at + 2] = p.suite.id >>> 8;
  out[at + 3] = p.suite.id & 0xff;
  out[at + 4] = CIPHERS.indexOf(p.cipher) + 1;
  out[at + 5] = HASHES.indexOf(p.hash) + 1;
}

function decodeEntry(bytes: Uint8Array, at: number): ChannelOfferEntry {
  const version = bytes[at]!;
  const modeId = bytes[at + 1]!;
  const suiteId = (bytes[at + 2]! << 8) | bytes[at + 3]!;
  const cipherId = bytes[at + 4]!;
  const hashId = bytes[at + 5]!;
  let parameters: ChannelParameters | undefined;
  const mode = KEY_EXCHANGE_MODES.find((m) => MODE_IDS[m] === modeId);
  const cipher = CIPHERS[cipherId - 1];
  const hash = HASHES[hashId - 1];
  if (version === CHANNEL_VERSION && mode !== undefined && cipher !== undefined && hash !== undefined) {
    try {
      const suite = getSuite(suiteId);
      if (MODE_SUITES[mode].includes(suite.name)) parameters = { mode, suite, cipher, hash };
    } catch (error) {
      if (!(error instanceof UnknownSuiteError)) throw error;
    }
  }
  return { version, modeId, suiteId, cipherId, hashId, parameters };
}

/** `0x01 ‖ version ‖ pattern ‖ count ‖ entries`; 1..16 entries. */
export function encodeOffer(pattern: Pattern, entries: readonly ChannelParameters[]): Uint8Array {
  if (!PATTERNS.includes(pattern)) throw unsupported(`pattern ${JSON.stringify(String(pattern))} is not pqNK, pqIK or pqXX`);
  if (entries.length < 1 || entries.length > MAX_OFFER_ENTRIES) {
    throw unsupported(`offer: ${entries.length} entries, an offer holds 1 to ${MAX_OFFER_ENTRIES}`);
  }
  const out = new Uint8Array(4 + ENTRY_LENGTH * entries.length);
  out[0] = MESSAGE_OFFER;
  out[1] = CHANNEL_VERSION;
  out[2] = patternId(pattern);
  out[3] = entries.length;
  entries.forEach((p, i) => encodeEntry(out, 4 + ENTRY_LENGTH * i, p));
  return out;
}

/**
 * Reads an offer strictly: wrong type, version, count or length, or a
 * duplicate entry, is ERR_CHANNEL_NEGOTIATION 'malformed-offer'; an unknown
 * pattern is 'pattern-not-accepted'. Entries with unknown ids are kept (with
 * `parameters` undefined): a later version may offer more.
 */
export function decodeOffer(bytes: Uint8Array): ChannelOffer {
  const malformed = (why: string) => new ChannelNegotiationError('malformed-offer', `offer: ${why}`);
  if (bytes.length < 4) throw malformed(`${bytes.length} bytes, shorter than its header`);
  if (bytes[0] !== MESSAGE_OFFER) throw malformed(`message type 0x${bytes[0]!.toString(16).padStart(2, '0')} is not an offer`);
  if (bytes[1] !== CHANNEL_VERSION) throw malformed(`version ${bytes[1]} is not ${CHANNEL_VERSION}`);
  const count = bytes[3]!;
  if (count < 1 || count > MAX_OFFER_ENTRIES) throw malformed(`${count} entries, an offer holds 1 to ${MAX_OFFER_ENTRIES}`);
  if (bytes.length !== 4 + ENTRY_LENGTH * count) throw malformed(`${bytes.length} bytes for ${count} entries (expected ${4 + ENTRY_LENGTH * count})`);
  const pattern = PATTERNS[bytes[2]! - 1];
  if (pattern === undefined) throw new ChannelNegotiationError('pattern-not-accepted', `offer: unknown pattern id ${bytes[2]}`);
  const entries: ChannelOfferEntry[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const at = 4 + ENTRY_LENGTH * i;
    const key = Array.from(bytes.subarray(at, at + ENTRY_LENGTH)).join(',');
    if (seen.has(key)) throw malformed(`entry ${i} repeats an earlier entry`);
    seen.add(key);
    entries.push(decodeEntry(bytes, at));
  }
  return { pattern, entries, bytes: bytes.slice() };
}

/** `0x02 ‖ entry`. */
export function encodeChoice(p: ChannelParameters): Uint8Array {
  const out = new Uint8Array(1 + ENTRY_LENGTH);
  out[0] = MESSAGE_CHOICE;
  encodeEntry(out, 1, p);
  return out;
}

/** `0x03 ‖ reason`. */
export function encodeRefusal(reason: ChannelRefusalReason): Uint8Array {
  return Uint8Array.of(MESSAGE_REFUSAL, REFUSAL_CODES[reason]);
}

/**
 * The initiator reads the responder's answer to `offer`: a choice that is
 * byte-for-byte one of the offer's entries gives its parameters; a refusal is
 * ERR_CHANNEL_NEGOTIATION 'refused' (with the peer's code); anything else,
 * or a choice not in the offer, is ERR_CHANNEL_NEGOTIATION.
 */
export function decodeAnswer(bytes: Uint8Array, offer: ChannelOffer): ChannelParameters {
  if (bytes[0] === MESSAGE_REFUSAL && bytes.length === 2) {
    const code = bytes[1]!;
    const reason = (Object.keys(REFUSAL_CODES) as ChannelRefusalReason[]).find((r) => REFUSAL_CODES[r] === code);
    throw new ChannelNegotiationError('refused', `the responder refused the offer: ${reason ?? `reason 0x${code.toString(16).padStart(2, '0')}`}`, code);
  }
  if (bytes[0] !== MESSAGE_CHOICE || bytes.length !== 1 + ENTRY_LENGTH) {
    throw new ChannelNegotiationError('malformed-choice', `choice: ${bytes.length} bytes starting 0x${(bytes[0] ?? 0).toString(16).padStart(2, '0')} is neither a choice nor a refusal`);
  }
  const chosen = decodeEntry(bytes, 1);
  const inOffer = offer.entries.some(
    (e) => e.version === chosen.version && e.modeId === chosen.modeId && e.suiteId === chosen.suiteId && e.cipherId === chosen.cipherId && e.hashId === chosen.hashId,
  );
  if (!inOffer || chosen.parameters === undefined) throw new ChannelNegotiationError('choice-not-offered', 'choice: the responder chose an entry that is not in the offer');
  return chosen.parameters;
}

/**
 * The responder's pick: the first of its own `accepted` parameters (its
 * preference order) that the offer holds and `usable` allows (e.g. it has a
 * static key of that suite and its backend runs it). None: undefined.
 */
export function pickParameters(
  offer: ChannelOffer,
  accepted: readonly ChannelParameters[],
  usable: (p: ChannelParameters) => boolean = () => true,
): ChannelParameters | undefined {
  for (const p of accepted) {
    const offered = offer.entries.some(
      (e) => e.parameters !== undefined && e.parameters.suite.id === p.suite.id && e.parameters.mode === p.mode && e.parameters.cipher === p.cipher && e.parameters.hash === p.hash,
    );
    if (offered && usable(p)) return p;
  }
  return undefined;
}

const PROLOGUE_LABEL = new TextEncoder().encode('hybridkem/v1/channel');

/** `"hybridkem/v1/channel" ‖ 0x00 ‖ offer ‖ choice` (spec/TRANSPORT.md §6.4). */
export function channelPrologue(offer: Uint8Array, choice: Uint8Array): Uint8Array {
  const out = new Uint8Array(PROLOGUE_LABEL.length + 1 + offer.length + choice.length);
  out.set(PROLOGUE_LABEL, 0);
  out[PROLOGUE_LABEL.length] = 0;
  out.set(offer, PROLOGUE_LABEL.length + 1);
  out.set(choice, PROLOGUE_LABEL.length + 1 + offer.length);
  return out;
}
