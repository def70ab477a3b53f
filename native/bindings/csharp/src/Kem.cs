using System;

namespace HybridKem
{
    /// <summary>Result of an encapsulation: a public ciphertext and a secret.</summary>
    public sealed class Encapsulation : IDisposable
    {
        public byte[] Ciphertext { get; private set; }
        public Secret SharedSecret { get; private set; }
        internal Encapsulation(byte[] ct, Secret ss) { Ciphertext = ct; SharedSecret = ss; }
        public void Dispose() { SharedSecret.Dispose(); }
    }

    /// <summary>The KEM operations of the C ABI, with lengths checked in C# first
    /// (so the error code is the TypeScript one before any native call).</summary>
    public static class Kem
    {
        public static Secret GeneratePrivateKey(Suite suite)
        {
            var info = SuiteInfo.Of(suite);
            var sk = new byte[info.PrivateKeyLength];
            HybridKemException.Check(NativeMethods.hybridkem_generate_private_key((ushort)suite, sk, NativeMethods.Len(sk)), "generate_private_key");
            return new Secret(sk);
        }

        public static byte[] DerivePublicKey(Suite suite, Secret privateKey)
        {
            var info = SuiteInfo.Of(suite);
            CheckLength(privateKey.Bytes, info.PrivateKeyLength, "private key");
            var pk = new byte[info.PublicKeyLength];
            HybridKemException.Check(NativeMethods.hybridkem_derive_public_key((ushort)suite, privateKey.Bytes, NativeMethods.Len(privateKey.Bytes), pk, NativeMethods.Len(pk)), "derive_public_key");
            return pk;
        }

        public static Encapsulation Encapsulate(Suite suite, byte[] publicKey)
        {
            var info = SuiteInfo.Of(suite);
            CheckLength(publicKey, info.PublicKeyLength, "public key");
            var ct = new byte[info.CiphertextLength];
            var ss = new byte[info.SharedSecretLength];
            HybridKemException.Check(NativeMethods.hybridkem_encapsulate((ushort)suite, publicKey, NativeMethods.Len(publicKey), ct, NativeMethods.Len(ct), ss, NativeMethods.Len(ss)), "encapsulate");
            return new Encapsulation(ct, new Secret(ss));
        }

        /// <summary>Deterministic encapsulation. FOR TEST VECTORS ONLY.</summary>
        public static Encapsulation EncapsulateDerandomized(Suite suite, byte[] publicKey, byte[] randomness)
        {
            var info = SuiteInfo.Of(suite);
            CheckLength(publicKey, info.PublicKeyLength, "public key");
            CheckLength(randomness, info.RandomnessLength, "randomness");
            var ct = new byte[info.CiphertextLength];
            var ss = new byte[info.SharedSecretLength];
            HybridKemException.Check(NativeMethods.hybridkem_encapsulate_derand((ushort)suite, publicKey, NativeMethods.Len(publicKey), randomness, NativeMethods.Len(randomness), ct, NativeMethods.Len(ct), ss, NativeMethods.Len(ss)), "encapsulate_derand");
            return new Encapsulation(ct, new Secret(ss));
        }

        public static Secret Decapsulate(Suite suite, Secret privateKey, byte[] ciphertext)
        {
            var info = SuiteInfo.Of(suite);
            CheckLength(privateKey.Bytes, info.PrivateKeyLength, "private key");
            CheckLength(ciphertext, info.CiphertextLength, "ciphertext");
            var ss = new byte[info.SharedSecretLength];
            HybridKemException.Check(NativeMethods.hybridkem_decapsulate((ushort)suite, privateKey.Bytes, NativeMethods.Len(privateKey.Bytes), ciphertext, NativeMethods.Len(ciphertext), ss, NativeMethods.Len(ss)), "decapsulate");
            return new Secret(ss);
        }

        internal static void CheckLength(byte[] b, int expected, string what)
        {
            if (b == null) throw new HybridKemException("ERR_INVALID_ARGUMENT", what + " is null");
            if (b.Length != expected) throw new HybridKemException("ERR_INVALID_LENGTH", what + " is " + b.Length + " bytes, expected " + expected);
        }
    }
}
