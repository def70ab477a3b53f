using NUnit.Framework;

namespace HybridKem.Tests
{
    /// <summary>A responder accepting pqNK, pqIK and pqXX learns from the library (hybridkem_channel_pattern)
    /// which one the initiator ran: pqIK and pqXX both give it the initiator's static key, so the keys alone
    /// cannot tell them apart.</summary>
    [TestFixture]
    public class ChannelPatternTests
    {
        [Test]
        public void AResponderAcceptingEveryPatternReportsTheOneThatRan()
        {
            using (var serverSk = Kem.GeneratePrivateKey(Suite.XWing))
            using (var clientSk = Kem.GeneratePrivateKey(Suite.XWing))
            {
                var serverPk = Kem.DerivePublicKey(Suite.XWing, serverSk);
                var cases = new[]
                {
                    new { Options = new ChannelOptions { RemoteStaticKeys = { new ChannelPeerKey(Suite.XWing, serverPk) } }, Expected = ChannelPattern.PqNK },
                    new { Options = new ChannelOptions { StaticKeys = { new ChannelKeyPair(Suite.XWing, clientSk) }, RemoteStaticKeys = { new ChannelPeerKey(Suite.XWing, serverPk) } }, Expected = ChannelPattern.PqIK },
                    new { Options = new ChannelOptions { StaticKeys = { new ChannelKeyPair(Suite.XWing, clientSk) } }, Expected = ChannelPattern.PqXX },
                };
                foreach (var c in cases)
                {
                    using (var i = ChannelEngine.Initiator(c.Options))
                    using (var r = ChannelEngine.Responder(new ChannelOptions { StaticKeys = { new ChannelKeyPair(Suite.XWing, serverSk) } }))
                    {
                        for (int k = 0; k < 4; k++) { r.Feed(i.TakeOutput()); i.Feed(r.TakeOutput()); }
                        Assert.IsTrue(i.Established && r.Established, c.Expected.ToString());
                        Assert.AreEqual(c.Expected, r.Info().Pattern, "responder");
                        Assert.AreEqual(c.Expected, i.Info().Pattern, "initiator");
                    }
                }
            }
        }
    }
}
