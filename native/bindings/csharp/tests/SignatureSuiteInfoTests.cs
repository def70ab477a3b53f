using System;
using System.Linq;
using NUnit.Framework;

namespace HybridKem.Tests
{
    /// <summary>The composite suites' sizes, read from hybridkem_sig_suite_info_get,
    /// against the published values written out here: FIPS 204 Table 2 (ML-DSA
    /// public key / signature) plus RFC 8032 (Ed25519 32/64, Ed448 57/114), the
    /// private key a 32-byte ML-DSA seed ‖ the EdDSA seed
    /// (draft-ietf-lamps-pq-composite-sigs, spec/WIRE-FORMAT.md §6.1). A wrong
    /// table in the library or in the binding fails here.</summary>
    [TestFixture]
    public class SignatureSuiteInfoTests
    {
        [TestCase(SignatureSuite.MLDSA44Ed25519SHA512, "MLDSA44-Ed25519-SHA512", 64, 1344, 2484)]
        [TestCase(SignatureSuite.MLDSA65Ed25519SHA512, "MLDSA65-Ed25519-SHA512", 64, 1984, 3373)]
        [TestCase(SignatureSuite.MLDSA87Ed448SHAKE256, "MLDSA87-Ed448-SHAKE256", 89, 2649, 4741)]
        public void SizesAreThePublishedOnes(SignatureSuite suite, string name, int sk, int pk, int sig)
        {
            var info = SignatureSuiteInfo.Of(suite);
            Assert.AreEqual(suite, info.Suite);
            Assert.AreEqual(name, info.Name);
            Assert.AreEqual(sk, info.PrivateKeyLength, "private key");
            Assert.AreEqual(pk, info.PublicKeyLength, "public key");
            Assert.AreEqual(sig, info.SignatureLength, "signature");
            Assert.AreEqual(255, info.MaxContextLength, "context");
            Assert.AreEqual(32, info.RndLength, "rnd");
            Assert.AreEqual(sk, CompositeSignature.PrivateKeyLength(suite));
            Assert.AreEqual(pk, CompositeSignature.PublicKeyLength(suite));
            Assert.AreEqual(sig, CompositeSignature.SignatureLength(suite));
        }

        [Test]
        public void SizesAgreeWithTheVectorFiles()
        {
            int files = 0;
            foreach (var file in Vectors.SignatureFiles())
            {
                var doc = Vectors.Load(file);
                var info = SignatureSuiteInfo.Of((SignatureSuite)(ushort)(int)doc["suiteId"]);
                Assert.AreEqual((string)doc["suite"], info.Name, file);
                var v = doc["vectors"][0];
                Assert.AreEqual(Vectors.Hex(v["seed"]).Length, info.PrivateKeyLength, file);
                Assert.AreEqual(Vectors.Hex(v["publicKey"]).Length, info.PublicKeyLength, file);
                Assert.AreEqual(Vectors.Hex(v["signature"]).Length, info.SignatureLength, file);
                files++;
            }
            Assert.AreEqual(3, files);
        }

        [Test]
        public void UnknownSuiteIsErrUnknownSuite()
        {
            // A KEM suite id is not a signature suite: status 2 from the library.
            var ex = Assert.Throws<HybridKemException>(() => SignatureSuiteInfo.Of((SignatureSuite)0x647a));
            Assert.AreEqual("ERR_UNKNOWN_SUITE", ex.Code);
            Assert.AreEqual(2, ex.NativeStatus);
        }

        [Test]
        public void ContextAndRndLengthsAreChecked()
        {
            using (var sk = CompositeSignature.GeneratePrivateKey(SignatureSuite.MLDSA44Ed25519SHA512))
            {
                var m = new byte[] { 1 };
                Assert.AreEqual("ERR_INVALID_LENGTH", Assert.Throws<HybridKemException>(() =>
                    CompositeSignature.Sign(SignatureSuite.MLDSA44Ed25519SHA512, sk, m, new byte[256])).Code);
                Assert.AreEqual("ERR_INVALID_LENGTH", Assert.Throws<HybridKemException>(() =>
                    CompositeSignature.Sign(SignatureSuite.MLDSA44Ed25519SHA512, sk, m, null, new byte[31])).Code);
                Assert.AreEqual(2484, CompositeSignature.Sign(SignatureSuite.MLDSA44Ed25519SHA512, sk, m, new byte[255]).Length);
            }
        }
    }
}
