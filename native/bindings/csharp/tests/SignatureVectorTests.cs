using System;
using System.Collections.Generic;
using System.Json;
using NUnit.Framework;

namespace HybridKem.Tests
{
    [TestFixture]
    public class SignatureVectorTests
    {
        /// <summary>One entry of a signature vector file, its byte fields decoded.</summary>
        sealed class Entry
        {
            public JsonValue Json;
            public byte[] Seed, PublicKey, Message, Context, Signature;
        }

        static IEnumerable<Entry> Entries(JsonValue doc)
        {
            foreach (JsonValue v in (JsonArray)doc["vectors"])
                yield return new Entry
                {
                    Json = v, Seed = Vectors.Hex(v["seed"]), PublicKey = Vectors.Hex(v["publicKey"]),
                    Message = Vectors.Hex(v["message"]), Context = Vectors.Hex(v["context"]), Signature = Vectors.Hex(v["signature"]),
                };
        }

        public static string[] Files() { return new System.Collections.Generic.List<string>(Vectors.SignatureFiles()).ToArray(); }

        [Test, TestCaseSource("Files")]
        public void ReproducesPublishedSignatures(string file)
        {
            var doc = Vectors.Load(file);
            var suite = (SignatureSuite)(ushort)(int)doc["suiteId"];
            bool deterministic = doc.ContainsKey("deterministic") && (bool)doc["deterministic"];
            int n = 0;
            foreach (var e in Entries(doc))
            {
                using (var sk = Secret.FromBytes(e.Seed))
                {
                    CollectionAssert.AreEqual(e.PublicKey, CompositeSignature.DerivePublicKey(suite, sk), file + " publicKey");
                    if (deterministic)
                        CollectionAssert.AreEqual(e.Signature, CompositeSignature.Sign(suite, sk, e.Message, e.Context, new byte[32]), file + " signature");
                    var fresh = CompositeSignature.Sign(suite, sk, e.Message, e.Context);
                    Assert.IsTrue(CompositeSignature.Verify(suite, e.PublicKey, e.Message, e.Context, fresh).Valid, file + " hedged signature verifies");
                }
                var verdict = CompositeSignature.Verify(suite, e.PublicKey, e.Message, e.Context, e.Signature);
                Assert.IsTrue(verdict.MLDSAValid && verdict.EdDSAValid, file + " published signature verifies");
                // Flip one bit in the EdDSA half: ML-DSA stays valid, EdDSA fails.
                var tampered = (byte[])e.Signature.Clone();
                tampered[tampered.Length - 1] ^= 1;
                var bad = CompositeSignature.Verify(suite, e.PublicKey, e.Message, e.Context, tampered);
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
            foreach (var e in Entries(doc))
            {
                var v = e.Json;
                Assert.AreEqual((string)v["pem"]["publicKey"], Pkix.Pem("PUBLIC KEY", Pkix.SubjectPublicKeyInfo(suite, e.PublicKey)), file + " SPKI PEM");
                using (var sk = Secret.FromBytes(e.Seed))
                using (var der = Pkix.PrivateKeyInfo(suite, sk))
                    Assert.AreEqual((string)v["pem"]["privateKey"], Pkix.Pem("PRIVATE KEY", der.ToArray()), file + " PKCS#8 PEM");

                // One byte changed in the ML-DSA half: only the ML-DSA verdict drops.
                var badMldsa = (byte[])e.Signature.Clone();
                badMldsa[0] ^= 1;
                var bad = CompositeSignature.Verify(suite, e.PublicKey, e.Message, e.Context, badMldsa);
                Assert.IsFalse(bad.MLDSAValid, file + " ML-DSA verdict");
                Assert.IsTrue(bad.EdDSAValid, file + " EdDSA verdict unaffected");
                var longer = new byte[e.Message.Length + 1];
                Buffer.BlockCopy(e.Message, 0, longer, 0, e.Message.Length);
                longer[e.Message.Length] = 1;
                Assert.IsFalse(CompositeSignature.Verify(suite, e.PublicKey, longer, e.Context, e.Signature).Valid, file + " changed message");

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
