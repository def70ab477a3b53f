using System;
using System.Linq;
using NUnit.Framework;

namespace HybridKem.Tests
{
    [TestFixture]
    public class SuiteTests
    {
        [Test]
        public void EnumMatchesTheCAbiSuiteTable()
        {
            var native = SuiteInfo.NativeSuiteIds().OrderBy(x => x).ToArray();
            var managed = Enum.GetValues(typeof(Suite)).Cast<Suite>().Select(s => (ushort)s).OrderBy(x => x).ToArray();
            CollectionAssert.AreEqual(native, managed);
        }

        [Test]
        public void RandomRoundTripOnEverySuite()
        {
            foreach (Suite suite in Enum.GetValues(typeof(Suite)))
                using (var sk = Kem.GeneratePrivateKey(suite))
                {
                    var pk = Kem.DerivePublicKey(suite, sk);
                    using (var enc = Kem.Encapsulate(suite, pk))
                    using (var ss = Kem.Decapsulate(suite, sk, enc.Ciphertext))
                        Assert.IsTrue(ss.ContentEquals(enc.SharedSecret.ToArray()), suite.ToString());
                }
        }

        [Test]
        public void WrongLengthIsErrInvalidLength()
        {
            var ex = Assert.Throws<HybridKemException>(() => Kem.Encapsulate(Suite.XWing, new byte[5]));
            Assert.AreEqual("ERR_INVALID_LENGTH", ex.Code);
        }

        [Test]
        public void NativeStatusMapsToTypeScriptCode()
        {
            // A suite id the C ABI does not know reaches the library: status 2.
            var ex = Assert.Throws<HybridKemException>(() => SuiteInfo.Of((Suite)0x1234));
            Assert.AreEqual("ERR_UNKNOWN_SUITE", ex.Code);
            Assert.AreEqual(2, ex.NativeStatus);
        }

        [Test]
        public void DisposedSecretIsWipedAndUnusable()
        {
            var s = Kem.GeneratePrivateKey(Suite.XWing);
            s.Dispose();
            Assert.Throws<ObjectDisposedException>(() => s.ToArray());
        }
    }
}
