//! The channel's C ABI (`hybridkem_channel_*` in include/hybridkem.h). Every
//! function runs behind the crate's one panic boundary (`crate::ffi::boundary`),
//! checks NULL pointers first, copies its inputs and never keeps a caller's
//! pointer. A channel is not thread-safe: one thread at a time per channel.
//! The `///` docs of the C entry points are include/hybridkem.h's (cbindgen
//! copies them); their safety requirements are the header's CONVENTIONS.
#![allow(clippy::missing_safety_doc)]
use crate::ffi::{boundary, require_non_null, Out, Status};
use hybridkem_suites as suites;

use super::ffi_support::{check_output, check_static_key_lens, free, input, local_static_key, output};
use super::negotiation::{Entry, Pattern, ENTRY_LEN, MAX_OFFER_ENTRIES};
use super::state::{Channel, Config, SuiteKeys};
use super::AwsLcRng;

/// A Noise channel (opaque; see hybridkem_channel_new).
// Its configuration until started, then the channel.
pub struct HybridkemChannel {
    config: Option<Config>,
    channel: Option<Channel<AwsLcRng>>,
}

/// ---- The Noise channel (spec/TRANSPORT.md §6) ----
///
/// A sans-IO channel: the library does no I/O. The caller moves bytes: what
/// hybridkem_channel_take_output gives goes to the peer; what the peer sent
/// goes into hybridkem_channel_feed; authenticated plaintext comes out of
/// hybridkem_channel_read. PQNoise patterns pqNK / pqIK / pqXX over any suite
/// above, ChaChaPoly or AESGCM, SHA256 or SHA512; the offer/choice/refusal and
/// prologue of §6.4, 2-byte frames (§6.3), transport messages data / rekey /
/// close (§6.5), rekey after 2^20 messages or 2^30 bytes (§6.6).
///
/// The one exception to "never allocates what the caller frees": a channel is
/// allocated by hybridkem_channel_new and freed (keys and buffers wiped) by
/// hybridkem_channel_free. A channel is not thread-safe: use it from one thread
/// at a time. After any channel status (10-16) the channel is dead: it
/// releases no more plaintext, gives no more output (except a refusal it
/// queued) and every later call is HYBRIDKEM_ERR_CHANNEL_CLOSED.
///
/// Sequence: new -> set_keys (per suite) -> start -> loop { take_output /
/// feed / read / write } -> close -> feed_end -> free.
pub const HYBRIDKEM_CHANNEL_INITIATOR: u32 = 0;
pub const HYBRIDKEM_CHANNEL_RESPONDER: u32 = 1;
pub const HYBRIDKEM_CHANNEL_PATTERN_PQNK: u32 = 1;
pub const HYBRIDKEM_CHANNEL_PATTERN_PQIK: u32 = 2;
pub const HYBRIDKEM_CHANNEL_PATTERN_PQXX: u32 = 3;
/// Entry bytes (§6.4): version 0x01, mode (1 classical, 2 hybrid, 3 pq-only),
/// suite id big-endian, cipher (1 ChaChaPoly, 2 AESGCM), hash (1 SHA256,
/// 2 SHA512).
pub const HYBRIDKEM_CHANNEL_ENTRY_LEN: usize = 6;
/// hybridkem_channel_state flags.
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

/// role: INITIATOR or RESPONDER. patterns: the initiator's pattern id; the
/// responder's accepted patterns as a mask of (1 << id). entries: 1..16
/// entries of 6 bytes — the initiator's offer in order, the responder's
/// preferences in order; every entry must be one this library runs, its mode
/// the suite's (§6.2). *out is NULL on failure.
/// Errors: NULL_POINTER, INVALID_LENGTH (entries_len not 6..96 in steps of 6),
/// CHANNEL_NEGOTIATION (role, pattern or an entry).
// Safety: `entries` points to `entries_len` readable bytes; `out` is writable.
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

/// Before start: keys for one suite. private_key: our static private key (the
/// suite's private key, as hybridkem_generate_private_key makes; the public
/// key is derived); remote_public_key: the peer's static public key (needed by
/// pqNK/pqIK initiators; otherwise, if given, the key the peer must present,
/// else CHANNEL_PEER_KEY). Either may be NULL with length 0. Replaces earlier
/// keys of the suite. The library copies them.
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, CHANNEL_CLOSED (started).
// Safety: Each non-NULL pointer points to its length in readable bytes.
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

/// Checks the keys against the pattern and entries (the initiator needs the
/// keys its pattern needs for every entry's suite); an initiator queues its
/// offer. Errors: NULL_POINTER, CHANNEL_NEGOTIATION, CHANNEL_CLOSED.
// Safety: `ch` is a channel from hybridkem_channel_new.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_start(ch: *mut HybridkemChannel) -> i32 {
    boundary(&[], || {
        let ch = channel(ch)?;
        let cfg = ch.config.take().ok_or(Status::ChannelClosed)?;
        ch.channel = Some(Channel::new(cfg)?);
        Ok(())
    })
}

/// Bytes from the peer. *consumed < len only while 256 KiB of plaintext wait
/// to be read: read, then feed the rest. Errors: NULL_POINTER and 10-16.
// Safety: `data` points to `len` readable bytes; `consumed` is writable.
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

/// The peer's stream ended: OK after its close, else CHANNEL_TRUNCATED.
// Safety: `ch` is a channel from hybridkem_channel_new.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_feed_end(ch: *mut HybridkemChannel) -> i32 {
    boundary(&[], || Ok(started(channel(ch)?)?.feed_end()?))
}

/// Plaintext to send: split into messages of at most 65518 bytes; written
/// before the handshake completes it is held and sent right after it.
/// Errors: NULL_POINTER, CHANNEL_CLOSED (after close or failure).
// Safety: `data` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_write(ch: *mut HybridkemChannel, data: *const u8, len: usize) -> i32 {
    boundary(&[], || {
        let ch = channel(ch)?;
        let data = input(data, len)?.to_vec();
        Ok(started(ch)?.write(&data)?)
    })
}

/// Sends a rekey message and rekeys the sending direction (Noise §11.3).
// Safety: `ch` is a channel from hybridkem_channel_new.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_rekey(ch: *mut HybridkemChannel) -> i32 {
    boundary(&[], || Ok(started(channel(ch)?)?.rekey()?))
}

/// Sends the close message (after held data); nothing is written after it.
// Safety: `ch` is a channel from hybridkem_channel_new.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_close(ch: *mut HybridkemChannel) -> i32 {
    boundary(&[], || Ok(started(channel(ch)?)?.close()?))
}

/// Moves up to cap bytes to send to the peer into out (*written of them).
// Safety: `out` points to `cap` writable bytes; `written` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_take_output(ch: *mut HybridkemChannel, out: *mut u8, cap: usize, written: *mut usize) -> i32 {
    take_into(ch, out, cap, written, Channel::take_output)
}

/// Moves up to cap bytes of authenticated plaintext into out (*written).
// Safety: `out` points to `cap` writable bytes; `written` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_read(ch: *mut HybridkemChannel, out: *mut u8, cap: usize, written: *mut usize) -> i32 {
    take_into(ch, out, cap, written, Channel::read)
}

/// Flags (HYBRIDKEM_CHANNEL_*), bytes waiting in take_output, plaintext
/// bytes waiting in read.
// Safety: `flags`, `output_len`, `plaintext_len` are writable.
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

/// After the handshake: the chosen entry (6 bytes), the handshake hash (32 or
/// 64 bytes; hash_cap 64 always fits) and the peer's static public key
/// (remote_cap: the suite's public key length fits; *remote_len 0 if none).
/// Errors: NULL_POINTER, INVALID_LENGTH (a cap too small), CHANNEL_CLOSED
/// (not established).
// Safety: `entry` has 6 writable bytes; `hash`/`remote` their caps; the lengths are writable.
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

/// After the handshake: the pattern it ran (HYBRIDKEM_CHANNEL_PATTERN_*), so
/// a responder accepting several knows which one the initiator chose.
/// Errors: NULL_POINTER, CHANNEL_CLOSED (not established).
// Safety: `pattern_id` is writable.
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

/// Frees the channel, wiping its keys and buffers. NULL is a no-op.
// Safety: `ch` came from hybridkem_channel_new and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_channel_free(ch: *mut HybridkemChannel) {
    free(ch)
}
