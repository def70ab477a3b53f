package dev.hybridkem

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The Kotlin-side lists must be exactly what the loaded C ABI reports. */
class SuiteTableTest {
    @Test
    fun `abi version matches the header`() {
        assertEquals(1, LibraryInfo.abiVersion)
        assertTrue(LibraryInfo.version.isNotEmpty())
        assertTrue(LibraryInfo.implementation.contains("AWS-LC"))
    }

    @Test
    fun `suite enum is the C ABI suite table, in order`() {
        val table = SuiteInfo.all()
        assertEquals(table.map { it.id }, Suite.entries.map { it.id })
        for (info in table) {
            val s = Suite.byId(info.id)
            assertEquals(info.name, s.suiteName)
            assertEquals(if (s == Suite.ML_KEM_768 || s == Suite.ML_KEM_1024) 64 else 32, s.privateKeyLength)
            assertEquals(32, s.sharedSecretLength)
        }
    }

    /**
     * spec/WIRE-FORMAT.md §1's rows of the single-algorithm suites (§1.4),
     * written out: name, public key, private key, ciphertext, randomness.
     */
    @Test
    fun `single-algorithm suite sizes are the spec's`() {
        val want = mapOf(
            Suite.ML_KEM_768 to listOf<Any>("ML-KEM-768", 1184, 64, 1088, 32),
            Suite.ML_KEM_1024 to listOf<Any>("ML-KEM-1024", 1568, 64, 1568, 32),
            Suite.DHKEM_X25519_HKDF_SHA256 to listOf<Any>("DHKEM-X25519-HKDF-SHA256", 32, 32, 32, 32),
        )
        for ((s, w) in want) {
            assertEquals(w, listOf(s.suiteName, s.publicKeyLength, s.privateKeyLength, s.ciphertextLength, s.randomnessLength))
            assertEquals(s, Suite.byName(w[0] as String))
        }
    }

    @Test
    fun `suite names and sizes agree with the vector files`() {
        for (file in Vectors.kemFiles()) {
            val v = Vectors.load(file)
            val s = Suite.byId(v.int("suiteId"))
            assertEquals(v.str("suite"), s.suiteName, file)
            assertEquals(Suite.byName(v.str("suite").uppercase()), s)
            val first = v.arr("vectors")[0]
            assertEquals(first.bytes("publicKey").size, s.publicKeyLength, file)
            assertEquals(first.bytes("ciphertext").size, s.ciphertextLength, file)
            assertEquals(first.bytes("randomness").size, s.randomnessLength, file)
        }
    }

    @Test
    fun `status constants and names come from the library`() {
        val names = mapOf(
            Status.OK to "HYBRIDKEM_OK", Status.ERR_NULL_POINTER to "HYBRIDKEM_ERR_NULL_POINTER",
            Status.ERR_UNKNOWN_SUITE to "HYBRIDKEM_ERR_UNKNOWN_SUITE", Status.ERR_INVALID_LENGTH to "HYBRIDKEM_ERR_INVALID_LENGTH",
            Status.ERR_INVALID_PUBLIC_KEY to "HYBRIDKEM_ERR_INVALID_PUBLIC_KEY",
            Status.ERR_INVALID_GROUP_ELEMENT to "HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT",
            Status.ERR_NO_VALID_SCALAR to "HYBRIDKEM_ERR_NO_VALID_SCALAR", Status.ERR_STRUCT_SIZE to "HYBRIDKEM_ERR_STRUCT_SIZE",
            Status.ERR_RANDOM to "HYBRIDKEM_ERR_RANDOM", Status.ERR_INTERNAL to "HYBRIDKEM_ERR_INTERNAL",
            10 to "HYBRIDKEM_ERR_CHANNEL_NEGOTIATION", 11 to "HYBRIDKEM_ERR_CHANNEL_HANDSHAKE",
            12 to "HYBRIDKEM_ERR_CHANNEL_PEER_KEY", 13 to "HYBRIDKEM_ERR_CHANNEL_DECRYPT",
            14 to "HYBRIDKEM_ERR_CHANNEL_TRUNCATED", 15 to "HYBRIDKEM_ERR_CHANNEL_PROTOCOL", 16 to "HYBRIDKEM_ERR_CHANNEL_CLOSED",
        )
        for ((code, name) in names) assertEquals(name, Status.name(code))
        assertEquals("HYBRIDKEM_ERR_UNKNOWN_STATUS", Status.name(1000))
    }

    /**
     * spec/WIRE-FORMAT.md §9: each C ABI status number and the code it becomes,
     * written out literally (the table TypeScript's and C#'s tests assert too),
     * so a changed mapping fails.
     */
    @Test
    fun `status to TypeScript code table`() {
        val table = listOf(
            1 to "ERR_INVALID_ARGUMENT", 2 to "ERR_UNKNOWN_SUITE", 3 to "ERR_INVALID_LENGTH",
            4 to "ERR_INVALID_MLKEM_KEY", 5 to "ERR_INVALID_GROUP_ELEMENT", 6 to "ERR_INVALID_SEED",
            7 to "ERR_NATIVE", 8 to "ERR_NATIVE", 9 to "ERR_NATIVE",
            10 to "ERR_CHANNEL_NEGOTIATION", 11 to "ERR_CHANNEL_HANDSHAKE", 12 to "ERR_CHANNEL_PEER_KEY",
            13 to "ERR_CHANNEL_DECRYPT", 14 to "ERR_CHANNEL_TRUNCATED", 15 to "ERR_CHANNEL_PROTOCOL", 16 to "ERR_CHANNEL_CLOSED",
            17 to "ERR_NATIVE", -1 to "ERR_NATIVE",
        )
        for ((status, code) in table) {
            assertEquals(code, Status.errorCode(status).name, "status $status")
            val thrown = assertThrows(HybridKemException::class.java) { Status.check(status, "op") }
            assertEquals(code, thrown.code.name, "status $status thrown")
            assertEquals(code == "ERR_NATIVE", thrown is NativeFailureException, "status $status: NativeFailureException exactly for ERR_NATIVE")
            assertEquals(status in 10..16, thrown is ChannelException, "status $status: ChannelException exactly for 10-16")
        }
        val random = assertThrows(NativeFailureException::class.java) { Status.check(8, "sign") }
        assertEquals("HYBRIDKEM_ERR_RANDOM", random.statusName)
        assertEquals("sign: HYBRIDKEM_ERR_RANDOM (8)", random.message)
    }

    /**
     * The composite suites' sizes from hybridkem_sig_suite_info_get against the
     * published values written out: FIPS 204 Table 2 (ML-DSA public key and
     * signature) plus RFC 8032 (Ed25519 32/64, Ed448 57/114); the private key
     * is the 32-byte ML-DSA seed and the EdDSA seed (spec/WIRE-FORMAT.md §6.1).
     */
    @Test
    fun `signature suite sizes from the C ABI are the published ones`() {
        data class Want(val name: String, val sk: Int, val pk: Int, val sig: Int)
        val want = mapOf(
            SignatureSuite.MLDSA44_ED25519_SHA512 to Want("MLDSA44-Ed25519-SHA512", 32 + 32, 1312 + 32, 2420 + 64),
            SignatureSuite.MLDSA65_ED25519_SHA512 to Want("MLDSA65-Ed25519-SHA512", 32 + 32, 1952 + 32, 3309 + 64),
            SignatureSuite.MLDSA87_ED448_SHAKE256 to Want("MLDSA87-Ed448-SHAKE256", 32 + 57, 2592 + 57, 4627 + 114),
        )
        assertEquals(want.keys, SignatureSuite.entries.toSet())
        for ((s, w) in want) {
            assertEquals(SignatureSuiteInfo(s.id, w.name, w.sk, w.pk, w.sig, 255, 32), SignatureSuiteInfo.of(s.id), w.name)
            assertEquals(listOf(w.name, w.sk, w.pk, w.sig, 255, 32),
                listOf(s.suiteName, s.privateKeyLength, s.publicKeyLength, s.signatureLength, s.maxContextLength, s.rndLength))
        }
        // A KEM suite id is not a signature suite: status 2 from the library.
        assertThrows(UnknownSuiteException::class.java) { SignatureSuiteInfo.of(0x647a) }
    }

    @Test
    fun `signature suite lengths are accepted by the library`() {
        for (s in SignatureSuite.entries) {
            val signer = CompositeSigner.forSuite(s)
            val sk = signer.generatePrivateKey()
            val pk = signer.derivePublicKey(sk)
            val sig = signer.sign(sk, "m".toByteArray())
            assertEquals(s.publicKeyLength, pk.size)
            assertTrue(signer.verify(pk, "m".toByteArray(), sig).valid)
        }
    }
}
