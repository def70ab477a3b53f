/**
 * Typed errors of the Noise channel (spec/TRANSPORT.md §6.6). Every one is a
 * core `HybridKemError` with a stable `code`; no message ever carries key,
 * secret or plaintext bytes.
 * @module
 */
import { HybridKemError } from '@hybridkem/core';

export type ChannelErrorCode =
  | 'ERR_CHANNEL_HANDSHAKE'
  | 'ERR_CHANNEL_DECRYPT'
  | 'ERR_CHANNEL_TRUNCATED'
  | 'ERR_CHANNEL_NEGOTIATION'
  | 'ERR_CHANNEL_PROTOCOL'
  | 'ERR_CHANNEL_PEER_KEY'
  | 'ERR_CHANNEL_CLOSED';

/** Base class of the channel's errors; `code` says which one. */
export class ChannelError extends HybridKemError {
  declare readonly code: ChannelErrorCode;
  constructor(code: ChannelErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ChannelError';
  }
}

/** A handshake message failed to authenticate or parse (wrong length, bad ciphertext, wrong key). */
export class ChannelHandshakeError extends ChannelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CHANNEL_HANDSHAKE', message, options);
    this.name = 'ChannelHandshakeError';
  }
}

/** A transport message failed to authenticate: tampered, replayed, reordered or cut. */
export class ChannelDecryptError extends ChannelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CHANNEL_DECRYPT', message, options);
    this.name = 'ChannelDecryptError';
  }
}

/** The stream ended mid-frame, during the handshake, or without an authenticated close. */
export class ChannelTruncatedError extends ChannelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CHANNEL_TRUNCATED', message, options);
    this.name = 'ChannelTruncatedError';
  }
}

/**
 * Why a negotiation failed: the peer refused (`refused`, with its reason), we
 * found nothing in common, the offer or choice was malformed, the choice was
 * not one of our entries, or the local configuration names a mode, pattern or
 * suite this build cannot run.
 */
export type NegotiationFailure =
  | 'refused'
  | 'no-common-parameters'
  | 'pattern-not-accepted'
  | 'malformed-offer'
  | 'malformed-choice'
  | 'choice-not-offered'
  | 'unsupported-configuration';

/** No common parameters, a refusal, a choice not in our offer, a malformed offer/choice. */
export class ChannelNegotiationError extends ChannelError {
  constructor(
    readonly reason: NegotiationFailure,
    message: string,
    /** The refusal code the peer sent (spec/TRANSPORT.md §6.4) when `reason` is `refused`. */
    readonly refusalCode?: number,
  ) {
    super('ERR_CHANNEL_NEGOTIATION', message);
    this.name = 'ChannelNegotiationError';
  }
}

/** A frame too long, an unexpected message type, a message after close, a non-empty handshake payload. */
export class ChannelProtocolError extends ChannelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CHANNEL_PROTOCOL', message, options);
    this.name = 'ChannelProtocolError';
  }
}

/** The peer's static key is not the expected one, or the application did not accept it. */
export class ChannelPeerKeyError extends ChannelError {
  constructor(message: string) {
    super('ERR_CHANNEL_PEER_KEY', message);
    this.name = 'ChannelPeerKeyError';
  }
}

/** The channel is closed or failed: nothing more is sent or released. */
export class ChannelClosedError extends ChannelError {
  constructor(message = 'the channel is closed', options?: { cause?: unknown }) {
    super('ERR_CHANNEL_CLOSED', message, options);
    this.name = 'ChannelClosedError';
  }
}
