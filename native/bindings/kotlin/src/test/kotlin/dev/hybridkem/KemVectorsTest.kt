package dev.hybridkem

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

/** Every vector of every spec/vectors KEM file: keys, deterministic encapsulation, decapsulation, wire objects, armor, key ids. */
class KemVectorsTest {
    @TestFactory
    fun vectors(): List<DynamicTest> = Vectors.perVector(Vectors.kemFiles()) { json, v ->
        val suite = Suite.byId(json.int("suiteId"))
        val kem = HybridKem.forSuite(suite)
        val seed = v.bytes("seed")
        val pk = v.bytes("publicKey")
        val ct = v.bytes("ciphertext")
        val ss = v.bytes("sharedSecret")
        assertArrayEquals(pk, kem.derivePublicKey(seed), "publicKey")
        val e = kem.encapsulateDeterministic(pk, v.bytes("randomness"))
        assertArrayEquals(ct, e.ciphertext, "ciphertext")
        assertArrayEquals(ss, e.sharedSecret, "sharedSecret (encapsulate)")
        assertArrayEquals(ss, kem.decapsulate(seed, ct), "sharedSecret (decapsulate)")
        kem.importPrivateKey(seed).use { key -> assertArrayEquals(ss, key.decapsulate(ct), "sharedSecret (expanded key)") }

        val objects = listOf(
            Triple("publicKey", KemWire.encodePublicKey(suite, pk), pk),
            Triple("privateKey", KemWire.encodePrivateKey(suite, seed), seed),
            Triple("ciphertext", KemWire.encodeCiphertext(suite, ct), ct),
        )
        assertWireObjects(v, objects, KemWire::keyId) { name, kind, bytes, body ->
            assertEquals(name, kind.tsName)
            val decoded = KemWire.decode(bytes, kind)
            assertEquals(suite, decoded.suite)
            assertArrayEquals(body, decoded.body, "decoded $name")
        }
    }
}
