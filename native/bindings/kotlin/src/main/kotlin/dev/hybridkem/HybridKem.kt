package dev.hybridkem

import com.sun.jna.Memory
import com.sun.jna.Native
import com.sun.jna.Pointer
import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write

/** A ciphertext (public: send it) and the shared secret (secret: wipe it when done). */
class Encapsulation(val ciphertext: ByteArray, val sharedSecret: ByteArray) {
    /** Zeroes the shared secret. */
    fun wipe() = sharedSecret.fill(0)
    override fun toString() = "Encapsulation(ciphertext=${ciphertext.size} bytes, sharedSecret=<secret>)"
}

/** A fresh key pair: the private key (secret: a 32-byte seed, or ML-KEM's 64-byte d ‖ z) and the public key. */
class KeyPair(val suite: Suite, val privateKey: ByteArray, val publicKey: ByteArray) {
    fun wipe() = privateKey.fill(0)
    override fun toString() = "KeyPair(${suite.suiteName}, publicKey=${publicKey.size} bytes, privateKey=<secret>)"
}

/**
 * One KEM suite over the C ABI. Raw keys and ciphertexts are ByteArrays of the
 * suite's exact lengths; every length is checked here before the call, so a
 * wrong one is an InvalidLengthException naming the field.
 *
 *     val kem = HybridKem.forSuite(Suite.X_WING)
 *     val bob = kem.generateKeyPair()
 *     val (ct, ss) = kem.encapsulate(bob.publicKey).let { it.ciphertext to it.sharedSecret }
 *     kem.decapsulate(bob.privateKey, ct)   // == ss
 */
class HybridKem private constructor(val suite: Suite) {
    private val id = suite.id

    fun generatePrivateKey(): ByteArray = nativePrivateKey(
        id, suite.privateKeyLength, "HybridKem.generatePrivateKey", NativeLibrary::hybridkem_generate_private_key,
    )

    fun derivePublicKey(privateKey: ByteArray): ByteArray = nativePublicKey(
        id, privateKey, suite.privateKeyLength, suite.publicKeyLength, "HybridKem.derivePublicKey",
        NativeLibrary::hybridkem_derive_public_key,
    )

    fun generateKeyPair(): KeyPair {
        val sk = generatePrivateKey()
        return try {
            KeyPair(suite, sk, derivePublicKey(sk))
        } catch (e: HybridKemException) {
            sk.fill(0); throw e
        }
    }

    /** Encapsulates to `publicKey` with fresh randomness from the OS CSPRNG. */
    fun encapsulate(publicKey: ByteArray): Encapsulation {
        expectLength("publicKey", publicKey, suite.publicKeyLength)
        val ct = ByteArray(suite.ciphertextLength)
        val ss = ByteArray(suite.sharedSecretLength)
        callNative("HybridKem.encapsulate", "publicKey") {
            hybridkem_encapsulate(id, publicKey, sz(publicKey.size), ct, sz(ct.size), ss, sz(ss.size))
        }
        return Encapsulation(ct, ss)
    }

    /** Deterministic encapsulation. FOR TEST VECTORS ONLY: reused randomness breaks security. */
    fun encapsulateDeterministic(publicKey: ByteArray, randomness: ByteArray): Encapsulation {
        expectLength("publicKey", publicKey, suite.publicKeyLength)
        expectLength("randomness", randomness, suite.randomnessLength)
        val ct = ByteArray(suite.ciphertextLength)
        val ss = ByteArray(suite.sharedSecretLength)
        callNative("HybridKem.encapsulateDeterministic", "publicKey") {
            hybridkem_encapsulate_derand(
                id, publicKey, sz(publicKey.size), randomness, sz(randomness.size), ct, sz(ct.size), ss, sz(ss.size),
            )
        }
        return Encapsulation(ct, ss)
    }

    /**
     * Decapsulates with the private key (the suite's privateKeyLength). A tampered ML-KEM ciphertext is not an
     * error (implicit rejection): the secret simply differs from the sender's.
     */
    fun decapsulate(privateKey: ByteArray, ciphertext: ByteArray): ByteArray {
        expectLength("privateKey", privateKey, suite.privateKeyLength)
        expectLength("ciphertext", ciphertext, suite.ciphertextLength)
        return nativeOutput(suite.sharedSecretLength, "HybridKem.decapsulate", "ciphertext") { ss ->
            hybridkem_decapsulate(id, privateKey, sz(privateKey.size), ciphertext, sz(ciphertext.size), ss, sz(ss.size))
        }
    }

    /** Expands the seed once for many decapsulations; close() the result. The seed array is not kept. */
    fun importPrivateKey(privateKey: ByteArray): PrivateKey {
        expectLength("privateKey", privateKey, suite.privateKeyLength)
        return PrivateKey.import(suite, privateKey)
    }

    companion object {
        private val instances = Suite.entries.associateWith { HybridKem(it) }
        fun forSuite(suite: Suite): HybridKem = instances.getValue(suite)
    }
}

internal fun expectLength(field: String, bytes: ByteArray, expected: Int) {
    if (bytes.size != expected) throw InvalidLengthException(field, expected, bytes.size)
}

/**
 * An expanded private key held by the library (hybridkem_private_key_import).
 * Any number of threads may decapsulate at once; close() waits for them, then
 * wipes and frees the key, and later use is an InvalidArgumentException
 * (never a use after free). Closing twice is a no-op. A key that becomes
 * unreachable without close() is wiped and freed by a Cleaner (late: close it).
 */
class PrivateKey private constructor(val suite: Suite, private val cell: Memory) : AutoCloseable {
    private val lock = ReentrantReadWriteLock()
    private var closed = false
    // The action holds the cell, never `this`; clean() runs it at most once (close() or GC).
    private val cleanable = CLEANER.register(this, FreeKey(cell))

    private class FreeKey(private val cell: Memory) : Runnable {
        override fun run() = NativeLibrary.hybridkem_private_key_free(cell) // wipes the key, sets the cell to NULL
    }

    fun decapsulate(ciphertext: ByteArray): ByteArray {
        expectLength("ciphertext", ciphertext, suite.ciphertextLength)
        return lock.read {
            if (closed) throw InvalidArgumentException("privateKey", "used after close()")
            val key = cell.getPointer(0)
            nativeOutput(suite.sharedSecretLength, "PrivateKey.decapsulate", "ciphertext") { ss ->
                hybridkem_decapsulate_with_key(key, ciphertext, sz(ciphertext.size), ss, sz(ss.size))
            }
        }
    }

    val isClosed: Boolean get() = lock.read { closed }

    override fun close() = lock.write {
        if (!closed) {
            closed = true
            cleanable.clean()
        }
    }

    override fun toString() = "PrivateKey(${suite.suiteName}, ${if (closed) "closed" else "open"})"

    internal companion object {
        private val CLEANER: java.lang.ref.Cleaner = java.lang.ref.Cleaner.create()

        fun import(suite: Suite, seed: ByteArray): PrivateKey {
            val cell = Memory(Native.POINTER_SIZE.toLong())
            cell.setPointer(0, Pointer.NULL)
            callNative("HybridKem.importPrivateKey", "privateKey") {
                hybridkem_private_key_import(suite.id, seed, sz(seed.size), cell)
            }
            return PrivateKey(suite, cell)
        }
    }
}
