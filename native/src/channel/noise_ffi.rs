//! A Noise-level C ABI for the transcript vectors of spec/TRANSPORT.md §6.9
//! (`hybridkem_noise_*` in include/hybridkem.h): one PQNoise handshake of
//! §6.1 on clatter — no negotiation, no framing, any handshake payload —
//! whose randomness is the caller's, so that a binding (C#, Kotlin) can
//! replay spec/vectors/transport/*.json byte for byte.
//!
//! VECTORS AND TESTS ONLY: randomness fixed by the caller is only as secret
//! as the caller's bytes, and a repeated one repeats the ephemeral key and
//! the shared secrets. A real channel is `hybridkem_channel_*`, which draws
//! from AWS-LC's RNG.
//!
//! The suite × cipher × hash dispatch is the channel's own
//! (`engine::new_handshake`), with a scripted RNG in place of AWS-LC's.
//! Every function runs behind the crate's one panic boundary
//! (`crate::ffi::boundary`), checks NULL pointers first and each length
//! against a fixed bound, copies its inputs and never keeps a caller's
//! pointer. After any channel status (10-16) the handshake is dead and every
//! later call is HYBRIDKEM_ERR_CHANNEL_CLOSED.
//! The `///` docs of the C entry points are include/hybridkem.h's (cbindgen
//! copies them); their safety requirements are the header's CONVENTIONS.
#![allow(clippy::missing_safety_doc)]
use std::cell::RefCell;

use clatter::rand_core::{CryptoRng, Error as RandError, RngCore};
use hybridkem_suites as suites;
use zeroize::Zeroizing;

use super::engine::{self, Handshake, HandshakeParams, MlKem768Impl, Transport};
use super::error::ChannelError;
use super::ffi_support::{bounded_input, check_output, check_static_key_lens, free, local_static_key};
use super::kem::{draw_failed, next_from_fill_bytes};
use super::negotiation::{Entry, Pattern};
use crate::ffi::{boundary, require_non_null, Out, Status};

/// A Noise message (handshake or transport) is at most 65535 bytes (Noise §3).
pub const MAX_MESSAGE: usize = clatter::constants::MAX_MESSAGE_LEN;
/// Bound of the prologue (the vectors' is under 64 bytes).
pub const MAX_PROLOGUE: usize = 65535;
/// Bound of the scripted randomness: a side of pqXX draws at most one keygen
/// seed (≤ 64 bytes) and two encapsulations (≤ 128 bytes each).
pub const MAX_RANDOM: usize = 1024;

thread_local! {
    /// The script for the next `Scripted::default()`: clatter creates its RNG
    /// with `Default` inside `PqHandshakeCore::new`, which runs synchronously
    /// on this thread right after the script is put here.
    static NEXT_SCRIPT: RefCell<Option<Zeroizing<Vec<u8>>>> = const { RefCell::new(None) };
}

/// clatter's RNG for a vector: hands out the caller's bytes in order; a
/// draw past their end fails (never returns made-up bytes).
#[derive(Clone)]
struct Scripted {
    bytes: Zeroizing<Vec<u8>>,
    at: usize,
}

impl Default for Scripted {
    fn default() -> Self {
        let bytes = NEXT_SCRIPT.with(|s| s.borrow_mut().take()).unwrap_or_default();
        Scripted { bytes, at: 0 }
    }
}

impl RngCore for Scripted {
    next_from_fill_bytes!();
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        // The infallible draw has no error to return: an exhausted script
        // panics (the boundary makes it ERR_INTERNAL). The suites' KEMs use
        // try_fill_bytes.
        self.try_fill_bytes(dest).expect("the scripted randomness is exhausted");
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandError> {
        let end = self.at.checked_add(dest.len()).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or_else(draw_failed)?;
        dest.copy_from_slice(&self.bytes[self.at..end]);
        self.at = end;
        Ok(())
    }
}
impl CryptoRng for Scripted {}

/// A Noise handshake for transcript vectors (opaque; see hybridkem_noise_new).
// The handshake, then its split transport.
pub struct HybridkemNoise {
    handshake: Option<Box<dyn Handshake>>,
    transport: Option<Box<dyn Transport>>,
}

impl HybridkemNoise {
    /// After a failure nothing is left: every later call is CHANNEL_CLOSED.
    fn kill(&mut self) {
        self.handshake = None;
        self.transport = None;
    }

    /// The handshake, when it is this side's turn to write the next message
    /// (`writing`) or to read it, else CHANNEL_PROTOCOL.
    fn handshake_turn(&mut self, writing: bool) -> Result<&mut Box<dyn Handshake>, Status> {
        let hs = self.handshake.as_mut().ok_or(Status::ChannelClosed)?;
        if hs.is_write_turn() != writing {
            return Err(Status::ChannelProtocol);
        }
        Ok(hs)
    }

    fn transport(&mut self) -> Result<&mut Box<dyn Transport>, Status> {
        self.transport.as_mut().ok_or(Status::ChannelClosed)
    }

    /// Runs `f` on the state; a channel error kills it (§6.6: a failed
    /// handshake or transport message is fatal).
    fn run<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Status>) -> Result<T, Status> {
        let r = f(self);
        if let Err(s) = &r {
            if (Status::ChannelNegotiation as i32..=Status::ChannelClosed as i32).contains(&(*s as i32)) {
                self.kill();
            }
        }
        r
    }

    /// Split() once the last handshake message is written or read.
    fn finish_if_done(&mut self) -> Result<(), ChannelError> {
        if self.handshake.as_ref().is_some_and(|h| h.is_finished()) {
            let hs = self.handshake.take().expect("checked above");
            self.transport = Some(hs.finish()?);
        }
        Ok(())
    }
}

/// Copies `bytes` to the caller's `out` (`cap` bytes) or fails with
/// INVALID_LENGTH when they do not fit.
unsafe fn give(bytes: &[u8], out: *mut u8, cap: usize, written: *mut usize) -> Result<(), Status> {
    if bytes.len() > cap {
        return Err(Status::InvalidLength);
    }
    if !bytes.is_empty() {
        core::slice::from_raw_parts_mut(out, bytes.len()).copy_from_slice(bytes);
    }
    *written = bytes.len();
    Ok(())
}

/// The frame of every call that gives bytes back in `out` (`cap` bytes) and
/// `*written`: the boundary, which zeroes both on failure, then the NULL
/// checks (the handle, then the output) before `body` runs on the state.
unsafe fn giving(
    h: *mut HybridkemNoise,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
    body: impl FnOnce(&mut HybridkemNoise) -> Result<(), Status>,
) -> i32 {
    boundary(&[Out::new(out, cap, cap), Out::value(written)], || {
        require_non_null!(h);
        check_output(out, cap, written)?;
        body(&mut *h)
    })
}

/// The four calls that turn one message into another (write and read a
/// handshake message, encrypt, decrypt): copies the caller's input (at
/// most 65535 bytes), runs `step` on the copy (a channel error kills the
/// state), gives its result back, then splits a handshake that is done (a
/// no-op after the split). Both copies are wiped when dropped: each is a
/// payload or plaintext in two of the four calls.
#[allow(clippy::too_many_arguments)]
unsafe fn transform(
    h: *mut HybridkemNoise,
    input_ptr: *const u8,
    input_len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
    step: impl FnOnce(&mut HybridkemNoise, &[u8]) -> Result<Vec<u8>, Status>,
) -> i32 {
    giving(h, out, cap, written, |n| {
        let copy = Zeroizing::new(bounded_input(input_ptr, input_len, MAX_MESSAGE)?.to_vec());
        n.run(|n| {
            let result = Zeroizing::new(step(n, &copy)?);
            give(&result, out, cap, written)?;
            Ok(n.finish_if_done()?)
        })
    })
}

/// ---- Noise transcript vectors (spec/TRANSPORT.md §6.9): FOR TESTS ONLY ----
///
/// One PQNoise handshake of §6.1 (pattern, suite, cipher, hash as in the
/// channel's ids) with no negotiation and no framing, any handshake payload,
/// and randomness the CALLER fixes: so that a binding can replay
/// spec/vectors/transport/ byte for byte. Fixed randomness is only as secret
/// as the caller's bytes, and reusing it reuses the ephemeral key and the
/// shared secrets: never use these functions for a real connection (that is
/// hybridkem_channel_*, which draws from the library's RNG).
///
/// Inputs may be NULL with length 0. A handshake is allocated by
/// hybridkem_noise_new and freed (keys wiped) by hybridkem_noise_free; it is
/// not thread-safe. After any status 10-16 it is dead and every later call is
/// HYBRIDKEM_ERR_CHANNEL_CLOSED. On failure the output buffer and *written are
/// zeroed.
///
/// pattern_id: HYBRIDKEM_CHANNEL_PATTERN_*; cipher_id 1 ChaChaPoly, 2 AESGCM;
/// hash_id 1 SHA256, 2 SHA512; initiator 1 or 0. local_private_key: our
/// static private key (the suite's private key; the public key is derived),
/// length 0 when the pattern gives this side none. remote_public_key: the
/// responder's static public key known in advance (pqNK/pqIK initiator), else
/// length 0. random: every random byte this side draws, in the order its
/// tokens draw them (§6.9: `e` the suite's keygen seed, `ekem`/`skem` its
/// encapsulation randomness), at most 1024 bytes; a draw past the end fails
/// the handshake (CHANNEL_HANDSHAKE). prologue: at most 65535 bytes.
/// *out is NULL on failure.
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, CHANNEL_NEGOTIATION
/// (pattern, cipher, hash, role, or keys the pattern needs but lacks).
// Safety: Each input points to its length in readable bytes (NULL only with length 0); `out` is writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_noise_new(
    pattern_id: u32,
    suite_id: u16,
    cipher_id: u32,
    hash_id: u32,
    initiator: u32,
    prologue: *const u8,
    prologue_len: usize,
    local_private_key: *const u8,
    local_private_key_len: usize,
    remote_public_key: *const u8,
    remote_public_key_len: usize,
    random: *const u8,
    random_len: usize,
    out: *mut *mut HybridkemNoise,
) -> i32 {
    boundary(&[], || {
        require_non_null!(out);
        *out = core::ptr::null_mut();
        let suite = suites::suite(suite_id).ok_or(Status::UnknownSuite)?;
        let prologue = bounded_input(prologue, prologue_len, MAX_PROLOGUE)?;
        let sk = bounded_input(local_private_key, local_private_key_len, suite.private_key_len())?;
        let rpk = bounded_input(remote_public_key, remote_public_key_len, suite.public_key_len())?;
        let random = bounded_input(random, random_len, MAX_RANDOM)?;
        check_static_key_lens(suite, sk, rpk)?;
        let pattern = u8::try_from(pattern_id).ok().and_then(Pattern::from_id).ok_or(Status::ChannelNegotiation)?;
        let initiator = match initiator {
            1 => true,
            0 => false,
            _ => return Err(Status::ChannelNegotiation),
        };
        let cipher = u8::try_from(cipher_id).map_err(|_| Status::ChannelNegotiation)?;
        let hash = u8::try_from(hash_id).map_err(|_| Status::ChannelNegotiation)?;
        // The mode byte plays no part below the channel's negotiation.
        let entry = Entry::new(0, suite_id, cipher, hash);
        if !engine::supported(&entry) {
            return Err(Status::ChannelNegotiation);
        }
        let local = local_static_key(suite, sk)?;
        let params = HandshakeParams { pattern, initiator, prologue, local: local.as_ref(), remote: (!rpk.is_empty()).then_some(rpk) };
        NEXT_SCRIPT.with(|s| *s.borrow_mut() = Some(Zeroizing::new(random.to_vec())));
        let hs = engine::new_handshake::<Scripted>(&entry, MlKem768Impl::Suite, &params);
        // Never leave a script behind for a later handshake on this thread.
        NEXT_SCRIPT.with(|s| s.borrow_mut().take());
        let hs = hs?;
        *out = Box::into_raw(Box::new(HybridkemNoise { handshake: Some(hs), transport: None }));
        Ok(())
    })
}

/// Writes the next handshake message carrying payload (at most 65535 bytes)
/// into out (cap 65535 always fits; *written its length). After the last
/// message the handshake splits into the transport cipher states.
/// Errors: NULL_POINTER, INVALID_LENGTH, CHANNEL_PROTOCOL (not our turn, or
/// the message would exceed 65535 bytes), CHANNEL_HANDSHAKE, CHANNEL_CLOSED.
// Safety: `h` came from hybridkem_noise_new; `payload` has `payload_len` readable bytes, `out` `cap` writable bytes; `written` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_write_message(
    h: *mut HybridkemNoise,
    payload: *const u8,
    payload_len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> i32 {
    transform(h, payload, payload_len, out, cap, written, |n, payload| Ok(n.handshake_turn(true)?.write_payload(payload)?))
}

/// Reads the peer's handshake message; its payload goes to out.
/// Errors: NULL_POINTER, INVALID_LENGTH, CHANNEL_PROTOCOL (our turn to write),
/// CHANNEL_HANDSHAKE (fails to authenticate or parse), CHANNEL_CLOSED.
// Safety: As hybridkem_noise_write_message, with `message` of `message_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_read_message(
    h: *mut HybridkemNoise,
    message: *const u8,
    message_len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> i32 {
    transform(h, message, message_len, out, cap, written, |n, message| Ok(n.handshake_turn(false)?.read_payload(message)?))
}

/// After the last handshake message: the handshake hash (32 or 64 bytes; cap
/// 64 always fits). Before it: CHANNEL_CLOSED.
// Safety: `out` has `cap` writable bytes; `written` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_handshake_hash(h: *mut HybridkemNoise, out: *mut u8, cap: usize, written: *mut usize) -> i32 {
    giving(h, out, cap, written, |n| give(&n.transport()?.handshake_hash(), out, cap, written))
}

/// After the handshake: ENCRYPT(k, n, "", plaintext) with our sending cipher
/// state, n from 0 (cap >= plaintext_len + 16).
// Safety: As hybridkem_noise_write_message.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_encrypt(
    h: *mut HybridkemNoise,
    plaintext: *const u8,
    plaintext_len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> i32 {
    transform(h, plaintext, plaintext_len, out, cap, written, |n, plaintext| Ok(n.transport()?.seal(plaintext)?))
}

/// After the handshake: DECRYPT with our receiving cipher state
/// (cap >= ciphertext_len - 16). Errors include CHANNEL_DECRYPT.
// Safety: As hybridkem_noise_write_message.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_decrypt(
    h: *mut HybridkemNoise,
    ciphertext: *const u8,
    ciphertext_len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> i32 {
    transform(h, ciphertext, ciphertext_len, out, cap, written, |n, ciphertext| Ok(n.transport()?.open(ciphertext)?))
}

/// Frees the handshake, wiping its keys. NULL is a no-op.
// Safety: `h` came from hybridkem_noise_new and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_free(h: *mut HybridkemNoise) {
    free(h)
}
