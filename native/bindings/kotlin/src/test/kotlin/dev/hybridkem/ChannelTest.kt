package dev.hybridkem

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.ByteArrayOutputStream
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.security.SecureRandom
import java.util.HexFormat
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit

/**
 * The Kotlin Channel over the C ABI (hybridkem_channel_*): Kotlin initiator ↔ Kotlin responder over a
 * loopback socket pair, and tampering through the sans-IO engine. The independent side (TypeScript's
 * channel) is examples/kotlin-client/test/channel.test.mjs; here the offer's bytes are checked against
 * spec/TRANSPORT.md §6.4 written out.
 */
class ChannelTest {
    private val xwing = HybridKem.forSuite(Suite.X_WING)
    private val server = xwing.generateKeyPair()
    private val client = xwing.generateKeyPair()
    private val serverPeer = ChannelPeerKey(Suite.X_WING, server.publicKey)
    private val clientPeer = ChannelPeerKey(Suite.X_WING, client.publicKey)

    @Test
    fun `the initiator's first frame is spec section 6_4's offer`() {
        ChannelEngine.initiator(ChannelOptions(remoteStaticKeys = listOf(serverPeer))).use { e ->
            // len 16 ‖ 0x01 offer ‖ version 1 ‖ pqNK 1 ‖ count 2 ‖ (1, hybrid 2, 0x647a, ChaChaPoly 1, SHA256 1) ‖ (…, AESGCM 2, …)
            assertEquals("0010" + "01010102" + "0102647a0101" + "0102647a0201", HexFormat.of().formatHex(e.takeOutput()))
            assertFalse(e.state.established)
        }
        val p = ChannelParameters(Suite.ML_KEM_768, ChannelCipher.AES_GCM, ChannelHash.SHA512)
        assertEquals("010300410202", HexFormat.of().formatHex(p.encode())) // pq-only 3, suite 0x0041
        assertEquals("Noise_pqNK_MLKEM768_AESGCM_SHA512", p.protocolName(ChannelPattern.PQ_NK))
        assertEquals("Noise_pqIK_XWing_ChaChaPoly_SHA256", ChannelParameters(Suite.X_WING, ChannelCipher.CHACHA_POLY, ChannelHash.SHA256).protocolName(ChannelPattern.PQ_IK))
    }

    @Test
    fun `pqNK, pqIK and pqXX over a socket pair carry data both ways`() {
        val cases = listOf(
            ChannelOptions(remoteStaticKeys = listOf(serverPeer)) to ChannelPattern.PQ_NK,
            ChannelOptions(staticKeys = listOf(client), remoteStaticKeys = listOf(serverPeer)) to ChannelPattern.PQ_IK,
            ChannelOptions(staticKeys = listOf(client)) to ChannelPattern.PQ_XX,
        )
        for ((clientOptions, pattern) in cases) {
            val message = ByteArray(150_000).also { SecureRandom().nextBytes(it) } // three data messages of ≤ 65518
            val r = roundTrip(clientOptions, ChannelOptions(staticKeys = listOf(server), patterns = setOf(pattern)), message)
            assertArrayEquals(message, r.serverGot, "$pattern: server received")
            assertArrayEquals(transform(message), r.clientGot, "$pattern: client received")
            assertEquals(pattern, r.clientInfo.pattern)
            assertEquals(pattern, r.serverInfo.pattern)
            assertEquals(ChannelParameters(Suite.X_WING, ChannelCipher.CHACHA_POLY, ChannelHash.SHA256), r.clientInfo.parameters)
            assertEquals(r.clientInfo.parameters, r.serverInfo.parameters)
            assertEquals(32, r.clientInfo.handshakeHash.size)
            assertArrayEquals(r.clientInfo.handshakeHash, r.serverInfo.handshakeHash, "$pattern: same handshake hash")
            assertArrayEquals(server.publicKey, r.clientInfo.remoteStatic, "$pattern: client knows the server key")
            if (pattern == ChannelPattern.PQ_NK) assertNull(r.serverInfo.remoteStatic)
            else assertArrayEquals(client.publicKey, r.serverInfo.remoteStatic, "$pattern: server learned the client key")
        }
    }

    @Test
    fun `ML-KEM-768 with AES-GCM and SHA-512, picked by the responder's preference`() {
        val mlkem = HybridKem.forSuite(Suite.ML_KEM_768).generateKeyPair()
        val message = "pq-only".toByteArray()
        val r = roundTrip(
            ChannelOptions(remoteStaticKeys = listOf(ChannelPeerKey(Suite.ML_KEM_768, mlkem.publicKey)), hashes = listOf(ChannelHash.SHA256, ChannelHash.SHA512)),
            ChannelOptions(staticKeys = listOf(mlkem), ciphers = listOf(ChannelCipher.AES_GCM), hashes = listOf(ChannelHash.SHA512, ChannelHash.SHA256)),
            message,
        )
        assertArrayEquals(message, r.serverGot)
        assertArrayEquals(transform(message), r.clientGot)
        assertEquals(ChannelParameters(Suite.ML_KEM_768, ChannelCipher.AES_GCM, ChannelHash.SHA512), r.clientInfo.parameters)
        assertEquals(64, r.clientInfo.handshakeHash.size)
        assertArrayEquals(r.clientInfo.handshakeHash, r.serverInfo.handshakeHash)
    }

    @Test
    fun `a wrong server key fails the handshake on both sides with typed errors`() {
        val other = ChannelPeerKey(Suite.X_WING, xwing.generateKeyPair().publicKey)
        val (c, s) = failingPair(ChannelOptions(remoteStaticKeys = listOf(other)), ChannelOptions(staticKeys = listOf(server)))
        // The responder cannot decrypt the skem ciphertext; the initiator sees the stream end mid-handshake.
        assertTrue(s is ChannelHandshakeException, "server: $s")
        assertEquals(ErrorCode.ERR_CHANNEL_HANDSHAKE, (s as HybridKemException).code)
        assertTrue(c is ChannelTruncatedException, "client: $c")
        assertEquals(ErrorCode.ERR_CHANNEL_TRUNCATED, (c as HybridKemException).code)
    }

    @Test
    fun `a pinned client key that differs is ERR_CHANNEL_PEER_KEY`() {
        val stranger = xwing.generateKeyPair()
        val (_, s) = failingPair(
            ChannelOptions(staticKeys = listOf(stranger), remoteStaticKeys = listOf(serverPeer)),
            ChannelOptions(staticKeys = listOf(server), remoteStaticKeys = listOf(clientPeer)),
        )
        assertTrue(s is ChannelPeerKeyException, "server: $s")
    }

    @Test
    fun `no common parameters is a refusal, ERR_CHANNEL_NEGOTIATION on both sides`() {
        val (c, s) = failingPair(
            ChannelOptions(remoteStaticKeys = listOf(serverPeer), ciphers = listOf(ChannelCipher.AES_GCM)),
            ChannelOptions(staticKeys = listOf(server), ciphers = listOf(ChannelCipher.CHACHA_POLY)),
        )
        assertTrue(c is ChannelNegotiationException, "client: $c")
        assertTrue(s is ChannelNegotiationException, "server: $s")
    }

    @Test
    fun `a tampered transport frame is ERR_CHANNEL_DECRYPT, releases nothing, and the channel is dead`() {
        val (a, b) = handshakeInMemory()
        a.use { b.use {
            a.write("first".toByteArray())
            b.feed(a.takeOutput())
            assertArrayEquals("first".toByteArray(), b.readAvailable())
            a.write("secret".toByteArray())
            val frame = a.takeOutput()
            frame[frame.size - 1] = (frame[frame.size - 1].toInt() xor 0x01).toByte() // last tag byte
            val e = assertThrows(ChannelDecryptException::class.java) { b.feed(frame) }
            assertEquals(ErrorCode.ERR_CHANNEL_DECRYPT, e.code)
            assertFalse(e.message!!.contains("secret"))
            assertTrue(b.state.failed)
            assertEquals(0, b.state.plaintextLength)
            assertThrows(ChannelClosedException::class.java) { b.feed(frame) }
            assertThrows(ChannelClosedException::class.java) { b.write("x".toByteArray()) }
        } }
    }

    @Test
    fun `a replayed transport frame is ERR_CHANNEL_DECRYPT`() {
        val (a, b) = handshakeInMemory()
        a.use { b.use {
            a.write("once".toByteArray())
            val frame = a.takeOutput()
            b.feed(frame)
            assertArrayEquals("once".toByteArray(), b.readAvailable())
            assertThrows(ChannelDecryptException::class.java) { b.feed(frame) }
        } }
    }

    @Test
    fun `a tampered handshake message is ERR_CHANNEL_HANDSHAKE`() {
        ChannelEngine.initiator(ChannelOptions(remoteStaticKeys = listOf(serverPeer))).use { i ->
            ChannelEngine.responder(ChannelOptions(staticKeys = listOf(server))).use { r ->
                r.feed(i.takeOutput())          // offer
                i.feed(r.takeOutput())          // choice; the initiator writes `skem, e`
                val m = i.takeOutput()
                m[10] = (m[10].toInt() xor 0x80).toByte() // inside the encrypted skem ciphertext
                val e = assertThrows(ChannelHandshakeException::class.java) { r.feed(m) }
                assertEquals("ERR_CHANNEL_HANDSHAKE", e.code.name)
                assertFalse(r.state.established)
            }
        }
    }

    @Test
    fun `a stream that ends without the close is ERR_CHANNEL_TRUNCATED, after the close it is not`() {
        val (a, b) = handshakeInMemory()
        a.use { b.use {
            a.write("x".toByteArray())
            b.feed(a.takeOutput())
            assertThrows(ChannelTruncatedException::class.java) { b.feedEnd() }
        } }
        val (c, d) = handshakeInMemory()
        c.use { d.use {
            c.sendClose()
            d.feed(c.takeOutput())
            assertTrue(d.state.peerClosed)
            d.feedEnd()
            assertThrows(ChannelClosedException::class.java) { c.write("late".toByteArray()) }
        } }
    }

    @Test
    fun `a freed engine and a closed channel are ERR_CHANNEL_CLOSED`() {
        val e = ChannelEngine.initiator(ChannelOptions(remoteStaticKeys = listOf(serverPeer)))
        e.close()
        e.close() // idempotent
        assertThrows(ChannelClosedException::class.java) { e.takeOutput() }
        val r = roundTrip(ChannelOptions(remoteStaticKeys = listOf(serverPeer)), ChannelOptions(staticKeys = listOf(server)), ByteArray(1), keep = true)
        r.clientChannel!!.close()
        assertThrows(ChannelClosedException::class.java) { r.clientChannel.send(ByteArray(1)) }
        assertThrows(ChannelClosedException::class.java) { r.clientChannel.receive() }
    }

    // ---- helpers ----

    private fun transform(b: ByteArray) = ByteArray(b.size) { (b[it].toInt() xor 0x5a).toByte() }

    private class RoundTrip(
        val serverGot: ByteArray, val clientGot: ByteArray, val clientInfo: ChannelInfo, val serverInfo: ChannelInfo,
        val clientChannel: Channel?,
    )

    /** Client sends `message` and half-closes; the server answers each chunk XOR 0x5a, then closes. */
    private fun roundTrip(clientOptions: ChannelOptions, serverOptions: ChannelOptions, message: ByteArray, keep: Boolean = false): RoundTrip {
        ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { listener ->
            val serverSide = CompletableFuture.supplyAsync {
                listener.accept().let { sock ->
                    Channel.accept(sock, serverOptions).use { ch ->
                        val got = ByteArrayOutputStream()
                        while (true) {
                            val chunk = ch.receive() ?: break
                            got.write(chunk)
                            ch.send(transform(chunk))
                        }
                        ch.shutdownOutput()
                        got.toByteArray() to ch.info
                    }
                }
            }
            val sock = Socket(InetAddress.getLoopbackAddress(), listener.localPort)
            val ch = Channel.connect(sock, clientOptions)
            try {
                ch.send(message)
                ch.shutdownOutput()
                val got = ByteArrayOutputStream()
                while (true) got.write(ch.receive() ?: break)
                val (serverGot, serverInfo) = serverSide.get(60, TimeUnit.SECONDS)
                return RoundTrip(serverGot, got.toByteArray(), ch.info, serverInfo, if (keep) ch else null)
            } finally {
                if (!keep) ch.close()
                serverSide.cancel(true)
            }
        }
    }

    /** Runs a handshake that must fail; returns (client's error, server's error). */
    private fun failingPair(clientOptions: ChannelOptions, serverOptions: ChannelOptions): Pair<Throwable?, Throwable?> {
        ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { listener ->
            val serverSide = CompletableFuture.supplyAsync {
                val sock = listener.accept()
                try {
                    Channel.accept(sock, serverOptions).close(); null
                } catch (e: HybridKemException) {
                    e
                } finally {
                    sock.close()
                }
            }
            val clientError = try {
                Channel.connect(Socket(InetAddress.getLoopbackAddress(), listener.localPort), clientOptions).close(); null
            } catch (e: HybridKemException) {
                e
            }
            val serverError = try {
                serverSide.get(60, TimeUnit.SECONDS)
            } catch (e: ExecutionException) {
                e.cause
            }
            return clientError to serverError
        }
    }

    /** A pqNK handshake between two engines, bytes moved in memory. */
    private fun handshakeInMemory(): Pair<ChannelEngine, ChannelEngine> {
        val i = ChannelEngine.initiator(ChannelOptions(remoteStaticKeys = listOf(serverPeer)))
        val r = ChannelEngine.responder(ChannelOptions(staticKeys = listOf(server)))
        repeat(4) {
            r.feed(i.takeOutput())
            i.feed(r.takeOutput())
        }
        assertTrue(i.state.established && r.state.established)
        assertArrayEquals(i.info().handshakeHash, r.info().handshakeHash)
        return i to r
    }
}
