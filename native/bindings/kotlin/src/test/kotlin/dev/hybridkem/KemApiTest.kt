package dev.hybridkem

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

class KemApiTest {
    @Test
    fun `every suite round trips with fresh keys, seed and expanded key`() {
        for (suite in Suite.entries) {
            val kem = HybridKem.forSuite(suite)
            val kp = kem.generateKeyPair()
            val e = kem.encapsulate(kp.publicKey)
            assertArrayEquals(e.sharedSecret, kem.decapsulate(kp.privateKey, e.ciphertext), suite.name)
            kem.importPrivateKey(kp.privateKey).use { assertArrayEquals(e.sharedSecret, it.decapsulate(e.ciphertext)) }
            // Implicit rejection: a tampered ML-KEM ciphertext gives another secret, not an error.
            val tampered = e.ciphertext.copyOf().also { it[0] = (it[0].toInt() xor 1).toByte() }
            assertFalse(e.sharedSecret.contentEquals(kem.decapsulate(kp.privateKey, tampered)))
        }
    }

    @Test
    fun `wrong lengths are InvalidLengthException naming the field`() {
        val kem = HybridKem.forSuite(Suite.X_WING)
        val e = assertThrows(InvalidLengthException::class.java) { kem.encapsulate(ByteArray(10)) }
        assertEquals(ErrorCode.ERR_INVALID_LENGTH, e.code)
        assertTrue(e.message!!.startsWith("publicKey: expected 1216 bytes, got 10"), e.message)
        assertThrows(InvalidLengthException::class.java) { kem.decapsulate(ByteArray(31), ByteArray(1120)) }
        assertThrows(InvalidLengthException::class.java) { KemWire.encodePrivateKey(Suite.X_WING, ByteArray(33)) }
    }

    @Test
    fun `C ABI statuses become typed errors`() {
        val kem = HybridKem.forSuite(Suite.X_WING)
        val pk = kem.generateKeyPair().publicKey
        pk.fill(0xff.toByte(), 0, 3) // coefficient 0 = 4095
        val e = assertThrows(InvalidMlKemKeyException::class.java) { kem.encapsulate(pk) }
        assertEquals(ErrorCode.ERR_INVALID_MLKEM_KEY, e.code)
        val low = kem.generateKeyPair().publicKey.also { it.fill(0, 1184, 1216) } // X25519 u = 0
        assertThrows(InvalidGroupElementException::class.java) { kem.encapsulate(low) }
    }

    @Test
    fun `closed private key refuses use and close is idempotent`() {
        val kem = HybridKem.forSuite(Suite.X25519_MLKEM768)
        val kp = kem.generateKeyPair()
        val key = kem.importPrivateKey(kp.privateKey)
        val e = kem.encapsulate(kp.publicKey)
        key.close()
        key.close()
        assertTrue(key.isClosed)
        val err = assertThrows(InvalidArgumentException::class.java) { key.decapsulate(e.ciphertext) }
        assertEquals(ErrorCode.ERR_INVALID_ARGUMENT, err.code)
    }

    @Test
    fun `one expanded key serves many threads`() {
        val kem = HybridKem.forSuite(Suite.X_WING)
        val kp = kem.generateKeyPair()
        val encs = List(16) { kem.encapsulate(kp.publicKey) }
        kem.importPrivateKey(kp.privateKey).use { key ->
            val pool = Executors.newFixedThreadPool(4)
            val results = encs.map { e -> pool.submit<Boolean> { e.sharedSecret.contentEquals(key.decapsulate(e.ciphertext)) } }
            assertTrue(results.all { it.get() })
            pool.shutdown(); pool.awaitTermination(10, TimeUnit.SECONDS)
        }
    }

    @Test
    fun `errors and toString never show secret bytes`() {
        val kem = HybridKem.forSuite(Suite.X_WING)
        val kp = kem.generateKeyPair()
        val e = kem.encapsulate(kp.publicKey)
        val secrets = listOf(kp.privateKey.hex(), e.sharedSecret.hex())
        val texts = listOf(kp.toString(), e.toString(), kem.importPrivateKey(kp.privateKey).use { it.toString() },
            assertThrows(HybridKemException::class.java) { kem.decapsulate(kp.privateKey, ByteArray(5)) }.toString())
        for (t in texts) for (s in secrets) assertFalse(t.lowercase().contains(s.substring(0, 16)), t)
        kp.wipe(); e.wipe()
        assertTrue(kp.privateKey.all { it == 0.toByte() } && e.sharedSecret.all { it == 0.toByte() })
    }

    @Test
    fun `unknown suite id and name`() {
        assertEquals(ErrorCode.ERR_UNKNOWN_SUITE, assertThrows(UnknownSuiteException::class.java) { Suite.byId(0x52) }.code)
        assertThrows(UnknownSuiteException::class.java) { Suite.byName("X-Wing2") }
        assertEquals(Suite.X_WING, Suite.byName("x-wing"))
    }
}
