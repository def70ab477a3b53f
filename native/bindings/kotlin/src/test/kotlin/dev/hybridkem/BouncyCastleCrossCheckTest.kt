package dev.hybridkem

import org.bouncycastle.crypto.kems.MLKEMExtractor
import org.bouncycastle.crypto.kems.MLKEMGenerator
import org.bouncycastle.crypto.params.MLKEMParameters
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters
import org.bouncycastle.pqc.crypto.xwing.XWingKEMExtractor
import org.bouncycastle.pqc.crypto.xwing.XWingKEMGenerator
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters
import org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.security.SecureRandom

/**
 * A third implementation that shares no code with ours (BouncyCastle, pure
 * Java) agrees with the vectors: X-Wing whole, and the ML-KEM half of every
 * suite that has ML-KEM (whole, for ML-KEM-768/1024 alone).
 */
class BouncyCastleCrossCheckTest {
    /** Serves fixed bytes in order (BouncyCastle draws its randomness from a SecureRandom). */
    private class FixedRandom(private val bytes: ByteArray) : SecureRandom() {
        private var pos = 0
        override fun nextBytes(out: ByteArray) {
            check(pos + out.size <= bytes.size) { "FixedRandom exhausted" }
            bytes.copyInto(out, 0, pos, pos + out.size); pos += out.size
        }
    }

    @TestFactory
    fun `X-Wing vectors against BouncyCastle X-Wing`(): List<DynamicTest> {
        val json = Vectors.load("x-wing.json")
        return json.arr("vectors").mapIndexed { i, v ->
            dynamicTest("x-wing.json #$i") {
                val sk = XWingPrivateKeyParameters(v.bytes("seed"))
                assertArrayEquals(v.bytes("publicKey"), sk.publicKeyParameters.encoded, "BC public key")
                assertArrayEquals(v.bytes("sharedSecret"), XWingKEMExtractor(sk).extractSecret(v.bytes("ciphertext")), "BC decapsulation")
                val e = XWingKEMGenerator(FixedRandom(v.bytes("randomness"))).generateEncapsulated(XWingPublicKeyParameters(v.bytes("publicKey")))
                assertArrayEquals(v.bytes("ciphertext"), e.encapsulation, "BC encapsulation")
                assertArrayEquals(v.bytes("sharedSecret"), e.secret)
            }
        }
    }

    @TestFactory
    fun `ML-KEM halves of every suite against BouncyCastle ML-KEM`(): List<DynamicTest> = Vectors.kemFiles().filter { file ->
        // DHKEM(X25519, HKDF-SHA256) has no ML-KEM (spec/WIRE-FORMAT.md §1.4).
        Suite.byId(Vectors.load(file).int("suiteId")) != Suite.DHKEM_X25519_HKDF_SHA256
    }.flatMap { file ->
        val json = Vectors.load(file)
        val params = if (json.str("suite").contains("1024")) MLKEMParameters.ml_kem_1024 else MLKEMParameters.ml_kem_768
        val ekLength = if (params == MLKEMParameters.ml_kem_1024) 1568 else 1184
        val ctLength = params.encapsulationLength
        json.arr("vectors").mapIndexed { i, v ->
            dynamicTest("$file #$i") {
                // spec/WIRE-FORMAT.md §1: bytes 0..64 of the expanded seed are ML-KEM's d ‖ z; pk = ek ‖ pk_T, ct = ct_M ‖ ct_T.
                // ML-KEM alone (§1.4) has no expansion: its private key is d ‖ z, pk = ek, ct = c.
                val dz = if (v.has("expandedSeed")) v.bytes("expandedSeed").copyOf(64) else v.bytes("seed")
                assertEquals(64, dz.size)
                val sk = MLKEMPrivateKeyParameters(params, dz)
                val ek = v.bytes("publicKey").copyOf(ekLength)
                val ctM = v.bytes("ciphertext").copyOf(ctLength)
                assertArrayEquals(ek, sk.publicKeyParameters.encoded, "ML-KEM encapsulation key")
                val e = MLKEMGenerator.internalGenerateEncapsulated(sk.publicKeyParameters, v.bytes("randomness").copyOf(32))
                assertArrayEquals(ctM, e.encapsulation, "ML-KEM ciphertext")
                assertArrayEquals(e.secret, MLKEMExtractor(sk).extractSecret(ctM), "ML-KEM decapsulation")
            }
        }
    }

    @Test
    fun `live X-Wing between the C ABI and BouncyCastle, both directions`() {
        val kem = HybridKem.forSuite(Suite.X_WING)
        val rnd = SecureRandom()
        repeat(3) {
            // BouncyCastle key, our encapsulation, BouncyCastle decapsulation.
            val seed = ByteArray(32).also(rnd::nextBytes)
            val bcKey = XWingPrivateKeyParameters(seed)
            val e = kem.encapsulate(bcKey.publicKeyParameters.encoded)
            assertArrayEquals(e.sharedSecret, XWingKEMExtractor(bcKey).extractSecret(e.ciphertext))
            // Our key, BouncyCastle encapsulation, our decapsulation.
            val ours = kem.generateKeyPair()
            val bc = XWingKEMGenerator(rnd).generateEncapsulated(XWingPublicKeyParameters(ours.publicKey))
            assertArrayEquals(bc.secret, kem.decapsulate(ours.privateKey, bc.encapsulation))
            assertEquals(32, bc.secret.size)
        }
    }
}
