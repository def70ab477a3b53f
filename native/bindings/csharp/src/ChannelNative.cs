// P/Invoke declarations of the channel's C ABI (hybridkem_channel_*, native/src/channel/ffi.rs).
// P/Invoke binds each function on first call, so a library without the channel still serves the KEM.
using System;
using System.Runtime.InteropServices;

namespace HybridKem
{
    /// <summary>hybridkem_channel*: hybridkem_channel_free wipes keys and buffers and frees the channel.</summary>
    internal sealed class ChannelHandle : OwnedHandle
    {
        ChannelHandle() { }
        protected override void Free(IntPtr p) { ChannelNative.hybridkem_channel_free(p); }
    }

    internal static class ChannelNative
    {
        const string Lib = NativeMethods.Lib;
        const CallingConvention C = CallingConvention.Cdecl;
        internal const uint RoleInitiator = 0, RoleResponder = 1;
        internal const uint FlagEstablished = 1, FlagPeerClosed = 2, FlagSentClose = 4, FlagFailed = 8;

        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_new(uint role, uint patterns, byte[] entries, UIntPtr entriesLen, out ChannelHandle ch);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_set_keys(ChannelHandle ch, ushort suite, byte[] privateKey, UIntPtr privateKeyLen, byte[] remotePublicKey, UIntPtr remotePublicKeyLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_start(ChannelHandle ch);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_feed(ChannelHandle ch, byte[] data, UIntPtr len, out UIntPtr consumed);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_feed_end(ChannelHandle ch);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_write(ChannelHandle ch, byte[] data, UIntPtr len);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_rekey(ChannelHandle ch);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_close(ChannelHandle ch);
        /// <summary>The shape of take_output and read: copy up to cap queued bytes out.</summary>
        internal delegate int Drain(ChannelHandle ch, byte[] output, UIntPtr cap, out UIntPtr written);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_take_output(ChannelHandle ch, byte[] output, UIntPtr cap, out UIntPtr written);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_read(ChannelHandle ch, byte[] output, UIntPtr cap, out UIntPtr written);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_state(ChannelHandle ch, out uint flags, out UIntPtr outputLen, out UIntPtr plaintextLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_info(ChannelHandle ch, byte[] entry, byte[] hash, UIntPtr hashCap, out UIntPtr hashLen, byte[] remote, UIntPtr remoteCap, out UIntPtr remoteLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern int hybridkem_channel_pattern(ChannelHandle ch, out uint patternId);
        [DllImport(Lib, CallingConvention = C)] internal static extern void hybridkem_channel_free(IntPtr ch);
    }
}
