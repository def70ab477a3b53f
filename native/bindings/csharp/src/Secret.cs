using System;

namespace HybridKem
{
    /// <summary>Secret bytes (a private key seed or a shared secret) that are wiped
    /// on Dispose. Copy out with ToArray() only when you must; wipe the copy.</summary>
    public sealed class Secret : IDisposable
    {
        byte[] bytes;
        internal Secret(byte[] owned) { bytes = owned; }

        public static Secret FromBytes(byte[] source) { return new Secret((byte[])source.Clone()); }

        public int Length { get { return Bytes.Length; } }
        internal byte[] Bytes { get { if (bytes == null) throw new ObjectDisposedException("Secret"); return bytes; } }
        public byte[] ToArray() { return (byte[])Bytes.Clone(); }

        /// <summary>Constant-time comparison, for tests and key confirmation.</summary>
        public bool ContentEquals(byte[] other)
        {
            var b = Bytes;
            if (other == null || other.Length != b.Length) return false;
            int d = 0;
            for (int i = 0; i < b.Length; i++) d |= b[i] ^ other[i];
            return d == 0;
        }

        public void Dispose()
        {
            if (bytes != null) { Array.Clear(bytes, 0, bytes.Length); bytes = null; }
        }
    }
}
