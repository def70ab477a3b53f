/**
 * The channel as a sans-IO state machine (spec/TRANSPORT.md §6): bytes in,
 * authenticated data and bytes to send out. Negotiation (§6.4), the Noise
 * handshake (through noise/'s HandshakeState), then transport messages (§6.5)
 * with rekey and close. After any failure the channel is dead: every later
 * call throws ERR_CHANNEL_CLOSED and nothing more is released.
 * @module
 */
import { getSuite, type Backend, type Suite } from '@hybridkem/core';
import type { TlsPolicyName } from '../tls/policies.js';
import {
  ChannelClosedError,
  ChannelDecryptError,
  ChannelError,
  ChannelHandshakeError,
  ChannelNegotiationError,
  ChannelPeerKeyError,
  ChannelProtocolError,
  ChannelTruncatedError,
} from './errors.js';
import { FRAME_HEADER_LENGTH, FrameReader, MAX_FRAME_LENGTH, encodeFrame, frameInPlace } from './framing.js';
import {
  channelPrologue,
  decodeAnswer,
  decodeOffer,
  encodeChoice,
  encodeOffer,
  encodeRefusal,
  parameterList,
  pickParameters,
  policyParameters,
  type ChannelParameters,
  type ChannelOffer,
  type ParameterChoices,
  type ChannelRefusalReason,
} from './negotiation.js';
import type { CipherState } from './noise/cipher-state.js';
import type { ChannelCrypto } from './noise/crypto.js';
import { HandshakeState } from './noise/handshake-state.js';
import { patternNeeds, type PatternName } from './noise/names.js';

/** Transport message types (spec/TRANSPORT.md §6.5). */
export const MESSAGE_DATA = 0x00;
export const MESSAGE_REKEY = 0x01;
export const MESSAGE_CLOSE = 0x02;
/** Noise's AEAD tag. */
const TAG_LENGTH = 16;
/** The most data one transport message carries: 65535 − 16 (tag) − 1 (type). */
export const MAX_DATA_LENGTH = MAX_FRAME_LENGTH - TAG_LENGTH - 1;
/** Default rekey interval: 2^20 messages or 1 GiB, whichever comes first (spec/TRANSPORT.md §6.6). */
export const DEFAULT_REKEY_AFTER_MESSAGES = 2 ** 20;
export const DEFAULT_REKEY_AFTER_BYTES = 2 ** 30;

const EMPTY = new Uint8Array(0);
/** The type byte of each transport message, sealed as the first part of its plaintext (§6.5). */
const TYPE_BYTES: Readonly<Record<number, Uint8Array>> = { [MESSAGE_DATA]: Uint8Array.of(MESSAGE_DATA), [MESSAGE_REKEY]: Uint8Array.of(MESSAGE_REKEY), [MESSAGE_CLOSE]: Uint8Array.of(MESSAGE_CLOSE) };

/** A static key pair of one suite (core's KeyPair plus its suite). */
export interface ChannelKeyPair {
  readonly suite: Suite | string | number;
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** A peer's static public key of one suite. */
export interface ChannelPeerKey {
  readonly suite: Suite | string | number;
  readonly publicKey: Uint8Array;
}

export type ChannelRole = 'initiator' | 'responder';

export interface ChannelOptions extends ParameterChoices {
  /** The KEM backend (core's Backend): noble, wasm, native or openssl. */
  readonly backend: Backend;
  /**
   * Initiator: the pattern to run. Default pqIK with `staticKeys` and
   * `remoteStaticKeys`, pqNK with `remoteStaticKeys` only, pqXX otherwise.
   */
  readonly pattern?: PatternName;
  /** Responder: the patterns it accepts (default all three). */
  readonly patterns?: readonly PatternName[];
  /** Our static key pairs, one per suite we may use (the responder always needs one). */
  readonly staticKeys?: readonly ChannelKeyPair[];
  /**
   * The peer's static keys known in advance: the server's key for pqNK/pqIK
   * (the first of the chosen suite); for a key the peer sends (pqIK
   * responder, pqXX) an allow-list per suite — a key not in it is
   * ERR_CHANNEL_PEER_KEY. No key of that suite: any key is accepted (then
   * use `verifyRemoteStatic`).
   */
  readonly remoteStaticKeys?: readonly ChannelPeerKey[];
  /** Called with a static key the peer sent (pqIK responder, pqXX both); false fails with ERR_CHANNEL_PEER_KEY. */
  readonly verifyRemoteStatic?: (key: { suite: Suite; publicKey: Uint8Array }) => boolean;
  /** A TLS policy's parameters (spec/TRANSPORT.md §6.7) instead of modes/suites/ciphers/hashes. */
  readonly policy?: TlsPolicyName;
  /** Rekey our sending key after this many data messages (default 2^20). */
  readonly rekeyAfterMessages?: number;
  /** … or after this many data bytes (default 2^30), whichever comes first. */
  readonly rekeyAfterBytes?: number;
  /** The AEAD/hash provider (default: the platform's, see noise/). */
  readonly crypto?: ChannelCrypto;
  /** Tests and vectors only: deterministic "randomness" for the handshake. */
  readonly random?: (n: number) => Uint8Array;
}

export type ChannelState = 'new' | 'negotiating' | 'handshake' | 'open' | 'closed' | 'failed';

/** What a channel agreed on, once open. */
export interface ChannelInfo {
  readonly pattern: PatternName;
  readonly parameters: ChannelParameters;
  /** The Noise handshake hash (channel binding). */
  readonly handshakeHash: Uint8Array;
  /** The peer's static public key (given or learned), if the pattern has one. */
  readonly remoteStatic: Uint8Array | undefined;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function defaultPattern(options: ChannelOptions): PatternName {
  if (options.remoteStaticKeys?.length) return options.staticKeys?.length ? 'pqIK' : 'pqNK';
  return 'pqXX';
}

export class Channel {
  readonly role: ChannelRole;
  readonly #options: ChannelOptions;
  readonly #accepted: readonly ChannelParameters[];
  readonly #reader = new FrameReader();
  readonly #rekeyMessages: number;
  readonly #rekeyBytes: number;
  #outbox: Uint8Array[] = [];
  #refusal: Uint8Array | undefined;
  #state: ChannelState = 'new';
  #failure: ChannelError | undefined;
  #pattern: PatternName | undefined;
  #offer: ChannelOffer | undefined;
  #parameters: ChannelParameters | undefined;
  #handshake: HandshakeState | undefined;
  #remoteChecked = false;
  #send: CipherState | undefined;
  #receive: CipherState | undefined;
  #info: ChannelInfo | undefined;
  #sentMessages = 0;
  #sentBytes = 0;
  #localClosed = false;
  #peerClosed = false;

  constructor(role: ChannelRole, options: ChannelOptions) {
    if (role !== 'initiator' && role !== 'responder') throw new ChannelProtocolError(`role ${JSON.stringify(String(role))} is not initiator or responder`);
    this.role = role;
    this.#options = options;
    this.#accepted = options.policy !== undefined ? policyParameters(options.policy) : parameterList(options);
    this.#rekeyMessages = positive(options.rekeyAfterMessages, DEFAULT_REKEY_AFTER_MESSAGES, 'rekeyAfterMessages');
    this.#rekeyBytes = positive(options.rekeyAfterBytes, DEFAULT_REKEY_AFTER_BYTES, 'rekeyAfterBytes');
    if (role === 'initiator') {
      const pattern = options.pattern ?? defaultPattern(options);
      const needs = patternNeeds(pattern, true);
      const usable = this.#accepted.filter(
        (p) =>
          options.backend.suites.includes(p.suite.id) &&
          (!needs.localStatic || this.#staticKey(p.suite) !== undefined) &&
          (!needs.remoteStaticKnown || this.#remoteKey(p.suite) !== undefined),
      );
      if (usable.length === 0) {
        throw new ChannelNegotiationError(
          'unsupported-configuration',
          `${pattern}: no parameters to offer (the backend ${options.backend.name} or the static keys given cover none of the configured suites)`,
        );
      }
      this.#pattern = pattern;
      this.#offer = decodeOffer(encodeOffer(pattern, usable));
    }
  }

  get state(): ChannelState {
    return this.#state;
  }
  /** The agreed parameters and handshake hash; undefined until open. */
  get info(): ChannelInfo | undefined {
    return this.#info;
  }
  /** The peer sent its close: no more data will come. */
  get peerClosed(): boolean {
    return this.#peerClosed;
  }
  /** We sent our close. */
  get localClosed(): boolean {
    return this.#localClosed;
  }

  /** Starts the channel: the initiator queues its offer. Call once. */
  start(): void {
    this.#live();
    if (this.#state !== 'new') throw new ChannelProtocolError('start: the channel has already started');
    this.#state = 'negotiating';
    if (this.role === 'initiator') this.#outbox.push(encodeFrame(this.#offer!.bytes));
  }

  /** The bytes to write to the peer since the last call (frames, in order). */
  takeOutput(): Uint8Array[] {
    const out = this.#outbox;
    this.#outbox = [];
    return out;
  }

  /**
   * Feeds bytes read from the peer; returns the authenticated data they
   * completed. Throws the typed error of the first failure; then the channel
   * is dead and this call releases nothing.
   */
  receive(chunk: Uint8Array): Uint8Array[] {
    this.#live();
    if (this.#state === 'new') throw new ChannelProtocolError('receive: call start() first');
    return this.#guard(() => {
      const data: Uint8Array[] = [];
      for (const body of this.#reader.push(chunk)) this.#frame(body, data);
      return data;
    });
  }

  /**
   * Feeds one frame body read from a message-oriented transport (a WebSocket
   * message is one frame, spec/TRANSPORT.md §6.8).
   */
  receiveFrame(body: Uint8Array): Uint8Array[] {
    this.#live();
    if (this.#state === 'new') throw new ChannelProtocolError('receive: call start() first');
    return this.#guard(() => {
      if (this.#reader.pending) throw new ChannelProtocolError('frame: a frame arrived inside another one');
      const data: Uint8Array[] = [];
      this.#frame(body, data);
      return data;
    });
  }

  /** Queues `data` as transport messages (≤ 65518 bytes each), rekeying when due. */
  send(data: Uint8Array): void {
    this.#live();
    if (this.#state === 'closed') throw new ChannelClosedError('send: the channel is closed');
    if (this.#state !== 'open') throw new ChannelProtocolError('send: the channel is not open yet');
    if (this.#localClosed) throw new ChannelClosedError('send: this side has closed the channel');
    this.#guard(() => {
      for (let at = 0; at < data.length; at += MAX_DATA_LENGTH) {
        const part = data.subarray(at, Math.min(data.length, at + MAX_DATA_LENGTH));
        if (this.#sentMessages >= this.#rekeyMessages || this.#sentBytes >= this.#rekeyBytes) {
          this.#transport(MESSAGE_REKEY, EMPTY);
          // Noise §11.3: the sender rekeys right after the message that says so.
          this.#send!.rekey();
          this.#sentMessages = 0;
          this.#sentBytes = 0;
        }
        this.#transport(MESSAGE_DATA, part);
        this.#sentMessages++;
        this.#sentBytes += part.length;
      }
    });
  }

  /** Queues our close message (half-close: the peer may still send until it closes). */
  close(): void {
    this.#live();
    if (this.#state !== 'open') {
      this.#fail(new ChannelClosedError('close: the channel was closed before it opened'));
      return;
    }
    if (this.#localClosed) return;
    this.#guard(() => this.#transport(MESSAGE_CLOSE, EMPTY));
    this.#localClosed = true;
    this.#finishIfDone();
  }

  /** The peer's byte stream ended: ERR_CHANNEL_TRUNCATED unless its close came first. */
  end(): void {
    this.#live();
    if (this.#peerClosed && !this.#reader.pending) return;
    const error = this.#reader.pending
      ? new ChannelTruncatedError('the stream ended inside a frame')
      : this.#state === 'open'
        ? new ChannelTruncatedError('the stream ended without the peer closing the channel')
        : new ChannelTruncatedError(`the peer ended the stream during the ${this.#state === 'negotiating' ? 'negotiation' : 'handshake'} (it may have refused our key or parameters)`);
    throw this.#fail(error);
  }

  /** Wipes every key; later calls throw ERR_CHANNEL_CLOSED. */
  destroy(): void {
    if (this.#failure === undefined) this.#fail(new ChannelClosedError('the channel was destroyed'));
  }

  #live(): void {
    if (this.#failure !== undefined) {
      throw new ChannelClosedError(`the channel is closed (${this.#failure.code})`, { cause: this.#failure });
    }
  }

  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw this.#fail(error instanceof ChannelError ? error : new ChannelProtocolError('internal failure', { cause: error }));
    }
  }

  #fail(error: ChannelError): ChannelError {
    if (this.#failure === undefined) {
      this.#failure = error;
      this.#state = error.code === 'ERR_CHANNEL_CLOSED' ? 'closed' : 'failed';
      // Nothing queued is sent after a failure, except a refusal (which says only that).
      this.#outbox = this.#refusal !== undefined ? [this.#refusal] : [];
      this.#handshake?.destroy();
      this.#send?.destroy();
      this.#receive?.destroy();
      this.#handshake = this.#send = this.#receive = undefined;
    }
    return error;
  }

  #finishIfDone(): void {
    if (this.#localClosed && this.#peerClosed) {
      this.#send?.destroy();
      this.#receive?.destroy();
      this.#send = this.#receive = undefined;
      this.#state = 'closed';
    }
  }

  #staticKey(suite: Suite): ChannelKeyPair | undefined {
    return this.#options.staticKeys?.find((k) => getSuite(k.suite).id === suite.id);
  }

  #remoteKey(suite: Suite): ChannelPeerKey | undefined {
    return this.#options.remoteStaticKeys?.find((k) => getSuite(k.suite).id === suite.id);
  }

  #frame(body: Uint8Array, data: Uint8Array[]): void {
    switch (this.#state) {
      case 'negotiating':
        if (this.role === 'initiator') this.#readAnswer(body);
        else this.#readOffer(body);
        return;
      case 'handshake':
        this.#readHandshake(body);
        return;
      case 'open':
        this.#readTransport(body, data);
        return;
      default:
        throw new ChannelProtocolError(`a frame arrived after the channel was ${this.#state}`);
    }
  }

  #refuse(reason: ChannelRefusalReason, error: ChannelNegotiationError): never {
    this.#refusal = encodeFrame(encodeRefusal(reason));
    this.#outbox.push(this.#refusal);
    throw error;
  }

  #readOffer(body: Uint8Array): void {
    let offer: ChannelOffer;
    try {
      offer = decodeOffer(body);
    } catch (error) {
      if (error instanceof ChannelNegotiationError && error.reason === 'pattern-not-accepted') this.#refuse('pattern-not-accepted', error);
      if (error instanceof ChannelNegotiationError) this.#refuse('malformed-offer', error);
      throw error;
    }
    const patterns = this.#options.patterns ?? ['pqNK', 'pqIK', 'pqXX'];
    if (!patterns.includes(offer.pattern)) {
      this.#refuse('pattern-not-accepted', new ChannelNegotiationError('pattern-not-accepted', `offer: pattern ${offer.pattern} is not accepted`));
    }
    const chosen = pickParameters(
      offer,
      this.#accepted,
      (p) => this.#options.backend.suites.includes(p.suite.id) && this.#staticKey(p.suite) !== undefined,
    );
    if (chosen === undefined) {
      this.#refuse('no-common-parameters', new ChannelNegotiationError('no-common-parameters', 'offer: no entry in common with our parameters and static keys'));
    }
    const choice = encodeChoice(chosen);
    this.#outbox.push(encodeFrame(choice));
    this.#begin(offer.pattern, chosen, channelPrologue(offer.bytes, choice));
  }

  #readAnswer(body: Uint8Array): void {
    const chosen = decodeAnswer(body, this.#offer!);
    this.#begin(this.#pattern!, chosen, channelPrologue(this.#offer!.bytes, body));
    this.#outbox.push(encodeFrame(this.#handshake!.writeMessage(EMPTY)));
    this.#afterHandshakeStep();
  }

  #begin(pattern: PatternName, parameters: ChannelParameters, prologue: Uint8Array): void {
    const initiator = this.role === 'initiator';
    const needs = patternNeeds(pattern, initiator);
    const local = needs.localStatic ? this.#staticKey(parameters.suite) : undefined;
    const remote = needs.remoteStaticKnown ? this.#remoteKey(parameters.suite) : undefined;
    this.#pattern = pattern;
    this.#parameters = parameters;
    this.#handshake = new HandshakeState({
      pattern,
      initiator,
      suite: parameters.suite,
      backend: this.#options.backend,
      cipher: parameters.cipher,
      hash: parameters.hash,
      prologue,
      ...(local !== undefined && { localStatic: { publicKey: local.publicKey, privateKey: local.privateKey } }),
      ...(remote !== undefined && { remoteStatic: remote.publicKey }),
      ...(this.#options.crypto !== undefined && { crypto: this.#options.crypto }),
      ...(this.#options.random !== undefined && { random: this.#options.random }),
    });
    this.#remoteChecked = needs.remoteStaticKnown;
    this.#state = 'handshake';
  }

  #readHandshake(body: Uint8Array): void {
    const hs = this.#handshake!;
    if (hs.isMyTurn) throw new ChannelProtocolError('handshake: a message arrived when it was our turn');
    let payload: Uint8Array;
    try {
      payload = hs.readMessage(body);
    } catch (error) {
      if (error instanceof ChannelError) throw error;
      throw new ChannelHandshakeError('handshake: a message failed to authenticate or parse', { cause: error });
    }
    // Version 1 sends empty handshake payloads: nothing is released before the handshake ends.
    if (payload.length !== 0) throw new ChannelProtocolError('handshake: a message carried a payload (version 1 sends none)');
    this.#checkRemote();
    if (!hs.isComplete && hs.isMyTurn) this.#outbox.push(encodeFrame(hs.writeMessage(EMPTY)));
    this.#afterHandshakeStep();
  }

  #checkRemote(): void {
    const rs = this.#handshake!.remoteStatic;
    if (this.#remoteChecked || rs === undefined) return;
    this.#remoteChecked = true;
    const suite = this.#parameters!.suite;
    // remoteStaticKeys of this suite are an allow-list for a key the peer sends (pqIK responder, pqXX).
    const pinned = (this.#options.remoteStaticKeys ?? []).filter((k) => getSuite(k.suite).id === suite.id);
    if (pinned.length > 0 && !pinned.some((k) => equalBytes(k.publicKey, rs))) {
      throw new ChannelPeerKeyError('handshake: the peer\'s static key is not one of the expected keys');
    }
    if (this.#options.verifyRemoteStatic !== undefined && !this.#options.verifyRemoteStatic({ suite, publicKey: rs.slice() })) {
      throw new ChannelPeerKeyError('handshake: the peer\'s static key was not accepted');
    }
  }

  #afterHandshakeStep(): void {
    const hs = this.#handshake!;
    if (!hs.isComplete) return;
    const handshakeHash = hs.handshakeHash().slice();
    const remoteStatic = hs.remoteStatic?.slice();
    const { send, receive } = hs.split();
    hs.destroy();
    this.#handshake = undefined;
    this.#send = send;
    this.#receive = receive;
    this.#info = Object.freeze({ pattern: this.#pattern!, parameters: this.#parameters!, handshakeHash, remoteStatic });
    this.#state = 'open';
  }

  #transport(type: number, data: Uint8Array): void {
    // type ‖ data sealed as two parts straight into the frame (2 bytes of headroom for its length): the
    // data is read once by the cipher and never copied (spec/TRANSPORT.md §6.5).
    this.#outbox.push(frameInPlace(this.#send!.encryptWithAd(EMPTY, [TYPE_BYTES[type]!, data], FRAME_HEADER_LENGTH)));
  }

  #readTransport(body: Uint8Array, data: Uint8Array[]): void {
    if (this.#peerClosed) throw new ChannelProtocolError('transport: a message arrived after the peer closed');
    let plaintext: Uint8Array;
    try {
      plaintext = this.#receive!.decryptWithAd(EMPTY, body);
    } catch (error) {
      if (error instanceof ChannelError) throw error;
      throw new ChannelDecryptError('transport: a message failed to authenticate', { cause: error });
    }
    if (plaintext.length === 0) throw new ChannelProtocolError('transport: a message without a type');
    const type = plaintext[0]!;
    if (type === MESSAGE_DATA) {
      if (plaintext.length > 1) data.push(plaintext.subarray(1));
      return;
    }
    if (plaintext.length !== 1) throw new ChannelProtocolError(`transport: message type ${type} carries data`);
    if (type === MESSAGE_REKEY) {
      this.#receive!.rekey();
    } else if (type === MESSAGE_CLOSE) {
      this.#peerClosed = true;
      this.#finishIfDone();
    } else {
      throw new ChannelProtocolError(`transport: unknown message type 0x${type.toString(16).padStart(2, '0')}`);
    }
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new ChannelProtocolError(`${name}: ${value} is not a positive integer`);
  return value;
}
