using System;
using System.Runtime.InteropServices;

namespace HybridKem
{
    /// <summary>A failure with the TypeScript error code (packages/core/src/errors.ts)
    /// and, when it came from the C ABI, its numeric status. Never carries key or
    /// secret bytes: messages are built from status names and lengths only.</summary>
    public sealed class HybridKemException : Exception
    {
        public string Code { get; private set; }
        public int NativeStatus { get; private set; }

        public HybridKemException(string code, string message) : this(code, -1, message) { }
        HybridKemException(string code, int status, string message) : base(code + ": " + message)
        {
            Code = code; NativeStatus = status;
        }

        /// <summary>C ABI status -> TypeScript code (the table in README.md).</summary>
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
                case 7: return "ERR_BACKEND_UNAVAILABLE";     // STRUCT_SIZE
                case 8: return "ERR_BACKEND_UNAVAILABLE";     // RANDOM
                default: return "ERR_BACKEND_UNAVAILABLE";    // INTERNAL, unknown
            }
        }

        internal static string StatusName(int status)
        {
            return Marshal.PtrToStringAnsi(NativeMethods.hybridkem_status_name(status));
        }

        internal static void Check(int status, string operation)
        {
            if (status == 0) return;
            throw new HybridKemException(CodeForStatus(status), status,
                operation + " failed with " + StatusName(status) + " (" + status + ")");
        }
    }
}
