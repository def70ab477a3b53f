using System;

namespace HybridKem
{
    /// <summary>Composite ML-DSA + EdDSA suites (spec/WIRE-FORMAT.md §6).</summary>
    public enum SignatureSuite : ushort
    {
        MLDSA44Ed25519SHA512 = 0xfe01,
        MLDSA65Ed25519SHA512 = 0xfe02,
        MLDSA87Ed448SHAKE256 = 0xfe03,
    }

    /// <summary>Verification result with both component verdicts.</summary>
    public struct Verdict
    {
        public bool MLDSAValid;
        public bool EdDSAValid;
        public bool Valid { get { return MLDSAValid && EdDSAValid; } }
    }

    public static class CompositeSignature
    {
        // Lengths from hybridkem.h's HYBRIDKEM_SIG_* defines (the C ABI has no
        // signature-suite info call); a wrong one is rejected by the library anyway.
        public static int PrivateKeyLength(SignatureSuite s) { return s == SignatureSuite.MLDSA87Ed448SHAKE256 ? 89 : 64; }
        public static int PublicKeyLength(SignatureSuite s) { switch (s) { case SignatureSuite.MLDSA44Ed25519SHA512: return 1344; case SignatureSuite.MLDSA65Ed25519SHA512: return 1984; default: return 2649; } }
        public static int SignatureLength(SignatureSuite s) { switch (s) { case SignatureSuite.MLDSA44Ed25519SHA512: return 2484; case SignatureSuite.MLDSA65Ed25519SHA512: return 3373; default: return 4741; } }
        const int MaxContext = 255;

        public static Secret GeneratePrivateKey(SignatureSuite suite)
        {
            Library.EnsureLoaded();
            var sk = new byte[PrivateKeyLength(suite)];
            HybridKemException.Check(NativeMethods.hybridkem_sig_generate_private_key((ushort)suite, sk, NativeMethods.Len(sk)), "sig_generate_private_key");
            return new Secret(sk);
        }

        public static byte[] DerivePublicKey(SignatureSuite suite, Secret privateKey)
        {
            Library.EnsureLoaded();
            Kem.CheckLength(privateKey.Bytes, PrivateKeyLength(suite), "private key");
            var pk = new byte[PublicKeyLength(suite)];
            HybridKemException.Check(NativeMethods.hybridkem_sig_derive_public_key((ushort)suite, privateKey.Bytes, NativeMethods.Len(privateKey.Bytes), pk, NativeMethods.Len(pk)), "sig_derive_public_key");
            return pk;
        }

        /// <summary>Hedged signing (fresh randomness). rnd: null, or 32 bytes for
        /// test vectors (all zeros = deterministic).</summary>
        public static byte[] Sign(SignatureSuite suite, Secret privateKey, byte[] message, byte[] context, byte[] rnd = null)
        {
            Library.EnsureLoaded();
            Kem.CheckLength(privateKey.Bytes, PrivateKeyLength(suite), "private key");
            message = message ?? new byte[0]; context = context ?? new byte[0];
            if (context.Length > MaxContext) throw new HybridKemException("ERR_INVALID_LENGTH", "context over 255 bytes");
            var sig = new byte[SignatureLength(suite)];
            int st = rnd == null
                ? NativeMethods.hybridkem_sig_sign((ushort)suite, privateKey.Bytes, NativeMethods.Len(privateKey.Bytes), message, NativeMethods.Len(message), context, NativeMethods.Len(context), sig, NativeMethods.Len(sig))
                : NativeMethods.hybridkem_sig_sign_derand((ushort)suite, privateKey.Bytes, NativeMethods.Len(privateKey.Bytes), message, NativeMethods.Len(message), context, NativeMethods.Len(context), rnd, NativeMethods.Len(rnd), sig, NativeMethods.Len(sig));
            HybridKemException.Check(st, "sig_sign");
            return sig;
        }

        public static Verdict Verify(SignatureSuite suite, byte[] publicKey, byte[] message, byte[] context, byte[] signature)
        {
            Library.EnsureLoaded();
            message = message ?? new byte[0]; context = context ?? new byte[0];
            Kem.CheckLength(publicKey, PublicKeyLength(suite), "public key");
            Kem.CheckLength(signature, SignatureLength(suite), "signature");
            if (context.Length > MaxContext) throw new HybridKemException("ERR_INVALID_LENGTH", "context over 255 bytes");
            int m, e;
            HybridKemException.Check(NativeMethods.hybridkem_sig_verify((ushort)suite, publicKey, NativeMethods.Len(publicKey), message, NativeMethods.Len(message), context, NativeMethods.Len(context), signature, NativeMethods.Len(signature), out m, out e), "sig_verify");
            return new Verdict { MLDSAValid = m == 1, EdDSAValid = e == 1 };
        }
    }
}
