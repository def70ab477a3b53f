using System;
using System.Runtime.InteropServices;

namespace HybridKem
{
    /// <summary>A failure with the TypeScript error code (packages/core/src/errors.ts)
    /// and, when it came from the C ABI, its numeric status. Never carries key or
    /// secret bytes: messages are built from status names and lengths only.</summary>
    public class HybridKemException : Exception
    {
        public string Code { get; private set; }
        public int NativeStatus { get; private set; }

        public HybridKemException(string code, string message) : this(code, -1, message) { }
        internal HybridKemException(string code, string message, Exception inner) : base(code + ": " + message, inner)
        {
            Code = code; NativeStatus = -1;
        }
        internal HybridKemException(string code, int status, string message) : base(code + ": " + message)
        {
            Code = code; NativeStatus = status;
        }

        /// <summary>C ABI status -> TypeScript code: spec/WIRE-FORMAT.md §9, the
        /// same table as TypeScript's @hybridkem/native and the Kotlin binding.</summary>
        public static string CodeForStatus(int status)
        {
            switch (status)
            {
                case 1: return "ERR_INVALID_ARGUMENT";        // NULL_POINTER
                case 2: return "ERR_UNKNOWN_SUITE";           // UNKNOWN_SUITE
                case 3: return "ERR_INVALID_LENGTH";          // INVALID_LENGTH
                case 4: return "ERR_INVALID_MLKEM_KEY";       // INVALID_PUBLIC_KEY
                case 5: return "ERR_INVALID_GROUP_ELEMENT";   // INVALID_GROUP_ELEMENT
                case 6: return "ERR_INVALID_SEED";            // NO_VALID_SCALAR
                case 10: return "ERR_CHANNEL_NEGOTIATION";    // CHANNEL_NEGOTIATION
                case 11: return "ERR_CHANNEL_HANDSHAKE";      // CHANNEL_HANDSHAKE
                case 12: return "ERR_CHANNEL_PEER_KEY";       // CHANNEL_PEER_KEY
                case 13: return "ERR_CHANNEL_DECRYPT";        // CHANNEL_DECRYPT
                case 14: return "ERR_CHANNEL_TRUNCATED";      // CHANNEL_TRUNCATED
                case 15: return "ERR_CHANNEL_PROTOCOL";       // CHANNEL_PROTOCOL
                case 16: return "ERR_CHANNEL_CLOSED";         // CHANNEL_CLOSED
                // STRUCT_SIZE (7), RANDOM (8), INTERNAL (9) and any status this
                // binding does not know: the core failed, not the caller's input.
                default: return "ERR_NATIVE";
            }
        }

        /// <summary>The exception Check throws for a non-OK status: a
        /// NativeFailureException for ERR_NATIVE, a HybridKemException otherwise.</summary>
        public static HybridKemException FromStatus(int status, string operation)
        {
            string name = NameOfStatus(status);
            string code = CodeForStatus(status);
            if (code == "ERR_NATIVE") return new NativeFailureException(status, name, operation);
            if (status >= 10 && status <= 16) return new ChannelException(code, status, operation + " failed with " + name + " (" + status + ")");
            return new HybridKemException(code, status, operation + " failed with " + name + " (" + status + ")");
        }

        internal static string NameOfStatus(int status)
        {
            return Marshal.PtrToStringAnsi(NativeMethods.hybridkem_status_name(status));
        }

        internal static void Check(int status, string operation)
        {
            if (status == 0) return;
            throw FromStatus(status, operation);
        }
    }

    /// <summary>The C ABI returned STRUCT_SIZE, RANDOM, INTERNAL or a status this
    /// binding does not know: code ERR_NATIVE, as Kotlin's NativeFailureException
    /// and TypeScript's NativeCoreError.</summary>
    public sealed class NativeFailureException : HybridKemException
    {
        /// <summary>The library's name for the status, e.g. "HYBRIDKEM_ERR_RANDOM".</summary>
        public string StatusName { get; private set; }

        internal NativeFailureException(int status, string statusName, string operation)
            : base("ERR_NATIVE", status, operation + " failed with " + statusName + " (" + status + ")")
        {
            StatusName = statusName;
        }
    }

    /// <summary>A failure of the Noise channel (spec/TRANSPORT.md §6.6): Code is one of
    /// ERR_CHANNEL_NEGOTIATION, _HANDSHAKE, _PEER_KEY, _DECRYPT, _TRUNCATED, _PROTOCOL, _CLOSED
    /// (C ABI statuses 10-16, or the stream under a Channel failing: ERR_CHANNEL_TRUNCATED).
    /// After one the channel is dead: later calls are ERR_CHANNEL_CLOSED.</summary>
    public class ChannelException : HybridKemException
    {
        internal ChannelException(string code, int status, string message) : base(code, status, message) { }
        internal ChannelException(string code, string message) : base(code, -1, message) { }
        internal ChannelException(string code, string message, Exception inner) : base(code, message, inner) { }
    }
}
