package dev.hybridkem

import org.junit.jupiter.api.Test

/** README.md's quick start, verbatim (keep the two in step): it must compile and run. */
class QuickStartTest {
    @Test
    fun `README quick start runs`() {
        val kem = HybridKem.forSuite(Suite.X_WING)
        val bob = kem.generateKeyPair()                   // privateKey: 32-byte seed (secret)
        val sent = kem.encapsulate(bob.publicKey)         // ciphertext (public) + sharedSecret (secret)
        kem.importPrivateKey(bob.privateKey).use { key -> // expanded once, AutoCloseable
            check(key.decapsulate(sent.ciphertext).contentEquals(sent.sharedSecret))
        }
        val text = Armor.armor(KemWire.encodePublicKey(kem.suite, bob.publicKey))
        val pk = KemWire.decodePublicKey(Armor.dearmor(text).second)   // checked: ML-KEM modulus, X25519 point
        println(KemWire.keyId(KemWire.encodePublicKey(pk.suite, pk.body)))
        bob.wipe(); sent.wipe()

        val signer = CompositeSigner.forSuite(SignatureSuite.MLDSA65_ED25519_SHA512)
        val sk = signer.generatePrivateKey()
        val sig = signer.sign(sk, "hello".toByteArray(), context = "app".toByteArray())
        val verdict = signer.verify(signer.derivePublicKey(sk), "hello".toByteArray(), sig, "app".toByteArray())
        check(verdict.valid)          // mldsaValid && eddsaValid, each reported
        sk.fill(0)
    }
}
