using System;
using System.IO;

namespace HybridKem
{
    /// <summary>The channel of spec/TRANSPORT.md §6 over a Stream (a NetworkStream for a socket):
    /// Connect / Accept return once the handshake authenticated; then Send, Receive (null after the
    /// peer's close), ShutdownOutput (our close: a half-close) and Dispose. Any failure is a
    /// ChannelException (an I/O error: ERR_CHANNEL_TRUNCATED); the stream is then closed and later calls
    /// are ERR_CHANNEL_CLOSED. One thread may Receive while another Sends.</summary>
    public sealed class Channel : IDisposable
    {
        const int Chunk = 65518;
        readonly ChannelEngine engine;
        readonly Stream stream;
        readonly object readGate = new object(), writeGate = new object();
        readonly byte[] buffer = new byte[65536];
        byte[] leftover;
        volatile ChannelException dead;
        volatile bool disposed;

        public ChannelInfo Info { get; private set; }

        Channel(ChannelEngine e, Stream s) { engine = e; stream = s; }

        /// <summary>Initiator. A stream that can time out gets handshakeTimeoutMs as its read timeout during the handshake.</summary>
        public static Channel Connect(Stream stream, ChannelOptions options, int handshakeTimeoutMs = 30000)
        {
            return Open(ChannelEngine.Initiator(options), stream, handshakeTimeoutMs);
        }

        public static Channel Accept(Stream stream, ChannelOptions options, int handshakeTimeoutMs = 30000)
        {
            return Open(ChannelEngine.Responder(options), stream, handshakeTimeoutMs);
        }

        static Channel Open(ChannelEngine engine, Stream stream, int timeoutMs)
        {
            var ch = new Channel(engine, stream);
            int previous = stream.CanTimeout ? stream.ReadTimeout : 0;
            try
            {
                if (stream.CanTimeout && timeoutMs > 0) stream.ReadTimeout = timeoutMs;
                ch.Guard(() =>
                {
                    lock (ch.writeGate) ch.Flush();
                    lock (ch.readGate) while (!engine.Established) if (!ch.FeedLeftover()) ch.ReadFromStream();
                });
                if (stream.CanTimeout) stream.ReadTimeout = previous;
                ch.Info = engine.Info();
                return ch;
            }
            catch
            {
                try { stream.Dispose(); } catch (Exception) { }
                engine.Dispose();
                throw;
            }
        }

        public void Send(byte[] data) { Send(data, 0, data.Length); }

        public void Send(byte[] data, int offset, int count)
        {
            Guard(() =>
            {
                int at = offset, end = offset + count;
                do
                {
                    int n = Math.Min(Chunk, end - at);
                    lock (writeGate) { engine.Write(data, at, n); Flush(); }
                    at += n;
                } while (at < end);
            });
        }

        /// <summary>The next authenticated plaintext, blocking; null once the peer sent its close.</summary>
        public byte[] Receive()
        {
            byte[] result = null;
            Guard(() =>
            {
                lock (readGate)
                {
                    while (true)
                    {
                        var got = engine.ReadAvailable();
                        if (got.Length > 0) { result = got; return; }
                        if (FeedLeftover()) continue;
                        if (engine.PeerClosed) return;
                        ReadFromStream();
                    }
                }
            });
            return result;
        }

        public void Rekey() { Guard(() => { lock (writeGate) { engine.Rekey(); Flush(); } }); }

        /// <summary>Sends the channel's close; Receive goes on until the peer's.</summary>
        public void ShutdownOutput() { Guard(() => { lock (writeGate) { engine.SendClose(); Flush(); } }); }

        /// <summary>Sends the close if not sent, closes the stream, frees the channel.</summary>
        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            try { if (dead == null) lock (writeGate) { engine.SendClose(); Flush(); } }
            catch (Exception) { /* closing anyway: the peer sees a truncated stream */ }
            finally
            {
                try { stream.Dispose(); } catch (Exception) { }
                engine.Dispose();
            }
        }

        void Guard(Action f)
        {
            if (dead != null) throw new ChannelException("ERR_CHANNEL_CLOSED", "the channel failed earlier (" + dead.Code + ")");
            if (disposed) throw new ChannelException("ERR_CHANNEL_CLOSED", "the channel is closed");
            try { f(); }
            catch (ChannelException e) { if (e.Code != "ERR_CHANNEL_CLOSED") Fail(e); throw; }
            catch (IOException e)
            {
                // A read timeout during the handshake surfaces as an IOException too: §6.6 calls it ERR_CHANNEL_HANDSHAKE.
                var c = Info == null && e.InnerException is System.Net.Sockets.SocketException
                    && ((System.Net.Sockets.SocketException)e.InnerException).SocketErrorCode == System.Net.Sockets.SocketError.TimedOut
                    ? new ChannelException("ERR_CHANNEL_HANDSHAKE", "handshake: not complete in time", e)
                    : new ChannelException("ERR_CHANNEL_TRUNCATED", "the connection failed (" + e.GetType().Name + ")", e);
                Fail(c);
                throw c;
            }
            catch (ObjectDisposedException e)
            {
                var c = new ChannelException("ERR_CHANNEL_TRUNCATED", "the stream was closed", e);
                Fail(c);
                throw c;
            }
        }

        void Fail(ChannelException e)
        {
            if (dead != null) return;
            dead = e;
            // §6.6: a failed responder still sends the refusal it queued.
            try { lock (writeGate) Flush(); } catch (Exception) { }
            try { stream.Dispose(); } catch (Exception) { }
        }

        void Flush()
        {
            var output = engine.TakeOutput();
            if (output.Length == 0) return;
            stream.Write(output, 0, output.Length);
            stream.Flush();
        }

        bool FeedLeftover()
        {
            if (leftover == null) return false;
            var rest = leftover;
            int taken = engine.Feed(rest);
            leftover = taken == rest.Length ? null : Sub(rest, taken, rest.Length - taken);
            lock (writeGate) Flush();
            return true;
        }

        void ReadFromStream()
        {
            int n = stream.Read(buffer, 0, buffer.Length);
            if (n <= 0) { engine.FeedEnd(); return; }
            int taken = engine.Feed(buffer, 0, n);
            if (taken < n) leftover = Sub(buffer, taken, n - taken);
            lock (writeGate) Flush();
        }

        static byte[] Sub(byte[] a, int offset, int count)
        {
            var s = new byte[count];
            Buffer.BlockCopy(a, offset, s, 0, count);
            return s;
        }
    }
}
