using System;
using System.Json;
using NUnit.Framework;

namespace HybridKem.Tests
{
    [TestFixture]
    public class WireVectorTests
    {
        public static string[] Files()
        {
            var l = new System.Collections.Generic.List<string>(Vectors.KemFiles());
            l.AddRange(Vectors.SignatureFiles());
            return l.ToArray();
        }

        static readonly string[] KemKinds = { "publicKey", "privateKey", "ciphertext" };
        static readonly string[] SigKinds = { "publicKey", "privateKey", "signature" };

        static Kind KindOf(bool sig, string name)
        {
            if (sig) return name == "publicKey" ? Kind.SigningPublicKey : name == "privateKey" ? Kind.SigningPrivateKey : Kind.Signature;
            return name == "publicKey" ? Kind.PublicKey : name == "privateKey" ? Kind.PrivateKey : Kind.Ciphertext;
        }

        static string RawField(bool sig, string name) { return name == "privateKey" ? "seed" : name; }

        [Test, TestCaseSource("Files")]
        public void EncodedArmoredAndKeyIdMatch(string file)
        {
            var doc = Vectors.Load(file);
            bool sig = file.StartsWith("signatures");
            ushort suiteId = (ushort)(int)doc["suiteId"];
            int n = 0;
            foreach (JsonValue v in (JsonArray)doc["vectors"])
            {
                foreach (var name in sig ? SigKinds : KemKinds)
                {
                    var kind = KindOf(sig, name);
                    var raw = Vectors.Hex(v[RawField(sig, name)]);
                    var encoded = Vectors.Hex(v["encoded"][name]);
                    CollectionAssert.AreEqual(encoded, WireFormat.Encode(kind, suiteId, raw), file + " encode " + name);
                    var o = WireFormat.Decode(encoded, kind);
                    CollectionAssert.AreEqual(raw, o.Body, file + " decode " + name);
                    Assert.AreEqual(suiteId, o.SuiteId);
                    Assert.AreEqual((string)v["armored"][name], Armor.Encode(encoded), file + " armor " + name);
                    CollectionAssert.AreEqual(raw, Armor.DecodeObject(v["armored"][name], kind).Body, file + " dearmor " + name);
                }
                Assert.AreEqual((string)v["keyId"], WireFormat.KeyId(Vectors.Hex(v["encoded"]["publicKey"])), file + " keyId");
                n++;
            }
            Assert.Greater(n, 0);
        }

        public static string[] InvalidCases()
        {
            var cases = (JsonArray)Vectors.Load("invalid.json")["cases"];
            var l = new string[cases.Count];
            for (int i = 0; i < cases.Count; i++) l[i] = (string)cases[i]["description"];
            return l;
        }

        [Test, TestCaseSource("InvalidCases")]
        public void InvalidCaseGivesTheTypeScriptCode(string description)
        {
            JsonValue c = null;
            foreach (JsonValue x in (JsonArray)Vectors.Load("invalid.json")["cases"])
                if ((string)x["description"] == description) c = x;
            var kind = KindOf(false, (string)c["kind"]);
            var ex = Assert.Throws<HybridKemException>(() =>
            {
                if (c.ContainsKey("armored")) Armor.DecodeObject(c["armored"], kind);
                else WireFormat.Decode(Vectors.Hex(c["hex"]), kind);
            });
            Assert.AreEqual((string)c["error"], ex.Code, description + ": " + ex.Message);
        }

        [Test]
        public void MultiRecipientSealedKindIsDefinedButNotAKemObject()
        {
            // spec §2: 0x09 (multi-recipient sealed message, §10) is a defined kind, so a KEM
            // decoder says ERR_WRONG_KIND; 0x0a is not defined: ERR_UNKNOWN_KIND.
            var nine = Assert.Throws<HybridKemException>(() => WireFormat.Decode(new byte[] { 1, 9, 0x64, 0x7a }, Kind.PublicKey));
            Assert.AreEqual("ERR_WRONG_KIND", nine.Code);
            var ten = Assert.Throws<HybridKemException>(() => WireFormat.Decode(new byte[] { 1, 10, 0x64, 0x7a }, Kind.PublicKey));
            Assert.AreEqual("ERR_UNKNOWN_KIND", ten.Code);
            Assert.AreEqual("ERR_UNKNOWN_KIND", Assert.Throws<HybridKemException>(() => Armor.Encode(new byte[] { 1, 10, 0, 0 })).Code);
            StringAssert.StartsWith("-----BEGIN HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE-----\n", Armor.Encode(new byte[] { 1, 9, 0, 0 }));
        }
    }
}
