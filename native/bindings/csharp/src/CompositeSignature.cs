using System;
using System.Runtime.InteropServices;

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

    /// <summary>A composite suite's sizes, read from the C ABI
    /// (hybridkem_sig_suite_info_get), never hard-coded.</summary>
    public sealed class SignatureSuiteInfo
    {
        public SignatureSuite Suite { get; private set; }
        public string Name { get; private set; }
        public int PublicKeyLength { get; private set; }
        public int PrivateKeyLength { get; private set; }
        public int SignatureLength { get; private set; }
        /// <summary>The longest context string (255, FIPS 204 Algorithm 2).</summary>
        public int MaxContextLength { get; private set; }
        /// <summary>The length of Sign's rnd for test vectors (32).</summary>
        public int RndLength { get; private set; }

        public static SignatureSuiteInfo Of(SignatureSuite suite)
        {
            Library.EnsureLoaded();
            var n = new SigSuiteInfoNative { StructSize = (uint)Marshal.SizeOf(typeof(SigSuiteInfoNative)) };
            HybridKemException.Check(NativeMethods.hybridkem_sig_suite_info_get((ushort)suite, ref n), "sig_suite_info_get");
            return new SignatureSuiteInfo
            {
                Suite = (SignatureSuite)n.SuiteId, Name = Marshal.PtrToStringAnsi(n.Name),
                PublicKeyLength = (int)n.PublicKeyLen, PrivateKeyLength = (int)n.PrivateKeyLen,
                SignatureLength = (int)n.SignatureLen, MaxContextLength = (int)n.MaxContextLen, RndLength = (int)n.RndLen,
            };
        }
    }

    public static class CompositeSignature
    {
        // Sizes come from the library (SignatureSuiteInfo), as the KEM side's do.
        public static int PrivateKeyLength(SignatureSuite s) { return SignatureSuiteInfo.Of(s).PrivateKeyLength; }
        public static int PublicKeyLength(SignatureSuite s) { return SignatureSuiteInfo.Of(s).PublicKeyLength; }
        public static int SignatureLength(SignatureSuite s) { return SignatureSuiteInfo.Of(s).SignatureLength; }

        public static Secret GeneratePrivateKey(SignatureSuite suite)
        {
            var sk = new byte[SignatureSuiteInfo.Of(suite).PrivateKeyLength];
            HybridKemException.Check(NativeMethods.hybridkem_sig_generate_private_key((ushort)suite, sk, NativeMethods.Len(sk)), "sig_generate_private_key");
            return new Secret(sk);
        }

        public static byte[] DerivePublicKey(SignatureSuite suite, Secret privateKey)
        {
            var info = SignatureSuiteInfo.Of(suite);
            Kem.CheckLength(privateKey.Bytes, info.PrivateKeyLength, "private key");
            var pk = new byte[info.PublicKeyLength];
            HybridKemException.Check(NativeMethods.hybridkem_sig_derive_public_key((ushort)suite, privateKey.Bytes, NativeMethods.Len(privateKey.Bytes), pk, NativeMethods.Len(pk)), "sig_derive_public_key");
            return pk;
        }

        /// <summary>Hedged signing (fresh randomness). rnd: null, or 32 bytes for
        /// test vectors (all zeros = deterministic).</summary>
        public static byte[] Sign(SignatureSuite suite, Secret privateKey, byte[] message, byte[] context, byte[] rnd = null)
        {
            var info = SignatureSuiteInfo.Of(suite);
            Kem.CheckLength(privateKey.Bytes, info.PrivateKeyLength, "private key");
            message = message ?? new byte[0]; context = context ?? new byte[0];
            CheckContext(context, info);
            if (rnd != null) Kem.CheckLength(rnd, info.RndLength, "rnd");
            var sig = new byte[info.SignatureLength];
            int st = rnd == null
                ? NativeMethods.hybridkem_sig_sign((ushort)suite, privateKey.Bytes, NativeMethods.Len(privateKey.Bytes), message, NativeMethods.Len(message), context, NativeMethods.Len(context), sig, NativeMethods.Len(sig))
                : NativeMethods.hybridkem_sig_sign_derand((ushort)suite, privateKey.Bytes, NativeMethods.Len(privateKey.Bytes), message, NativeMethods.Len(message), context, NativeMethods.Len(context), rnd, NativeMethods.Len(rnd), sig, NativeMethods.Len(sig));
            HybridKemException.Check(st, "sig_sign");
            return sig;
        }

        public static Verdict Verify(SignatureSuite suite, byte[] publicKey, byte[] message, byte[] context, byte[] signature)
        {
            var info = SignatureSuiteInfo.Of(suite);
            message = message ?? new byte[0]; context = context ?? new byte[0];
            Kem.CheckLength(publicKey, info.PublicKeyLength, "public key");
            Kem.CheckLength(signature, info.SignatureLength, "signature");
            CheckContext(context, info);
            int m, e;
            HybridKemException.Check(NativeMethods.hybridkem_sig_verify((ushort)suite, publicKey, NativeMethods.Len(publicKey), message, NativeMethods.Len(message), context, NativeMethods.Len(context), signature, NativeMethods.Len(signature), out m, out e), "sig_verify");
            return new Verdict { MLDSAValid = m == 1, EdDSAValid = e == 1 };
        }

        static void CheckContext(byte[] context, SignatureSuiteInfo info)
        {
            if (context.Length > info.MaxContextLength)
                throw new HybridKemException("ERR_INVALID_LENGTH", "context is " + context.Length + " bytes, at most " + info.MaxContextLength);
        }
    }
}
