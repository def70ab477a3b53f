package dev.hybridkem

import com.sun.jna.Pointer

/**
 * The channel's entry points of the C ABI (`hybridkem_channel_*`, native/src/channel/ffi.rs),
 * bound apart from [NativeLibrary] so that a library built without the channel still serves
 * the KEM and signatures: only the first channel use fails then ([LibraryUnavailableException]).
 * uint32_t and uint16_t are Int (see [NativeLibrary]), size_t [SizeT]; out-parameters are [Pointer]s to scratch memory.
 */
internal object ChannelNative {
    init {
        NativeLibrary.registerPart(ChannelNative::class.java, "channel functions (hybridkem_channel_*)")
    }

    const val ROLE_INITIATOR = 0
    const val ROLE_RESPONDER = 1
    const val FLAG_ESTABLISHED = 1
    const val FLAG_PEER_CLOSED = 2
    const val FLAG_SENT_CLOSE = 4
    const val FLAG_FAILED = 8

    @JvmStatic external fun hybridkem_channel_new(role: Int, patterns: Int, entries: ByteArray, entriesLen: SizeT, out: Pointer): Int
    @JvmStatic external fun hybridkem_channel_set_keys(
        ch: Pointer, suiteId: Int, privateKey: ByteArray?, privateKeyLen: SizeT, remotePublicKey: ByteArray?, remotePublicKeyLen: SizeT,
    ): Int
    @JvmStatic external fun hybridkem_channel_start(ch: Pointer): Int
    @JvmStatic external fun hybridkem_channel_feed(ch: Pointer, data: ByteArray?, len: SizeT, consumed: Pointer): Int
    @JvmStatic external fun hybridkem_channel_feed_end(ch: Pointer): Int
    @JvmStatic external fun hybridkem_channel_write(ch: Pointer, data: ByteArray?, len: SizeT): Int
    @JvmStatic external fun hybridkem_channel_rekey(ch: Pointer): Int
    @JvmStatic external fun hybridkem_channel_close(ch: Pointer): Int
    @JvmStatic external fun hybridkem_channel_take_output(ch: Pointer, out: ByteArray?, cap: SizeT, written: Pointer): Int
    @JvmStatic external fun hybridkem_channel_read(ch: Pointer, out: ByteArray?, cap: SizeT, written: Pointer): Int
    @JvmStatic external fun hybridkem_channel_state(ch: Pointer, flags: Pointer, outputLen: Pointer, plaintextLen: Pointer): Int
    @JvmStatic external fun hybridkem_channel_info(
        ch: Pointer, entry: ByteArray, hash: ByteArray, hashCap: SizeT, hashLen: Pointer,
        remote: ByteArray, remoteCap: SizeT, remoteLen: Pointer,
    ): Int
    @JvmStatic external fun hybridkem_channel_pattern(ch: Pointer, patternId: Pointer): Int
    @JvmStatic external fun hybridkem_channel_free(ch: Pointer)
}

/** Runs a channel entry point and turns a non-OK status into the typed exception (Status.check). */
internal inline fun callChannel(operation: String, call: ChannelNative.() -> Int) {
    Status.check(ChannelNative.call(), operation, operation)
}
