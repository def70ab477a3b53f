package dev.hybridkem

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory

/** Every case of spec/vectors/invalid.json fails with the TypeScript error code. */
class InvalidVectorsTest {
    @TestFactory
    fun cases(): List<DynamicTest> {
        val cases = Vectors.load("invalid.json").arr("cases")
        check(cases.size >= 30) { "invalid.json has ${cases.size} cases" }
        return cases.map { c ->
            dynamicTest(c.str("description")) {
                val kind = Kind.KEM.first { it.tsName == c.str("kind") }
                val error = try {
                    val bytes = if (c.has("armored")) Armor.dearmor(c.str("armored")).second else hex(c.str("hex"))
                    KemWire.decode(bytes, kind)
                    fail<Unit>("decoded without an error; expected ${c.str("error")}")
                    return@dynamicTest
                } catch (e: HybridKemException) {
                    e
                }
                assertEquals(c.str("error"), error.code.name, error.message)
            }
        }
    }
}
