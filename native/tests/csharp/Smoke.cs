// A C# client written from include/hybridkem.h alone: P/Invoke declarations,
// the hybridkem_suite_info struct layout, a round trip for every suite and
// the status codes of a few bad calls. Run by native/scripts/test-csharp.sh.
using System;
using System.Runtime.InteropServices;

static class Native
{
    const string Lib = "hybridkem_native";

    [StructLayout(LayoutKind.Sequential)]
    public struct SuiteInfo
    {
        public uint StructSize;
        public ushort SuiteId;
        public ushort Reserved;
        public uint PublicKeyLen, PrivateKeyLen, CiphertextLen, SharedSecretLen, RandomnessLen;
        public IntPtr Name;
    }

    [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint hybridkem_abi_version();
    [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern IntPtr hybridkem_status_name(int status);
    [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern UIntPtr hybridkem_suite_count();
    [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern int hybridkem_suite_id_at(UIntPtr index, out ushort id);
    [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern int hybridkem_suite_info_get(ushort id, ref SuiteInfo info);
    [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern int hybridkem_generate_private_key(ushort id, byte[] sk, UIntPtr skLen);
    [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern int hybridkem_derive_public_key(ushort id, byte[] sk, UIntPtr skLen, byte[] pk, UIntPtr pkLen);
    [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern int hybridkem_encapsulate(ushort id, byte[] pk, UIntPtr pkLen, byte[] ct, UIntPtr ctLen, byte[] ss, UIntPtr ssLen);
    [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern int hybridkem_decapsulate(ushort id, byte[] sk, UIntPtr skLen, byte[] ct, UIntPtr ctLen, byte[] ss, UIntPtr ssLen);
}

static class Smoke
{
    static UIntPtr U(int n) { return (UIntPtr)(uint)n; }

    static void Expect(int got, int want, string what)
    {
        if (got != want)
            throw new Exception(what + ": " + Marshal.PtrToStringAnsi(Native.hybridkem_status_name(got)) + ", want " + want);
    }

    static int Main()
    {
        if (Native.hybridkem_abi_version() != 1) throw new Exception("ABI version");
        int size = Marshal.SizeOf(typeof(Native.SuiteInfo));
        if (size != (IntPtr.Size == 8 ? 40 : 32)) throw new Exception("sizeof(SuiteInfo) " + size);
        int count = (int)(uint)Native.hybridkem_suite_count();
        for (int i = 0; i < count; i++)
        {
            ushort id;
            Expect(Native.hybridkem_suite_id_at(U(i), out id), 0, "suite_id_at");
            var info = new Native.SuiteInfo { StructSize = (uint)size };
            Expect(Native.hybridkem_suite_info_get(id, ref info), 0, "suite_info_get");
            string name = Marshal.PtrToStringAnsi(info.Name);
            var sk = new byte[info.PrivateKeyLen];
            var pk = new byte[info.PublicKeyLen];
            var ct = new byte[info.CiphertextLen];
            var ss1 = new byte[info.SharedSecretLen];
            var ss2 = new byte[info.SharedSecretLen];
            Expect(Native.hybridkem_generate_private_key(id, sk, U(sk.Length)), 0, name + " generate");
            Expect(Native.hybridkem_derive_public_key(id, sk, U(sk.Length), pk, U(pk.Length)), 0, name + " derive");
            Expect(Native.hybridkem_encapsulate(id, pk, U(pk.Length), ct, U(ct.Length), ss1, U(ss1.Length)), 0, name + " encapsulate");
            Expect(Native.hybridkem_decapsulate(id, sk, U(sk.Length), ct, U(ct.Length), ss2, U(ss2.Length)), 0, name + " decapsulate");
            if (Convert.ToBase64String(ss1) != Convert.ToBase64String(ss2)) throw new Exception(name + ": secrets differ");
            // Errors: a short buffer and an unknown suite; the output is zeroed.
            Expect(Native.hybridkem_decapsulate(id, sk, U(sk.Length), ct, U(ct.Length - 1), ss2, U(ss2.Length)), 3, name + " short ciphertext");
            if (Array.Exists(ss2, b => b != 0)) throw new Exception(name + ": output not zeroed");
            Expect(Native.hybridkem_encapsulate(0x1234, pk, U(pk.Length), ct, U(ct.Length), ss1, U(ss1.Length)), 2, "unknown suite");
            Array.Clear(sk, 0, sk.Length);
            Console.WriteLine("ok " + name);
        }
        var bad = new Native.SuiteInfo { StructSize = 12 };
        Expect(Native.hybridkem_suite_info_get(0x647a, ref bad), 7, "struct_size");
        Console.WriteLine("csharp smoke: " + count + " suites ok");
        return 0;
    }
}
