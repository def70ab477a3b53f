using System;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;

namespace HybridKem.Tests
{
    /// <summary>Round trips with TypeScript (@hybridkem/core + @hybridkem/noble)
    /// through armored files: TS keys, C# encapsulates, TS decapsulates, and the reverse.</summary>
    [TestFixture]
    public class CrossLanguageTests
    {
        string dir;
        static string Here { get { return Path.GetFullPath(Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "..")); } }

        [SetUp] public void MakeDir() { dir = Path.Combine(Path.GetTempPath(), "hybridkem-cs-" + Guid.NewGuid().ToString("N")); Directory.CreateDirectory(dir); }
        [TearDown] public void RemoveDir() { Directory.Delete(dir, true); }

        static void Node(params string[] args)
        {
            var node = Environment.GetEnvironmentVariable("HYBRIDKEM_NODE");
            if (string.IsNullOrEmpty(node)) node = "node";
            var psi = new ProcessStartInfo(node, "\"" + Path.Combine(Here, "..", "interop", "ts-side.mjs") + "\" " + string.Join(" ", Array.ConvertAll(args, a => "\"" + a + "\"")))
            { UseShellExecute = false, RedirectStandardError = true, WorkingDirectory = Here };
            using (var p = Process.Start(psi))
            {
                string err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                Assert.AreEqual(0, p.ExitCode, "node ts-side.mjs " + args[0] + ": " + err);
            }
        }

        public static string[] Suites() { return new[] { "X-Wing", "X25519-MLKEM768", "MLKEM1024-P384" }; }

        [Test, TestCaseSource("Suites")]
        public void TypeScriptKeyCSharpEncapsulatesTypeScriptDecapsulates(string suiteName)
        {
            Node("keygen", suiteName, dir);
            var pub = Armor.DecodeObject(File.ReadAllText(Path.Combine(dir, "ts.pub")), Kind.PublicKey);
            Assert.AreEqual(suiteName, SuiteInfo.Of((Suite)pub.SuiteId).Name);
            using (var enc = Kem.Encapsulate((Suite)pub.SuiteId, pub.Body))
            {
                File.WriteAllText(Path.Combine(dir, "cs.ct"), Armor.Encode(WireFormat.Encode(Kind.Ciphertext, pub.SuiteId, enc.Ciphertext)));
                Node("decapsulate", Path.Combine(dir, "ts.key"), Path.Combine(dir, "cs.ct"), Path.Combine(dir, "ts.out"));
                Assert.IsTrue(enc.SharedSecret.ContentEquals(Vectors.Hex(File.ReadAllText(Path.Combine(dir, "ts.out")).Trim())), "TS decapsulated another secret");
            }
        }

        [Test, TestCaseSource("Suites")]
        public void CSharpKeyTypeScriptEncapsulatesCSharpDecapsulates(string suiteName)
        {
            Suite suite = Suite.XWing;
            foreach (Suite s in Enum.GetValues(typeof(Suite))) if (SuiteInfo.Of(s).Name == suiteName) suite = s;
            using (var sk = Kem.GeneratePrivateKey(suite))
            {
                var pk = Kem.DerivePublicKey(suite, sk);
                File.WriteAllText(Path.Combine(dir, "cs.pub"), Armor.Encode(WireFormat.Encode(Kind.PublicKey, (ushort)suite, pk)));
                Node("encapsulate", Path.Combine(dir, "cs.pub"), dir);
                var ct = Armor.DecodeObject(File.ReadAllText(Path.Combine(dir, "ts.ct")), Kind.Ciphertext);
                Assert.AreEqual((ushort)suite, ct.SuiteId);
                using (var ss = Kem.Decapsulate(suite, sk, ct.Body))
                    Assert.IsTrue(ss.ContentEquals(Vectors.Hex(File.ReadAllText(Path.Combine(dir, "ts.ss")).Trim())), "C# decapsulated another secret");
            }
        }
    }
}
