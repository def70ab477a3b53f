using System;
using System.Collections.Generic;
using System.Linq;

namespace HybridKem
{
    /// <summary>PQNoise patterns of spec/TRANSPORT.md §6.1, by id.</summary>
    public enum ChannelPattern : byte { PqNK = 1, PqIK = 2, PqXX = 3 }
    /// <summary>Noise §12 ciphers with their §6.1 ids.</summary>
    public enum ChannelCipher : byte { ChaChaPoly = 1, AesGcm = 2 }
    /// <summary>Noise §12 hashes with their §6.1 ids.</summary>
    public enum ChannelHash : byte { Sha256 = 1, Sha512 = 2 }
    /// <summary>Key-exchange modes of §6.2.</summary>
    public enum KeyExchangeMode : byte { Classical = 1, Hybrid = 2, PqOnly = 3 }

    /// <summary>One offer entry of §6.4 (version 1); the mode follows from the suite (§6.2).</summary>
    public sealed class ChannelParameters : IEquatable<ChannelParameters>
    {
        public const int EncodedLength = 6;
        public Suite Suite { get; private set; }
        public ChannelCipher Cipher { get; private set; }
        public ChannelHash Hash { get; private set; }
        public ChannelParameters(Suite suite, ChannelCipher cipher, ChannelHash hash) { Suite = suite; Cipher = cipher; Hash = hash; }

        public KeyExchangeMode Mode
        {
            get
            {
                if (Suite == Suite.DhkemX25519HkdfSha256) return KeyExchangeMode.Classical;
                if (Suite == Suite.MLKEM768 || Suite == Suite.MLKEM1024) return KeyExchangeMode.PqOnly;
                return KeyExchangeMode.Hybrid;
            }
        }

        /// <summary>version ‖ mode ‖ suite (2 bytes, big-endian) ‖ cipher ‖ hash.</summary>
        public byte[] Encode()
        {
            ushort s = (ushort)Suite;
            return new byte[] { 1, (byte)Mode, (byte)(s >> 8), (byte)s, (byte)Cipher, (byte)Hash };
        }

        internal static ChannelParameters Decode(byte[] b)
        {
            var p = new ChannelParameters((Suite)(ushort)((b[2] << 8) | b[3]), (ChannelCipher)b[4], (ChannelHash)b[5]);
            if (b[0] != 1 || (byte)p.Mode != b[1] || !Enum.IsDefined(typeof(Suite), p.Suite))
                throw new ChannelException("ERR_CHANNEL_NEGOTIATION", "the library reported an entry this binding does not know");
            return p;
        }

        public bool Equals(ChannelParameters o) { return o != null && o.Suite == Suite && o.Cipher == Cipher && o.Hash == Hash; }
        public override bool Equals(object o) { return Equals(o as ChannelParameters); }
        public override int GetHashCode() { return ((int)Suite << 16) | ((int)Cipher << 8) | (int)Hash; }
        public override string ToString() { return Suite + "/" + Cipher + "/" + Hash; }
    }

    /// <summary>Our static key pair for a suite (the private key is the suite's seed; not copied: dispose it yourself).</summary>
    public sealed class ChannelKeyPair
    {
        public Suite Suite { get; private set; }
        public Secret PrivateKey { get; private set; }
        public ChannelKeyPair(Suite suite, Secret privateKey) { Suite = suite; PrivateKey = privateKey; }
    }

    /// <summary>A peer's static public key for a suite.</summary>
    public sealed class ChannelPeerKey
    {
        public Suite Suite { get; private set; }
        public byte[] PublicKey { get; private set; }
        public ChannelPeerKey(Suite suite, byte[] publicKey)
        {
            Kem.CheckLength(publicKey, SuiteInfo.Of(suite).PublicKeyLength, "remote static key");
            Suite = suite; PublicKey = (byte[])publicKey.Clone();
        }
    }

    /// <summary>What a side runs with (§6.5): keys, pattern (initiator; default pqIK with both keys of a
    /// suite, pqNK with the peer's only, pqXX with ours only), accepted patterns (responder), ciphers and
    /// hashes in preference order. Entries: usable suites × ciphers × hashes, at most 16.</summary>
    public sealed class ChannelOptions
    {
        public IList<ChannelKeyPair> StaticKeys = new List<ChannelKeyPair>();
        public IList<ChannelPeerKey> RemoteStaticKeys = new List<ChannelPeerKey>();
        public ChannelPattern? Pattern;
        public ICollection<ChannelPattern> Patterns = new[] { ChannelPattern.PqNK, ChannelPattern.PqIK, ChannelPattern.PqXX };
        public IList<ChannelCipher> Ciphers = new[] { ChannelCipher.ChaChaPoly, ChannelCipher.AesGcm };
        public IList<ChannelHash> Hashes = new[] { ChannelHash.Sha256 };

        internal ChannelPattern InitiatorPattern()
        {
            if (Pattern.HasValue) return Pattern.Value;
            var own = StaticKeys.Select(k => k.Suite).ToList();
            var peer = RemoteStaticKeys.Select(k => k.Suite).ToList();
            if (own.Any(peer.Contains)) return ChannelPattern.PqIK;
            if (peer.Count > 0) return ChannelPattern.PqNK;
            if (own.Count > 0) return ChannelPattern.PqXX;
            throw new ChannelException("ERR_CHANNEL_NEGOTIATION", "options: no static key given");
        }

        internal List<ChannelParameters> Entries(bool initiator, ChannelPattern pattern)
        {
            var own = StaticKeys.Select(k => k.Suite).ToList();
            var peer = RemoteStaticKeys.Select(k => k.Suite).ToList();
            IEnumerable<Suite> suites = !initiator ? own
                : pattern == ChannelPattern.PqNK ? peer
                : pattern == ChannelPattern.PqIK ? own.Where(peer.Contains) : own;
            var list = (from s in suites.Distinct() from c in Ciphers from h in Hashes select new ChannelParameters(s, c, h)).ToList();
            if (list.Count == 0 || list.Count > 16)
                throw new ChannelException("ERR_CHANNEL_NEGOTIATION", "options: " + list.Count + " entries to offer, 1 to 16 allowed");
            return list;
        }
    }

    /// <summary>What the handshake established.</summary>
    public sealed class ChannelInfo
    {
        /// <summary>The pattern that ran, as the library reports it (a responder accepting several learns the initiator's).</summary>
        public ChannelPattern Pattern { get; internal set; }
        public ChannelParameters Parameters { get; internal set; }
        public byte[] HandshakeHash { get; internal set; }
        /// <summary>The peer's static key; null when the pattern has none (a pqNK initiator's, seen by the responder).</summary>
        public byte[] RemoteStatic { get; internal set; }
    }

    /// <summary>The sans-IO channel of §6 in the native core: Feed received bytes, TakeOutput frames to
    /// send, Read authenticated plaintext. Calls are serialized by a lock; Dispose wipes and frees.</summary>
    public sealed class ChannelEngine : IDisposable
    {
        readonly ChannelHandle handle;
        readonly object gate = new object();
        public bool IsInitiator { get; private set; }

        ChannelEngine(ChannelHandle h, bool initiator) { handle = h; IsInitiator = initiator; }

        public static ChannelEngine Initiator(ChannelOptions o)
        {
            var p = o.InitiatorPattern();
            return Create(ChannelNative.RoleInitiator, (uint)p, o.Entries(true, p), o);
        }

        public static ChannelEngine Responder(ChannelOptions o)
        {
            uint mask = 0;
            foreach (var p in o.Patterns) mask |= 1u << (int)p;
            if (mask == 0) throw new ChannelException("ERR_CHANNEL_NEGOTIATION", "options: a responder accepts no pattern");
            return Create(ChannelNative.RoleResponder, mask, o.Entries(false, ChannelPattern.PqNK), o);
        }

        static ChannelEngine Create(uint role, uint patterns, List<ChannelParameters> entries, ChannelOptions o)
        {
            Library.EnsureLoaded();
            var encoded = entries.SelectMany(e => e.Encode()).ToArray();
            ChannelHandle h;
            int st = ChannelNative.hybridkem_channel_new(role, patterns, encoded, NativeMethods.Len(encoded), out h);
            if (st != 0) { if (h != null) h.Dispose(); HybridKemException.Check(st, "channel_new"); }
            var engine = new ChannelEngine(h, role == ChannelNative.RoleInitiator);
            try
            {
                var suites = o.StaticKeys.Select(k => k.Suite).Concat(o.RemoteStaticKeys.Select(k => k.Suite)).Distinct();
                foreach (var s in suites)
                {
                    var own = o.StaticKeys.LastOrDefault(k => k.Suite == s);
                    var peer = o.RemoteStaticKeys.LastOrDefault(k => k.Suite == s);
                    byte[] sk = own == null ? null : own.PrivateKey.Bytes;
                    byte[] pk = peer == null ? null : peer.PublicKey;
                    engine.Call("channel_set_keys", () => ChannelNative.hybridkem_channel_set_keys(h, (ushort)s, sk,
                        new UIntPtr((uint)(sk == null ? 0 : sk.Length)), pk, new UIntPtr((uint)(pk == null ? 0 : pk.Length))));
                }
                engine.Call("channel_start", () => ChannelNative.hybridkem_channel_start(h));
            }
            catch
            {
                engine.Dispose();
                throw;
            }
            return engine;
        }

        void Call(string operation, Func<int> f)
        {
            lock (gate)
            {
                if (handle.IsClosed) throw new ChannelException("ERR_CHANNEL_CLOSED", operation + ": the channel was disposed");
                HybridKemException.Check(f(), operation);
            }
        }

        /// <summary>Bytes from the peer; returns how many were taken (fewer only while 256 KiB of plaintext wait).</summary>
        public int Feed(byte[] data, int offset, int count)
        {
            var slice = Slice(data, offset, count);
            UIntPtr consumed = UIntPtr.Zero;
            Call("channel_feed", () => ChannelNative.hybridkem_channel_feed(handle, slice, new UIntPtr((uint)count), out consumed));
            return (int)consumed.ToUInt64();
        }

        public int Feed(byte[] data) { return Feed(data, 0, data.Length); }

        /// <summary>The peer's stream ended: fine after its close, else ERR_CHANNEL_TRUNCATED.</summary>
        public void FeedEnd() { Call("channel_feed_end", () => ChannelNative.hybridkem_channel_feed_end(handle)); }

        public void Write(byte[] data, int offset, int count)
        {
            var slice = Slice(data, offset, count);
            Call("channel_write", () => ChannelNative.hybridkem_channel_write(handle, slice, new UIntPtr((uint)count)));
        }

        public void Rekey() { Call("channel_rekey", () => ChannelNative.hybridkem_channel_rekey(handle)); }

        /// <summary>Queues the channel's close message (a half-close).</summary>
        public void SendClose() { Call("channel_close", () => ChannelNative.hybridkem_channel_close(handle)); }

        public bool Established { get { return (Flags() & ChannelNative.FlagEstablished) != 0; } }
        public bool PeerClosed { get { return (Flags() & ChannelNative.FlagPeerClosed) != 0; } }
        public bool Failed { get { return (Flags() & ChannelNative.FlagFailed) != 0; } }

        uint Flags() { uint f; int o, p; State(out f, out o, out p); return f; }

        void State(out uint flags, out int output, out int plaintext)
        {
            uint f = 0; UIntPtr ol = UIntPtr.Zero, pl = UIntPtr.Zero;
            Call("channel_state", () => ChannelNative.hybridkem_channel_state(handle, out f, out ol, out pl));
            flags = f; output = (int)ol.ToUInt64(); plaintext = (int)pl.ToUInt64();
        }

        /// <summary>Every byte waiting to be sent (frames back to back); empty when none.</summary>
        public byte[] TakeOutput() { return Drain("channel_take_output", false, ChannelNative.hybridkem_channel_take_output); }

        /// <summary>All authenticated plaintext waiting to be read; empty when none.</summary>
        public byte[] ReadAvailable() { return Drain("channel_read", true, ChannelNative.hybridkem_channel_read); }

        /// <summary>Moves everything one of the library's queues holds (output frames, or plaintext) into a
        /// buffer of the length channel_state reports; under the lock, so nothing arrives in between.</summary>
        byte[] Drain(string operation, bool plaintext, ChannelNative.Drain drain)
        {
            lock (gate)
            {
                uint f; int o, p;
                State(out f, out o, out p);
                int n = plaintext ? p : o;
                var buf = new byte[n];
                if (n == 0) return buf;
                UIntPtr written = UIntPtr.Zero;
                Call(operation, () => drain(handle, buf, new UIntPtr((uint)n), out written));
                return buf;
            }
        }

        public ChannelInfo Info()
        {
            var entry = new byte[ChannelParameters.EncodedLength];
            var hash = new byte[64];
            var remote = new byte[4096];
            UIntPtr hl = UIntPtr.Zero, rl = UIntPtr.Zero;
            Call("channel_info", () => ChannelNative.hybridkem_channel_info(handle, entry, hash, NativeMethods.Len(hash), out hl, remote, NativeMethods.Len(remote), out rl));
            int h = (int)hl.ToUInt64(), r = (int)rl.ToUInt64();
            uint pattern = 0;
            Call("channel_pattern", () => ChannelNative.hybridkem_channel_pattern(handle, out pattern));
            return new ChannelInfo
            {
                Pattern = (ChannelPattern)pattern,
                Parameters = ChannelParameters.Decode(entry),
                HandshakeHash = hash.Take(h).ToArray(),
                RemoteStatic = r == 0 ? null : remote.Take(r).ToArray(),
            };
        }

        public void Dispose() { lock (gate) handle.Dispose(); }

        static byte[] Slice(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
                throw new ArgumentOutOfRangeException("offset/count");
            if (offset == 0 && count == data.Length) return data;
            var s = new byte[count];
            Buffer.BlockCopy(data, offset, s, 0, count);
            return s;
        }
    }
}
