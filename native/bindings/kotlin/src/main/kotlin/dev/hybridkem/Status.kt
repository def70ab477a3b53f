package dev.hybridkem

/**
 * The C ABI's numeric statuses and how each becomes a typed error with the
 * TypeScript code (spec/WIRE-FORMAT.md §9, the table in README.md). The binding checks lengths itself
 * before calling, so INVALID_LENGTH and NULL_POINTER from the library are a
 * backstop, not the usual path.
 */
object Status {
    const val OK = 0
    const val ERR_NULL_POINTER = 1
    const val ERR_UNKNOWN_SUITE = 2
    const val ERR_INVALID_LENGTH = 3
    const val ERR_INVALID_PUBLIC_KEY = 4
    const val ERR_INVALID_GROUP_ELEMENT = 5
    const val ERR_NO_VALID_SCALAR = 6
    const val ERR_STRUCT_SIZE = 7
    const val ERR_RANDOM = 8
    const val ERR_INTERNAL = 9
    // 10-16: only the hybridkem_channel_* functions return them (spec/WIRE-FORMAT.md §9, TRANSPORT.md §6.6).
    const val ERR_CHANNEL_NEGOTIATION = 10
    const val ERR_CHANNEL_HANDSHAKE = 11
    const val ERR_CHANNEL_PEER_KEY = 12
    const val ERR_CHANNEL_DECRYPT = 13
    const val ERR_CHANNEL_TRUNCATED = 14
    const val ERR_CHANNEL_PROTOCOL = 15
    const val ERR_CHANNEL_CLOSED = 16

    /** The library's own name for a status, e.g. "HYBRIDKEM_ERR_INVALID_LENGTH". */
    fun name(status: Int): String = NativeLibrary.hybridkem_status_name(status)

    /** The TypeScript error code a status maps to. */
    fun errorCode(status: Int): ErrorCode = when (status) {
        ERR_NULL_POINTER -> ErrorCode.ERR_INVALID_ARGUMENT
        ERR_UNKNOWN_SUITE -> ErrorCode.ERR_UNKNOWN_SUITE
        ERR_INVALID_LENGTH -> ErrorCode.ERR_INVALID_LENGTH
        ERR_INVALID_PUBLIC_KEY -> ErrorCode.ERR_INVALID_MLKEM_KEY
        ERR_INVALID_GROUP_ELEMENT -> ErrorCode.ERR_INVALID_GROUP_ELEMENT
        ERR_NO_VALID_SCALAR -> ErrorCode.ERR_INVALID_SEED
        ERR_CHANNEL_NEGOTIATION -> ErrorCode.ERR_CHANNEL_NEGOTIATION
        ERR_CHANNEL_HANDSHAKE -> ErrorCode.ERR_CHANNEL_HANDSHAKE
        ERR_CHANNEL_PEER_KEY -> ErrorCode.ERR_CHANNEL_PEER_KEY
        ERR_CHANNEL_DECRYPT -> ErrorCode.ERR_CHANNEL_DECRYPT
        ERR_CHANNEL_TRUNCATED -> ErrorCode.ERR_CHANNEL_TRUNCATED
        ERR_CHANNEL_PROTOCOL -> ErrorCode.ERR_CHANNEL_PROTOCOL
        ERR_CHANNEL_CLOSED -> ErrorCode.ERR_CHANNEL_CLOSED
        else -> ErrorCode.ERR_NATIVE
    }

    /** Throws the typed error for a non-OK status; `field` names the input at fault. */
    fun check(status: Int, operation: String, field: String = operation) {
        if (status == OK) return
        throw when (status) {
            ERR_NULL_POINTER -> InvalidArgumentException(field, "NULL pointer (${name(status)})")
            ERR_UNKNOWN_SUITE -> UnknownSuiteException("in $operation")
            // -1: the library does not say which length it expected.
            ERR_INVALID_LENGTH -> InvalidLengthException(field, -1, -1)
            ERR_INVALID_PUBLIC_KEY -> InvalidMlKemKeyException(field, -1)
            ERR_INVALID_GROUP_ELEMENT -> InvalidGroupElementException(field)
            ERR_NO_VALID_SCALAR -> InvalidSeedException(field)
            // The channel's statuses carry no detail: the message names the operation and the status only.
            ERR_CHANNEL_NEGOTIATION -> ChannelNegotiationException("$operation: ${name(status)}")
            ERR_CHANNEL_HANDSHAKE -> ChannelHandshakeException("$operation: ${name(status)}")
            ERR_CHANNEL_PEER_KEY -> ChannelPeerKeyException("$operation: ${name(status)}")
            ERR_CHANNEL_DECRYPT -> ChannelDecryptException("$operation: ${name(status)}")
            ERR_CHANNEL_TRUNCATED -> ChannelTruncatedException("$operation: ${name(status)}")
            ERR_CHANNEL_PROTOCOL -> ChannelProtocolException("$operation: ${name(status)}")
            ERR_CHANNEL_CLOSED -> ChannelClosedException("$operation: ${name(status)}")
            else -> NativeFailureException(status, name(status), operation)
        }
    }
}

/**
 * The one way HybridKem, PrivateKey, CompositeSigner and the suite tables call
 * the C ABI: run `call` on the library and turn a non-OK status into the typed
 * exception (Status.check). `operation` is the Kotlin API's name for what
 * failed ("HybridKem.encapsulate"), so messages read the same in every class;
 * `field` names the input a content error is about. Inline: no allocation on
 * the hot path (bench.sh measures it).
 */
internal inline fun callNative(operation: String, field: String, call: NativeLibrary.() -> Int) {
    Status.check(NativeLibrary.call(), operation, field)
}

/**
 * A C call with one output: a fresh ByteArray of `size` bytes is passed to
 * `call` and returned when the status is OK. On failure the library has
 * already zeroed it (hybridkem.h's all-or-nothing rule) and it is dropped.
 */
internal inline fun nativeOutput(size: Int, operation: String, field: String, call: NativeLibrary.(ByteArray) -> Int): ByteArray {
    val out = ByteArray(size)
    callNative(operation, field) { call(out) }
    return out
}

/** A fresh private key (secret) of `length` bytes from the library's `generate`: KEM and signature suites alike. */
internal inline fun nativePrivateKey(
    suiteId: Int, length: Int, operation: String, generate: (Int, ByteArray, SizeT) -> Int,
): ByteArray = nativeOutput(length, operation, "privateKey") { sk -> generate(suiteId, sk, sz(sk.size)) }

/** The public key the library's `derive` computes from `privateKey` (its length checked first): KEM and signature suites alike. */
internal inline fun nativePublicKey(
    suiteId: Int, privateKey: ByteArray, privateKeyLength: Int, publicKeyLength: Int, operation: String,
    derive: (Int, ByteArray, SizeT, ByteArray, SizeT) -> Int,
): ByteArray {
    expectLength("privateKey", privateKey, privateKeyLength)
    return nativeOutput(publicKeyLength, operation, "privateKey") { pk -> derive(suiteId, privateKey, sz(privateKey.size), pk, sz(pk.size)) }
}
