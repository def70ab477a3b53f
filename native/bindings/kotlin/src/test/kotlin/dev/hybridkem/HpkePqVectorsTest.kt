package dev.hybridkem

import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory

/**
 * The KEM part of draft-ietf-hpke-pq's vectors (hpkewg/hpke-pq, published
 * copy in ../shared/vectors) through the C ABI: skRm is the suite's private
 * key, ikmE its encapsulation randomness (spec/WIRE-FORMAT.md §1.1, §1.4),
 * for the six suites that carry an HPKE KEM id.
 */
class HpkePqVectorsTest {
    private val suites = listOf(
        Suite.X_WING, Suite.HPKE_MLKEM768_P256, Suite.HPKE_MLKEM1024_P384,
        Suite.ML_KEM_768, Suite.ML_KEM_1024, Suite.DHKEM_X25519_HKDF_SHA256,
    )

    @TestFactory
    fun `hpke-pq KEM vectors`(): List<DynamicTest> {
        val all = Vectors.loadShared("hpke-pq/test-vectors.json").jsonArray
        val ours = all.withIndex().filter { (_, v) -> suites.any { it.id == v.jsonObject.getValue("kem_id").jsonPrimitive.int } }
        assertEquals(suites.map { it.id }.toSet(), ours.map { it.value.int("kem_id") }.toSet(), "every suite has a vector")
        return ours.map { (i, v) ->
            val suite = Suite.byId(v.int("kem_id"))
            dynamicTest("hpke-pq #$i ${suite.suiteName}") {
                val kem = HybridKem.forSuite(suite)
                assertArrayEquals(v.bytes("pkRm"), kem.derivePublicKey(v.bytes("skRm")), "pkRm")
                val e = kem.encapsulateDeterministic(v.bytes("pkRm"), v.bytes("ikmE"))
                assertArrayEquals(v.bytes("enc"), e.ciphertext, "enc")
                assertArrayEquals(v.bytes("shared_secret"), e.sharedSecret, "shared_secret (encapsulate)")
                assertArrayEquals(v.bytes("shared_secret"), kem.decapsulate(v.bytes("skRm"), v.bytes("enc")), "shared_secret (decapsulate)")
            }
        }
    }
}
