using System;
using System.Security.Cryptography;

namespace HybridKem
{
    /// <summary>Object kinds (spec/WIRE-FORMAT.md §2); byte values are fixed.</summary>
    public enum Kind : byte
    {
        PublicKey = 0x01, PrivateKey = 0x02, Ciphertext = 0x03, SealedMessage = 0x04,
        SigningPublicKey = 0x05, SigningPrivateKey = 0x06, Signature = 0x07, EncryptedPrivateKey = 0x08,
        MultiRecipientSealedMessage = 0x09,
        // The mesh objects (spec/MESH.md): defined, so a KEM or signature decoder says ERR_WRONG_KIND.
        MeshKeyEnvelope = 0x0a, MeshDirectoryRecord = 0x0b, MeshPskExchange = 0x0c,
    }

    /// <summary>A decoded v1 object: header fields and a copy of the body.</summary>
    public sealed class WireObject
    {
        public Kind Kind { get; internal set; }
        public ushort SuiteId { get; internal set; }
        public byte[] Body { get; internal set; }
    }

    /// <summary>Wire format v1: version ‖ kind ‖ suite id (big endian) ‖ body, decoded
    /// strictly in §2's order, with the TypeScript error codes. The public values in
    /// KEM objects are checked by the C ABI itself (see CheckKemBody).</summary>
    public static class WireFormat
    {
        public const byte Version = 1;
        public const int HeaderLength = 4;

        public static byte[] Encode(Kind kind, ushort suiteId, byte[] body)
        {
            int want = BodyLength(kind, suiteId);
            Kem.CheckLength(body, want, kind.ToString());
            var o = new byte[HeaderLength + body.Length];
            o[0] = Version; o[1] = (byte)kind; o[2] = (byte)(suiteId >> 8); o[3] = (byte)suiteId;
            Buffer.BlockCopy(body, 0, o, HeaderLength, body.Length);
            return o;
        }

        /// <summary>Decodes an object of the expected kind (KEM or signature family).</summary>
        public static WireObject Decode(byte[] bytes, Kind expected)
        {
            if (bytes == null) throw new HybridKemException("ERR_INVALID_ARGUMENT", "encoded object is null");
            if (bytes.Length < HeaderLength) throw new HybridKemException("ERR_TRUNCATED", expected + " header: expected " + HeaderLength + " bytes, got " + bytes.Length);
            if (bytes[0] != Version) throw new HybridKemException("ERR_UNSUPPORTED_VERSION", "version " + bytes[0] + ", expected " + Version);
            if (!Enum.IsDefined(typeof(Kind), bytes[1])) throw new HybridKemException("ERR_UNKNOWN_KIND", "kind byte 0x" + bytes[1].ToString("x2"));
            var kind = (Kind)bytes[1];
            if (kind != expected) throw new HybridKemException("ERR_WRONG_KIND", "expected " + expected + ", got " + kind);
            ushort suiteId = (ushort)((bytes[2] << 8) | bytes[3]);
            int want = HeaderLength + BodyLength(kind, suiteId);
            // The bound is the suite's fixed length: nothing is allocated from a wire length.
            if (bytes.Length < want) throw new HybridKemException("ERR_TRUNCATED", kind + ": expected " + want + " bytes, got " + bytes.Length);
            if (bytes.Length > want) throw new HybridKemException("ERR_TRAILING_DATA", kind + ": expected " + want + " bytes, got " + bytes.Length);
            var body = new byte[want - HeaderLength];
            Buffer.BlockCopy(bytes, HeaderLength, body, 0, body.Length);
            var o = new WireObject { Kind = kind, SuiteId = suiteId, Body = body };
            CheckKemBody(o);
            return o;
        }

        /// <summary>Body length for a kind and suite; unknown suite -> ERR_UNKNOWN_SUITE.</summary>
        static int BodyLength(Kind kind, ushort suiteId)
        {
            switch (kind)
            {
                case Kind.PublicKey: case Kind.PrivateKey: case Kind.Ciphertext:
                    if (!SuiteInfo.NativeSuiteIds().Contains(suiteId))
                        throw new HybridKemException("ERR_UNKNOWN_SUITE", "no KEM suite 0x" + suiteId.ToString("x4"));
                    var info = SuiteInfo.Of(suiteId);
                    return kind == Kind.PublicKey ? info.PublicKeyLength : kind == Kind.PrivateKey ? info.PrivateKeyLength : info.CiphertextLength;
                case Kind.SigningPublicKey: case Kind.SigningPrivateKey: case Kind.Signature:
                    if (!Enum.IsDefined(typeof(SignatureSuite), suiteId))
                        throw new HybridKemException("ERR_UNKNOWN_SUITE", "no signature suite 0x" + suiteId.ToString("x4"));
                    var s = (SignatureSuite)suiteId;
                    return kind == Kind.SigningPublicKey ? CompositeSignature.PublicKeyLength(s) : kind == Kind.SigningPrivateKey ? CompositeSignature.PrivateKeyLength(s) : CompositeSignature.SignatureLength(s);
                default:
                    throw new HybridKemException("ERR_WRONG_KIND", kind + " is not a KEM or signature object this binding decodes");
            }
        }

        /// <summary>§2's content checks without a second implementation: the C ABI
        /// validates a public key when encapsulating to it (ML-KEM modulus check,
        /// then the traditional element) and a ciphertext's traditional element when
        /// decapsulating it. The throwaway secrets are wiped at once.</summary>
        static void CheckKemBody(WireObject o)
        {
            var suite = (Suite)o.SuiteId;
            if (o.Kind == Kind.PublicKey)
                Kem.Encapsulate(suite, o.Body).Dispose();
            else if (o.Kind == Kind.Ciphertext)
                using (var probe = Kem.GeneratePrivateKey(suite))
                    Kem.Decapsulate(suite, probe, o.Body).Dispose();
        }

        /// <summary>Key id: SHA-256 of the encoded public key, first 16 bytes, lower-case hex (§4).</summary>
        public static string KeyId(byte[] encodedPublicKey)
        {
            Decode(encodedPublicKey, encodedPublicKey != null && encodedPublicKey.Length > 1 && encodedPublicKey[1] == (byte)Kind.SigningPublicKey ? Kind.SigningPublicKey : Kind.PublicKey);
            byte[] h;
            using (var sha = SHA256.Create()) h = sha.ComputeHash(encodedPublicKey);
            var sb = new System.Text.StringBuilder(32);
            for (int i = 0; i < 16; i++) sb.Append(h[i].ToString("x2"));
            return sb.ToString();
        }
    }
}
