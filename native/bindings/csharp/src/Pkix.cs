using System;
using System.IO;
using System.Text;

namespace HybridKem
{
    /// <summary>X.509 SubjectPublicKeyInfo and PKCS#8 v1 (DER, and PEM with
    /// 64-character lines) of composite signature keys, spec/WIRE-FORMAT.md
    /// §6.6–§6.7: the suite's OID with parameters absent, the raw composite key
    /// in the BIT STRING / OCTET STRING. Writers only, as in the Kotlin binding.</summary>
    public static class Pkix
    {
        /// <summary>The composite OIDs of draft-ietf-lamps-pq-composite-sigs
        /// (spec/WIRE-FORMAT.md §6.1). Not in the C ABI: the library never needs them.</summary>
        public static string Oid(SignatureSuite suite)
        {
            switch (suite)
            {
                case SignatureSuite.MLDSA44Ed25519SHA512: return "1.3.6.1.5.5.7.6.39";
                case SignatureSuite.MLDSA65Ed25519SHA512: return "1.3.6.1.5.5.7.6.48";
                case SignatureSuite.MLDSA87Ed448SHAKE256: return "1.3.6.1.5.5.7.6.51";
                default: throw new HybridKemException("ERR_UNKNOWN_SUITE", "no signature suite 0x" + ((ushort)suite).ToString("x4"));
            }
        }

        /// <summary>SubjectPublicKeyInfo DER of a composite public key.</summary>
        public static byte[] SubjectPublicKeyInfo(SignatureSuite suite, byte[] publicKey)
        {
            Kem.CheckLength(publicKey, SignatureSuiteInfo.Of(suite).PublicKeyLength, "public key");
            return Tlv(0x30, AlgorithmIdentifier(suite), Tlv(0x03, new byte[] { 0 }, publicKey));
        }

        /// <summary>PKCS#8 v1 (PrivateKeyInfo) DER of a composite private key. The
        /// result holds the private key: it is a Secret, wiped on Dispose.</summary>
        public static Secret PrivateKeyInfo(SignatureSuite suite, Secret privateKey)
        {
            Kem.CheckLength(privateKey.Bytes, SignatureSuiteInfo.Of(suite).PrivateKeyLength, "private key");
            var octets = Tlv(0x04, privateKey.Bytes);
            try { return new Secret(Tlv(0x30, Tlv(0x02, new byte[] { 0 }), AlgorithmIdentifier(suite), octets)); }
            finally { Array.Clear(octets, 0, octets.Length); } // the intermediate holds the key too
        }

        /// <summary>RFC 7468 text: "-----BEGIN label-----", base64 in 64-character
        /// lines, "-----END label-----", LF endings. For "PRIVATE KEY" the string
        /// holds the key and cannot be wiped: write it out and drop it.</summary>
        public static string Pem(string label, byte[] der)
        {
            string b64 = Convert.ToBase64String(der);
            var sb = new StringBuilder();
            sb.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int i = 0; i < b64.Length; i += 64) sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            sb.Append("-----END ").Append(label).Append("-----\n");
            return sb.ToString();
        }

        static byte[] AlgorithmIdentifier(SignatureSuite suite)
        {
            return Tlv(0x30, Tlv(0x06, OidContents(Oid(suite))));
        }

        static byte[] OidContents(string dotted)
        {
            var arcs = Array.ConvertAll(dotted.Split('.'), long.Parse);
            var o = new MemoryStream();
            Base128(o, arcs[0] * 40 + arcs[1]);
            for (int i = 2; i < arcs.Length; i++) Base128(o, arcs[i]);
            return o.ToArray();
        }

        static void Base128(MemoryStream o, long v)
        {
            int n = 1;
            for (long x = v >> 7; x > 0; x >>= 7) n++;
            for (int i = n - 1; i >= 0; i--) o.WriteByte((byte)((int)((v >> (7 * i)) & 0x7f) | (i > 0 ? 0x80 : 0)));
        }

        /// <summary>DER tag ‖ definite length ‖ the parts.</summary>
        static byte[] Tlv(byte tag, params byte[][] parts)
        {
            int len = 0;
            foreach (var p in parts) len += p.Length;
            var o = new MemoryStream();
            o.WriteByte(tag);
            if (len < 0x80) o.WriteByte((byte)len);
            else
            {
                int n = 0;
                for (int x = len; x > 0; x >>= 8) n++;
                o.WriteByte((byte)(0x80 | n));
                for (int i = n - 1; i >= 0; i--) o.WriteByte((byte)(len >> (8 * i)));
            }
            foreach (var p in parts) o.Write(p, 0, p.Length);
            var result = o.ToArray();
            // MemoryStream's buffer may hold key bytes (PKCS#8): clear it.
            var buf = o.GetBuffer();
            Array.Clear(buf, 0, buf.Length);
            return result;
        }
    }
}
