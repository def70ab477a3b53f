using System;
using System.Collections.Generic;
using System.IO;
using System.Json;
using System.Linq;
using NUnit.Framework;

namespace HybridKem.Tests
{
    /// <summary>Every file of spec/vectors/transport (spec/TRANSPORT.md §6.9, written by the TypeScript
    /// generator) replayed through the C ABI's hybridkem_noise_* functions: both sides built from the
    /// file's static seeds and each side's recorded randomness; every handshake message, payload, the
    /// handshake hash and every transport ciphertext must come out byte-identical to the file.</summary>
    [TestFixture]
    public class TransportVectorTests
    {
        public static string[] Files()
        {
            return Directory.GetFiles(Path.Combine(Vectors.SpecDir, "transport"), "*.json")
                .Select(f => Path.Combine("transport", Path.GetFileName(f))).OrderBy(f => f).ToArray();
        }

        static readonly Dictionary<string, ChannelPattern> Patterns = new Dictionary<string, ChannelPattern>
            { { "pqNK", ChannelPattern.PqNK }, { "pqIK", ChannelPattern.PqIK }, { "pqXX", ChannelPattern.PqXX } };
        static readonly Dictionary<string, ChannelCipher> Ciphers = new Dictionary<string, ChannelCipher>
            { { "ChaChaPoly", ChannelCipher.ChaChaPoly }, { "AESGCM", ChannelCipher.AesGcm } };
        static readonly Dictionary<string, ChannelHash> Hashes = new Dictionary<string, ChannelHash>
            { { "SHA256", ChannelHash.Sha256 }, { "SHA512", ChannelHash.Sha512 } };

        static byte[] Hex(JsonValue v) { return Vectors.Hex((string)v); }

        static NoiseVectorHandshake Side(JsonValue file, JsonValue v, bool initiator)
        {
            string who = initiator ? "initiator" : "responder";
            bool hasStatic = !initiator || (bool)v["initiatorStatic"];
            bool knowsRemote = initiator && (bool)v["initiatorKnowsResponderStatic"];
            var random = ((JsonArray)v["random"][who]).SelectMany(r => Hex(r["bytes"])).ToArray();
            return new NoiseVectorHandshake(Patterns[(string)v["pattern"]], (Suite)(ushort)(int)file["suiteId"],
                Ciphers[(string)v["cipher"]], Hashes[(string)v["hash"]], initiator, Hex(v["prologue"]),
                hasStatic ? Hex(file["staticKeys"][who]["seed"]) : null,
                knowsRemote ? Hex(file["staticKeys"]["responder"]["publicKey"]) : null, random);
        }

        [Test]
        public void ThereAreThreeFilesOfSixTranscripts()
        {
            Assert.AreEqual(3, Files().Length);
            foreach (var f in Files()) Assert.AreEqual(6, ((JsonArray)Vectors.Load(f)["vectors"]).Count, f);
        }

        [Test, TestCaseSource("Files")]
        public void TranscriptsReplayByteForByte(string f)
        {
            var file = Vectors.Load(f);
            foreach (JsonValue v in (JsonArray)file["vectors"])
            {
                string name = (string)v["protocolName"];
                using (var ini = Side(file, v, true))
                using (var res = Side(file, v, false))
                {
                    Replay((JsonArray)v["messages"], ini, res, "message", (w, p) => w.WriteMessage(p), (r, m) => r.ReadMessage(m),
                        name + ": handshake message ", name + ": payload ");
                    CollectionAssert.AreEqual(Hex(v["handshakeHash"]), ini.HandshakeHash(), name + ": handshake hash (initiator)");
                    CollectionAssert.AreEqual(Hex(v["handshakeHash"]), res.HandshakeHash(), name + ": handshake hash (responder)");
                    Replay((JsonArray)v["transport"], ini, res, "ciphertext", (w, p) => w.Encrypt(p), (r, c) => r.Decrypt(c),
                        name + ": transport message ", name + ": transport payload ");
                }
            }
        }

        /// <summary>Each step in turn: its sender's <c>send</c> of the payload is the step's <c>field</c> bytes,
        /// and the other side's <c>receive</c> of them gives the payload back.</summary>
        static void Replay(JsonArray steps, NoiseVectorHandshake ini, NoiseVectorHandshake res, string field,
            Func<NoiseVectorHandshake, byte[], byte[]> send, Func<NoiseVectorHandshake, byte[], byte[]> receive,
            string sentLabel, string payloadLabel)
        {
            int n = 0;
            foreach (JsonValue m in steps)
            {
                var w = (string)m["sender"] == "initiator" ? ini : res;
                var r = w == ini ? res : ini;
                var sent = send(w, Hex(m["payload"]));
                CollectionAssert.AreEqual(Hex(m[field]), sent, sentLabel + n);
                CollectionAssert.AreEqual(Hex(m["payload"]), receive(r, sent), payloadLabel + n);
                n++;
            }
        }

        [Test]
        public void AFlippedByteInAHandshakeMessageFailsWithChannelHandshake()
        {
            var file = Vectors.Load(Path.Combine("transport", "x-wing.json"));
            foreach (JsonValue v in (JsonArray)file["vectors"])
            {
                var msgs = (JsonArray)v["messages"];
                using (var ini = Side(file, v, true))
                using (var res = Side(file, v, false))
                {
                    res.ReadMessage(ini.WriteMessage(Hex(msgs[0]["payload"])));
                    // Message 1 (responder -> initiator) is authenticated in every pattern; its last byte is the payload's tag.
                    var m1 = res.WriteMessage(Hex(msgs[1]["payload"]));
                    m1[m1.Length - 1] ^= 1;
                    var e = Assert.Throws<ChannelException>(() => ini.ReadMessage(m1));
                    Assert.AreEqual("ERR_CHANNEL_HANDSHAKE", e.Code, (string)v["protocolName"]);
                    var closed = Assert.Throws<ChannelException>(() => ini.HandshakeHash());
                    Assert.AreEqual("ERR_CHANNEL_CLOSED", closed.Code);
                }
            }
        }
    }
}
