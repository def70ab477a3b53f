package dev.hybridkem

import com.sun.jna.Memory
import com.sun.jna.Native
import com.sun.jna.Pointer

/** A snapshot of a [ChannelEngine]: its flags and how many bytes wait to be sent and to be read. */
data class ChannelEngineState(
    val established: Boolean,
    val peerClosed: Boolean,
    val sentClose: Boolean,
    val failed: Boolean,
    val outputLength: Int,
    val plaintextLength: Int,
)

/**
 * The sans-IO channel of spec/TRANSPORT.md §6, in the native core (`hybridkem_channel_*`):
 * bytes from the peer go in with [feed], frames to send come out of [takeOutput], authenticated
 * plaintext out of [read]. Negotiation, the Noise handshake, framing and transport messages all run
 * in the library; this class owns no socket ([Channel] does the I/O).
 *
 * One lock serializes the calls (the C ABI's channel is single-threaded). A failed channel is dead:
 * every later call is [ChannelClosedException]. [close] wipes and frees the native state (not the
 * channel's close message: that is [sendClose]); an engine that becomes unreachable is freed by a Cleaner.
 */
class ChannelEngine private constructor(
    private val cell: Memory,
    val isInitiator: Boolean,
) : AutoCloseable {
    private val lock = Any()
    private var freed = false
    // Out-parameters: one size_t / uint32_t each, at 8-byte offsets.
    private val scratch = Memory(24)
    // The action holds the cell, never `this`: clean() runs it at most once (close() or GC).
    private val cleanable = CLEANER.register(this, Free(cell))

    private class Free(private val cell: Memory) : Runnable {
        override fun run() {
            val p = cell.getPointer(0)
            if (p != null) ChannelNative.hybridkem_channel_free(p) // wipes keys and buffers
            cell.setPointer(0, Pointer.NULL)
        }
    }

    private inline fun <T> handle(operation: String, f: (Pointer) -> T): T = synchronized(lock) {
        if (freed) throw ChannelClosedException("$operation: the channel was freed (close())")
        f(cell.getPointer(0))
    }

    private fun sizeAt(offset: Long): Int {
        val v = if (Native.SIZE_T_SIZE == 8) scratch.getLong(offset) else scratch.getInt(offset).toLong()
        return Math.toIntExact(v)
    }

    /** Bytes received from the peer; returns how many were taken (fewer only while 256 KiB of plaintext wait to be read). */
    fun feed(data: ByteArray, offset: Int = 0, length: Int = data.size - offset): Int {
        checkRange(data, offset, length)
        val slice = if (offset == 0 && length == data.size) data else data.copyOfRange(offset, offset + length)
        return handle("ChannelEngine.feed") { ch ->
            callChannel("ChannelEngine.feed") { hybridkem_channel_feed(ch, slice, sz(length), scratch) }
            sizeAt(0)
        }
    }

    /** The peer's byte stream ended: fine after its close, else [ChannelTruncatedException]. */
    fun feedEnd() = handle("ChannelEngine.feedEnd") { ch ->
        callChannel("ChannelEngine.feedEnd") { hybridkem_channel_feed_end(ch) }
    }

    /** Plaintext to send (split into messages of at most 65518 bytes; held until the handshake completes). */
    fun write(data: ByteArray, offset: Int = 0, length: Int = data.size - offset) {
        checkRange(data, offset, length)
        val slice = if (offset == 0 && length == data.size) data else data.copyOfRange(offset, offset + length)
        handle("ChannelEngine.write") { ch -> callChannel("ChannelEngine.write") { hybridkem_channel_write(ch, slice, sz(length)) } }
    }

    /** Sends a rekey message and rekeys the sending direction (Noise §11.3). */
    fun rekey() = handle("ChannelEngine.rekey") { ch -> callChannel("ChannelEngine.rekey") { hybridkem_channel_rekey(ch) } }

    /** Queues the channel's close message: nothing is written after it (the peer may still send). */
    fun sendClose() = handle("ChannelEngine.sendClose") { ch -> callChannel("ChannelEngine.sendClose") { hybridkem_channel_close(ch) } }

    val state: ChannelEngineState
        get() = handle("ChannelEngine.state") { ch ->
            callChannel("ChannelEngine.state") { hybridkem_channel_state(ch, scratch, scratch.share(8), scratch.share(16)) }
            val f = scratch.getInt(0)
            ChannelEngineState(
                f and ChannelNative.FLAG_ESTABLISHED != 0, f and ChannelNative.FLAG_PEER_CLOSED != 0,
                f and ChannelNative.FLAG_SENT_CLOSE != 0, f and ChannelNative.FLAG_FAILED != 0, sizeAt(8), sizeAt(16),
            )
        }

    /** Every byte waiting to be sent to the peer (frames, back to back); empty when there is none. */
    fun takeOutput(): ByteArray = handle("ChannelEngine.takeOutput") { ch ->
        val n = state.outputLength
        if (n == 0) return@handle EMPTY
        val out = ByteArray(n)
        callChannel("ChannelEngine.takeOutput") { hybridkem_channel_take_output(ch, out, sz(n), scratch) }
        val written = sizeAt(0)
        if (written == n) out else out.copyOf(written)
    }

    /** Moves up to `length` bytes of authenticated plaintext into `buffer`; returns how many (0: none waiting). */
    fun read(buffer: ByteArray, offset: Int = 0, length: Int = buffer.size - offset): Int {
        checkRange(buffer, offset, length)
        return handle("ChannelEngine.read") { ch ->
            if (offset == 0) {
                callChannel("ChannelEngine.read") { hybridkem_channel_read(ch, buffer, sz(length), scratch) }
                sizeAt(0)
            } else {
                val tmp = ByteArray(length)
                callChannel("ChannelEngine.read") { hybridkem_channel_read(ch, tmp, sz(length), scratch) }
                val n = sizeAt(0)
                tmp.copyInto(buffer, offset, 0, n)
                tmp.fill(0)
                n
            }
        }
    }

    /** All authenticated plaintext waiting to be read (empty when there is none). */
    fun readAvailable(): ByteArray = handle("ChannelEngine.readAvailable") {
        val n = state.plaintextLength
        if (n == 0) EMPTY else ByteArray(n).let { buf -> val got = read(buf); if (got == n) buf else buf.copyOf(got) }
    }

    /** Parameters, handshake hash and peer key; [ChannelClosedException] before the handshake completed. */
    fun info(): ChannelInfo = handle("ChannelEngine.info") { ch ->
        val entry = ByteArray(ChannelParameters.ENCODED_LENGTH)
        val hash = ByteArray(MAX_HASH)
        val remote = ByteArray(MAX_PUBLIC_KEY)
        callChannel("ChannelEngine.info") {
            hybridkem_channel_info(ch, entry, hash, sz(hash.size), scratch, remote, sz(remote.size), scratch.share(8))
        }
        val hashLen = sizeAt(0)
        val remoteLen = sizeAt(8)
        val params = ChannelParameters.decode(entry)
        // The library says which pattern ran (a responder accepting pqIK and pqXX cannot tell them apart by the keys).
        callChannel("ChannelEngine.info") { hybridkem_channel_pattern(ch, scratch.share(16)) }
        val id = scratch.getInt(16)
        val pattern = ChannelPattern.entries.firstOrNull { it.id == id } ?: throw NativeFailureException(Status.ERR_INTERNAL, "unknown pattern id $id", "ChannelEngine.info")
        ChannelInfo(pattern, params, hash.copyOf(hashLen), if (remoteLen == 0) null else remote.copyOf(remoteLen))
    }

    /** Wipes and frees the native channel (keys, buffers); later calls are [ChannelClosedException]. Idempotent. */
    override fun close() = synchronized(lock) {
        if (!freed) {
            freed = true
            cleanable.clean()
        }
    }

    companion object {
        private val CLEANER: java.lang.ref.Cleaner = java.lang.ref.Cleaner.create()
        private val EMPTY = ByteArray(0)
        private const val MAX_HASH = 64 // SHA-512
        private val MAX_PUBLIC_KEY by lazy { Suite.entries.maxOf { it.publicKeyLength } }

        /** An initiator: its offer is queued in [takeOutput] at once. */
        fun initiator(options: ChannelOptions): ChannelEngine {
            val pattern = options.initiatorPattern()
            val entries = options.entries(options.usableSuites(true, pattern))
            return create(ChannelNative.ROLE_INITIATOR, pattern.id, entries, options)
        }

        /** A responder accepting `options.patterns`, picking the first of its entries the offer holds (§6.5). */
        fun responder(options: ChannelOptions): ChannelEngine {
            if (options.patterns.isEmpty()) throw ChannelNegotiationException("options: a responder accepts no pattern")
            val entries = options.entries(options.usableSuites(false, null))
            val mask = options.patterns.fold(0) { m, p -> m or (1 shl p.id) }
            return create(ChannelNative.ROLE_RESPONDER, mask, entries, options)
        }

        private fun create(role: Int, patterns: Int, entries: List<ChannelParameters>, options: ChannelOptions): ChannelEngine {
            val encoded = entries.fold(ByteArray(0)) { acc, e -> acc + e.encode() }
            val cell = Memory(Native.POINTER_SIZE.toLong())
            cell.setPointer(0, Pointer.NULL)
            callChannel("ChannelEngine.create") { hybridkem_channel_new(role, patterns, encoded, sz(encoded.size), cell) }
            val engine = ChannelEngine(cell, role == ChannelNative.ROLE_INITIATOR)
            try {
                val suites = (options.staticKeys.map { it.suite } + options.remoteStaticKeys.map { it.suite }).distinct()
                for (s in suites) {
                    val own = options.staticKeys.lastOrNull { it.suite == s }?.privateKey
                    val peer = options.remoteStaticKeys.lastOrNull { it.suite == s }?.publicKey
                    own?.let { expectLength("staticKey.privateKey", it, s.privateKeyLength) }
                    engine.handle("ChannelEngine.create") { ch ->
                        callChannel("ChannelEngine.setKeys") {
                            hybridkem_channel_set_keys(ch, s.id, own, sz(own?.size ?: 0), peer, sz(peer?.size ?: 0))
                        }
                    }
                }
                engine.handle("ChannelEngine.create") { ch -> callChannel("ChannelEngine.start") { hybridkem_channel_start(ch) } }
            } catch (e: Throwable) {
                engine.close(); throw e
            }
            return engine
        }

        private fun checkRange(a: ByteArray, offset: Int, length: Int) {
            if (offset < 0 || length < 0 || offset > a.size - length) {
                throw InvalidArgumentException("data", "offset $offset and length $length outside an array of ${a.size} bytes")
            }
        }
    }
}
