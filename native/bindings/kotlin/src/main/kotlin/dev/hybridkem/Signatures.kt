package dev.hybridkem

/**
 * Composite ML-DSA + EdDSA suites (spec/WIRE-FORMAT.md §6), by wire id. Names
 * and sizes are not repeated here: they come from the C ABI
 * (hybridkem_sig_suite_info_get) on first use, as `Suite`'s do; only the OID,
 * which the library does not need, is kept here.
 */
enum class SignatureSuite(
    val id: Int,
    /** The composite OID (draft-ietf-lamps-pq-composite-sigs), for SPKI / PKCS#8. */
    val oid: String,
) {
    MLDSA44_ED25519_SHA512(0xfe01, "1.3.6.1.5.5.7.6.39"),
    MLDSA65_ED25519_SHA512(0xfe02, "1.3.6.1.5.5.7.6.48"),
    MLDSA87_ED448_SHAKE256(0xfe03, "1.3.6.1.5.5.7.6.51");

    private val info: SignatureSuiteInfo by lazy { SignatureSuiteInfo.of(id) }

    /** The suite's name as the library and the vectors spell it, e.g. "MLDSA65-Ed25519-SHA512". */
    val suiteName: String get() = info.name
    val privateKeyLength: Int get() = info.privateKeyLength
    val publicKeyLength: Int get() = info.publicKeyLength
    val signatureLength: Int get() = info.signatureLength
    /** The longest context string (255, FIPS 204 Algorithm 2). */
    val maxContextLength: Int get() = info.maxContextLength
    /** The length of signDeterministic's rnd (32). */
    val rndLength: Int get() = info.rndLength

    companion object {
        fun byId(id: Int): SignatureSuite = suiteById(entries, id) { it.id }
    }
}

/** One composite suite as the C ABI describes it (hybridkem_sig_suite_info_get). */
data class SignatureSuiteInfo(
    val id: Int,
    val name: String,
    val privateKeyLength: Int,
    val publicKeyLength: Int,
    val signatureLength: Int,
    val maxContextLength: Int,
    val rndLength: Int,
) {
    companion object {
        fun of(id: Int): SignatureSuiteInfo {
            val s = SigSuiteInfoStruct()
            callNative("SignatureSuiteInfo.of", "suite") { hybridkem_sig_suite_info_get(id, s) }
            return SignatureSuiteInfo(
                s.suite_id.toInt() and 0xffff, s.name!!, s.private_key_len, s.public_key_len,
                s.signature_len, s.max_context_len, s.rnd_len,
            )
        }
    }
}

/** Both component verdicts of a composite verification; the signature is valid only when both hold. */
data class Verification(val mldsaValid: Boolean, val eddsaValid: Boolean) {
    val valid: Boolean get() = mldsaValid && eddsaValid
}

/** Composite signatures over the C ABI: keygen, hedged signing, verification with per-component verdicts. */
class CompositeSigner private constructor(val suite: SignatureSuite) {
    private val id = suite.id

    /** A fresh private key (ML-DSA seed ‖ EdDSA private key). Secret. */
    fun generatePrivateKey(): ByteArray = nativePrivateKey(
        id, suite.privateKeyLength, "CompositeSigner.generatePrivateKey", NativeLibrary::hybridkem_sig_generate_private_key,
    )

    fun derivePublicKey(privateKey: ByteArray): ByteArray = nativePublicKey(
        id, privateKey, suite.privateKeyLength, suite.publicKeyLength, "CompositeSigner.derivePublicKey",
        NativeLibrary::hybridkem_sig_derive_public_key,
    )

    /** Hedged signing (ML-DSA's rnd from the OS CSPRNG). */
    fun sign(privateKey: ByteArray, message: ByteArray, context: ByteArray = ByteArray(0)): ByteArray {
        checkSignInputs(privateKey, context)
        return nativeOutput(suite.signatureLength, "CompositeSigner.sign", "privateKey") { sig ->
            hybridkem_sig_sign(
                id, privateKey, sz(privateKey.size), message, sz(message.size), context, sz(context.size), sig, sz(sig.size),
            )
        }
    }

    /** Signing with the caller's 32-byte rnd (all zeros: the deterministic signature). FOR TEST VECTORS. */
    fun signDeterministic(privateKey: ByteArray, message: ByteArray, context: ByteArray = ByteArray(0), rnd: ByteArray = ByteArray(suite.rndLength)): ByteArray {
        checkSignInputs(privateKey, context)
        expectLength("rnd", rnd, suite.rndLength)
        return nativeOutput(suite.signatureLength, "CompositeSigner.signDeterministic", "privateKey") { sig ->
            hybridkem_sig_sign_derand(
                id, privateKey, sz(privateKey.size), message, sz(message.size), context, sz(context.size),
                rnd, sz(rnd.size), sig, sz(sig.size),
            )
        }
    }

    fun verify(publicKey: ByteArray, message: ByteArray, signature: ByteArray, context: ByteArray = ByteArray(0)): Verification {
        expectLength("publicKey", publicKey, suite.publicKeyLength)
        expectLength("signature", signature, suite.signatureLength)
        checkContext(context)
        val mldsa = IntArray(1)
        val eddsa = IntArray(1)
        callNative("CompositeSigner.verify", "signature") {
            hybridkem_sig_verify(
                id, publicKey, sz(publicKey.size), message, sz(message.size), context, sz(context.size),
                signature, sz(signature.size), mldsa, eddsa,
            )
        }
        return Verification(mldsa[0] == 1, eddsa[0] == 1)
    }

    private fun checkSignInputs(privateKey: ByteArray, context: ByteArray) {
        expectLength("privateKey", privateKey, suite.privateKeyLength)
        checkContext(context)
    }

    private fun checkContext(context: ByteArray) {
        if (context.size > suite.maxContextLength) {
            throw InvalidLengthException("context", suite.maxContextLength, context.size)
        }
    }

    companion object {
        private val instances = SignatureSuite.entries.associateWith { CompositeSigner(it) }
        fun forSuite(suite: SignatureSuite): CompositeSigner = instances.getValue(suite)
    }
}

class SigningObject(val kind: Kind, val suite: SignatureSuite, val body: ByteArray)

/** Signature objects (kinds 0x05-0x07): the same envelope as KEM objects. */
object SigningWire {
    fun encodePublicKey(suite: SignatureSuite, publicKey: ByteArray) = encode(Kind.SIGNING_PUBLIC_KEY, suite, publicKey)
    /** The result is secret. */
    fun encodePrivateKey(suite: SignatureSuite, privateKey: ByteArray) = encode(Kind.SIGNING_PRIVATE_KEY, suite, privateKey)
    fun encodeSignature(suite: SignatureSuite, signature: ByteArray) = encode(Kind.SIGNATURE, suite, signature)

    private fun length(suite: SignatureSuite, kind: Kind) = when (kind) {
        Kind.SIGNING_PUBLIC_KEY -> suite.publicKeyLength
        Kind.SIGNING_PRIVATE_KEY -> suite.privateKeyLength
        else -> suite.signatureLength
    }

    private fun encode(kind: Kind, suite: SignatureSuite, body: ByteArray): ByteArray {
        expectLength(kind.tsName, body, length(suite, kind))
        return Wire.encode(kind, suite.id, body)
    }

    fun decode(bytes: ByteArray, expected: Kind? = null): SigningObject {
        val o = Wire.decodeEnvelope(
            bytes, expected, Kind.SIGNING, "a signature object (signingPublicKey, signingPrivateKey or signature)",
        ) { id, kind -> SignatureSuite.byId(id).let { it.suiteName to length(it, kind) } }
        return SigningObject(o.kind, SignatureSuite.byId(o.suiteId), o.body)
    }

    /** SHA-256 of the encoded signing public key, first 16 bytes, hex (§4's rule). */
    fun keyId(encodedPublicKey: ByteArray): String {
        decode(encodedPublicKey, Kind.SIGNING_PUBLIC_KEY)
        return Wire.keyIdOf(encodedPublicKey)
    }
}

/** SubjectPublicKeyInfo / PKCS#8 v1 (DER, and PEM with 64-character lines) of composite keys. */
object Pkix {
    fun spki(suite: SignatureSuite, publicKey: ByteArray): ByteArray {
        expectLength("publicKey", publicKey, suite.publicKeyLength)
        return tlv(0x30, algorithmIdentifier(suite), tlv(0x03, byteArrayOf(0), publicKey))
    }

    /** The result is secret. */
    fun pkcs8(suite: SignatureSuite, privateKey: ByteArray): ByteArray {
        expectLength("privateKey", privateKey, suite.privateKeyLength)
        return tlv(0x30, tlv(0x02, byteArrayOf(0)), algorithmIdentifier(suite), tlv(0x04, privateKey))
    }

    fun pem(label: String, der: ByteArray): String {
        val b64 = java.util.Base64.getEncoder().encodeToString(der)
        return "-----BEGIN $label-----\n" + b64.chunked(64).joinToString("\n") + "\n-----END $label-----\n"
    }

    private fun algorithmIdentifier(suite: SignatureSuite) = tlv(0x30, tlv(0x06, oidContents(suite.oid)))

    private fun oidContents(dotted: String): ByteArray {
        val arcs = dotted.split('.').map { it.toLong() }
        val out = java.io.ByteArrayOutputStream()
        fun push(v: Long) {
            val groups = ArrayList<Int>()
            var x = v
            do { groups.add((x and 0x7f).toInt()); x = x shr 7 } while (x > 0)
            for (i in groups.indices.reversed()) out.write(groups[i] or (if (i > 0) 0x80 else 0))
        }
        push(arcs[0] * 40 + arcs[1])
        arcs.drop(2).forEach(::push)
        return out.toByteArray()
    }

    private fun tlv(tag: Int, vararg parts: ByteArray): ByteArray {
        val len = parts.sumOf { it.size }
        val out = java.io.ByteArrayOutputStream()
        out.write(tag)
        if (len < 0x80) {
            out.write(len)
        } else {
            val bytes = generateSequence(len) { it shr 8 }.takeWhile { it > 0 }.map { it and 0xff }.toList().reversed()
            out.write(0x80 or bytes.size)
            bytes.forEach(out::write)
        }
        parts.forEach(out::write)
        return out.toByteArray()
    }
}
