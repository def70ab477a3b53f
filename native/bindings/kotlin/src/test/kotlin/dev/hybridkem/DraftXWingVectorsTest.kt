package dev.hybridkem

import kotlinx.serialization.json.jsonArray
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory

/**
 * The X-Wing draft's own vectors (draft-connolly-cfrg-xwing-kem, published
 * copy in ../shared/vectors beside the repository, as the repository's own
 * tests use), through the C ABI: an expected-value source that is not ours.
 */
class DraftXWingVectorsTest {
    @TestFactory
    fun `draft X-Wing vectors`(): List<DynamicTest> {
        val kem = HybridKem.forSuite(Suite.X_WING)
        return Vectors.loadShared("xwing/test-vectors.json").jsonArray.mapIndexed { i, v ->
            dynamicTest("xwing draft #$i") {
                assertArrayEquals(v.bytes("pk"), kem.derivePublicKey(v.bytes("seed")))
                val e = kem.encapsulateDeterministic(v.bytes("pk"), v.bytes("eseed"))
                assertArrayEquals(v.bytes("ct"), e.ciphertext)
                assertArrayEquals(v.bytes("ss"), e.sharedSecret)
                assertArrayEquals(v.bytes("ss"), kem.decapsulate(v.bytes("sk"), v.bytes("ct")))
            }
        }
    }
}
