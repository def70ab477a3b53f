using System.Collections.Generic;
using System.Json;
using NUnit.Framework;

namespace HybridKem.Tests
{
    /// <summary>The KEM part of draft-ietf-hpke-pq's vectors (hpkewg/hpke-pq,
    /// published copy in ../shared/vectors) through the C ABI: skRm is the
    /// suite's private key, ikmE its encapsulation randomness
    /// (spec/WIRE-FORMAT.md §1.1, §1.4), for the six suites with an HPKE KEM id.</summary>
    [TestFixture]
    public class HpkePqVectorTests
    {
        static readonly Suite[] WithHpkeIds =
        {
            Suite.XWing, Suite.HpkeMLKEM768P256, Suite.HpkeMLKEM1024P384,
            Suite.MLKEM768, Suite.MLKEM1024, Suite.DhkemX25519HkdfSha256,
        };

        [Test]
        public void ReproducesTheKemVectorsOfEverySuiteWithAnHpkeId()
        {
            var seen = new HashSet<Suite>();
            foreach (JsonValue v in (JsonArray)Vectors.LoadShared("hpke-pq/test-vectors.json"))
            {
                var suite = (Suite)(ushort)(int)v["kem_id"];
                if (System.Array.IndexOf(WithHpkeIds, suite) < 0) continue;
                seen.Add(suite);
                string what = suite + " (kem_id " + (int)v["kem_id"] + ")";
                var pkR = Vectors.Hex(v["pkRm"]);
                var expected = Vectors.Hex(v["shared_secret"]);
                using (var sk = Secret.FromBytes(Vectors.Hex(v["skRm"])))
                {
                    CollectionAssert.AreEqual(pkR, Kem.DerivePublicKey(suite, sk), what + " pkRm");
                    using (var enc = Kem.EncapsulateDerandomized(suite, pkR, Vectors.Hex(v["ikmE"])))
                    {
                        CollectionAssert.AreEqual(Vectors.Hex(v["enc"]), enc.Ciphertext, what + " enc");
                        Assert.IsTrue(enc.SharedSecret.ContentEquals(expected), what + " shared_secret (encapsulate)");
                    }
                    using (var ss = Kem.Decapsulate(suite, sk, Vectors.Hex(v["enc"])))
                        Assert.IsTrue(ss.ContentEquals(expected), what + " shared_secret (decapsulate)");
                }
            }
            CollectionAssert.AreEquivalent(WithHpkeIds, seen);
        }

        [Test]
        public void SingleAlgorithmSuiteSizesAreTheSpecs()
        {
            // spec/WIRE-FORMAT.md §1's rows (§1.4): public key, private key, ciphertext, randomness.
            var want = new Dictionary<Suite, int[]>
            {
                { Suite.MLKEM768, new[] { 1184, 64, 1088, 32 } },
                { Suite.MLKEM1024, new[] { 1568, 64, 1568, 32 } },
                { Suite.DhkemX25519HkdfSha256, new[] { 32, 32, 32, 32 } },
            };
            foreach (var kv in want)
            {
                var i = SuiteInfo.Of(kv.Key);
                CollectionAssert.AreEqual(kv.Value, new[] { i.PublicKeyLength, i.PrivateKeyLength, i.CiphertextLength, i.RandomnessLength }, kv.Key.ToString());
            }
        }
    }
}
