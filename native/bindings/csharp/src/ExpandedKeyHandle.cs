using System;
using System.Runtime.InteropServices;

namespace HybridKem
{
    /// <summary>A SafeHandle owning one object of the library: <see cref="Free"/> runs once, on Dispose or
    /// from the finalizer (an owner that forgot Dispose), never while a P/Invoke call is using the object
    /// (SafeHandle reference counting). P/Invoke creates the sealed subclasses through their private constructors.</summary>
    internal abstract class OwnedHandle : SafeHandle
    {
        protected OwnedHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle()
        {
            Free(handle);
            return true;
        }
        /// <summary>The library's free function for the object (each wipes its secrets first).</summary>
        protected abstract void Free(IntPtr p);
    }

    /// <summary>hybridkem_private_key*: hybridkem_private_key_free wipes and frees the expanded key.</summary>
    internal sealed class ExpandedKeyHandle : OwnedHandle
    {
        ExpandedKeyHandle() { }
        protected override void Free(IntPtr p) { NativeMethods.hybridkem_private_key_free(ref p); }
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
