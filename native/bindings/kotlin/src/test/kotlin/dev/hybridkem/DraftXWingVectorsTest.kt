package dev.hybridkem

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File

/**
 * The X-Wing draft's own vectors (draft-connolly-cfrg-xwing-kem, published
 * copy in ../shared/vectors beside the repository, as the repository's own
 * tests use), through the C ABI: an expected-value source that is not ours.
 */
class DraftXWingVectorsTest {
    private val file = File(System.getProperty("hybridkem.sharedVectors") ?: "../../../../shared/vectors", "xwing/test-vectors.json").canonicalFile

    @TestFactory
    fun `draft X-Wing vectors`(): List<DynamicTest> {
        check(file.isFile) { "missing $file (the published vectors beside the repository)" }
        val kem = HybridKem.forSuite(Suite.X_WING)
        return Json.parseToJsonElement(file.readText()).jsonArray.mapIndexed { i, v ->
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
