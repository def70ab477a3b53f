//! The sans-IO channel of spec/TRANSPORT.md §6: bytes in (`feed`), bytes out
//! (`take_output`), plaintext out (`read`) — negotiation, the Noise handshake
//! (clatter), framing and transport messages, with no I/O of its own.
use core::marker::PhantomData;

use clatter::traits::Rng;
use zeroize::Zeroize;

use super::engine::{new_handshake, Handshake, HandshakeParams, MlKem768Impl, StaticKey, Transport};
use super::error::ChannelError;
use super::negotiation::{self as neg, Entry, Pattern};

/// §6.3: a frame body is at most 65535 bytes (Noise §3's message limit).
pub const MAX_FRAME_BODY: usize = 65535;
/// §6.6: data per transport message, 65535 − 16 (tag) − 1 (type).
pub const MAX_DATA_PER_MESSAGE: usize = 65518;
/// `feed` stops taking bytes while this much authenticated plaintext waits
/// to be read (backpressure: the caller reads, then feeds the rest).
pub const MAX_PENDING_PLAINTEXT: usize = 4 * 65536;

const TYPE_DATA: u8 = 0x00;
const TYPE_REKEY: u8 = 0x01;
const TYPE_CLOSE: u8 = 0x02;

/// Keys for one suite: our static key pair, the peer's static public key
/// (needed in advance for pqNK/pqIK initiators; otherwise, when given, the
/// key the peer must present — ERR_CHANNEL_PEER_KEY if it differs).
#[derive(Clone)]
pub struct SuiteKeys {
    pub suite: u16,
    pub local: Option<StaticKey>,
    pub remote: Option<Vec<u8>>,
}

#[derive(Clone)]
pub struct Config {
    pub initiator: bool,
    /// Initiator: the one pattern it offers. Responder: the patterns it accepts.
    pub patterns: Vec<Pattern>,
    /// Initiator: the offer, in order. Responder: its parameters in preference order.
    pub entries: Vec<Entry>,
    pub keys: Vec<SuiteKeys>,
    pub mlkem768: MlKem768Impl,
    /// §6.6: rekey after this many data messages or data bytes under one key.
    pub rekey_after_messages: u64,
    pub rekey_after_bytes: u64,
}

impl Config {
    pub fn new(initiator: bool, patterns: Vec<Pattern>, entries: Vec<Entry>) -> Config {
        Config {
            initiator,
            patterns,
            entries,
            keys: Vec::new(),
            mlkem768: MlKem768Impl::Suite,
            rekey_after_messages: 1 << 20,
            rekey_after_bytes: 1 << 30,
        }
    }
    fn keys(&self, suite: u16) -> Option<&SuiteKeys> {
        self.keys.iter().find(|k| k.suite == suite)
    }
    fn has_keys_for(&self, pattern: Pattern, suite: u16) -> bool {
        let (own, peer) = pattern.needs(self.initiator);
        let k = self.keys(suite);
        (!own || k.is_some_and(|k| k.local.is_some())) && (!peer || k.is_some_and(|k| k.remote.is_some()))
    }
}

enum Phase {
    AwaitChoice { offer: Vec<u8> },
    AwaitOffer,
    Handshake { hs: Box<dyn Handshake>, entry: Entry },
    Transport { t: Box<dyn Transport>, entry: Entry },
    Dead,
}

pub struct Channel<R: Rng + 'static> {
    cfg: Config,
    phase: Phase,
    /// The frame being read: its 2 length bytes and up to `len` body bytes, never more.
    frame: Vec<u8>,
    out: Vec<u8>,
    plaintext: Vec<u8>,
    /// Data written before the handshake completed (sent right after it).
    pending: Vec<u8>,
    close_pending: bool,
    sent_close: bool,
    peer_closed: bool,
    failure: Option<ChannelError>,
    chosen: Option<Entry>,
    /// The pattern the handshake runs (the initiator's, or the offer's the responder accepted).
    pattern: Option<Pattern>,
    remote_static: Option<Vec<u8>>,
    handshake_hash: Option<Vec<u8>>,
    sent_messages: u64,
    sent_bytes: u64,
    _rng: PhantomData<R>,
}

fn frame(out: &mut Vec<u8>, body: &[u8]) -> Result<(), ChannelError> {
    if body.len() > MAX_FRAME_BODY {
        return Err(ChannelError::Protocol);
    }
    out.extend_from_slice(&(body.len() as u16).to_be_bytes());
    out.extend_from_slice(body);
    Ok(())
}

impl<R: Rng + 'static> Channel<R> {
    /// Checks the configuration; an initiator queues its offer.
    pub fn new(cfg: Config) -> Result<Channel<R>, ChannelError> {
        let entries_ok = !cfg.entries.is_empty()
            && cfg.entries.len() <= neg::MAX_OFFER_ENTRIES
            && cfg.entries.iter().all(Entry::runnable)
            && !cfg.patterns.is_empty();
        if !entries_ok {
            return Err(ChannelError::Negotiation);
        }
        let mut ch = Channel {
            phase: Phase::AwaitOffer,
            frame: Vec::new(),
            out: Vec::new(),
            plaintext: Vec::new(),
            pending: Vec::new(),
            close_pending: false,
            sent_close: false,
            peer_closed: false,
            failure: None,
            chosen: None,
            pattern: None,
            remote_static: None,
            handshake_hash: None,
            sent_messages: 0,
            sent_bytes: 0,
            _rng: PhantomData,
            cfg,
        };
        if ch.cfg.initiator {
            let pattern = ch.cfg.patterns[0];
            // §6.5: the initiator offers only entries for whose suite it holds the keys.
            if ch.cfg.patterns.len() != 1 || !ch.cfg.entries.iter().all(|e| ch.cfg.has_keys_for(pattern, e.suite)) {
                return Err(ChannelError::Negotiation);
            }
            let offer = neg::encode_offer(pattern, &ch.cfg.entries)?;
            frame(&mut ch.out, &offer)?;
            ch.phase = Phase::AwaitChoice { offer };
        }
        Ok(ch)
    }

    fn fail(&mut self, e: ChannelError) -> ChannelError {
        // §6.6: a failed channel releases nothing more and sends nothing more.
        self.phase = Phase::Dead;
        self.failure = Some(e);
        self.out.clear();
        self.plaintext.zeroize();
        self.plaintext.clear();
        self.pending.zeroize();
        self.pending.clear();
        self.frame.zeroize();
        self.frame.clear();
        e
    }

    fn alive(&self) -> Result<(), ChannelError> {
        if self.failure.is_some() {
            Err(ChannelError::Closed)
        } else {
            Ok(())
        }
    }

    /// Bytes received from the peer. Returns how many were taken: fewer than
    /// given only while MAX_PENDING_PLAINTEXT bytes wait to be `read`.
    pub fn feed(&mut self, mut data: &[u8]) -> Result<usize, ChannelError> {
        self.alive()?;
        let given = data.len();
        while !data.is_empty() && self.plaintext.len() < MAX_PENDING_PLAINTEXT {
            let need = if self.frame.len() < 2 {
                2 - self.frame.len()
            } else {
                2 + u16::from_be_bytes([self.frame[0], self.frame[1]]) as usize - self.frame.len()
            };
            let take = need.min(data.len());
            self.frame.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.frame.len() >= 2 && self.frame.len() == 2 + u16::from_be_bytes([self.frame[0], self.frame[1]]) as usize {
                let body = core::mem::take(&mut self.frame);
                let r = self.on_frame(&body[2..]);
                if let Err(e) = r {
                    return Err(if matches!(self.phase, Phase::Dead) && self.failure.is_some() { e } else { self.fail(e) });
                }
            }
        }
        Ok(given - data.len())
    }

    /// The byte stream ended (§6.6: before the peer's close it is truncated).
    pub fn feed_end(&mut self) -> Result<(), ChannelError> {
        self.alive()?;
        if self.peer_closed && self.frame.is_empty() {
            Ok(())
        } else {
            Err(self.fail(ChannelError::Truncated))
        }
    }

    fn on_frame(&mut self, body: &[u8]) -> Result<(), ChannelError> {
        match core::mem::replace(&mut self.phase, Phase::Dead) {
            Phase::AwaitChoice { offer } => {
                let entry = neg::decode_answer(body, &self.cfg.entries)?;
                let prologue = neg::prologue(&offer, body);
                self.start_handshake(entry, self.cfg.patterns[0], &prologue)?;
                self.advance()
            }
            Phase::AwaitOffer => self.on_offer(body),
            Phase::Handshake { mut hs, entry } => {
                hs.read(body)?;
                self.check_peer_key(hs.remote_static(), entry.suite)?;
                self.phase = Phase::Handshake { hs, entry };
                self.advance()
            }
            Phase::Transport { mut t, entry } => {
                let r = self.on_transport(&mut *t, body);
                self.phase = Phase::Transport { t, entry };
                r
            }
            Phase::Dead => Err(ChannelError::Closed),
        }
    }

    fn on_offer(&mut self, body: &[u8]) -> Result<(), ChannelError> {
        let refuse = |ch: &mut Self, reason: u8| -> ChannelError {
            let e = ch.fail(ChannelError::Negotiation);
            // §6.6: the refusal is the one thing a failed responder still sends.
            let _ = frame(&mut ch.out, &[neg::MESSAGE_REFUSAL, reason]);
            e
        };
        let offer = match neg::decode_offer(body) {
            Ok(o) => o,
            Err(reason) => return Err(refuse(self, reason)),
        };
        if !self.cfg.patterns.contains(&offer.pattern) {
            return Err(refuse(self, neg::REFUSAL_PATTERN));
        }
        // §6.5: our first parameter the offer holds, for whose suite we hold a static key.
        let pick = self.cfg.entries.iter().copied().find(|e| offer.entries.contains(e) && self.cfg.has_keys_for(offer.pattern, e.suite));
        let Some(entry) = pick else {
            return Err(refuse(self, neg::REFUSAL_NO_COMMON));
        };
        let choice = neg::encode_choice(&entry);
        frame(&mut self.out, &choice)?;
        let prologue = neg::prologue(body, &choice);
        self.start_handshake(entry, offer.pattern, &prologue)
    }

    fn start_handshake(&mut self, entry: Entry, pattern: Pattern, prologue: &[u8]) -> Result<(), ChannelError> {
        let keys = self.cfg.keys(entry.suite);
        let (_, peer_needed) = pattern.needs(self.cfg.initiator);
        let params = HandshakeParams {
            pattern,
            initiator: self.cfg.initiator,
            prologue,
            local: keys.and_then(|k| k.local.as_ref()),
            remote: if peer_needed { keys.and_then(|k| k.remote.as_deref()) } else { None },
        };
        let hs = new_handshake::<R>(&entry, self.cfg.mlkem768, &params)?;
        self.chosen = Some(entry);
        self.pattern = Some(pattern);
        self.phase = Phase::Handshake { hs, entry };
        Ok(())
    }

    fn check_peer_key(&mut self, got: Option<Vec<u8>>, suite: u16) -> Result<(), ChannelError> {
        if let Some(got) = got {
            if let Some(pinned) = self.cfg.keys(suite).and_then(|k| k.remote.as_ref()) {
                if *pinned != got {
                    return Err(ChannelError::PeerKey);
                }
            }
            self.remote_static = Some(got);
        }
        Ok(())
    }

    /// Writes our handshake messages while it is our turn; on completion,
    /// Split() and send what was written meanwhile.
    fn advance(&mut self) -> Result<(), ChannelError> {
        let Phase::Handshake { hs, .. } = &mut self.phase else { return Ok(()) };
        while !hs.is_finished() && hs.is_write_turn() {
            let m = hs.write()?;
            frame(&mut self.out, &m)?;
        }
        if !hs.is_finished() {
            return Ok(());
        }
        let Phase::Handshake { hs, entry } = core::mem::replace(&mut self.phase, Phase::Dead) else { unreachable!() };
        let t = hs.finish()?;
        self.handshake_hash = Some(t.handshake_hash());
        self.phase = Phase::Transport { t, entry };
        let pending = core::mem::take(&mut self.pending);
        let r = self.send_data(&pending);
        let mut pending = pending;
        pending.zeroize();
        r?;
        if self.close_pending {
            self.send_close()?;
        }
        Ok(())
    }

    fn on_transport(&mut self, t: &mut dyn Transport, body: &[u8]) -> Result<(), ChannelError> {
        if self.peer_closed {
            return Err(ChannelError::Protocol);
        }
        let mut pt = t.open(body)?;
        let r = match pt.first().copied() {
            Some(TYPE_DATA) => {
                self.plaintext.extend_from_slice(&pt[1..]);
                Ok(())
            }
            // Noise §11.3: the reader rekeys after the sender's rekey message.
            Some(TYPE_REKEY) if pt.len() == 1 => t.rekey_receive(),
            Some(TYPE_CLOSE) if pt.len() == 1 => {
                self.peer_closed = true;
                Ok(())
            }
            _ => Err(ChannelError::Protocol),
        };
        pt.zeroize();
        r
    }

    fn with_transport<T>(&mut self, f: impl FnOnce(&mut Self, &mut dyn Transport) -> Result<T, ChannelError>) -> Result<T, ChannelError> {
        let Phase::Transport { mut t, entry } = core::mem::replace(&mut self.phase, Phase::Dead) else { unreachable!() };
        let r = f(self, &mut *t);
        self.phase = Phase::Transport { t, entry };
        r
    }

    fn seal_message(&mut self, t: &mut dyn Transport, ty: u8, data: &[u8]) -> Result<(), ChannelError> {
        let mut pt = Vec::with_capacity(1 + data.len());
        pt.push(ty);
        pt.extend_from_slice(data);
        let r = t.seal(&pt);
        pt.zeroize();
        frame(&mut self.out, &r?)
    }

    fn send_data(&mut self, data: &[u8]) -> Result<(), ChannelError> {
        if data.is_empty() {
            return Ok(());
        }
        self.with_transport(|ch, t| {
            for chunk in data.chunks(MAX_DATA_PER_MESSAGE) {
                // §6.6's rekey policy, before the data message that would pass a limit.
                if ch.sent_messages >= ch.cfg.rekey_after_messages || ch.sent_bytes + chunk.len() as u64 > ch.cfg.rekey_after_bytes {
                    ch.seal_message(t, TYPE_REKEY, &[])?;
                    t.rekey_send()?;
                    ch.sent_messages = 0;
                    ch.sent_bytes = 0;
                }
                ch.seal_message(t, TYPE_DATA, chunk)?;
                ch.sent_messages += 1;
                ch.sent_bytes += chunk.len() as u64;
            }
            Ok(())
        })
    }

    fn send_close(&mut self) -> Result<(), ChannelError> {
        self.with_transport(|ch, t| ch.seal_message(t, TYPE_CLOSE, &[]))?;
        self.sent_close = true;
        self.close_pending = false;
        Ok(())
    }

    /// Plaintext to send; held until the handshake completes.
    pub fn write(&mut self, data: &[u8]) -> Result<(), ChannelError> {
        self.alive()?;
        if self.sent_close || self.close_pending {
            return Err(ChannelError::Closed);
        }
        match self.phase {
            Phase::Transport { .. } => self.send_data(data).map_err(|e| self.fail(e)),
            _ => {
                self.pending.extend_from_slice(data);
                Ok(())
            }
        }
    }

    /// Sends a rekey message and rekeys the sending key (Noise §11.3).
    pub fn rekey(&mut self) -> Result<(), ChannelError> {
        self.alive()?;
        if self.sent_close || !matches!(self.phase, Phase::Transport { .. }) {
            return Err(ChannelError::Closed);
        }
        let r = self.with_transport(|ch, t| {
            ch.seal_message(t, TYPE_REKEY, &[])?;
            t.rekey_send()
        });
        self.sent_messages = 0;
        self.sent_bytes = 0;
        r.map_err(|e| self.fail(e))
    }

    /// Sends the close message (after any data held for the handshake).
    pub fn close(&mut self) -> Result<(), ChannelError> {
        self.alive()?;
        if self.sent_close || self.close_pending {
            return Ok(());
        }
        match self.phase {
            Phase::Transport { .. } => self.send_close().map_err(|e| self.fail(e)),
            _ => {
                self.close_pending = true;
                Ok(())
            }
        }
    }

    /// Moves up to `buf.len()` bytes of frames to send into `buf`.
    pub fn take_output(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.out.len());
        buf[..n].copy_from_slice(&self.out[..n]);
        self.out.drain(..n);
        n
    }

    /// All frames to send.
    pub fn take_all_output(&mut self) -> Vec<u8> {
        core::mem::take(&mut self.out)
    }

    /// Moves up to `buf.len()` bytes of authenticated plaintext into `buf`.
    pub fn read(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.plaintext.len());
        buf[..n].copy_from_slice(&self.plaintext[..n]);
        self.plaintext[..n].zeroize();
        self.plaintext.drain(..n);
        n
    }

    pub fn output_len(&self) -> usize {
        self.out.len()
    }
    pub fn plaintext_len(&self) -> usize {
        self.plaintext.len()
    }
    pub fn is_established(&self) -> bool {
        self.handshake_hash.is_some() && self.failure.is_none()
    }
    pub fn peer_closed(&self) -> bool {
        self.peer_closed
    }
    pub fn sent_close(&self) -> bool {
        self.sent_close
    }
    pub fn failure(&self) -> Option<ChannelError> {
        self.failure
    }
    /// The entry the responder chose (once known).
    pub fn chosen(&self) -> Option<Entry> {
        self.chosen
    }
    /// The pattern of the handshake (once it started).
    pub fn pattern(&self) -> Option<Pattern> {
        self.pattern
    }
    /// The Noise handshake hash h (once established).
    pub fn handshake_hash(&self) -> Option<&[u8]> {
        self.handshake_hash.as_deref()
    }
    /// The peer's static public key (given or learned; once known).
    pub fn remote_static(&self) -> Option<&[u8]> {
        self.remote_static.as_deref()
    }
}

impl<R: Rng + 'static> Drop for Channel<R> {
    fn drop(&mut self) {
        self.plaintext.zeroize();
        self.pending.zeroize();
        self.frame.zeroize();
    }
}
