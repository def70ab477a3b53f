package dev.hybridkem

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.nio.file.Files
import java.util.concurrent.TimeUnit

/**
 * Round trips with TypeScript (@hybridkem/core + @hybridkem/noble, through
 * ../interop/ts-side.mjs) over files in the armored wire format. Node is named by
 * HYBRIDKEM_NODE (test.sh sets it); without it the tests fail, they never skip.
 */
class CrossLanguageTest {
    private val node: String = System.getenv("HYBRIDKEM_NODE")
        ?: error("HYBRIDKEM_NODE is not set: run the suite through scripts/test.sh (it names the pinned Node)")
    private val script = File("../interop/ts-side.mjs").canonicalFile

    private fun ts(vararg args: String) {
        val p = ProcessBuilder(listOf(node, script.path) + args).redirectErrorStream(true).start()
        val out = p.inputStream.bufferedReader().readText()
        check(p.waitFor(60, TimeUnit.SECONDS)) { "node timed out" }
        check(p.exitValue() == 0) { "ts-side.mjs ${args.first()} failed: $out" }
    }

    private fun readArmored(f: File) = Armor.dearmor(f.readText()).second

    @TestFactory
    fun `round trips with TypeScript`(): List<DynamicTest> = listOf(Suite.X_WING, Suite.X25519_MLKEM768, Suite.MLKEM1024_P384).flatMap { suite ->
        listOf(
            dynamicTest("${suite.suiteName}: TypeScript key, Kotlin encapsulates, TypeScript decapsulates") {
                val dir = Files.createTempDirectory("hk-kt-ts").toFile()
                try {
                    ts("keygen", suite.suiteName, dir.path)
                    val pk = KemWire.decodePublicKey(readArmored(File(dir, "ts.pub")))
                    assertEquals(suite, pk.suite)
                    val e = HybridKem.forSuite(suite).encapsulate(pk.body)
                    File(dir, "kt.ct").writeText(Armor.armor(KemWire.encodeCiphertext(suite, e.ciphertext)))
                    ts("decapsulate", File(dir, "ts.key").path, File(dir, "kt.ct").path, File(dir, "ts.out").path)
                    assertArrayEquals(e.sharedSecret, hex(File(dir, "ts.out").readText().trim()))
                } finally {
                    dir.deleteRecursively()
                }
            },
            dynamicTest("${suite.suiteName}: Kotlin key, TypeScript encapsulates, Kotlin decapsulates") {
                val dir = Files.createTempDirectory("hk-kt-ts").toFile()
                try {
                    val kem = HybridKem.forSuite(suite)
                    val kp = kem.generateKeyPair()
                    File(dir, "kt.pub").writeText(Armor.armor(KemWire.encodePublicKey(suite, kp.publicKey)))
                    ts("encapsulate", File(dir, "kt.pub").path, dir.path)
                    val ct = KemWire.decodeCiphertext(readArmored(File(dir, "ts.ct")))
                    assertEquals(suite, ct.suite)
                    kem.importPrivateKey(kp.privateKey).use { key ->
                        assertArrayEquals(hex(File(dir, "ts.ss").readText().trim()), key.decapsulate(ct.body))
                    }
                    kp.wipe()
                } finally {
                    dir.deleteRecursively()
                }
            },
        )
    }
}
