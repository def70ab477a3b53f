package dev.hybridkem

import com.sun.jna.Memory
import com.sun.jna.Native
import com.sun.jna.Pointer

/**
 * The Noise-level C ABI for the transcript vectors of spec/TRANSPORT.md §6.9 (`hybridkem_noise_*`,
 * native/src/channel/noise_ffi.rs): one PQNoise handshake with caller-chosen randomness, any handshake
 * payload, then the split cipher states. Bound apart from [ChannelNative] so the channel never depends on it.
 */
internal object NoiseNative {
    init {
        NativeLibrary.registerPart(NoiseNative::class.java, "hybridkem_noise_* functions")
    }

    @JvmStatic external fun hybridkem_noise_new(
        patternId: Int, suiteId: Int, cipherId: Int, hashId: Int, initiator: Int,
        prologue: ByteArray?, prologueLen: SizeT, localPrivateKey: ByteArray?, localPrivateKeyLen: SizeT,
        remotePublicKey: ByteArray?, remotePublicKeyLen: SizeT, random: ByteArray?, randomLen: SizeT, out: Pointer,
    ): Int
    @JvmStatic external fun hybridkem_noise_write_message(h: Pointer, payload: ByteArray?, len: SizeT, out: ByteArray, cap: SizeT, written: Pointer): Int
    @JvmStatic external fun hybridkem_noise_read_message(h: Pointer, message: ByteArray?, len: SizeT, out: ByteArray, cap: SizeT, written: Pointer): Int
    @JvmStatic external fun hybridkem_noise_handshake_hash(h: Pointer, out: ByteArray, cap: SizeT, written: Pointer): Int
    @JvmStatic external fun hybridkem_noise_encrypt(h: Pointer, plaintext: ByteArray?, len: SizeT, out: ByteArray, cap: SizeT, written: Pointer): Int
    @JvmStatic external fun hybridkem_noise_decrypt(h: Pointer, ciphertext: ByteArray?, len: SizeT, out: ByteArray, cap: SizeT, written: Pointer): Int
    @JvmStatic external fun hybridkem_noise_free(h: Pointer)
}

/**
 * One side of a spec/TRANSPORT.md §6.1 handshake whose randomness is fixed: FOR TRANSCRIPT VECTORS AND
 * TESTS ONLY. `random` is every byte the side draws, in its tokens' order (§6.9's `random.<side>`);
 * fixed randomness is only as secret as those bytes, and reusing it reuses the ephemeral key and the
 * shared secrets. A real channel is [ChannelEngine] / [Channel], which draw from the library's RNG.
 *
 * Not thread-safe; [close] wipes and frees the native state. Failures are the channel's typed
 * exceptions (a message that fails to authenticate: [ChannelHandshakeException]); after one the
 * handshake is dead and every later call is [ChannelClosedException].
 */
internal class NoiseVectorHandshake(
    pattern: ChannelPattern,
    suite: Suite,
    cipher: ChannelCipher,
    hash: ChannelHash,
    initiator: Boolean,
    prologue: ByteArray,
    localPrivateKey: ByteArray?,
    remotePublicKey: ByteArray?,
    random: ByteArray,
) : AutoCloseable {
    private val cell = Memory(Native.POINTER_SIZE.toLong()).also { it.setPointer(0, Pointer.NULL) }
    private val scratch = Memory(8)

    init {
        val sk = localPrivateKey ?: ByteArray(0)
        val rpk = remotePublicKey ?: ByteArray(0)
        Status.check(
            NoiseNative.hybridkem_noise_new(
                pattern.id, suite.id, cipher.id, hash.id, if (initiator) 1 else 0,
                prologue, SizeT(prologue.size.toLong()), sk, SizeT(sk.size.toLong()),
                rpk, SizeT(rpk.size.toLong()), random, SizeT(random.size.toLong()), cell,
            ),
            "NoiseVectorHandshake.new",
        )
    }

    private fun handle(op: String): Pointer = cell.getPointer(0) ?: throw ChannelClosedException("$op: closed")

    private fun written(): Int =
        Math.toIntExact(if (Native.SIZE_T_SIZE == 8) scratch.getLong(0) else scratch.getInt(0).toLong())

    private inline fun io(op: String, cap: Int, call: (Pointer, ByteArray) -> Int): ByteArray {
        val out = ByteArray(cap)
        Status.check(call(handle(op), out), op)
        return out.copyOf(written())
    }

    /** The next handshake message, carrying [payload]. */
    fun writeMessage(payload: ByteArray): ByteArray = io("NoiseVectorHandshake.writeMessage", MAX_MESSAGE) { h, out ->
        NoiseNative.hybridkem_noise_write_message(h, payload, SizeT(payload.size.toLong()), out, SizeT(out.size.toLong()), scratch)
    }

    /** Reads the peer's handshake message; returns its authenticated payload. */
    fun readMessage(message: ByteArray): ByteArray = io("NoiseVectorHandshake.readMessage", MAX_MESSAGE) { h, out ->
        NoiseNative.hybridkem_noise_read_message(h, message, SizeT(message.size.toLong()), out, SizeT(out.size.toLong()), scratch)
    }

    /** The handshake hash after the last message (32 or 64 bytes). */
    fun handshakeHash(): ByteArray = io("NoiseVectorHandshake.handshakeHash", 64) { h, out ->
        NoiseNative.hybridkem_noise_handshake_hash(h, out, SizeT(out.size.toLong()), scratch)
    }

    /** ENCRYPT(k, n, "", plaintext) with the sending cipher state. */
    fun encrypt(plaintext: ByteArray): ByteArray = io("NoiseVectorHandshake.encrypt", plaintext.size + 16) { h, out ->
        NoiseNative.hybridkem_noise_encrypt(h, plaintext, SizeT(plaintext.size.toLong()), out, SizeT(out.size.toLong()), scratch)
    }

    /** DECRYPT with the receiving cipher state ([ChannelDecryptException] if it fails to authenticate). */
    fun decrypt(ciphertext: ByteArray): ByteArray = io("NoiseVectorHandshake.decrypt", ciphertext.size) { h, out ->
        NoiseNative.hybridkem_noise_decrypt(h, ciphertext, SizeT(ciphertext.size.toLong()), out, SizeT(out.size.toLong()), scratch)
    }

    override fun close() {
        val p = cell.getPointer(0)
        if (p != null) NoiseNative.hybridkem_noise_free(p)
        cell.setPointer(0, Pointer.NULL)
    }

    companion object {
        /** Noise's maximum message length (§3). */
        const val MAX_MESSAGE = 65535
    }
}
