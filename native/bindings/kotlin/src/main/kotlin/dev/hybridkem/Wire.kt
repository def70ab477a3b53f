package dev.hybridkem

import java.security.MessageDigest

/** Object kinds: the byte values are fixed by spec/WIRE-FORMAT.md §2; labels by §3. */
enum class Kind(val byte: Int, val label: String) {
    PUBLIC_KEY(0x01, "HYBRIDKEM PUBLIC KEY"),
    PRIVATE_KEY(0x02, "HYBRIDKEM PRIVATE KEY"),
    CIPHERTEXT(0x03, "HYBRIDKEM CIPHERTEXT"),
    SEALED_MESSAGE(0x04, "HYBRIDKEM SEALED MESSAGE"),
    SIGNING_PUBLIC_KEY(0x05, "HYBRIDKEM SIGNING PUBLIC KEY"),
    SIGNING_PRIVATE_KEY(0x06, "HYBRIDKEM SIGNING PRIVATE KEY"),
    SIGNATURE(0x07, "HYBRIDKEM SIGNATURE"),
    ENCRYPTED_PRIVATE_KEY(0x08, "HYBRIDKEM ENCRYPTED PRIVATE KEY"),
    MULTI_RECIPIENT_SEALED_MESSAGE(0x09, "HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE"),
    // The mesh objects (spec/MESH.md): defined, so a KEM or signature decoder says ERR_WRONG_KIND.
    MESH_KEY_ENVELOPE(0x0a, "HYBRIDKEM MESH KEY ENVELOPE"),
    MESH_DIRECTORY_RECORD(0x0b, "HYBRIDKEM MESH DIRECTORY RECORD"),
    MESH_PSK_EXCHANGE(0x0c, "HYBRIDKEM MESH PSK EXCHANGE");

    /** The TypeScript name (publicKey, ...), used in error messages as TypeScript does. */
    val tsName: String = name.lowercase().split('_').let { p -> p[0] + p.drop(1).joinToString("") { it.replaceFirstChar(Char::uppercase) } }

    companion object {
        fun ofByte(b: Int): Kind? = entries.firstOrNull { it.byte == b }
        fun ofLabel(label: String): Kind? = entries.firstOrNull { it.label == label }
        val KEM = listOf(PUBLIC_KEY, PRIVATE_KEY, CIPHERTEXT)
        val SIGNING = listOf(SIGNING_PUBLIC_KEY, SIGNING_PRIVATE_KEY, SIGNATURE)
    }
}

/** A decoded v1 object: its kind, suite id and a copy of its body. */
class WireObject(val kind: Kind, val suiteId: Int, val body: ByteArray)

/**
 * Wire format v1 (spec/WIRE-FORMAT.md §2): version ‖ kind ‖ suite id (big
 * endian) ‖ body of the exact length the suite gives the kind. Decoding checks
 * in the spec's order, each with its TypeScript error code: header length,
 * version, kind byte, expected kind, family, suite, then the exact length
 * (TRUNCATED / TRAILING_DATA) before any copy is allocated.
 */
object Wire {
    const val VERSION = 1
    const val HEADER_LENGTH = 4
    const val KEY_ID_LENGTH = 16

    fun encode(kind: Kind, suiteId: Int, body: ByteArray): ByteArray {
        val out = ByteArray(HEADER_LENGTH + body.size)
        out[0] = VERSION.toByte()
        out[1] = kind.byte.toByte()
        out[2] = (suiteId shr 8).toByte()
        out[3] = suiteId.toByte()
        body.copyInto(out, HEADER_LENGTH)
        return out
    }

    /**
     * The shared envelope decoder. `family` is the kinds this family decodes,
     * `bodyLength(suiteId, kind)` throws UnknownSuiteException for an id it does not know.
     */
    internal fun decodeEnvelope(
        bytes: ByteArray,
        expected: Kind?,
        family: List<Kind>,
        familyDescription: String,
        bodyLength: (Int, Kind) -> Pair<String, Int>,
    ): WireObject {
        val field = expected?.tsName ?: "encoded object"
        if (bytes.size < HEADER_LENGTH) throw TruncatedException("$field header", HEADER_LENGTH, bytes.size)
        val version = bytes[0].toInt() and 0xff
        if (version != VERSION) throw UnsupportedVersionException(version)
        val kindByte = bytes[1].toInt() and 0xff
        val kind = Kind.ofByte(kindByte) ?: throw UnknownKindException(kindByte)
        if (expected != null && kind != expected) throw WrongKindException(expected.tsName, kind.tsName)
        if (kind !in family) throw WrongKindException(familyDescription, kind.tsName)
        val suiteId = ((bytes[2].toInt() and 0xff) shl 8) or (bytes[3].toInt() and 0xff)
        val (suiteName, length) = bodyLength(suiteId, kind)
        val want = HEADER_LENGTH + length
        if (bytes.size < want) throw TruncatedException("${kind.tsName} ($suiteName)", want, bytes.size)
        if (bytes.size > want) throw TrailingDataException("${kind.tsName} ($suiteName)", want, bytes.size)
        return WireObject(kind, suiteId, bytes.copyOfRange(HEADER_LENGTH, want))
    }

    /** SHA-256 of the whole encoded public key, first 16 bytes, lower-case hex (§4). */
    internal fun keyIdOf(encodedPublicKey: ByteArray): String =
        MessageDigest.getInstance("SHA-256").digest(encodedPublicKey).copyOf(KEY_ID_LENGTH).toHex()
}

internal fun ByteArray.toHex(): String = joinToString("") { "%02x".format(it.toInt() and 0xff) }

/** A decoded KEM object with its suite. */
class KemObject(val kind: Kind, val suite: Suite, val body: ByteArray)

/**
 * KEM objects (kinds 0x01-0x03). Decoding also checks the public values, as
 * TypeScript's decoders do: the ML-KEM modulus check (FIPS 203 §7.2, plain
 * arithmetic here) on public keys, and the traditional element of public keys
 * and ciphertexts through the C ABI (a throwaway encapsulation or
 * decapsulation, whose INVALID_GROUP_ELEMENT status becomes the error).
 */
object KemWire {
    fun encodePublicKey(suite: Suite, publicKey: ByteArray) = encode(Kind.PUBLIC_KEY, suite, publicKey, suite.publicKeyLength)
    /** The result is secret. */
    fun encodePrivateKey(suite: Suite, privateKey: ByteArray) = encode(Kind.PRIVATE_KEY, suite, privateKey, suite.privateKeyLength)
    fun encodeCiphertext(suite: Suite, ciphertext: ByteArray) = encode(Kind.CIPHERTEXT, suite, ciphertext, suite.ciphertextLength)

    private fun encode(kind: Kind, suite: Suite, body: ByteArray, length: Int): ByteArray {
        expectLength(kind.tsName, body, length)
        return Wire.encode(kind, suite.id, body)
    }

    fun decode(bytes: ByteArray, expected: Kind? = null): KemObject {
        val o = Wire.decodeEnvelope(bytes, expected, Kind.KEM, "a KEM object (publicKey, privateKey or ciphertext)") { id, kind ->
            val s = Suite.byId(id)
            s.suiteName to when (kind) {
                Kind.PUBLIC_KEY -> s.publicKeyLength
                Kind.PRIVATE_KEY -> s.privateKeyLength
                else -> s.ciphertextLength
            }
        }
        val suite = Suite.byId(o.suiteId)
        when (o.kind) {
            Kind.PUBLIC_KEY -> PublicValues.checkPublicKey(suite, o.body)
            Kind.CIPHERTEXT -> PublicValues.checkCiphertext(suite, o.body)
            else -> {}
        }
        return KemObject(o.kind, suite, o.body)
    }

    fun decodePublicKey(bytes: ByteArray) = decode(bytes, Kind.PUBLIC_KEY)
    /** The body is secret: wipe it when done. */
    fun decodePrivateKey(bytes: ByteArray) = decode(bytes, Kind.PRIVATE_KEY)
    fun decodeCiphertext(bytes: ByteArray) = decode(bytes, Kind.CIPHERTEXT)

    /** The key id of an encoded public key (decoded and checked first). */
    fun keyId(encodedPublicKey: ByteArray): String {
        decodePublicKey(encodedPublicKey)
        return Wire.keyIdOf(encodedPublicKey)
    }
}

/** Checks of public values on decode (see KemWire). */
internal object PublicValues {
    private const val Q = 3329
    private const val RHO_LENGTH = 32

    /**
     * ML-KEM-768's encapsulation key is 1184 bytes, ML-KEM-1024's 1568 (FIPS 203
     * Table 3); the suite name says which. DHKEM(X25519) has none: 0, nothing to check.
     */
    private fun mlkemKeyLength(suite: Suite): Int = when {
        suite == Suite.DHKEM_X25519_HKDF_SHA256 -> 0
        "1024" in suite.suiteName -> 1568
        else -> 1184
    }

    fun checkPublicKey(suite: Suite, body: ByteArray) {
        val ekLength = mlkemKeyLength(suite)
        var c = 0
        var i = 0
        while (i < ekLength - RHO_LENGTH) {
            val b0 = body[i].toInt() and 0xff
            val b1 = body[i + 1].toInt() and 0xff
            val b2 = body[i + 2].toInt() and 0xff
            if ((b0 or ((b1 and 0x0f) shl 8)) >= Q) throw InvalidMlKemKeyException("publicKey (ML-KEM part)", c)
            if (((b1 shr 4) or (b2 shl 4)) >= Q) throw InvalidMlKemKeyException("publicKey (ML-KEM part)", c + 1)
            i += 3; c += 2
        }
        // The traditional part: the library checks it when it encapsulates.
        val e = try {
            HybridKem.forSuite(suite).encapsulate(body)
        } catch (x: InvalidGroupElementException) {
            throw InvalidGroupElementException("publicKey (traditional part)")
        }
        e.wipe()
    }

    fun checkCiphertext(suite: Suite, body: ByteArray) {
        // A fixed throwaway private key of the suite's length (32 or ML-KEM's 64).
        val probeSeed = ByteArray(suite.privateKeyLength) { 0x5a }
        val ss = try {
            HybridKem.forSuite(suite).decapsulate(probeSeed, body)
        } catch (x: InvalidGroupElementException) {
            throw InvalidGroupElementException("ciphertext (traditional part)")
        }
        ss.fill(0)
    }
}
