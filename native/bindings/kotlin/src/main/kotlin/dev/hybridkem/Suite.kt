package dev.hybridkem

/**
 * The KEM suites, by wire id (spec/WIRE-FORMAT.md §1). Names and sizes are not
 * repeated here: they come from the C ABI (hybridkem_suite_info_get) on first
 * use, and SuiteTableTest checks that this list is exactly the library's.
 */
enum class Suite(val id: Int) {
    X25519_MLKEM768(0xff01),
    X25519_MLKEM1024(0xff02),
    X_WING(0x647a),
    MLKEM768_P256(0xff03),
    MLKEM1024_P384(0xff04),
    HPKE_MLKEM768_P256(0x0050),
    HPKE_MLKEM1024_P384(0x0051),
    /** ML-KEM-768 alone (spec/WIRE-FORMAT.md §1.4): the private key is the 64-byte d ‖ z. */
    ML_KEM_768(0x0041),
    /** ML-KEM-1024 alone (§1.4): the private key is the 64-byte d ‖ z. */
    ML_KEM_1024(0x0042),
    /** DHKEM(X25519, HKDF-SHA256) of RFC 9180 (§1.4). */
    DHKEM_X25519_HKDF_SHA256(0x0020);

    private val info: SuiteInfo by lazy { SuiteInfo.of(id) }

    /** The suite's name as the library and the vectors spell it, e.g. "X-Wing". */
    val suiteName: String get() = info.name
    val publicKeyLength: Int get() = info.publicKeyLength
    val privateKeyLength: Int get() = info.privateKeyLength
    val ciphertextLength: Int get() = info.ciphertextLength
    val sharedSecretLength: Int get() = info.sharedSecretLength
    /** Input length of deterministic encapsulation (test vectors only). */
    val randomnessLength: Int get() = info.randomnessLength

    companion object {
        fun byId(id: Int): Suite = suiteById(entries, id) { it.id }

        /** Case-insensitive, as TypeScript's getSuite. */
        fun byName(name: String): Suite = entries.firstOrNull { it.suiteName.equals(name, ignoreCase = true) }
            ?: throw UnknownSuiteException("name \"${name.take(64)}\"")
    }
}

/** The entry of `entries` with wire id `id`, else [UnknownSuiteException]: KEM and signature suites alike. */
internal inline fun <E> suiteById(entries: List<E>, id: Int, idOf: (E) -> Int): E =
    entries.firstOrNull { idOf(it) == id } ?: throw UnknownSuiteException("id 0x%04x".format(id))

/** One row of the C ABI's suite table. */
data class SuiteInfo(
    val id: Int,
    val name: String,
    val publicKeyLength: Int,
    val privateKeyLength: Int,
    val ciphertextLength: Int,
    val sharedSecretLength: Int,
    val randomnessLength: Int,
) {
    companion object {
        fun of(id: Int): SuiteInfo {
            val s = SuiteInfoStruct()
            callNative("SuiteInfo.of", "suite") { hybridkem_suite_info_get(id, s) }
            return SuiteInfo(
                s.suite_id.toInt() and 0xffff, s.name!!, s.public_key_len, s.private_key_len,
                s.ciphertext_len, s.shared_secret_len, s.randomness_len,
            )
        }

        /** Every suite the loaded library implements, in its order. */
        fun all(): List<SuiteInfo> {
            val count = NativeLibrary.hybridkem_suite_count().toInt()
            return (0 until count).map { i ->
                val cell = ShortArray(1)
                callNative("SuiteInfo.all", "index") { hybridkem_suite_id_at(sz(i), cell) }
                of(cell[0].toInt() and 0xffff)
            }
        }
    }
}

/** Version strings of the loaded library. */
object LibraryInfo {
    val abiVersion: Int get() = NativeLibrary.hybridkem_abi_version()
    val version: String get() = NativeLibrary.hybridkem_library_version()
    val implementation: String get() = NativeLibrary.hybridkem_implementation()
}
