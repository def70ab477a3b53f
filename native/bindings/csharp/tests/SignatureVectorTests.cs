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

        /// <summary>What the Kotlin binding checks beyond the raw bytes (its
        /// SignatureVectorsTest): the file's suite name and OID, the published
        /// SPKI / PKCS#8 PEM of every key, the other component's verdict for a
        /// change in the ML-DSA half, a changed message, and a KEM decoder refusing
        /// a signing object. (Encoded objects, armor and key ids: WireVectorTests.)</summary>
        [Test, TestCaseSource("Files")]
        public void PemPkixAndVerdictsMatch(string file)
        {
            var doc = Vectors.Load(file);
            var suite = (SignatureSuite)(ushort)(int)doc["suiteId"];
            Assert.AreEqual((string)doc["suite"], SignatureSuiteInfo.Of(suite).Name, file + " suite name");
            Assert.AreEqual((string)doc["oid"], Pkix.Oid(suite), file + " OID");
            int n = 0;
            foreach (JsonValue v in (JsonArray)doc["vectors"])
            {
                var pk = Vectors.Hex(v["publicKey"]);
                var msg = Vectors.Hex(v["message"]);
                var ctx = Vectors.Hex(v["context"]);
                var sig = Vectors.Hex(v["signature"]);
                Assert.AreEqual((string)v["pem"]["publicKey"], Pkix.Pem("PUBLIC KEY", Pkix.SubjectPublicKeyInfo(suite, pk)), file + " SPKI PEM");
                using (var sk = Secret.FromBytes(Vectors.Hex(v["seed"])))
                using (var der = Pkix.PrivateKeyInfo(suite, sk))
                    Assert.AreEqual((string)v["pem"]["privateKey"], Pkix.Pem("PRIVATE KEY", der.ToArray()), file + " PKCS#8 PEM");

                // One byte changed in the ML-DSA half: only the ML-DSA verdict drops.
                var badMldsa = (byte[])sig.Clone();
                badMldsa[0] ^= 1;
                var bad = CompositeSignature.Verify(suite, pk, msg, ctx, badMldsa);
                Assert.IsFalse(bad.MLDSAValid, file + " ML-DSA verdict");
                Assert.IsTrue(bad.EdDSAValid, file + " EdDSA verdict unaffected");
                var longer = new byte[msg.Length + 1];
                Buffer.BlockCopy(msg, 0, longer, 0, msg.Length);
                longer[msg.Length] = 1;
                Assert.IsFalse(CompositeSignature.Verify(suite, pk, longer, ctx, sig).Valid, file + " changed message");

                // A KEM decoder refuses a signing object (§6.3).
                var encodedPk = Vectors.Hex(v["encoded"]["publicKey"]);
                var ex = Assert.Throws<HybridKemException>(() => WireFormat.Decode(encodedPk, Kind.PublicKey));
                Assert.AreEqual("ERR_WRONG_KIND", ex.Code, file);
                n++;
            }
            Assert.Greater(n, 0);
        }
    }
}
