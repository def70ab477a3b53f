package dev.hybridkem

import com.sun.jna.IntegerType
import com.sun.jna.Native
import com.sun.jna.Pointer
import com.sun.jna.Structure

/** C `size_t`: 8 bytes on 64-bit targets, 4 on 32-bit (JNA's NativeLong is 4 bytes on Windows x64, so it is not used). */
class SizeT(value: Long = 0) : IntegerType(Native.SIZE_T_SIZE, value, true) {
    override fun toByte(): Byte = toInt().toByte()
    @Deprecated("Number.toChar() is deprecated in Kotlin; present because IntegerType is a java.lang.Number")
    override fun toChar(): Char = toInt().toChar()
    override fun toShort(): Short = toInt().toShort()
}

internal fun sz(n: Int) = SizeT(n.toLong())

/**
 * The head both suite-info structs share (ABI version 1: `hybridkem_sig_suite_info` keeps
 * `hybridkem_suite_info`'s offsets): JNA lays out a superclass's @FieldOrder before its subclass's.
 */
@Structure.FieldOrder("struct_size", "suite_id", "reserved", "public_key_len", "private_key_len")
abstract class SuiteInfoHead internal constructor() : Structure() {
    @JvmField var struct_size: Int = 0
    @JvmField var suite_id: Short = 0
    @JvmField var reserved: Short = 0
    @JvmField var public_key_len: Int = 0
    @JvmField var private_key_len: Int = 0

    init { struct_size = size() }
}

/** `hybridkem_suite_info` (ABI version 1 layout). */
@Structure.FieldOrder("ciphertext_len", "shared_secret_len", "randomness_len", "name")
class SuiteInfoStruct : SuiteInfoHead() {
    @JvmField var ciphertext_len: Int = 0
    @JvmField var shared_secret_len: Int = 0
    @JvmField var randomness_len: Int = 0
    @JvmField var name: String? = null
}

/** `hybridkem_sig_suite_info` (ABI version 1 layout). */
@Structure.FieldOrder("signature_len", "max_context_len", "rnd_len", "name")
class SigSuiteInfoStruct : SuiteInfoHead() {
    @JvmField var signature_len: Int = 0
    @JvmField var max_context_len: Int = 0
    @JvmField var rnd_len: Int = 0
    @JvmField var name: String? = null
}

/**
 * The C ABI of hybridkem.h, bound with JNA direct mapping (static native
 * methods: no proxy or reflection per call, which the benchmark needs).
 *
 * A `uint16_t` suite id is passed as an Int holding 0..0xffff, never as a Short:
 * JNA sign-extends a Short (0xfe01 becomes 0xfffffe01 in the register), while
 * the C ABI's callee may compare the whole zero-extended register.
 *
 * Loading: JNA searches `jna.library.path` (system property), then the
 * platform's loader path (LD_LIBRARY_PATH ...), then the class path, for
 * "hybridkem_native" (libhybridkem_native.so / .dylib / hybridkem_native.dll).
 * `-Dhybridkem.library=/abs/path/libhybridkem_native.so` or the env var
 * HYBRIDKEM_LIBRARY names the file directly and wins. The library is
 * registered once per class loader and never unloaded (it is also linked
 * NODELETE, see hybridkem.h).
 */
internal object NativeLibrary {
    /** The ABI version this binding was written against (HYBRIDKEM_ABI_VERSION). */
    const val ABI_VERSION = 1

    /** `-Dhybridkem.library` or HYBRIDKEM_LIBRARY when given (a file), else "hybridkem_native" (JNA's search). */
    private val libraryName: String =
        System.getProperty("hybridkem.library") ?: System.getenv("HYBRIDKEM_LIBRARY") ?: "hybridkem_native"

    init {
        try {
            Native.register(NativeLibrary::class.java, libraryName)
        } catch (e: UnsatisfiedLinkError) {
            throw LibraryUnavailableException(
                "cannot load the hybridkem C ABI library ($libraryName): " +
                    "set -Djna.library.path=DIR, -Dhybridkem.library=FILE or HYBRIDKEM_LIBRARY; " + e.message,
            )
        }
        val loaded = hybridkem_abi_version()
        if (loaded != ABI_VERSION) {
            throw LibraryUnavailableException("hybridkem C ABI version $loaded loaded, this binding needs $ABI_VERSION")
        }
    }

    /**
     * Binds the `external` functions of `part` (an object apart from this one, so that a library
     * built without them still serves the KEM and signatures: only the part's first use fails then).
     * `functions` names them in the error, e.g. "channel functions (hybridkem_channel_*)".
     */
    internal fun registerPart(part: Class<*>, functions: String) {
        // Touching this object loaded the library and checked its ABI version first.
        try {
            Native.register(part, libraryName)
        } catch (e: UnsatisfiedLinkError) {
            throw LibraryUnavailableException("the hybridkem library ($libraryName) has no $functions: rebuild native/; " + e.message)
        }
    }

    @JvmStatic external fun hybridkem_abi_version(): Int
    @JvmStatic external fun hybridkem_status_name(status: Int): String
    @JvmStatic external fun hybridkem_library_version(): String
    @JvmStatic external fun hybridkem_implementation(): String
    @JvmStatic external fun hybridkem_suite_count(): SizeT
    @JvmStatic external fun hybridkem_suite_id_at(index: SizeT, suiteId: ShortArray): Int
    @JvmStatic external fun hybridkem_suite_info_get(suiteId: Int, info: SuiteInfoStruct): Int

    @JvmStatic external fun hybridkem_generate_private_key(suiteId: Int, sk: ByteArray, skLen: SizeT): Int
    @JvmStatic external fun hybridkem_derive_public_key(suiteId: Int, sk: ByteArray, skLen: SizeT, pk: ByteArray, pkLen: SizeT): Int
    @JvmStatic external fun hybridkem_encapsulate(
        suiteId: Int, pk: ByteArray, pkLen: SizeT, ct: ByteArray, ctLen: SizeT, ss: ByteArray, ssLen: SizeT,
    ): Int
    @JvmStatic external fun hybridkem_encapsulate_derand(
        suiteId: Int, pk: ByteArray, pkLen: SizeT, rnd: ByteArray, rndLen: SizeT,
        ct: ByteArray, ctLen: SizeT, ss: ByteArray, ssLen: SizeT,
    ): Int
    @JvmStatic external fun hybridkem_decapsulate(
        suiteId: Int, sk: ByteArray, skLen: SizeT, ct: ByteArray, ctLen: SizeT, ss: ByteArray, ssLen: SizeT,
    ): Int

    /** keyOut: a pointer-sized cell the library writes the key pointer into. */
    @JvmStatic external fun hybridkem_private_key_import(suiteId: Int, sk: ByteArray, skLen: SizeT, keyOut: Pointer): Int
    @JvmStatic external fun hybridkem_decapsulate_with_key(key: Pointer, ct: ByteArray, ctLen: SizeT, ss: ByteArray, ssLen: SizeT): Int
    @JvmStatic external fun hybridkem_private_key_suite(key: Pointer, suiteId: ShortArray): Int
    /** keyCell: the address of the caller's pointer; set to NULL by the library. */
    @JvmStatic external fun hybridkem_private_key_free(keyCell: Pointer)

    @JvmStatic external fun hybridkem_sig_suite_info_get(suiteId: Int, info: SigSuiteInfoStruct): Int
    @JvmStatic external fun hybridkem_sig_generate_private_key(suiteId: Int, sk: ByteArray, skLen: SizeT): Int
    @JvmStatic external fun hybridkem_sig_derive_public_key(suiteId: Int, sk: ByteArray, skLen: SizeT, pk: ByteArray, pkLen: SizeT): Int
    @JvmStatic external fun hybridkem_sig_sign(
        suiteId: Int, sk: ByteArray, skLen: SizeT, msg: ByteArray, msgLen: SizeT, ctx: ByteArray, ctxLen: SizeT,
        sig: ByteArray, sigLen: SizeT,
    ): Int
    @JvmStatic external fun hybridkem_sig_sign_derand(
        suiteId: Int, sk: ByteArray, skLen: SizeT, msg: ByteArray, msgLen: SizeT, ctx: ByteArray, ctxLen: SizeT,
        rnd: ByteArray, rndLen: SizeT, sig: ByteArray, sigLen: SizeT,
    ): Int
    @JvmStatic external fun hybridkem_sig_verify(
        suiteId: Int, pk: ByteArray, pkLen: SizeT, msg: ByteArray, msgLen: SizeT, ctx: ByteArray, ctxLen: SizeT,
        sig: ByteArray, sigLen: SizeT, mldsaValid: IntArray, eddsaValid: IntArray,
    ): Int
}
