package dev.hybridkem

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.boolean
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.io.File

/**
 * Every file of spec/vectors/transport (spec/TRANSPORT.md §6.9, written by the TypeScript generator) replayed
 * through the C ABI's hybridkem_noise_* functions: both sides built from the file's static seeds and each
 * side's recorded randomness; every handshake message, payload, the handshake hash and every transport
 * ciphertext must come out byte-identical to the file.
 */
class TransportVectorsTest {
    private fun files(): List<String> = File(Vectors.dir, "transport").listFiles { f -> f.name.endsWith(".json") }!!
        .map { "transport/" + it.name }.sorted().also { check(it.size >= 3) { "expected the 3 transport vector files, found $it" } }

    private fun JsonElement.bool(key: String): Boolean = (this as JsonObject).getValue(key).jsonPrimitive.boolean

    private fun side(file: JsonObject, v: JsonElement, initiator: Boolean): NoiseVectorHandshake {
        val who = if (initiator) "initiator" else "responder"
        val hasStatic = !initiator || v.bool("initiatorStatic")
        val knowsRemote = initiator && v.bool("initiatorKnowsResponderStatic")
        val keys = file.obj("staticKeys")
        val random = v.obj("random").arr(who).fold(ByteArray(0)) { acc, r -> acc + r.bytes("bytes") }
        return NoiseVectorHandshake(
            ChannelPattern.entries.single { it.noiseName == v.str("pattern") },
            Suite.byId(file.int("suiteId")),
            ChannelCipher.entries.single { it.noiseName == v.str("cipher") },
            ChannelHash.entries.single { it.noiseName == v.str("hash") },
            initiator,
            v.bytes("prologue"),
            if (hasStatic) keys.obj(who).bytes("seed") else null,
            if (knowsRemote) keys.obj("responder").bytes("publicKey") else null,
            random,
        )
    }

    private fun replay(file: JsonObject, v: JsonElement) {
        val name = v.str("protocolName")
        side(file, v, true).use { ini ->
            side(file, v, false).use { res ->
                for ((n, m) in v.arr("messages").withIndex()) {
                    val (w, r) = if (m.str("sender") == "initiator") ini to res else res to ini
                    val message = w.writeMessage(m.bytes("payload"))
                    assertEquals(m.str("message"), message.hex(), "$name: handshake message $n")
                    assertArrayEquals(m.bytes("payload"), r.readMessage(message), "$name: payload $n")
                }
                assertEquals(v.str("handshakeHash"), ini.handshakeHash().hex(), "$name: handshake hash (initiator)")
                assertEquals(v.str("handshakeHash"), res.handshakeHash().hex(), "$name: handshake hash (responder)")
                for ((n, m) in v.arr("transport").withIndex()) {
                    val (w, r) = if (m.str("sender") == "initiator") ini to res else res to ini
                    val ct = w.encrypt(m.bytes("payload"))
                    assertEquals(m.str("ciphertext"), ct.hex(), "$name: transport message $n")
                    assertArrayEquals(m.bytes("payload"), r.decrypt(ct), "$name: transport payload $n")
                }
            }
        }
    }

    @TestFactory
    fun `transport transcripts replay byte for byte`(): List<DynamicTest> {
        val tests = files().flatMap { f ->
            val file = Vectors.load(f)
            file.arr("vectors").map { v -> dynamicTest("$f ${v.str("protocolName")}") { replay(file, v) } }
        }
        assertEquals(18, tests.size, "3 files × 6 transcripts")
        return tests
    }

    @Test
    fun `a flipped byte in a handshake message fails with ERR_CHANNEL_HANDSHAKE`() {
        val file = Vectors.load("transport/x-wing.json")
        for (v in file.arr("vectors")) {
            val msgs = v.arr("messages")
            side(file, v, true).use { ini ->
                side(file, v, false).use { res ->
                    val m0 = ini.writeMessage(msgs[0].bytes("payload"))
                    res.readMessage(m0)
                    // Message 1 (responder → initiator) is authenticated in every pattern; its last byte is the payload's tag.
                    val m1 = res.writeMessage(msgs[1].bytes("payload"))
                    m1[m1.size - 1] = (m1[m1.size - 1].toInt() xor 1).toByte()
                    val e = assertThrows(ChannelHandshakeException::class.java) { ini.readMessage(m1) }
                    assertEquals(ErrorCode.ERR_CHANNEL_HANDSHAKE, e.code, v.str("protocolName"))
                    assertThrows(ChannelClosedException::class.java) { ini.handshakeHash() }
                }
            }
        }
    }
}
