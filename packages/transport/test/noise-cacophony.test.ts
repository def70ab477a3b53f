/**
 * The channel's Noise core (SymmetricState, CipherState, HKDF, nonces, Split)
 * against the cacophony vectors (/work/shared/vectors/noise/cacophony.json,
 * an independent Haskell implementation's published transcripts): the
 * classical DH patterns, run by a small X25519 token driver here (DH from
 * node:crypto) over OUR symmetric machinery, with both crypto providers.
 */
import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../src/channel/noise/crypto-node.js';
import { portableCrypto, SymmetricState, type ChannelCrypto, type CipherName, type HashName } from '../src/channel/noise/index.js';

const VECTORS = '/work/shared/vectors/noise/cacophony.json';

interface Vector {
  protocol_name: string;
  init_prologue: string;
  resp_prologue: string;
  init_ephemeral: string;
  resp_ephemeral?: string;
  init_static?: string;
  resp_static?: string;
  init_remote_static?: string;
  resp_remote_static?: string;
  init_psks?: string[];
  resp_psks?: string[];
  handshake_hash: string;
  messages: { payload: string; ciphertext: string }[];
}

// Noise revision 34 §7.4 (one-way), §7.5 (interactive), §18.1 (deferred): pre-messages before "...",
// then messages; "->" initiator, "<-" responder. PSK modifiers (§9.2) are applied by withPsk().
const BASE: Record<string, string> = {
  N: '<- s ... -> e, es',
  K: '-> s <- s ... -> e, es, ss',
  X: '<- s ... -> e, es, s, ss',
  NN: '-> e <- e, ee',
  NK: '<- s ... -> e, es <- e, ee',
  NX: '-> e <- e, ee, s, es',
  XN: '-> e <- e, ee -> s, se',
  XK: '<- s ... -> e, es <- e, ee -> s, se',
  XX: '-> e <- e, ee, s, es -> s, se',
  KN: '-> s ... -> e <- e, ee, se',
  KK: '-> s <- s ... -> e, es, ss <- e, ee, se',
  KX: '-> s ... -> e <- e, ee, se, s, es',
  IN: '-> e, s <- e, ee, se',
  IK: '<- s ... -> e, es, s, ss <- e, ee, se',
  IX: '-> e, s <- e, ee, se, s, es',
  NK1: '<- s ... -> e <- e, ee, es',
  NX1: '-> e <- e, ee, s -> es',
  X1N: '-> e <- e, ee -> s <- se',
  X1K: '<- s ... -> e, es <- e, ee -> s <- se',
  XK1: '<- s ... -> e <- e, ee, es -> s, se',
  X1K1: '<- s ... -> e <- e, ee, es -> s <- se',
  X1X: '-> e <- e, ee, s, es -> s <- se',
  XX1: '-> e <- e, ee, s -> es, s, se',
  X1X1: '-> e <- e, ee, s -> es, s <- se',
  K1N: '-> s ... -> e <- e, ee -> se',
  K1K: '-> s <- s ... -> e, es <- e, ee -> se',
  KK1: '-> s <- s ... -> e <- e, ee, se, es',
  K1K1: '-> s <- s ... -> e <- e, ee, es -> se',
  K1X: '-> s ... -> e <- e, ee, s, es -> se',
  KX1: '-> s ... -> e <- e, ee, se, s -> es',
  K1X1: '-> s ... -> e <- e, ee, s -> se, es',
  I1N: '-> e, s <- e, ee -> se',
  I1K: '<- s ... -> e, es, s <- e, ee -> se',
  IK1: '<- s ... -> e, s <- e, ee, se, es',
  I1K1: '<- s ... -> e, s <- e, ee, es -> se',
  I1X: '-> e, s <- e, ee, s, es -> se',
  IX1: '-> e, s <- e, ee, se, s -> es',
  I1X1: '-> e, s <- e, ee, s -> se, es',
};

interface Pattern {
  pre: { initiator: boolean; token: string }[];
  messages: string[][];
  oneWay: boolean;
  psk: boolean;
}

function parseLines(text: string): { initiator: boolean; tokens: string[] }[] {
  return text
    .split(/(->|<-)/)
    .filter((x) => x.trim() !== '')
    .reduce<{ initiator: boolean; tokens: string[] }[]>((acc, part) => {
      if (part === '->' || part === '<-') acc.push({ initiator: part === '->', tokens: [] });
      else acc[acc.length - 1]!.tokens.push(...part.split(',').map((t) => t.trim()).filter(Boolean));
      return acc;
    }, []);
}

function patternOf(name: string): Pattern | undefined {
  const m = /^([A-Z0-9]+?)((?:psk\d)*)$/.exec(name);
  if (m === null) return undefined;
  const base = BASE[m[1]!];
  if (base === undefined) return undefined;
  const [preText, msgText] = base.includes('...') ? base.split('...') : ['', base];
  const pre = parseLines(preText!).flatMap((l) => l.tokens.map((token) => ({ initiator: l.initiator, token })));
  const messages = parseLines(msgText!).map((l) => l.tokens);
  for (const psk of m[2]!.match(/psk\d/g) ?? []) {
    const n = Number(psk.slice(3));
    if (n === 0) messages[0]!.unshift('psk');
    else messages[n - 1]!.push('psk');
  }
  return { pre, messages, oneWay: messages.length === 1 && m[1]!.length === 1, psk: m[2] !== '' };
}

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const PKCS8_X25519 = hex('302e020100300506032b656e04220420');
const SPKI_X25519 = hex('302a300506032b656e032100');

function x25519Private(raw: Uint8Array): { key: KeyObject; pub: Uint8Array } {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
  const pub = new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32));
  return { key, pub };
}
function dh(priv: KeyObject, pub: Uint8Array): Uint8Array {
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_X25519, pub]), format: 'der', type: 'spki' });
  return new Uint8Array(diffieHellman({ privateKey: priv, publicKey }));
}

/** One side of a classical Noise handshake: DH tokens (Noise §5.3) over our SymmetricState. */
class DhParty {
  readonly ss: SymmetricState;
  e?: { key: KeyObject; pub: Uint8Array };
  re?: Uint8Array;
  rs?: Uint8Array;
  readonly s?: { key: KeyObject; pub: Uint8Array };
  readonly psks: Uint8Array[];
  constructor(
    crypto: ChannelCrypto,
    readonly initiator: boolean,
    readonly pattern: Pattern,
    v: Vector,
    cipher: CipherName,
    hash: HashName,
  ) {
    const p = initiator ? 'init' : 'resp';
    this.ss = new SymmetricState(crypto, cipher, hash, v.protocol_name);
    this.ss.mixHash(hex(v[`${p}_prologue`]));
    const st = v[`${p}_static`];
    if (st !== undefined) this.s = x25519Private(hex(st));
    const rs = v[`${p}_remote_static`];
    if (rs !== undefined) this.rs = hex(rs);
    this.psks = (v[`${p}_psks`] ?? []).map(hex);
    const eph = v[`${p}_ephemeral`];
    this.ephemeral = eph === undefined ? undefined : hex(eph);
    for (const { initiator: by, token } of pattern.pre) {
      if (token !== 's') throw new Error('unexpected pre-message token');
      this.ss.mixHash(by === initiator ? this.s!.pub : this.rs!);
    }
  }
  readonly ephemeral: Uint8Array | undefined;

  #dhToken(token: string): void {
    const mine = (t: 'e' | 's') => (t === 'e' ? this.e! : this.s!).key;
    const theirs = (t: 'e' | 's') => (t === 'e' ? this.re! : this.rs!);
    // Token xy: x is the initiator's key, y the responder's (Noise §5.3).
    const [x, y] = [token[0] as 'e' | 's', token[1] as 'e' | 's'];
    this.ss.mixKey(this.initiator ? dh(mine(x), theirs(y)) : dh(mine(y), theirs(x)));
  }

  write(tokens: string[], payload: Uint8Array): Uint8Array {
    const out: Uint8Array[] = [];
    for (const t of tokens) {
      if (t === 'e') {
        this.e = x25519Private(this.ephemeral!);
        out.push(this.e.pub);
        this.ss.mixHash(this.e.pub);
        if (this.pattern.psk) this.ss.mixKey(this.e.pub);
      } else if (t === 's') out.push(this.ss.encryptAndHash(this.s!.pub));
      else if (t === 'psk') this.ss.mixKeyAndHash(this.psks.shift()!);
      else this.#dhToken(t);
    }
    out.push(this.ss.encryptAndHash(payload));
    return Buffer.concat(out);
  }

  read(tokens: string[], message: Uint8Array): Uint8Array {
    let at = 0;
    for (const t of tokens) {
      if (t === 'e') {
        this.re = message.slice(at, (at += 32));
        this.ss.mixHash(this.re);
        if (this.pattern.psk) this.ss.mixKey(this.re);
      } else if (t === 's') this.rs = this.ss.decryptAndHash(message.subarray(at, (at += 32 + (this.ss.hasKey() ? 16 : 0))));
      else if (t === 'psk') this.ss.mixKeyAndHash(this.psks.shift()!);
      else this.#dhToken(t);
    }
    return this.ss.decryptAndHash(message.subarray(at));
  }
}

const all = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { vectors: Vector[] }).vectors;
// This channel's Noise core has SHA256/SHA512 only (spec/TRANSPORT.md §6.1): BLAKE2 cases are left out,
// and Curve448 ones too (the DH here is only the test's driver; X25519 exercises the same symmetric code).
const selected = all.filter((v) => {
  const [, , dhName, , hashName] = v.protocol_name.split('_');
  return dhName === '25519' && (hashName === 'SHA256' || hashName === 'SHA512');
});

function run(v: Vector, crypto: ChannelCrypto): void {
  const [, patternName, , cipher, hash] = v.protocol_name.split('_') as [string, string, string, CipherName, HashName];
  const pattern = patternOf(patternName);
  expect(pattern, `pattern ${patternName}`).toBeDefined();
  const init = new DhParty(crypto, true, pattern!, v, cipher, hash);
  const resp = new DhParty(crypto, false, pattern!, v, cipher, hash);
  const n = pattern!.messages.length;
  const sender = (i: number) => pattern!.oneWay || i % 2 === 0;
  for (let i = 0; i < n; i++) {
    const { payload, ciphertext } = v.messages[i]!;
    const [w, r] = sender(i) ? [init, resp] : [resp, init];
    const written = w.write(pattern!.messages[i]!, hex(payload));
    expect(toHex(written), `${v.protocol_name} handshake message ${i}`).toBe(ciphertext);
    expect(toHex(r.read(pattern!.messages[i]!, written))).toBe(payload);
  }
  expect(toHex(init.ss.handshakeHash())).toBe(v.handshake_hash);
  expect(toHex(resp.ss.handshakeHash())).toBe(v.handshake_hash);
  const [i1, i2] = init.ss.split();
  const [r1, r2] = resp.ss.split();
  for (let i = n; i < v.messages.length; i++) {
    const { payload, ciphertext } = v.messages[i]!;
    const [send, receive] = sender(i) ? [i1, r1] : [r2, i2];
    const ct = send.encryptWithAd(new Uint8Array(0), hex(payload));
    expect(toHex(ct), `${v.protocol_name} transport message ${i}`).toBe(ciphertext);
    expect(toHex(receive.decryptWithAd(new Uint8Array(0), ct))).toBe(payload);
  }
}

describe('Noise core against cacophony', () => {
  it('selects the X25519 × {ChaChaPoly, AESGCM} × {SHA256, SHA512} vectors of every pattern', () => {
    // 59 patterns (one-way, interactive, deferred, PSK) × 2 ciphers × 2 hashes.
    expect(selected.length).toBe(236);
    for (const v of selected) expect(patternOf(v.protocol_name.split('_')[1]!), v.protocol_name).toBeDefined();
  });

  for (const crypto of [nodeCrypto, portableCrypto]) {
    it(`reproduces every selected transcript with the ${crypto.name} provider`, () => {
      let ran = 0;
      for (const v of selected) {
        run(v, crypto);
        ran++;
      }
      expect(ran).toBe(236);
    });
  }
});
