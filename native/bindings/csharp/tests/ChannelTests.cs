using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using NUnit.Framework;

namespace HybridKem.Tests
{
    /// <summary>The C# Channel over the C ABI (hybridkem_channel_*): C# initiator ↔ C# responder over a
    /// loopback TCP pair, the offer's bytes as spec/TRANSPORT.md §6.4 writes them, and typed errors for a
    /// tampered frame and a wrong server key (through the sans-IO engine and over the socket).</summary>
    [TestFixture]
    public class ChannelTests
    {
        Secret serverSk, clientSk;
        byte[] serverPk, clientPk;

        [TestFixtureSetUp]
        public void Keys()
        {
            serverSk = Kem.GeneratePrivateKey(Suite.XWing); serverPk = Kem.DerivePublicKey(Suite.XWing, serverSk);
            clientSk = Kem.GeneratePrivateKey(Suite.XWing); clientPk = Kem.DerivePublicKey(Suite.XWing, clientSk);
        }

        [TestFixtureTearDown]
        public void Wipe() { serverSk.Dispose(); clientSk.Dispose(); }

        ChannelOptions ClientNK() { return new ChannelOptions { RemoteStaticKeys = { new ChannelPeerKey(Suite.XWing, serverPk) } }; }
        ChannelOptions Server() { return new ChannelOptions { StaticKeys = { new ChannelKeyPair(Suite.XWing, serverSk) } }; }
        static byte[] Xor(byte[] b) { return b.Select(x => (byte)(x ^ 0x5a)).ToArray(); }
        static string Hex(byte[] b) { return BitConverter.ToString(b).Replace("-", "").ToLowerInvariant(); }

        [Test]
        public void OfferIsSpecBytes()
        {
            using (var e = ChannelEngine.Initiator(ClientNK()))
            {
                // len 16 ‖ offer 0x01 ‖ version 1 ‖ pqNK 1 ‖ count 2 ‖ (1, hybrid 2, 0x647a, ChaChaPoly 1, SHA256 1) ‖ (…, AESGCM 2, …)
                Assert.AreEqual("0010" + "01010102" + "0102647a0101" + "0102647a0201", Hex(e.TakeOutput()));
            }
            Assert.AreEqual("010300410202", Hex(new ChannelParameters(Suite.MLKEM768, ChannelCipher.AesGcm, ChannelHash.Sha512).Encode()));
        }

        [TestCase(ChannelPattern.PqNK)]
        [TestCase(ChannelPattern.PqIK)]
        [TestCase(ChannelPattern.PqXX)]
        public void RoundTripOverLoopback(ChannelPattern pattern)
        {
            var client = new ChannelOptions { Pattern = pattern };
            if (pattern != ChannelPattern.PqXX) client.RemoteStaticKeys.Add(new ChannelPeerKey(Suite.XWing, serverPk));
            if (pattern != ChannelPattern.PqNK) client.StaticKeys.Add(new ChannelKeyPair(Suite.XWing, clientSk));
            var message = new byte[150000];
            new Random(7).NextBytes(message);
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var serverSide = Task.Run(() =>
                {
                    using (var sock = listener.AcceptTcpClient())
                    using (var ch = Channel.Accept(sock.GetStream(), Server()))
                    {
                        var got = new MemoryStream();
                        byte[] chunk;
                        while ((chunk = ch.Receive()) != null) { got.Write(chunk, 0, chunk.Length); ch.Send(Xor(chunk)); }
                        ch.ShutdownOutput();
                        return Tuple.Create(got.ToArray(), ch.Info);
                    }
                });
                using (var tcp = new TcpClient())
                {
                    tcp.Connect(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
                    using (var ch = Channel.Connect(tcp.GetStream(), client))
                    {
                        ch.Send(message);
                        ch.ShutdownOutput();
                        var got = new MemoryStream();
                        byte[] chunk;
                        while ((chunk = ch.Receive()) != null) got.Write(chunk, 0, chunk.Length);
                        Assert.IsTrue(serverSide.Wait(60000), "server finished");
                        CollectionAssert.AreEqual(message, serverSide.Result.Item1, "server received");
                        CollectionAssert.AreEqual(Xor(message), got.ToArray(), "client received");
                        var si = serverSide.Result.Item2;
                        Assert.AreEqual(new ChannelParameters(Suite.XWing, ChannelCipher.ChaChaPoly, ChannelHash.Sha256), ch.Info.Parameters);
                        Assert.AreEqual(ch.Info.Parameters, si.Parameters);
                        Assert.AreEqual(32, ch.Info.HandshakeHash.Length);
                        CollectionAssert.AreEqual(ch.Info.HandshakeHash, si.HandshakeHash, "same handshake hash");
                        CollectionAssert.AreEqual(serverPk, ch.Info.RemoteStatic);
                        if (pattern == ChannelPattern.PqNK) Assert.IsNull(si.RemoteStatic);
                        else CollectionAssert.AreEqual(clientPk, si.RemoteStatic);
                    }
                }
            }
            finally { listener.Stop(); }
        }

        [Test]
        public void WrongServerKeyFailsBothSidesTyped()
        {
            var otherSk = Kem.GeneratePrivateKey(Suite.XWing);
            var client = new ChannelOptions { RemoteStaticKeys = { new ChannelPeerKey(Suite.XWing, Kem.DerivePublicKey(Suite.XWing, otherSk)) } };
            otherSk.Dispose();
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var serverSide = Task.Run(() =>
                {
                    using (var sock = listener.AcceptTcpClient())
                    {
                        try { Channel.Accept(sock.GetStream(), Server()).Dispose(); return null; }
                        catch (ChannelException e) { return e; }
                    }
                });
                ChannelException clientError = null;
                using (var tcp = new TcpClient())
                {
                    tcp.Connect(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
                    try { Channel.Connect(tcp.GetStream(), client).Dispose(); }
                    catch (ChannelException e) { clientError = e; }
                }
                Assert.IsTrue(serverSide.Wait(60000));
                Assert.IsNotNull(serverSide.Result, "server failed");
                Assert.AreEqual("ERR_CHANNEL_HANDSHAKE", serverSide.Result.Code);
                Assert.IsNotNull(clientError, "client failed");
                Assert.AreEqual("ERR_CHANNEL_TRUNCATED", clientError.Code);
            }
            finally { listener.Stop(); }
        }

        [Test]
        public void TamperedTransportFrameIsDecryptErrorAndTheChannelIsDead()
        {
            using (var i = ChannelEngine.Initiator(ClientNK()))
            using (var r = ChannelEngine.Responder(Server()))
            {
                for (int k = 0; k < 4; k++) { r.Feed(i.TakeOutput()); i.Feed(r.TakeOutput()); }
                Assert.IsTrue(i.Established && r.Established);
                i.Write(new byte[] { 1, 2, 3 }, 0, 3);
                var frame = i.TakeOutput();
                frame[frame.Length - 1] ^= 1;
                var e = Assert.Throws<ChannelException>(() => r.Feed(frame));
                Assert.AreEqual("ERR_CHANNEL_DECRYPT", e.Code);
                Assert.AreEqual(13, e.NativeStatus);
                Assert.IsTrue(r.Failed);
                Assert.AreEqual(0, r.ReadAvailable().Length, "nothing released");
                Assert.AreEqual("ERR_CHANNEL_CLOSED", Assert.Throws<ChannelException>(() => r.Feed(frame)).Code);
            }
        }

        [Test]
        public void DisposedEngineIsClosed()
        {
            var e = ChannelEngine.Initiator(ClientNK());
            e.Dispose();
            Assert.AreEqual("ERR_CHANNEL_CLOSED", Assert.Throws<ChannelException>(() => e.TakeOutput()).Code);
        }
    }
}
