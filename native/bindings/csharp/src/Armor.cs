using System;
using System.Text;
using System.Text.RegularExpressions;

namespace HybridKem
{
    /// <summary>Text armor (spec/WIRE-FORMAT.md §3): RFC 7468 strict, 64-character
    /// lines, canonical base64, label matching the kind byte.</summary>
    public static class Armor
    {
        const int Line = 64;
        /// <summary>Largest armored text read (the TypeScript bound).</summary>
        public const int MaxArmoredLength = 16384;

        static readonly string[] Labels = {
            null, "HYBRIDKEM PUBLIC KEY", "HYBRIDKEM PRIVATE KEY", "HYBRIDKEM CIPHERTEXT", "HYBRIDKEM SEALED MESSAGE",
            "HYBRIDKEM SIGNING PUBLIC KEY", "HYBRIDKEM SIGNING PRIVATE KEY", "HYBRIDKEM SIGNATURE", "HYBRIDKEM ENCRYPTED PRIVATE KEY",
            "HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE", "HYBRIDKEM MESH KEY ENVELOPE", "HYBRIDKEM MESH DIRECTORY RECORD",
            "HYBRIDKEM MESH PSK EXCHANGE",
        };
        static readonly Regex Begin = new Regex("^-----BEGIN ([A-Z ]+)-----$");
        static readonly Regex End = new Regex("^-----END ([A-Z ]+)-----$");
        static readonly Regex B64 = new Regex("^[A-Za-z0-9+/=]+$");

        public static string Encode(byte[] encoded)
        {
            if (encoded == null || encoded.Length < WireFormat.HeaderLength) throw new HybridKemException("ERR_ARMOR", "object is shorter than its header");
            if (!Enum.IsDefined(typeof(Kind), encoded[1])) throw new HybridKemException("ERR_UNKNOWN_KIND", "kind byte 0x" + encoded[1].ToString("x2"));
            string label = Labels[encoded[1]];
            string b64 = Convert.ToBase64String(encoded);
            var sb = new StringBuilder();
            sb.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int i = 0; i < b64.Length; i += Line) sb.Append(b64, i, Math.Min(Line, b64.Length - i)).Append('\n');
            sb.Append("-----END ").Append(label).Append("-----\n");
            return sb.ToString();
        }

        /// <summary>Armored text -> encoded bytes; then decode with WireFormat.Decode.</summary>
        public static byte[] Decode(string text, out Kind kind)
        {
            if (text == null) throw new HybridKemException("ERR_ARMOR", "expected a string");
            if (text.Length > MaxArmoredLength) throw new HybridKemException("ERR_ARMOR", "text is " + text.Length + " characters, more than any object needs");
            // Surrounding whitespace is ASCII's (spec §3), not Trim()'s Unicode set.
            var lines = Regex.Split(text.Trim(' ', '\t', '\r', '\n'), "\r?\n");
            if (lines.Length < 3) throw new HybridKemException("ERR_ARMOR", "expected BEGIN and END lines around the base64");
            var b = Begin.Match(lines[0]); var e = End.Match(lines[lines.Length - 1]);
            if (!b.Success || !e.Success) throw new HybridKemException("ERR_ARMOR", "expected BEGIN and END lines around the base64");
            if (b.Groups[1].Value != e.Groups[1].Value) throw new HybridKemException("ERR_ARMOR", "BEGIN and END labels differ");
            int k = Array.IndexOf(Labels, b.Groups[1].Value);
            if (k < 1) throw new HybridKemException("ERR_ARMOR", "unknown label");
            kind = (Kind)k;
            var sb = new StringBuilder();
            for (int i = 1; i < lines.Length - 1; i++)
            {
                bool last = i == lines.Length - 2;
                if (!B64.IsMatch(lines[i])) throw new HybridKemException("ERR_ARMOR", "line " + (i + 1) + ": not base64");
                if (last ? lines[i].Length > Line : lines[i].Length != Line)
                    throw new HybridKemException("ERR_ARMOR", "line " + (i + 1) + ": wrong length " + lines[i].Length);
                sb.Append(lines[i]);
            }
            string b64 = sb.ToString();
            byte[] encoded;
            try { encoded = Convert.FromBase64String(b64); }
            catch (FormatException) { throw new HybridKemException("ERR_ARMOR", "invalid base64"); }
            if (Convert.ToBase64String(encoded) != b64) throw new HybridKemException("ERR_ARMOR", "non-canonical base64");
            if (encoded.Length >= 2 && encoded[1] != (byte)kind) throw new HybridKemException("ERR_ARMOR", "label says " + kind + " but the object inside differs");
            return encoded;
        }

        /// <summary>Armored text -> strictly decoded object of the expected kind.</summary>
        public static WireObject DecodeObject(string text, Kind expected)
        {
            Kind labelled;
            return WireFormat.Decode(Decode(text, out labelled), expected);
        }
    }
}
