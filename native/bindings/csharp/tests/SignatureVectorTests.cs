using System;
using System.Json;
using NUnit.Framework;

namespace HybridKem.Tests
{
    [TestFixture]
    public class SignatureVectorTests
    {
        public static string[] Files() { return new System.Collections.Generic.List<string>(Vectors.SignatureFiles()).ToArray(); }

        [Test, TestCaseSource("Files")]
        public void ReproducesPublishedSignatures(string file)
        {
            var doc = Vectors.Load(file);
            var suite = (SignatureSuite)(ushort)(int)doc["suiteId"];
            bool deterministic = doc.ContainsKey("deterministic") && (bool)doc["deterministic"];
            int n = 0;
            foreach (JsonValue v in (JsonArray)doc["vectors"])
            {
                var msg = Vectors.Hex(v["message"]);
                var ctx = Vectors.Hex(v["context"]);
                var sigBytes = Vectors.Hex(v["signature"]);
                var pkBytes = Vectors.Hex(v["publicKey"]);
                using (var sk = Secret.FromBytes(Vectors.Hex(v["seed"])))
                {
                    CollectionAssert.AreEqual(pkBytes, CompositeSignature.DerivePublicKey(suite, sk), file + " publicKey");
                    if (deterministic)
                        CollectionAssert.AreEqual(sigBytes, CompositeSignature.Sign(suite, sk, msg, ctx, new byte[32]), file + " signature");
                    var fresh = CompositeSignature.Sign(suite, sk, msg, ctx);
                    Assert.IsTrue(CompositeSignature.Verify(suite, pkBytes, msg, ctx, fresh).Valid, file + " hedged signature verifies");
                }
                var verdict = CompositeSignature.Verify(suite, pkBytes, msg, ctx, sigBytes);
                Assert.IsTrue(verdict.MLDSAValid && verdict.EdDSAValid, file + " published signature verifies");
                // Flip one bit in the EdDSA half: ML-DSA stays valid, EdDSA fails.
                var tampered = (byte[])sigBytes.Clone();
                tampered[tampered.Length - 1] ^= 1;
                var bad = CompositeSignature.Verify(suite, pkBytes, msg, ctx, tampered);
                Assert.IsTrue(bad.MLDSAValid, file + " ML-DSA verdict unaffected");
                Assert.IsFalse(bad.EdDSAValid, file + " EdDSA verdict");
                Assert.IsFalse(bad.Valid);
                n++;
            }
            Assert.Greater(n, 0);
        }
    }
}
