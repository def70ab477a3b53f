using System;
using System.Collections.Generic;
using System.IO;
using System.Json;

namespace HybridKem.Tests
{
    /// <summary>Reads the published vectors (spec/vectors); expected values come from there.</summary>
    static class Vectors
    {
        public static string SpecDir
        {
            get
            {
                var env = Environment.GetEnvironmentVariable("HYBRIDKEM_SPEC_VECTORS");
                if (!string.IsNullOrEmpty(env)) return env;
                // build/ is native/bindings/csharp/build; spec/ is four levels up.
                var dir = AppDomain.CurrentDomain.BaseDirectory;
                return Path.GetFullPath(Path.Combine(dir, "..", "..", "..", "..", "spec", "vectors"));
            }
        }

        /// <summary>The published third-party vectors beside the repository
        /// (../shared/vectors, as the repository's own tests find them), or
        /// $HYBRIDKEM_SHARED_VECTORS.</summary>
        public static string SharedDir
        {
            get
            {
                var env = Environment.GetEnvironmentVariable("HYBRIDKEM_SHARED_VECTORS");
                if (!string.IsNullOrEmpty(env)) return env;
                return Path.GetFullPath(Path.Combine(SpecDir, "..", "..", "..", "shared", "vectors"));
            }
        }

        public static JsonValue LoadShared(string relative)
        {
            return JsonValue.Parse(File.ReadAllText(Path.Combine(SharedDir, relative)));
        }

        public static JsonValue Load(string relative)
        {
            return JsonValue.Parse(File.ReadAllText(Path.Combine(SpecDir, relative)));
        }

        public static byte[] Hex(string s)
        {
            if (s.Length % 2 != 0) throw new ArgumentException("odd hex");
            var b = new byte[s.Length / 2];
            for (int i = 0; i < b.Length; i++) b[i] = Convert.ToByte(s.Substring(2 * i, 2), 16);
            return b;
        }

        public static IEnumerable<string> KemFiles()
        {
            foreach (var f in Directory.GetFiles(SpecDir, "*.json"))
                if (Path.GetFileName(f) != "invalid.json") yield return Path.GetFileName(f);
        }

        public static IEnumerable<string> SignatureFiles()
        {
            foreach (var f in Directory.GetFiles(Path.Combine(SpecDir, "signatures"), "*.json"))
                yield return Path.Combine("signatures", Path.GetFileName(f));
        }
    }
}
