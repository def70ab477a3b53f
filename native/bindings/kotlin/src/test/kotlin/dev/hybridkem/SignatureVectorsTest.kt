package dev.hybridkem

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

/** Every composite signature vector: keys, deterministic signatures, both verdicts, objects, armor, key ids, PEM. */
class SignatureVectorsTest {
    @TestFactory
    fun vectors(): List<DynamicTest> = Vectors.perVector(Vectors.signatureFiles()) { json, v ->
        val suite = SignatureSuite.byId(json.int("suiteId"))
        assertEquals(json.str("suite"), suite.suiteName)
        assertEquals(json.str("oid"), suite.oid)
        val signer = CompositeSigner.forSuite(suite)
        val sk = v.bytes("seed")
        val pk = v.bytes("publicKey")
        val msg = v.bytes("message")
        val ctx = v.bytes("context")
        val sig = v.bytes("signature")
        assertEquals(suite.privateKeyLength, sk.size)
        assertEquals(suite.signatureLength, sig.size)
        assertArrayEquals(pk, signer.derivePublicKey(sk), "publicKey")
        assertArrayEquals(sig, signer.signDeterministic(sk, msg, ctx), "deterministic signature")
        assertEquals(Verification(true, true), signer.verify(pk, msg, sig, ctx))
        // Flip one byte in each half: only that component's verdict drops.
        val badMldsa = sig.copyOf().also { it[0] = (it[0].toInt() xor 1).toByte() }
        assertEquals(Verification(false, true), signer.verify(pk, msg, badMldsa, ctx))
        val badEddsa = sig.copyOf().also { it[it.size - 1] = (it[it.size - 1].toInt() xor 0x40).toByte() }
        assertEquals(false, signer.verify(pk, msg, badEddsa, ctx).eddsaValid)
        assertEquals(true, signer.verify(pk, msg, badEddsa, ctx).mldsaValid)
        assertEquals(false, signer.verify(pk, msg + 1, sig, ctx).valid)
        // A hedged signature differs but verifies.
        assertEquals(true, signer.verify(pk, msg, signer.sign(sk, msg, ctx), ctx).valid)

        val objects = listOf(
            Triple("publicKey", SigningWire.encodePublicKey(suite, pk), pk),
            Triple("privateKey", SigningWire.encodePrivateKey(suite, sk), sk),
            Triple("signature", SigningWire.encodeSignature(suite, sig), sig),
        )
        assertWireObjects(v, objects, SigningWire::keyId) { _, kind, bytes, body ->
            assertArrayEquals(body, SigningWire.decode(bytes, kind).body)
        }
        val pem = v.obj("pem")
        assertEquals(pem.str("publicKey"), Pkix.pem("PUBLIC KEY", Pkix.spki(suite, pk)), "SPKI PEM")
        assertEquals(pem.str("privateKey"), Pkix.pem("PRIVATE KEY", Pkix.pkcs8(suite, sk)), "PKCS#8 PEM")
        // A KEM decoder refuses a signing object, and the other way round.
        assertThrows(WrongKindException::class.java) { KemWire.decode(v.obj("encoded").bytes("publicKey")) }
    }
}
