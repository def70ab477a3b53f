using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace HybridKem
{
    /// <summary>KEM suites by wire id (spec/WIRE-FORMAT.md §1). A test checks that
    /// this enum equals the C ABI's suite table.</summary>
    public enum Suite : ushort
    {
        X25519MLKEM768 = 0xff01,
        X25519MLKEM1024 = 0xff02,
        XWing = 0x647a,
        MLKEM768P256 = 0xff03,
        MLKEM1024P384 = 0xff04,
        HpkeMLKEM768P256 = 0x0050,
        HpkeMLKEM1024P384 = 0x0051,
        /// <summary>ML-KEM-768 alone (spec/WIRE-FORMAT.md §1.4): 64-byte private key d ‖ z.</summary>
        MLKEM768 = 0x0041,
        /// <summary>ML-KEM-1024 alone (§1.4): 64-byte private key d ‖ z.</summary>
        MLKEM1024 = 0x0042,
        /// <summary>DHKEM(X25519, HKDF-SHA256) of RFC 9180 (§1.4).</summary>
        DhkemX25519HkdfSha256 = 0x0020,
    }

    /// <summary>A suite's sizes, read from the C ABI (hybridkem_suite_info_get), never hard-coded.</summary>
    public sealed class SuiteInfo
    {
        public Suite Suite { get; private set; }
        public string Name { get; private set; }
        public int PublicKeyLength { get; private set; }
        public int PrivateKeyLength { get; private set; }
        public int CiphertextLength { get; private set; }
        public int SharedSecretLength { get; private set; }
        public int RandomnessLength { get; private set; }

        public static SuiteInfo Of(Suite suite) { return Of((ushort)suite); }

        internal static SuiteInfo Of(ushort id)
        {
            Library.EnsureLoaded();
            var n = new SuiteInfoNative { StructSize = (uint)Marshal.SizeOf(typeof(SuiteInfoNative)) };
            HybridKemException.Check(NativeMethods.hybridkem_suite_info_get(id, ref n), "suite_info_get");
            return new SuiteInfo
            {
                Suite = (Suite)n.SuiteId, Name = Marshal.PtrToStringAnsi(n.Name),
                PublicKeyLength = (int)n.PublicKeyLen, PrivateKeyLength = (int)n.PrivateKeyLen,
                CiphertextLength = (int)n.CiphertextLen, SharedSecretLength = (int)n.SharedSecretLen,
                RandomnessLength = (int)n.RandomnessLen,
            };
        }

        /// <summary>The C ABI's suite ids, in its order.</summary>
        public static IList<ushort> NativeSuiteIds()
        {
            Library.EnsureLoaded();
            var ids = new List<ushort>();
            ulong count = NativeMethods.hybridkem_suite_count().ToUInt64();
            for (ulong i = 0; i < count; i++)
            {
                ushort id;
                HybridKemException.Check(NativeMethods.hybridkem_suite_id_at(new UIntPtr(i), out id), "suite_id_at");
                ids.Add(id);
            }
            return ids;
        }
    }

    /// <summary>Load-time check: the loaded library speaks ABI version 1.</summary>
    public static class Library
    {
        static bool checkedAbi;
        public static string Version { get { EnsureLoaded(); return Marshal.PtrToStringAnsi(NativeMethods.hybridkem_library_version()); } }

        internal static void EnsureLoaded()
        {
            if (checkedAbi) return;
            uint v;
            try
            {
                v = NativeMethods.hybridkem_abi_version();
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException)
            {
                // The one case of ERR_BACKEND_UNAVAILABLE, with the ABI mismatch
                // below: no usable library. A failing call into a loaded one is ERR_NATIVE.
                throw new HybridKemException("ERR_BACKEND_UNAVAILABLE",
                    "cannot load the hybridkem C ABI library (" + NativeMethods.Lib + "): put libhybridkem_native on the loader path", e);
            }
            if (v != NativeMethods.AbiVersion)
                throw new HybridKemException("ERR_BACKEND_UNAVAILABLE", "libhybridkem_native ABI version " + v + ", expected " + NativeMethods.AbiVersion);
            checkedAbi = true;
        }
    }
}
