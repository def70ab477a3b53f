/**
 * Noise HandshakeState (Noise §5.3) for the PQNoise KEM patterns: tokens
 * `e`, `s`, `ekem`, `skem` exactly as clatter 2.1's PqHandshake processes them
 * (spec/TRANSPORT.md §6.1), the KEM being a core suite through createKem.
 * @module
 */
import {
  InvalidArgumentError,
  createKem,
  type Backend,
  type Kem,
  type Suite,
} from '@hybridkem/core';
import { ChannelError, ChannelHandshakeError, ChannelProtocolError } from '../errors.js';
import type { CipherState } from './cipher-state.js';
import { concatAfterHeadroom, TAG_LENGTH, type ChannelCrypto } from './crypto.js';
import {
  CIPHER_NAMES,
  HASH_NAMES,
  kemPattern,
  patternNeeds,
  protocolName,
  type CipherName,
  type HashName,
  type KemPattern,
  type PatternName,
} from './names.js';
import { platformCrypto } from './platform-crypto.js';
import { SymmetricState } from './symmetric-state.js';

/** Noise §3: a Noise message is at most 65535 bytes. */
export const MAX_NOISE_MESSAGE = 65535;
const EMPTY = new Uint8Array(0);

/** A static key pair of `suite` (core's KeyPair). The handshake copies it and wipes its copy. */
export interface StaticKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export interface HandshakeOptions {
  pattern: PatternName;
  initiator: boolean;
  suite: Suite;
  backend: Backend;
  cipher: CipherName;
  hash: HashName;
  prologue: Uint8Array;
  localStatic?: StaticKeyPair;
  /** The responder's static public key, known in advance (pqNK/pqIK initiators only). */
  remoteStatic?: Uint8Array;
  /** Default: the platform's (node:crypto in the Node build, noble elsewhere). */
  crypto?: ChannelCrypto;
  /**
   * Vectors/tests only: returns the next n bytes of "randomness" — the
   * ephemeral keygen seed (suite.lengths.seed) and the encapsulation
   * randomness (suite.lengths.randomness), in the order the pattern's tokens
   * use them. Needs a backend with derandomised encapsulation.
   */
  random?: (n: number) => Uint8Array;
}

interface Ephemeral {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export class HandshakeState {
  readonly protocolName: string;
  readonly #pattern: KemPattern;
  readonly #initiator: boolean;
  readonly #suite: Suite;
  readonly #kem: Kem;
  readonly #ss: SymmetricState;
  readonly #random: ((n: number) => Uint8Array) | undefined;
  readonly #s: { publicKey: Uint8Array; privateKey: Uint8Array } | undefined;
  #rs: Uint8Array | undefined;
  #e: Ephemeral | undefined;
  #re: Uint8Array | undefined;
  #index = 0;
  #failed = false;
  #split = false;
  #h: Uint8Array | undefined;

  constructor(options: HandshakeOptions) {
    const { pattern, initiator, suite, backend, cipher, hash, prologue } = options;
    this.#pattern = kemPattern(pattern);
    if (!CIPHER_NAMES.includes(cipher)) throw new InvalidArgumentError('cipher', 'expected ChaChaPoly or AESGCM');
    if (!HASH_NAMES.includes(hash)) throw new InvalidArgumentError('hash', 'expected SHA256 or SHA512');
    if (!(prologue instanceof Uint8Array)) throw new InvalidArgumentError('prologue', 'expected a Uint8Array');
    this.#initiator = initiator === true;
    this.#suite = suite;
    this.#kem = createKem(suite, backend);
    const L = this.#kem.suite.lengths;
    const needs = patternNeeds(pattern, this.#initiator);

    if (needs.localStatic) {
      const s = options.localStatic;
      if (s === undefined) throw new InvalidArgumentError('localStatic', `${pattern} needs this side's static key pair`);
      if (!(s.publicKey instanceof Uint8Array) || s.publicKey.length !== L.publicKey) {
        throw new InvalidArgumentError('localStatic.publicKey', `expected ${L.publicKey} bytes for ${suite.name}`);
      }
      if (!(s.privateKey instanceof Uint8Array) || s.privateKey.length !== L.privateKey) {
        throw new InvalidArgumentError('localStatic.privateKey', `expected ${L.privateKey} bytes for ${suite.name}`);
      }
      this.#s = { publicKey: s.publicKey.slice(), privateKey: s.privateKey.slice() };
    } else if (options.localStatic !== undefined) {
      throw new InvalidArgumentError('localStatic', `${pattern} sends no static key from this side`);
    }
    if (needs.remoteStaticKnown) {
      const rs = options.remoteStatic;
      if (!(rs instanceof Uint8Array) || rs.length !== L.publicKey) {
        throw new InvalidArgumentError('remoteStatic', `${pattern} needs the responder's ${L.publicKey}-byte public key`);
      }
      this.#rs = rs.slice();
    } else if (options.remoteStatic !== undefined) {
      throw new InvalidArgumentError('remoteStatic', `${pattern} learns the peer's static key in the handshake`);
    }
    if (options.random !== undefined) {
      if (typeof options.random !== 'function') throw new InvalidArgumentError('random', 'expected a function');
      if (backend.derandomizedEncapsulation === false) {
        throw new InvalidArgumentError('random', `backend ${backend.name} cannot take encapsulation randomness`);
      }
      this.#random = options.random;
    }

    this.protocolName = protocolName(pattern, suite, cipher, hash);
    this.#ss = new SymmetricState(options.crypto ?? platformCrypto, cipher, hash, this.protocolName);
    // Noise §5.3 Initialize: prologue, then the pre-message `<- s` (pqNK, pqIK).
    this.#ss.mixHash(prologue);
    if (this.#pattern.responderStaticPremessage) {
      this.#ss.mixHash(this.#initiator ? this.#rs! : this.#s!.publicKey);
    }
  }

  get isComplete(): boolean {
    return this.#index >= this.#pattern.messages.length;
  }

  get isMyTurn(): boolean {
    return !this.#failed && !this.isComplete && (this.#index % 2 === 0) === this.#initiator;
  }

  /** The peer's static public key: given in advance or learned from its `s` token. */
  get remoteStatic(): Uint8Array | undefined {
    return this.#rs?.slice();
  }

  handshakeHash(): Uint8Array {
    return this.#h?.slice() ?? this.#ss.handshakeHash();
  }

  /** The length of the next message with an empty payload (its tokens' bytes and tags). */
  nextMessageOverhead(): number {
    const L = this.#kem.suite.lengths;
    let hasKey = this.#ss.hasKey();
    let n = 0;
    for (const token of this.#pattern.messages[this.#index] ?? []) {
      if (token === 'e') n += L.publicKey;
      else if (token === 's') n += L.publicKey + (hasKey ? TAG_LENGTH : 0);
      else if (token === 'ekem') {
        n += L.ciphertext;
        hasKey = true;
      } else {
        n += L.ciphertext + (hasKey ? TAG_LENGTH : 0);
        hasKey = true;
      }
    }
    return n + (hasKey ? TAG_LENGTH : 0);
  }

  writeMessage(payload: Uint8Array = EMPTY): Uint8Array {
    this.#checkUsable();
    if (!this.isMyTurn) throw new ChannelProtocolError('handshake: not our turn to write');
    if (this.nextMessageOverhead() + payload.length > MAX_NOISE_MESSAGE) {
      throw new ChannelProtocolError('handshake: message would exceed 65535 bytes (Noise §3)');
    }
    try {
      const parts: Uint8Array[] = [];
      for (const token of this.#pattern.messages[this.#index]!) {
        switch (token) {
          case 'e': {
            const seed = this.#draw(this.#kem.suite.lengths.seed);
            const pair = this.#kem.keygen(seed);
            this.#e = { publicKey: pair.publicKey, privateKey: pair.privateKey };
            this.#ss.mixHash(pair.publicKey);
            parts.push(pair.publicKey);
            break;
          }
          case 's':
            parts.push(this.#ss.encryptAndHash(this.#s!.publicKey));
            break;
          case 'ekem': {
            const { ciphertext, sharedSecret } = this.#encapsulate(this.#re!);
            this.#ss.mixHash(ciphertext);
            this.#ss.mixKey(sharedSecret);
            sharedSecret.fill(0);
            parts.push(ciphertext);
            break;
          }
          case 'skem': {
            const { ciphertext, sharedSecret } = this.#encapsulate(this.#rs!);
            parts.push(this.#ss.encryptAndHash(ciphertext));
            this.#ss.mixKeyAndHash(sharedSecret);
            sharedSecret.fill(0);
            break;
          }
        }
      }
      parts.push(this.#ss.encryptAndHash(payload));
      this.#advance();
      return concatAfterHeadroom(parts);
    } catch (error) {
      throw this.#fail(error, 'handshake: could not write a message');
    }
  }

  readMessage(message: Uint8Array): Uint8Array {
    this.#checkUsable();
    if (this.isComplete || this.isMyTurn) throw new ChannelProtocolError('handshake: not the peer\'s turn to write');
    try {
      if (!(message instanceof Uint8Array)) throw new InvalidArgumentError('message', 'expected a Uint8Array');
      // Every token has a fixed length, so the message's length is checked before anything is parsed.
      if (message.length > MAX_NOISE_MESSAGE || message.length < this.nextMessageOverhead()) {
        throw new ChannelHandshakeError('handshake: a message has the wrong length');
      }
      const L = this.#kem.suite.lengths;
      let at = 0;
      const take = (n: number): Uint8Array => message.subarray(at, (at += n));
      for (const token of this.#pattern.messages[this.#index]!) {
        switch (token) {
          case 'e':
            this.#re = take(L.publicKey).slice();
            this.#ss.mixHash(this.#re);
            break;
          case 's':
            this.#rs = this.#ss.decryptAndHash(take(L.publicKey + (this.#ss.hasKey() ? TAG_LENGTH : 0)));
            break;
          case 'ekem': {
            const ciphertext = take(L.ciphertext);
            this.#ss.mixHash(ciphertext);
            const sharedSecret = this.#kem.decapsulate(this.#e!.privateKey, ciphertext);
            this.#ss.mixKey(sharedSecret);
            sharedSecret.fill(0);
            break;
          }
          case 'skem': {
            const ciphertext = this.#ss.decryptAndHash(take(L.ciphertext + (this.#ss.hasKey() ? TAG_LENGTH : 0)));
            const sharedSecret = this.#kem.decapsulate(this.#s!.privateKey, ciphertext);
            this.#ss.mixKeyAndHash(sharedSecret);
            sharedSecret.fill(0);
            break;
          }
        }
      }
      const payload = this.#ss.decryptAndHash(message.subarray(at));
      this.#advance();
      return payload;
    } catch (error) {
      throw this.#fail(error, 'handshake: a message failed to authenticate or parse');
    }
  }

  /**
   * The transport CipherStates (Noise §5.2 Split): the initiator sends with
   * the first, the responder with the second. Only once complete; wipes the
   * handshake's secrets (the hash stays readable).
   */
  split(): { send: CipherState; receive: CipherState } {
    this.#checkUsable();
    if (!this.isComplete) throw new ChannelProtocolError('handshake: split before the handshake completed');
    const [c1, c2] = this.#ss.split();
    this.#split = true;
    this.#h = this.#ss.handshakeHash();
    this.#wipe();
    return this.#initiator ? { send: c1, receive: c2 } : { send: c2, receive: c1 };
  }

  /** Wipes the handshake's secrets; the state is unusable afterwards. */
  destroy(): void {
    if (this.#h === undefined) this.#h = this.#ss.handshakeHash();
    this.#failed = true;
    this.#wipe();
  }

  #wipe(): void {
    this.#ss.destroy();
    this.#e?.privateKey.fill(0);
    this.#e = undefined;
    this.#s?.privateKey.fill(0);
  }

  #checkUsable(): void {
    if (this.#failed) throw new ChannelHandshakeError('handshake: the state failed or was destroyed');
    if (this.#split) throw new ChannelProtocolError('handshake: already split');
  }

  #advance(): void {
    this.#index += 1;
    if (this.isComplete) this.#h = this.#ss.handshakeHash();
  }

  /** A failed handshake is dead (Noise §5.3 aborts on any error); errors become ERR_CHANNEL_HANDSHAKE. */
  #fail(error: unknown, message: string): Error {
    this.#failed = true;
    this.#wipe();
    if (error instanceof ChannelError && error.code === 'ERR_CHANNEL_HANDSHAKE') return error;
    return new ChannelHandshakeError(message, { cause: error });
  }

  #draw(n: number): Uint8Array | undefined {
    if (this.#random === undefined) return undefined;
    const bytes = this.#random(n);
    if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
      throw new InvalidArgumentError('random', `must return exactly ${n} bytes`);
    }
    return bytes;
  }

  #encapsulate(publicKey: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array } {
    return this.#kem.encapsulate(publicKey, this.#draw(this.#kem.suite.lengths.randomness));
  }
}
