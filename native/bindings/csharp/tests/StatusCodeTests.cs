using System;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace HybridKem.Tests
{
    /// <summary>spec/WIRE-FORMAT.md §9: every C ABI status and the code it becomes.
    /// The expected codes are written out here (the same table TypeScript's and
    /// Kotlin's tests assert), so a changed mapping fails.</summary>
    [TestFixture]
    public class StatusCodeTests
    {
        [TestCase(1, "ERR_INVALID_ARGUMENT")]
        [TestCase(2, "ERR_UNKNOWN_SUITE")]
        [TestCase(3, "ERR_INVALID_LENGTH")]
        [TestCase(4, "ERR_INVALID_MLKEM_KEY")]
        [TestCase(5, "ERR_INVALID_GROUP_ELEMENT")]
        [TestCase(6, "ERR_INVALID_SEED")]
        [TestCase(7, "ERR_NATIVE")]
        [TestCase(8, "ERR_NATIVE")]
        [TestCase(9, "ERR_NATIVE")]
        [TestCase(10, "ERR_CHANNEL_NEGOTIATION")]
        [TestCase(11, "ERR_CHANNEL_HANDSHAKE")]
        [TestCase(12, "ERR_CHANNEL_PEER_KEY")]
        [TestCase(13, "ERR_CHANNEL_DECRYPT")]
        [TestCase(14, "ERR_CHANNEL_TRUNCATED")]
        [TestCase(15, "ERR_CHANNEL_PROTOCOL")]
        [TestCase(16, "ERR_CHANNEL_CLOSED")]
        [TestCase(17, "ERR_NATIVE")]
        [TestCase(-1, "ERR_NATIVE")]
        public void StatusMapsToCode(int status, string code)
        {
            Assert.AreEqual(code, HybridKemException.CodeForStatus(status));
            var ex = HybridKemException.FromStatus(status, "op");
            Assert.AreEqual(code, ex.Code);
            Assert.AreEqual(status, ex.NativeStatus);
            Assert.AreEqual(code == "ERR_NATIVE", ex is NativeFailureException, "NativeFailureException exactly for ERR_NATIVE");
            Assert.AreEqual(status >= 10 && status <= 16, ex is ChannelException, "ChannelException exactly for 10-16");
        }

        [TestCase(7, "HYBRIDKEM_ERR_STRUCT_SIZE")]
        [TestCase(8, "HYBRIDKEM_ERR_RANDOM")]
        [TestCase(9, "HYBRIDKEM_ERR_INTERNAL")]
        [TestCase(42, "HYBRIDKEM_ERR_UNKNOWN_STATUS")]
        public void NativeFailureNamesTheStatus(int status, string name)
        {
            var ex = (NativeFailureException)HybridKemException.FromStatus(status, "sig_sign");
            Assert.AreEqual(name, ex.StatusName);
            Assert.AreEqual("ERR_NATIVE: sig_sign failed with " + name + " (" + status + ")", ex.Message);
        }

        // The library itself returning STRUCT_SIZE (a struct_size it does not know):
        // declared here because the binding's own P/Invoke always passes the right size.
        [StructLayout(LayoutKind.Sequential)]
        struct TooSmall { public uint StructSize; }
        [DllImport("hybridkem_native", CallingConvention = CallingConvention.Cdecl)]
        static extern int hybridkem_suite_info_get(ushort id, ref TooSmall info);

        [Test]
        public void StructSizeFromTheLibraryIsErrNative()
        {
            var info = new TooSmall { StructSize = 4 };
            int status = hybridkem_suite_info_get((ushort)Suite.XWing, ref info);
            Assert.AreEqual(7, status, "HYBRIDKEM_ERR_STRUCT_SIZE");
            var ex = HybridKemException.FromStatus(status, "suite_info_get");
            Assert.IsInstanceOf<NativeFailureException>(ex);
            Assert.AreEqual("ERR_NATIVE", ex.Code);
        }
    }
}
