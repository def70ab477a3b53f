//! The channel's C ABI (`hybridkem_channel_*` in include/hybridkem.h). Every
//! function runs behind the crate's one panic boundary (`crate::ffi::boundary`),
//! checks NULL pointers first, copies its inputs and never keeps a caller's
//! pointer. A channel is not thread-safe: one thread at a time per channel.
use crate::ffi::{boundary, require_non_null, Out, Status};
use hybridkem_suites as suites;

use super::ffi_support::{check_output, check_static_key_lens, free, input, local_static_key, output};
use super::negotiation::{Entry, Pattern, ENTRY_LEN, MAX_OFFER_ENTRIES};
use super::state::{Channel, Config, SuiteKeys};
use super::AwsLcRng;

/// The opaque `hybridkem_channel`: its configuration until started, then the channel.
pub struct HybridkemChannel {
    config: Option<Config>,
    channel: Option<Channel<AwsLcRng>>,
}

pub const HYBRIDKEM_CHANNEL_INITIATOR: u32 = 0;
pub const HYBRIDKEM_CHANNEL_RESPONDER: u32 = 1;

pub const HYBRIDKEM_CHANNEL_ESTABLISHED: u32 = 1;
pub const HYBRIDKEM_CHANNEL_PEER_CLOSED: u32 = 2;
pub const HYBRIDKEM_CHANNEL_SENT_CLOSE: u32 = 4;
pub const HYBRIDKEM_CHANNEL_FAILED: u32 = 8;

unsafe fn channel<'a>(ch: *mut HybridkemChannel) -> Result<&'a mut HybridkemChannel, Status> {
    ch.as_mut().ok_or(Status::NullPointer)
}

fn started(ch: &mut HybridkemChannel) -> Result<&mut Channel<AwsLcRng>, Status> {
    ch.channel.as_mut().ok_or(Status::ChannelClosed)
}

/// hybridkem_channel_take_output and hybridkem_channel_read: `take` moves up
/// to `cap` bytes into `out`; `*written` says how many.
unsafe fn take_into(
    ch: *mut HybridkemChannel,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
    take: fn(&mut Channel<AwsLcRng>, &mut [u8]) -> usize,
) -> i32 {
    boundary(&[Out::value(written)], || {
        check_output(out, cap, written)?;
        let ch = started(channel(ch)?)?;
        *written = take(ch, output(out, cap));
        Ok(())
    })
}

/// Creates a channel. `role`: HYBRIDKEM_CHANNEL_INITIATOR or _RESPONDER.
/// `patterns`: the initiator's one pattern id (1 pqNK, 2 pqIK, 3 pqXX); the
/// responder's accepted patterns as a bit mask (1 << id). `entries`: 6-byte
/// entries of spec/TRANSPORT.md §6.4, 1 to 16 (the initiator's offer in
/// order; the responder's preference order).
///
/// # Safety
/// `entries` points to `entries_len` readable bytes; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_new(
    role: u32,
    patterns: u32,
    entries: *const u8,
    entries_len: usize,
    out: *mut *mut HybridkemChannel,
) -> i32 {
    boundary(&[], || {
        require_non_null!(entries, out);
        *out = core::ptr::null_mut();
        if entries_len == 0 || entries_len % ENTRY_LEN != 0 || entries_len / ENTRY_LEN > MAX_OFFER_ENTRIES {
            return Err(Status::InvalidLength);
        }
        let initiator = match role {
            HYBRIDKEM_CHANNEL_INITIATOR => true,
            HYBRIDKEM_CHANNEL_RESPONDER => false,
            _ => return Err(Status::ChannelNegotiation),
        };
        let pats: Vec<Pattern> = if initiator {
            vec![u8::try_from(patterns).ok().and_then(Pattern::from_id).ok_or(Status::ChannelNegotiation)?]
        } else {
            if patterns & !0b1110 != 0 || patterns == 0 {
                return Err(Status::ChannelNegotiation);
            }
            (1..=3u8).filter(|id| patterns & (1 << id) != 0).filter_map(Pattern::from_id).collect()
        };
        let list: Vec<Entry> = core::slice::from_raw_parts(entries, entries_len).chunks_exact(ENTRY_LEN).map(Entry::decode).collect();
        if !list.iter().all(Entry::runnable) {
            return Err(Status::ChannelNegotiation);
        }
        let ch = Box::new(HybridkemChannel { config: Some(Config::new(initiator, pats, list)), channel: None });
        *out = Box::into_raw(ch);
        Ok(())
    })
}

/// Keys for one suite, before hybridkem_channel_start: our static private key
/// (the suite's seed, spec/WIRE-FORMAT.md §1; its public key is derived) and
/// the peer's static public key; either may be absent (NULL and length 0).
/// A later call for the same suite replaces the earlier one.
///
/// # Safety
/// Each non-NULL pointer points to its length in readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_set_keys(
    ch: *mut HybridkemChannel,
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    remote_public_key: *const u8,
    remote_public_key_len: usize,
) -> i32 {
    boundary(&[], || {
        let ch = channel(ch)?;
        let sk = input(private_key, private_key_len)?;
        let rpk = input(remote_public_key, remote_public_key_len)?;
        let suite = suites::suite(suite_id).ok_or(Status::UnknownSuite)?;
        let cfg = ch.config.as_mut().ok_or(Status::ChannelClosed)?;
        check_static_key_lens(suite, sk, rpk)?;
        let local = local_static_key(suite, sk)?;
        let remote = (!rpk.is_empty()).then(|| rpk.to_vec());
        cfg.keys.retain(|k| k.suite != suite_id);
        cfg.keys.push(SuiteKeys { suite: suite_id, local, remote });
        Ok(())
    })
}

/// Starts the channel: checks the configuration; an initiator queues its offer.
///
/// # Safety
/// `ch` is a channel from hybridkem_channel_new.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_start(ch: *mut HybridkemChannel) -> i32 {
    boundary(&[], || {
        let ch = channel(ch)?;
        let cfg = ch.config.take().ok_or(Status::ChannelClosed)?;
        ch.channel = Some(Channel::new(cfg)?);
        Ok(())
    })
}

/// Bytes received from the peer; `*consumed` of them were taken (fewer than
/// `len` only while unread plaintext is at its bound: read, then feed the rest).
///
/// # Safety
/// `data` points to `len` readable bytes; `consumed` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_feed(ch: *mut HybridkemChannel, data: *const u8, len: usize, consumed: *mut usize) -> i32 {
    boundary(&[Out::value(consumed)], || {
        require_non_null!(consumed);
        let ch = channel(ch)?;
        let data = input(data, len)?.to_vec();
        *consumed = started(ch)?.feed(&data)?;
        Ok(())
    })
}

/// The peer's byte stream ended: OK after its close, else ERR_CHANNEL_TRUNCATED.
///
/// # Safety
/// `ch` is a channel from hybridkem_channel_new.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_feed_end(ch: *mut HybridkemChannel) -> i32 {
    boundary(&[], || Ok(started(channel(ch)?)?.feed_end()?))
}

/// Plaintext to send (split into messages of at most 65518 bytes; held
/// until the handshake completes).
///
/// # Safety
/// `data` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_write(ch: *mut HybridkemChannel, data: *const u8, len: usize) -> i32 {
    boundary(&[], || {
        let ch = channel(ch)?;
        let data = input(data, len)?.to_vec();
        Ok(started(ch)?.write(&data)?)
    })
}

/// Sends a rekey message and rekeys the sending direction.
///
/// # Safety
/// `ch` is a channel from hybridkem_channel_new.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_rekey(ch: *mut HybridkemChannel) -> i32 {
    boundary(&[], || Ok(started(channel(ch)?)?.rekey()?))
}

/// Sends the close message: nothing more is written after it.
///
/// # Safety
/// `ch` is a channel from hybridkem_channel_new.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_close(ch: *mut HybridkemChannel) -> i32 {
    boundary(&[], || Ok(started(channel(ch)?)?.close()?))
}

/// Moves up to `cap` bytes to send to the peer into `out`; `*written` says how many.
///
/// # Safety
/// `out` points to `cap` writable bytes; `written` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_take_output(ch: *mut HybridkemChannel, out: *mut u8, cap: usize, written: *mut usize) -> i32 {
    take_into(ch, out, cap, written, Channel::take_output)
}

/// Moves up to `cap` bytes of authenticated plaintext into `out`.
///
/// # Safety
/// `out` points to `cap` writable bytes; `written` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_read(ch: *mut HybridkemChannel, out: *mut u8, cap: usize, written: *mut usize) -> i32 {
    take_into(ch, out, cap, written, Channel::read)
}

/// State flags (HYBRIDKEM_CHANNEL_ESTABLISHED | _PEER_CLOSED | _SENT_CLOSE |
/// _FAILED), bytes waiting to be sent and plaintext bytes waiting to be read.
///
/// # Safety
/// `flags`, `output_len`, `plaintext_len` are writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_state(
    ch: *mut HybridkemChannel,
    flags: *mut u32,
    output_len: *mut usize,
    plaintext_len: *mut usize,
) -> i32 {
    boundary(&[], || {
        require_non_null!(flags, output_len, plaintext_len);
        let ch = started(channel(ch)?)?;
        let mut f = 0;
        if ch.is_established() {
            f |= HYBRIDKEM_CHANNEL_ESTABLISHED;
        }
        if ch.peer_closed() {
            f |= HYBRIDKEM_CHANNEL_PEER_CLOSED;
        }
        if ch.sent_close() {
            f |= HYBRIDKEM_CHANNEL_SENT_CLOSE;
        }
        if ch.failure().is_some() {
            f |= HYBRIDKEM_CHANNEL_FAILED;
        }
        *flags = f;
        *output_len = ch.output_len();
        *plaintext_len = ch.plaintext_len();
        Ok(())
    })
}

/// After the handshake: the chosen entry (6 bytes), the handshake hash (32
/// bytes for SHA256, 64 for SHA512; `*hash_len` says which; `hash_cap` ≥ 64
/// always fits) and the peer's static public key (`*remote_len` bytes;
/// `remote_cap` ≥ the suite's public key length fits).
///
/// # Safety
/// `entry` has 6 writable bytes; `hash`/`remote` their caps; the lengths are writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_info(
    ch: *mut HybridkemChannel,
    entry: *mut u8,
    hash: *mut u8,
    hash_cap: usize,
    hash_len: *mut usize,
    remote: *mut u8,
    remote_cap: usize,
    remote_len: *mut usize,
) -> i32 {
    boundary(&[], || {
        require_non_null!(entry, hash, hash_len, remote, remote_len);
        let ch = started(channel(ch)?)?;
        if !ch.is_established() {
            return Err(Status::ChannelClosed);
        }
        let h = ch.handshake_hash().unwrap_or(&[]);
        let r = ch.remote_static().unwrap_or(&[]);
        if hash_cap < h.len() || remote_cap < r.len() {
            return Err(Status::InvalidLength);
        }
        core::slice::from_raw_parts_mut(entry, ENTRY_LEN).copy_from_slice(&ch.chosen().map(|e| e.encode()).unwrap_or_default());
        core::slice::from_raw_parts_mut(hash, h.len()).copy_from_slice(h);
        *hash_len = h.len();
        core::slice::from_raw_parts_mut(remote, r.len()).copy_from_slice(r);
        *remote_len = r.len();
        Ok(())
    })
}

/// After the handshake: the pattern it ran (1 pqNK, 2 pqIK, 3 pqXX) — a
/// responder accepting several learns which one the initiator chose.
///
/// # Safety
/// `pattern_id` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_pattern(ch: *mut HybridkemChannel, pattern_id: *mut u32) -> i32 {
    boundary(&[Out::value(pattern_id)], || {
        require_non_null!(pattern_id);
        let ch = started(channel(ch)?)?;
        if !ch.is_established() {
            return Err(Status::ChannelClosed);
        }
        *pattern_id = ch.pattern().ok_or(Status::ChannelClosed)? as u32;
        Ok(())
    })
}

/// Frees the channel and wipes its keys and buffers. NULL is a no-op.
///
/// # Safety
/// `ch` came from hybridkem_channel_new and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_free(ch: *mut HybridkemChannel) {
    free(ch)
}
