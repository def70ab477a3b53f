package dev.hybridkem

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * A responder accepting pqNK, pqIK and pqXX learns from the library (hybridkem_channel_pattern) which one the
 * initiator ran: pqIK and pqXX both give it the initiator's static key, so the keys alone cannot tell them apart.
 */
class ChannelPatternTest {
    private val xwing = HybridKem.forSuite(Suite.X_WING)
    private val server = xwing.generateKeyPair()
    private val client = xwing.generateKeyPair()
    private val serverPeer = ChannelPeerKey(Suite.X_WING, server.publicKey)

    @Test
    fun `a responder accepting every pattern reports the one that ran`() {
        val cases = listOf(
            ChannelOptions(remoteStaticKeys = listOf(serverPeer)) to ChannelPattern.PQ_NK,
            ChannelOptions(staticKeys = listOf(client), remoteStaticKeys = listOf(serverPeer)) to ChannelPattern.PQ_IK,
            ChannelOptions(staticKeys = listOf(client)) to ChannelPattern.PQ_XX,
        )
        for ((options, expected) in cases) {
            ChannelEngine.initiator(options).use { i ->
                ChannelEngine.responder(ChannelOptions(staticKeys = listOf(server))).use { r ->
                    repeat(4) {
                        r.feed(i.takeOutput())
                        i.feed(r.takeOutput())
                    }
                    assertTrue(i.state.established && r.state.established, "$expected")
                    assertEquals(expected, r.info().pattern, "responder")
                    assertEquals(expected, i.info().pattern, "initiator")
                }
            }
        }
    }
}
