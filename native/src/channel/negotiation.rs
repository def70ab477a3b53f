//! Offer, choice, refusal and prologue of spec/TRANSPORT.md §6.4 (the same
//! rules as packages/transport/src/channel/negotiation.ts).
use super::error::ChannelError;

pub const CHANNEL_VERSION: u8 = 0x01;
pub const MESSAGE_OFFER: u8 = 0x01;
pub const MESSAGE_CHOICE: u8 = 0x02;
pub const MESSAGE_REFUSAL: u8 = 0x03;
pub const MAX_OFFER_ENTRIES: usize = 16;
/// The header's HYBRIDKEM_CHANNEL_ENTRY_LEN (one copy, in channel/ffi.rs).
pub use super::ffi::HYBRIDKEM_CHANNEL_ENTRY_LEN as ENTRY_LEN;

pub const MODE_CLASSICAL: u8 = 0x01;
pub const MODE_HYBRID: u8 = 0x02;
pub const MODE_PQ_ONLY: u8 = 0x03;
pub const CIPHER_CHACHAPOLY: u8 = 0x01;
pub const CIPHER_AESGCM: u8 = 0x02;
pub const HASH_SHA256: u8 = 0x01;
pub const HASH_SHA512: u8 = 0x02;

pub const REFUSAL_NO_COMMON: u8 = 0x01;
pub const REFUSAL_PATTERN: u8 = 0x02;
pub const REFUSAL_MALFORMED: u8 = 0x03;

/// §6.4's prologue label (the bytes before 0x00).
pub const PROLOGUE_LABEL: &[u8] = b"hybridkem/v1/channel";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    // The header's HYBRIDKEM_CHANNEL_PATTERN_* ids.
    PqNk = super::ffi::HYBRIDKEM_CHANNEL_PATTERN_PQNK as isize,
    PqIk = super::ffi::HYBRIDKEM_CHANNEL_PATTERN_PQIK as isize,
    PqXx = super::ffi::HYBRIDKEM_CHANNEL_PATTERN_PQXX as isize,
}

impl Pattern {
    pub fn from_id(id: u8) -> Option<Pattern> {
        match id {
            1 => Some(Pattern::PqNk),
            2 => Some(Pattern::PqIk),
            3 => Some(Pattern::PqXx),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Pattern::PqNk => "pqNK",
            Pattern::PqIk => "pqIK",
            Pattern::PqXx => "pqXX",
        }
    }
    /// (own static key, peer's static key known before the handshake) that
    /// a side needs (§6.1: the responder always has a static key).
    pub fn needs(self, initiator: bool) -> (bool, bool) {
        match (self, initiator) {
            (Pattern::PqNk, true) => (false, true),
            (Pattern::PqIk, true) => (true, true),
            (Pattern::PqXx, true) => (true, false),
            (_, false) => (true, false),
        }
    }
}

/// `version ‖ mode id ‖ suite id (2 bytes, big-endian) ‖ cipher id ‖ hash id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    pub version: u8,
    pub mode: u8,
    pub suite: u16,
    pub cipher: u8,
    pub hash: u8,
}

impl Entry {
    pub fn new(mode: u8, suite: u16, cipher: u8, hash: u8) -> Entry {
        Entry { version: CHANNEL_VERSION, mode, suite, cipher, hash }
    }
    pub fn encode(&self) -> [u8; ENTRY_LEN] {
        let s = self.suite.to_be_bytes();
        [self.version, self.mode, s[0], s[1], self.cipher, self.hash]
    }
    pub fn decode(b: &[u8]) -> Entry {
        Entry { version: b[0], mode: b[1], suite: u16::from_be_bytes([b[2], b[3]]), cipher: b[4], hash: b[5] }
    }
    /// §6.2: the entry's mode is the one its suite belongs to.
    pub fn mode_matches_suite(&self) -> bool {
        match self.mode {
            MODE_CLASSICAL => self.suite == 0x0020,
            MODE_HYBRID => matches!(self.suite, 0x647a | 0xff01 | 0xff02 | 0xff03 | 0xff04 | 0x0050 | 0x0051),
            MODE_PQ_ONLY => matches!(self.suite, 0x0041 | 0x0042),
            _ => false,
        }
    }
    /// Version 1 and a suite/mode/cipher/hash this build runs.
    pub fn runnable(&self) -> bool {
        self.version == CHANNEL_VERSION && self.mode_matches_suite() && super::engine::supported(self)
    }
}

/// The mode a suite belongs to (§6.2).
pub fn suite_mode(suite: u16) -> Option<u8> {
    [MODE_CLASSICAL, MODE_HYBRID, MODE_PQ_ONLY].into_iter().find(|&m| Entry::new(m, suite, 0, 0).mode_matches_suite())
}

/// `0x01 ‖ version ‖ pattern id ‖ count ‖ entry × count`.
pub fn encode_offer(pattern: Pattern, entries: &[Entry]) -> Result<Vec<u8>, ChannelError> {
    if entries.is_empty() || entries.len() > MAX_OFFER_ENTRIES {
        return Err(ChannelError::Negotiation);
    }
    let mut out = vec![MESSAGE_OFFER, CHANNEL_VERSION, pattern as u8, entries.len() as u8];
    for e in entries {
        out.extend_from_slice(&e.encode());
    }
    Ok(out)
}

/// A decoded offer, or the refusal reason it deserves.
pub struct Offer {
    pub pattern: Pattern,
    pub entries: Vec<Entry>,
}

pub fn decode_offer(b: &[u8]) -> Result<Offer, u8> {
    if b.len() < 4 || b[0] != MESSAGE_OFFER || b[1] != CHANNEL_VERSION {
        return Err(REFUSAL_MALFORMED);
    }
    let count = b[3] as usize;
    if count == 0 || count > MAX_OFFER_ENTRIES || b.len() != 4 + ENTRY_LEN * count {
        return Err(REFUSAL_MALFORMED);
    }
    let pattern = Pattern::from_id(b[2]).ok_or(REFUSAL_PATTERN)?;
    let entries: Vec<Entry> = b[4..].chunks_exact(ENTRY_LEN).map(Entry::decode).collect();
    for (i, e) in entries.iter().enumerate() {
        if entries[..i].contains(e) {
            return Err(REFUSAL_MALFORMED);
        }
    }
    Ok(Offer { pattern, entries })
}

pub fn encode_choice(e: &Entry) -> Vec<u8> {
    let mut out = vec![MESSAGE_CHOICE];
    out.extend_from_slice(&e.encode());
    out
}

/// The initiator reads the responder's answer: a choice that is one of the
/// offer's entries, byte for byte; a refusal or anything else fails.
pub fn decode_answer(b: &[u8], offered: &[Entry]) -> Result<Entry, ChannelError> {
    if b.len() != 1 + ENTRY_LEN || b[0] != MESSAGE_CHOICE {
        return Err(ChannelError::Negotiation);
    }
    let e = Entry::decode(&b[1..]);
    if offered.contains(&e) {
        Ok(e)
    } else {
        Err(ChannelError::Negotiation)
    }
}

/// `"hybridkem/v1/channel" ‖ 0x00 ‖ offer ‖ choice`.
pub fn prologue(offer: &[u8], choice: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(PROLOGUE_LABEL.len() + 1 + offer.len() + choice.len());
    p.extend_from_slice(PROLOGUE_LABEL);
    p.push(0);
    p.extend_from_slice(offer);
    p.extend_from_slice(choice);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_round_trip_and_malformed_offers() {
        let e =
            [Entry::new(MODE_HYBRID, 0x647a, CIPHER_CHACHAPOLY, HASH_SHA256), Entry::new(MODE_PQ_ONLY, 0x0041, CIPHER_AESGCM, HASH_SHA512)];
        let o = encode_offer(Pattern::PqXx, &e).unwrap();
        assert_eq!(&o[..10], &[1, 1, 3, 2, 1, 2, 0x64, 0x7a, 1, 1]);
        let d = decode_offer(&o).unwrap();
        assert_eq!((d.pattern, d.entries.as_slice()), (Pattern::PqXx, &e[..]));
        assert_eq!(decode_offer(&o[..o.len() - 1]).err(), Some(REFUSAL_MALFORMED));
        let dup = encode_offer(Pattern::PqXx, &[e[0], e[0]]).unwrap();
        assert_eq!(decode_offer(&dup).err(), Some(REFUSAL_MALFORMED));
        let mut unknown = o.clone();
        unknown[2] = 9;
        assert_eq!(decode_offer(&unknown).err(), Some(REFUSAL_PATTERN));
        assert!(encode_offer(Pattern::PqNk, &[e[0]; 17]).is_err());
        assert_eq!(decode_answer(&encode_choice(&e[1]), &e), Ok(e[1]));
        assert_eq!(decode_answer(&[MESSAGE_REFUSAL, 1], &e), Err(ChannelError::Negotiation));
        let other = Entry::new(MODE_HYBRID, 0x647a, CIPHER_AESGCM, HASH_SHA256);
        assert_eq!(decode_answer(&encode_choice(&other), &e), Err(ChannelError::Negotiation));
        assert_eq!(&prologue(&[1], &[2])[..], b"hybridkem/v1/channel\x00\x01\x02");
    }
}
