package dev.hybridkem

import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.net.Socket
import java.net.SocketTimeoutException

/**
 * The channel of spec/TRANSPORT.md §6 over a byte stream (a [Socket], or an InputStream/OutputStream
 * pair): [connect] / [accept] return once the handshake authenticated; then [send], [receive] and
 * [shutdownOutput] (the channel's close message, a half-close: the peer may still send) and [close].
 *
 *     val ch = Channel.connect(Socket("127.0.0.1", port), ChannelOptions(remoteStaticKeys = listOf(serverKey))) // pqNK
 *     ch.send("hello".toByteArray()); ch.shutdownOutput()
 *     while (true) { val chunk = ch.receive() ?: break; ... }   // null: the peer's authenticated close
 *     ch.close()
 *
 * [receive] releases only authenticated data. Any failure (typed [ChannelException]; an I/O error is
 * [ChannelTruncatedException]) leaves the channel dead: the stream is closed, later calls are
 * [ChannelClosedException]. One thread may [receive] while another [send]s.
 */
class Channel private constructor(
    private val engine: ChannelEngine,
    private val input: InputStream,
    private val output: OutputStream,
    private val closeTransport: () -> Unit,
) : AutoCloseable {
    private val readLock = Any()
    private val writeLock = Any()
    private val buffer = ByteArray(READ_CHUNK)
    // Received bytes the engine did not take yet (it holds at most 256 KiB of unread plaintext).
    private var leftover: ByteArray? = null
    @Volatile private var dead: ChannelException? = null
    @Volatile private var closed = false

    /** Parameters, handshake hash and the peer's static key (set once [connect]/[accept] returned). */
    lateinit var info: ChannelInfo
        private set

    /** Encrypts and sends `data` (any length: split into messages of at most 65518 bytes). */
    fun send(data: ByteArray, offset: Int = 0, length: Int = data.size - offset) = guarded {
        var at = offset
        val end = offset + length
        if (offset < 0 || length < 0 || offset > data.size - length) {
            throw InvalidArgumentException("data", "offset $offset and length $length outside an array of ${data.size} bytes")
        }
        // One message's worth at a time, so the library never holds more than one chunk of frames.
        do {
            val n = minOf(SEND_CHUNK, end - at)
            synchronized(writeLock) {
                engine.write(data, at, n)
                flushLocked()
            }
            at += n
        } while (at < end)
    }

    /**
     * The next authenticated plaintext (at most 64 KiB), blocking until some arrives; null once the peer sent
     * its close. A stream that ends without it is [ChannelTruncatedException].
     */
    fun receive(): ByteArray? = guarded { synchronized(readLock) { receiveLocked() } }

    private fun receiveLocked(): ByteArray? {
        while (true) {
            val st = engine.state
            if (st.plaintextLength > 0) {
                val out = ByteArray(minOf(st.plaintextLength, READ_CHUNK))
                val n = engine.read(out)
                return if (n == out.size) out else out.copyOf(n)
            }
            if (feedLeftover()) continue
            if (st.peerClosed) return null
            readFromStream()
        }
    }

    /** Sends a rekey message and rekeys the sending direction (Noise §11.3; the library also rekeys by §6.6's limits). */
    fun rekey() = guarded { synchronized(writeLock) { engine.rekey(); flushLocked() } }

    /** Sends the channel's close: nothing more is sent; [receive] goes on until the peer's close. */
    fun shutdownOutput() = guarded { synchronized(writeLock) { engine.sendClose(); flushLocked() } }

    /** Sends the close if not sent yet, closes the stream and frees the channel. Idempotent. */
    override fun close() {
        if (closed) return
        closed = true
        try {
            if (dead == null) synchronized(writeLock) { engine.sendClose(); flushLocked() }
        } catch (_: Exception) {
            // Closing anyway: the peer sees the stream end without the close (ERR_CHANNEL_TRUNCATED there).
        } finally {
            runCatching { closeTransport() }
            engine.close()
        }
    }

    private inline fun <T> guarded(f: () -> T): T {
        dead?.let { throw ChannelClosedException("the channel failed earlier (${it.code})") }
        if (closed) throw ChannelClosedException("the channel is closed")
        try {
            return f()
        } catch (e: ChannelClosedException) {
            throw e
        } catch (e: ChannelException) {
            fail(e); throw e
        } catch (e: IOException) {
            throw fail(ChannelTruncatedException("the connection failed (${e.javaClass.simpleName})").apply { initCause(e) })
        }
    }

    private fun fail(e: ChannelException): ChannelException {
        if (dead == null) {
            dead = e
            // §6.6: a failed responder still sends the refusal it queued; nothing else is queued after a failure.
            runCatching { synchronized(writeLock) { flushLocked() } }
            runCatching { closeTransport() }
        }
        return e
    }

    private fun flushLocked() {
        val out = engine.takeOutput()
        if (out.isNotEmpty()) {
            output.write(out)
            output.flush()
        }
    }

    /** Feeds what the engine left over last time; false when there was nothing. */
    private fun feedLeftover(): Boolean {
        val rest = leftover ?: return false
        val taken = engine.feed(rest)
        leftover = if (taken == rest.size) null else rest.copyOfRange(taken, rest.size)
        synchronized(writeLock) { flushLocked() }
        return true
    }

    private fun readFromStream() {
        val n = input.read(buffer)
        if (n < 0) {
            engine.feedEnd() // ChannelTruncatedException unless the peer closed (then receive() returns null)
            return
        }
        val taken = engine.feed(buffer, 0, n)
        if (taken < n) leftover = buffer.copyOfRange(taken, n)
        synchronized(writeLock) { flushLocked() }
    }

    private fun handshake(timeoutMillis: Int, setTimeout: ((Int) -> Unit)?) = guarded {
        val deadline = System.nanoTime() + timeoutMillis * 1_000_000L
        synchronized(writeLock) { flushLocked() }
        synchronized(readLock) {
            while (!engine.state.established) {
                if (setTimeout != null && timeoutMillis > 0) {
                    val left = (deadline - System.nanoTime()) / 1_000_000L
                    if (left <= 0) throw ChannelHandshakeException("handshake: not complete after $timeoutMillis ms")
                    setTimeout(left.toInt().coerceAtLeast(1))
                }
                try {
                    if (!feedLeftover()) readFromStream()
                } catch (e: SocketTimeoutException) {
                    throw ChannelHandshakeException("handshake: not complete after $timeoutMillis ms")
                }
            }
            setTimeout?.invoke(0)
        }
        info = engine.info()
    }

    companion object {
        /** Plaintext per [send] step and per [receive] result. */
        private const val SEND_CHUNK = 65518
        private const val READ_CHUNK = 65536

        /** Initiator over a connected socket; the socket is closed on failure and by [close]. */
        fun connect(socket: Socket, options: ChannelOptions): Channel =
            open(ChannelEngine.initiator(options), socket, options)

        /** Responder over an accepted socket. */
        fun accept(socket: Socket, options: ChannelOptions): Channel =
            open(ChannelEngine.responder(options), socket, options)

        /** Initiator over a stream pair (no handshake timeout: the streams have none); both are closed by [close]. */
        fun connect(input: InputStream, output: OutputStream, options: ChannelOptions): Channel =
            open(ChannelEngine.initiator(options), input, output, { input.close(); output.close() }, options.handshakeTimeoutMillis, null)

        /** Responder over a stream pair. */
        fun accept(input: InputStream, output: OutputStream, options: ChannelOptions): Channel =
            open(ChannelEngine.responder(options), input, output, { input.close(); output.close() }, options.handshakeTimeoutMillis, null)

        private fun open(engine: ChannelEngine, socket: Socket, options: ChannelOptions): Channel {
            val streams = try {
                socket.getInputStream() to socket.getOutputStream()
            } catch (e: IOException) {
                engine.close(); runCatching { socket.close() }
                throw ChannelTruncatedException("the connection failed (${e.javaClass.simpleName})").apply { initCause(e) }
            }
            // The handshake's deadline is the socket's read timeout; the caller's own timeout comes back after it (0: restore).
            val previous = runCatching { socket.soTimeout }.getOrDefault(0)
            return open(engine, streams.first, streams.second, { socket.close() }, options.handshakeTimeoutMillis) {
                socket.soTimeout = if (it == 0) previous else it
            }
        }

        private fun open(
            engine: ChannelEngine, input: InputStream, output: OutputStream, closeTransport: () -> Unit,
            timeoutMillis: Int, setTimeout: ((Int) -> Unit)?,
        ): Channel {
            val ch = Channel(engine, input, output, closeTransport)
            try {
                ch.handshake(timeoutMillis, setTimeout)
            } catch (e: Throwable) {
                runCatching { closeTransport() }
                engine.close()
                throw e
            }
            return ch
        }
    }
}
