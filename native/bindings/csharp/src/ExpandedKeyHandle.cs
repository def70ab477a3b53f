using System;
using System.Runtime.InteropServices;

namespace HybridKem
{
    /// <summary>SafeHandle over hybridkem_private_key*: ReleaseHandle calls
    /// hybridkem_private_key_free, which wipes and frees the expanded key once,
    /// even if the owner forgot Dispose (finalizer) and never while a P/Invoke
    /// call is using it (SafeHandle reference counting).</summary>
    internal sealed class ExpandedKeyHandle : SafeHandle
    {
        ExpandedKeyHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle()
        {
            IntPtr p = handle;
            NativeMethods.hybridkem_private_key_free(ref p);
            return true;
        }
    }

    /// <summary>A private key expanded once by the library, for many decapsulations.</summary>
    public sealed class ExpandedPrivateKey : IDisposable
    {
        readonly ExpandedKeyHandle handle;
        public Suite Suite { get; private set; }
        readonly SuiteInfo info;

        ExpandedPrivateKey(ExpandedKeyHandle h, SuiteInfo i) { handle = h; info = i; Suite = i.Suite; }

        public static ExpandedPrivateKey Import(Suite suite, Secret privateKey)
        {
            var info = SuiteInfo.Of(suite);
            ExpandedKeyHandle h;
            int st = NativeMethods.hybridkem_private_key_import((ushort)suite, privateKey.Bytes, NativeMethods.Len(privateKey.Bytes), out h);
            if (st != 0) { if (h != null) h.Dispose(); HybridKemException.Check(st, "private_key_import"); }
            return new ExpandedPrivateKey(h, info);
        }

        public Secret Decapsulate(byte[] ciphertext)
        {
            Kem.CheckLength(ciphertext, info.CiphertextLength, "ciphertext");
            var ss = new byte[info.SharedSecretLength];
            HybridKemException.Check(NativeMethods.hybridkem_decapsulate_with_key(handle, ciphertext, NativeMethods.Len(ciphertext), ss, NativeMethods.Len(ss)), "decapsulate_with_key");
            return new Secret(ss);
        }

        public void Dispose() { handle.Dispose(); }
    }
}
