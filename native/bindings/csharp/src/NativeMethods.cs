// P/Invoke declarations of native/include/hybridkem.h (ABI version 1).
// The library is loaded by its ecosystem name "hybridkem_native": mono maps it
// to libhybridkem_native.so through LD_LIBRARY_PATH / the dllmap of
// HybridKem.dll.config; .NET 8+ probes the same name. The library is linked
// NODELETE, and P/Invoke never unloads a library, so it stays mapped.
using System;
using System.Runtime.InteropServices;

namespace HybridKem
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct SuiteInfoNative
    {
        public uint StructSize;
        public ushort SuiteId;
        public ushort Reserved;
        public uint PublicKeyLen;
        public uint PrivateKeyLen;
        public uint CiphertextLen;
        public uint SharedSecretLen;
        public uint RandomnessLen;
        public IntPtr Name;
    }

    /// <summary>hybridkem_sig_suite_info (ABI version 1): hybridkem_suite_info's layout.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SigSuiteInfoNative
    {
        public uint StructSize;
        public ushort SuiteId;
        public ushort Reserved;
        public uint PublicKeyLen;
        public uint PrivateKeyLen;
        public uint SignatureLen;
        public uint MaxContextLen;
        public uint RndLen;
        public IntPtr Name;
    }

    internal static class NativeMethods
    {
        internal const string Lib = "hybridkem_native";
        internal const uint AbiVersion = 1;
        const CallingConvention C = CallingConvention.Cdecl;

        [DllImport(Lib, CallingConvention = C)] internal static extern uint hybridkem_abi_version();
        [DllImport(Lib, CallingConvention = C)] internal static extern IntPtr hybridkem_status_name(int status);
        [DllImport(Lib, CallingConvention = C)] internal static extern IntPtr hybridkem_library_version();
        [DllImport(Lib, CallingConvention = C)] internal static extern UIntPtr hybridkem_suite_count();
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_suite_id_at(UIntPtr index, out ushort id);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_suite_info_get(ushort id, ref SuiteInfoNative info);

        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_generate_private_key(ushort id, byte[] sk, UIntPtr skLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_derive_public_key(ushort id, byte[] sk, UIntPtr skLen, byte[] pk, UIntPtr pkLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_encapsulate(ushort id, byte[] pk, UIntPtr pkLen, byte[] ct, UIntPtr ctLen, byte[] ss, UIntPtr ssLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_encapsulate_derand(ushort id, byte[] pk, UIntPtr pkLen, byte[] rnd, UIntPtr rndLen, byte[] ct, UIntPtr ctLen, byte[] ss, UIntPtr ssLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_decapsulate(ushort id, byte[] sk, UIntPtr skLen, byte[] ct, UIntPtr ctLen, byte[] ss, UIntPtr ssLen);

        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_private_key_import(ushort id, byte[] sk, UIntPtr skLen, out ExpandedKeyHandle key);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_decapsulate_with_key(ExpandedKeyHandle key, byte[] ct, UIntPtr ctLen, byte[] ss, UIntPtr ssLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_private_key_suite(ExpandedKeyHandle key, out ushort id);
        [DllImport(Lib, CallingConvention = C)] internal static extern void hybridkem_private_key_free(ref IntPtr key);

        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_sig_suite_info_get(ushort id, ref SigSuiteInfoNative info);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_sig_generate_private_key(ushort id, byte[] sk, UIntPtr skLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_sig_derive_public_key(ushort id, byte[] sk, UIntPtr skLen, byte[] pk, UIntPtr pkLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_sig_sign(ushort id, byte[] sk, UIntPtr skLen, byte[] msg, UIntPtr msgLen, byte[] ctx, UIntPtr ctxLen, byte[] sig, UIntPtr sigLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_sig_sign_derand(ushort id, byte[] sk, UIntPtr skLen, byte[] msg, UIntPtr msgLen, byte[] ctx, UIntPtr ctxLen, byte[] rnd, UIntPtr rndLen, byte[] sig, UIntPtr sigLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_sig_verify(ushort id, byte[] pk, UIntPtr pkLen, byte[] msg, UIntPtr msgLen, byte[] ctx, UIntPtr ctxLen, byte[] sig, UIntPtr sigLen, out int mldsaValid, out int eddsaValid);

        internal static UIntPtr Len(byte[] b) { return new UIntPtr((uint)b.Length); }
    }
}
