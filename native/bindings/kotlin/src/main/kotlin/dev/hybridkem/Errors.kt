package dev.hybridkem

/**
 * The stable error codes, the same strings as TypeScript's `HybridKemError.code`
 * (packages/core/src/errors.ts). ERR_NATIVE: the C ABI failed where it should
 * not (RANDOM, INTERNAL, STRUCT_SIZE, an unknown status), the code TypeScript
 * and C# give the same statuses (spec/WIRE-FORMAT.md §9).
 */
enum class ErrorCode {
    ERR_TRUNCATED, ERR_TRAILING_DATA, ERR_INVALID_LENGTH, ERR_UNSUPPORTED_VERSION, ERR_UNKNOWN_KIND,
    ERR_WRONG_KIND, ERR_UNKNOWN_SUITE, ERR_INVALID_MLKEM_KEY, ERR_INVALID_GROUP_ELEMENT, ERR_INVALID_SEED,
    ERR_ARMOR, ERR_INVALID_ARGUMENT, ERR_BACKEND_UNAVAILABLE, ERR_NATIVE,
    // The channel's codes (spec/TRANSPORT.md §6.6), the same strings as TypeScript's ChannelError codes.
    ERR_CHANNEL_NEGOTIATION, ERR_CHANNEL_HANDSHAKE, ERR_CHANNEL_PEER_KEY, ERR_CHANNEL_DECRYPT,
    ERR_CHANNEL_TRUNCATED, ERR_CHANNEL_PROTOCOL, ERR_CHANNEL_CLOSED,
}

/**
 * Every error this binding throws on purpose. Messages name fields, lengths and
 * ids only: never key, seed, shared-secret or message bytes.
 */
sealed class HybridKemException(val code: ErrorCode, message: String) : RuntimeException(message) {
    override fun toString(): String = "${this::class.simpleName}[$code]: $message"
}

class TruncatedException(field: String, val expected: Int, val actual: Int) :
    HybridKemException(ErrorCode.ERR_TRUNCATED, "$field: truncated, expected $expected bytes, got $actual")
class TrailingDataException(field: String, val expected: Int, val actual: Int) :
    HybridKemException(ErrorCode.ERR_TRAILING_DATA, "$field: ${actual - expected} trailing bytes, expected $expected bytes, got $actual")
class InvalidLengthException(field: String, val expected: Int, val actual: Int) :
    HybridKemException(ErrorCode.ERR_INVALID_LENGTH, "$field: expected $expected bytes, got $actual")
class UnsupportedVersionException(val actual: Int) :
    HybridKemException(ErrorCode.ERR_UNSUPPORTED_VERSION, "wire format version: expected ${Wire.VERSION}, got $actual")
class UnknownKindException(val actual: Int) :
    HybridKemException(ErrorCode.ERR_UNKNOWN_KIND, "object kind: unknown kind byte 0x%02x".format(actual))
class WrongKindException(val expected: String, val actual: String) :
    HybridKemException(ErrorCode.ERR_WRONG_KIND, "object kind: expected $expected, got $actual")
class UnknownSuiteException(what: String) :
    HybridKemException(ErrorCode.ERR_UNKNOWN_SUITE, "suite: unknown suite $what")
class InvalidMlKemKeyException(field: String, val coefficientIndex: Int) :
    HybridKemException(ErrorCode.ERR_INVALID_MLKEM_KEY, "$field: ML-KEM encapsulation key is not canonical (coefficient $coefficientIndex is not below q = 3329, FIPS 203 §7.2)")
class InvalidGroupElementException(field: String) :
    HybridKemException(ErrorCode.ERR_INVALID_GROUP_ELEMENT, "$field: invalid traditional group element (off the curve, not uncompressed SEC1, or low order)")
class InvalidSeedException(field: String) :
    HybridKemException(ErrorCode.ERR_INVALID_SEED, "$field: no valid scalar in the seed or randomness")
class ArmorException(reason: String) : HybridKemException(ErrorCode.ERR_ARMOR, "armor: $reason")
class InvalidArgumentException(field: String, reason: String) :
    HybridKemException(ErrorCode.ERR_INVALID_ARGUMENT, "$field: $reason")
class LibraryUnavailableException(message: String) : HybridKemException(ErrorCode.ERR_BACKEND_UNAVAILABLE, message)
/** The C ABI returned RANDOM, INTERNAL, STRUCT_SIZE or a status this binding does not know. */
class NativeFailureException(val status: Int, val statusName: String, operation: String) :
    HybridKemException(ErrorCode.ERR_NATIVE, "$operation: $statusName ($status)")

/**
 * A failure of the Noise channel (spec/TRANSPORT.md §6.6), from C ABI statuses
 * 10-16 or from the socket under a [Channel]. After one the channel is dead:
 * it releases no more data and every later call is [ChannelClosedException].
 */
sealed class ChannelException(code: ErrorCode, message: String) : HybridKemException(code, message)

/** No common parameters, a refusal, a pattern not accepted, a malformed offer or choice, a configuration this build cannot run. */
class ChannelNegotiationException(message: String) : ChannelException(ErrorCode.ERR_CHANNEL_NEGOTIATION, message)
/** A handshake message failed to authenticate or has the wrong length (tampered, replayed, a wrong static key); or a timeout. */
class ChannelHandshakeException(message: String) : ChannelException(ErrorCode.ERR_CHANNEL_HANDSHAKE, message)
/** The peer's static key is not the one pinned for its suite. */
class ChannelPeerKeyException(message: String) : ChannelException(ErrorCode.ERR_CHANNEL_PEER_KEY, message)
/** A transport message failed to authenticate (tampered, replayed, reordered, dropped). */
class ChannelDecryptException(message: String) : ChannelException(ErrorCode.ERR_CHANNEL_DECRYPT, message)
/** The byte stream ended inside a frame, before the handshake completed, or without the peer's close; or it failed. */
class ChannelTruncatedException(message: String) : ChannelException(ErrorCode.ERR_CHANNEL_TRUNCATED, message)
/** A frame over 65535 bytes, a non-empty handshake payload, an unknown message type, data on a rekey/close, a frame after close. */
class ChannelProtocolException(message: String) : ChannelException(ErrorCode.ERR_CHANNEL_PROTOCOL, message)
/** Use of a channel that is closed or failed. */
class ChannelClosedException(message: String) : ChannelException(ErrorCode.ERR_CHANNEL_CLOSED, message)
