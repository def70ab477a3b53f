using System;
using System.Json;
using NUnit.Framework;

namespace HybridKem.Tests
{
    [TestFixture]
    public class KemVectorTests
    {
        public static string[] Files() { return new System.Collections.Generic.List<string>(Vectors.KemFiles()).ToArray(); }

        [Test]
        public void EverySuiteHasAVectorFile()
        {
            Assert.AreEqual(SuiteInfo.NativeSuiteIds().Count, Files().Length);
        }

        [Test, TestCaseSource("Files")]
        public void ReproducesPublishedVectors(string file)
        {
            var doc = Vectors.Load(file);
            var suite = (Suite)(ushort)(int)doc["suiteId"];
            Assert.AreEqual((string)doc["suite"], SuiteInfo.Of(suite).Name);
            int n = 0;
            foreach (JsonValue v in (JsonArray)doc["vectors"])
            {
                using (var sk = Secret.FromBytes(Vectors.Hex(v["seed"])))
                {
                    var pk = Kem.DerivePublicKey(suite, sk);
                    CollectionAssert.AreEqual(Vectors.Hex(v["publicKey"]), pk, file + " publicKey");
                    using (var enc = Kem.EncapsulateDerandomized(suite, pk, Vectors.Hex(v["randomness"])))
                    {
                        CollectionAssert.AreEqual(Vectors.Hex(v["ciphertext"]), enc.Ciphertext, file + " ciphertext");
                        Assert.IsTrue(enc.SharedSecret.ContentEquals(Vectors.Hex(v["sharedSecret"])), file + " encapsulated secret");
                    }
                    using (var ss = Kem.Decapsulate(suite, sk, Vectors.Hex(v["ciphertext"])))
                        Assert.IsTrue(ss.ContentEquals(Vectors.Hex(v["sharedSecret"])), file + " decapsulated secret");
                    using (var key = ExpandedPrivateKey.Import(suite, sk))
                    using (var ss = key.Decapsulate(Vectors.Hex(v["ciphertext"])))
                        Assert.IsTrue(ss.ContentEquals(Vectors.Hex(v["sharedSecret"])), file + " expanded-key secret");
                }
                n++;
            }
            Assert.Greater(n, 0, "no vectors in " + file);
        }
    }
}
