// The Noise-level C ABI for the transcript vectors of spec/TRANSPORT.md §6.9
// (hybridkem_noise_*, native/src/channel/noise_ffi.rs).
using System;
using System.Runtime.InteropServices;

namespace HybridKem
{
    /// <summary>hybridkem_noise*: hybridkem_noise_free wipes the keys and frees the handshake.</summary>
    internal sealed class NoiseHandle : OwnedHandle
    {
        NoiseHandle() { }
        protected override void Free(IntPtr p) { NoiseNative.hybridkem_noise_free(p); }
    }

    internal static class NoiseNative
    {
        const string Lib = NativeMethods.Lib;
        const CallingConvention C = CallingConvention.Cdecl;

        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_noise_new(uint pattern, ushort suite, uint cipher, uint hash, uint initiator,
            byte[] prologue, UIntPtr prologueLen, byte[] localPrivateKey, UIntPtr localPrivateKeyLen,
            byte[] remotePublicKey, UIntPtr remotePublicKeyLen, byte[] random, UIntPtr randomLen, out NoiseHandle h);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_noise_write_message(NoiseHandle h, byte[] payload, UIntPtr len, byte[] output, UIntPtr cap, out UIntPtr written);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_noise_read_message(NoiseHandle h, byte[] message, UIntPtr len, byte[] output, UIntPtr cap, out UIntPtr written);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_noise_handshake_hash(NoiseHandle h, byte[] output, UIntPtr cap, out UIntPtr written);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_noise_encrypt(NoiseHandle h, byte[] plaintext, UIntPtr len, byte[] output, UIntPtr cap, out UIntPtr written);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_noise_decrypt(NoiseHandle h, byte[] ciphertext, UIntPtr len, byte[] output, UIntPtr cap, out UIntPtr written);
        [DllImport(Lib, CallingConvention = C)] internal static extern void hybridkem_noise_free(IntPtr h);
    }

    /// <summary>One side of a spec/TRANSPORT.md §6.1 handshake whose randomness is fixed, with any
    /// handshake payload, then the split cipher states: FOR TRANSCRIPT VECTORS AND TESTS ONLY.
    /// <c>random</c> is every byte the side draws, in its tokens' order (§6.9's <c>random.&lt;side&gt;</c>);
    /// fixed randomness is only as secret as those bytes, and reusing it reuses the ephemeral key and the
    /// shared secrets. A real channel is <see cref="ChannelEngine"/> / <see cref="Channel"/>, which draw
    /// from the library's RNG. Failures are <see cref="ChannelException"/>s (a handshake message that fails
    /// to authenticate: ERR_CHANNEL_HANDSHAKE); after one, every call is ERR_CHANNEL_CLOSED. Not thread-safe.</summary>
    public sealed class NoiseVectorHandshake : IDisposable
    {
        /// <summary>Noise's maximum message length (§3).</summary>
        public const int MaxMessage = 65535;
        readonly NoiseHandle handle;

        public NoiseVectorHandshake(ChannelPattern pattern, Suite suite, ChannelCipher cipher, ChannelHash hash, bool initiator,
            byte[] prologue, byte[] localPrivateKey, byte[] remotePublicKey, byte[] random)
        {
            if (prologue == null || random == null) throw new ArgumentNullException(prologue == null ? "prologue" : "random");
            var sk = localPrivateKey ?? new byte[0];
            var rpk = remotePublicKey ?? new byte[0];
            NoiseHandle h;
            int st = NoiseNative.hybridkem_noise_new((uint)pattern, (ushort)suite, (uint)cipher, (uint)hash, initiator ? 1u : 0u,
                prologue, Len(prologue), sk, Len(sk), rpk, Len(rpk), random, Len(random), out h);
            if (st != 0) { if (h != null) h.Dispose(); HybridKemException.Check(st, "noise_new"); }
            handle = h;
        }

        static UIntPtr Len(byte[] b) { return new UIntPtr((uint)b.Length); }

        delegate int Op(byte[] output, out UIntPtr written);

        byte[] Run(string operation, int cap, Op op)
        {
            var output = new byte[cap];
            UIntPtr written;
            HybridKemException.Check(op(output, out written), operation);
            var result = new byte[(int)written.ToUInt64()];
            Array.Copy(output, result, result.Length);
            Array.Clear(output, 0, output.Length);
            return result;
        }

        /// <summary>The next handshake message, carrying <paramref name="payload"/>.</summary>
        public byte[] WriteMessage(byte[] payload)
        {
            return Run("noise_write_message", MaxMessage, (byte[] o, out UIntPtr w) => NoiseNative.hybridkem_noise_write_message(handle, payload, Len(payload), o, Len(o), out w));
        }

        /// <summary>Reads the peer's handshake message; returns its authenticated payload.</summary>
        public byte[] ReadMessage(byte[] message)
        {
            return Run("noise_read_message", MaxMessage, (byte[] o, out UIntPtr w) => NoiseNative.hybridkem_noise_read_message(handle, message, Len(message), o, Len(o), out w));
        }

        /// <summary>The handshake hash after the last message (32 or 64 bytes).</summary>
        public byte[] HandshakeHash()
        {
            return Run("noise_handshake_hash", 64, (byte[] o, out UIntPtr w) => NoiseNative.hybridkem_noise_handshake_hash(handle, o, Len(o), out w));
        }

        /// <summary>ENCRYPT(k, n, "", plaintext) with the sending cipher state.</summary>
        public byte[] Encrypt(byte[] plaintext)
        {
            return Run("noise_encrypt", plaintext.Length + 16, (byte[] o, out UIntPtr w) => NoiseNative.hybridkem_noise_encrypt(handle, plaintext, Len(plaintext), o, Len(o), out w));
        }

        /// <summary>DECRYPT with the receiving cipher state (ERR_CHANNEL_DECRYPT if it fails to authenticate).</summary>
        public byte[] Decrypt(byte[] ciphertext)
        {
            return Run("noise_decrypt", ciphertext.Length, (byte[] o, out UIntPtr w) => NoiseNative.hybridkem_noise_decrypt(handle, ciphertext, Len(ciphertext), o, Len(o), out w));
        }

        public void Dispose() { handle.Dispose(); }
    }
}
