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
use std::cell::RefCell;

use clatter::rand_core::{CryptoRng, Error as RandError, RngCore};
use hybridkem_suites as suites;
use zeroize::{Zeroize, Zeroizing};

use super::engine::{self, Handshake, HandshakeParams, MlKem768Impl, StaticKey, Transport};
use super::error::ChannelError;
use super::negotiation::{Entry, Pattern};
use crate::ffi::{boundary, Out, Status};
use crate::AwsLc;

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
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        // The infallible draw has no error to return: an exhausted script
        // panics (the boundary makes it ERR_INTERNAL). The suites' KEMs use
        // try_fill_bytes.
        self.try_fill_bytes(dest).expect("the scripted randomness is exhausted");
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandError> {
        let end = self.at.checked_add(dest.len()).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or_else(|| RandError::from(core::num::NonZeroU32::new(RandError::CUSTOM_START).unwrap()))?;
        dest.copy_from_slice(&self.bytes[self.at..end]);
        self.at = end;
        Ok(())
    }
}
impl CryptoRng for Scripted {}

/// The opaque `hybridkem_noise`: the handshake, then its split transport.
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

    fn handshake(&mut self) -> Result<&mut Box<dyn Handshake>, Status> {
        self.handshake.as_mut().ok_or(Status::ChannelClosed)
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

/// An input of at most `bound` bytes; NULL only with length 0 (as the
/// channel's inputs: a binding may pass an empty array as NULL).
fn input<'a>(p: *const u8, len: usize, bound: usize) -> Result<&'a [u8], Status> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Status::NullPointer);
    }
    if len > bound {
        return Err(Status::InvalidLength);
    }
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// An output buffer: NULL only with `cap` 0.
fn output_ok(out: *mut u8, cap: usize, written: *mut usize) -> Result<(), Status> {
    if written.is_null() || (out.is_null() && cap > 0) {
        return Err(Status::NullPointer);
    }
    Ok(())
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

/// The outputs the boundary zeroes on failure: `out` over `cap`, `*written`.
fn outs(out: *mut u8, cap: usize, written: *mut usize) -> [Out; 2] {
    let w = core::mem::size_of::<usize>();
    [Out::new(out, cap, cap), Out::new(written.cast(), w, w)]
}

/// Creates one side of a §6.1 handshake with fixed randomness.
/// `pattern_id` 1 pqNK, 2 pqIK, 3 pqXX; `cipher_id` 1 ChaChaPoly, 2 AESGCM;
/// `hash_id` 1 SHA256, 2 SHA512; `initiator` 1 or 0. `local_private_key`:
/// our static private key (the suite's seed; public key derived), length 0
/// when the pattern gives this side none; `remote_public_key`: the peer's
/// static key known in advance (pqNK/pqIK initiator), else length 0.
/// `random`: every random byte the side draws, in the order its tokens
/// draw them (§6.9's `random.<side>` concatenated).
///
/// # Safety
/// Each input points to its length in readable bytes (NULL only with length 0);
/// `out` is writable.
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
        if out.is_null() {
            return Err(Status::NullPointer);
        }
        *out = core::ptr::null_mut();
        let suite = suites::suite(suite_id).ok_or(Status::UnknownSuite)?;
        let prologue = input(prologue, prologue_len, MAX_PROLOGUE)?;
        let sk = input(local_private_key, local_private_key_len, suite.private_key_len())?;
        let rpk = input(remote_public_key, remote_public_key_len, suite.public_key_len())?;
        let random = input(random, random_len, MAX_RANDOM)?;
        if (!sk.is_empty() && sk.len() != suite.private_key_len()) || (!rpk.is_empty() && rpk.len() != suite.public_key_len()) {
            return Err(Status::InvalidLength);
        }
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
        let local = if sk.is_empty() {
            None
        } else {
            let mut public = vec![0u8; suite.public_key_len()];
            suites::derive_public_key(&AwsLc::new(), suite, sk, &mut public)?;
            Some(StaticKey { secret: sk.to_vec(), public })
        };
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

/// Writes the next handshake message carrying `payload` into `out` (`cap`
/// bytes; 65535 always fits). After the last message the handshake is split.
///
/// # Safety
/// `h` came from hybridkem_noise_new; `payload` has `payload_len` readable
/// bytes, `out` `cap` writable bytes; `written` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_write_message(
    h: *mut HybridkemNoise,
    payload: *const u8,
    payload_len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> i32 {
    boundary(&outs(out, cap, written), || {
        if h.is_null() {
            return Err(Status::NullPointer);
        }
        output_ok(out, cap, written)?;
        let payload = Zeroizing::new(input(payload, payload_len, MAX_MESSAGE)?.to_vec());
        (*h).run(|n| {
            let hs = n.handshake()?;
            if !hs.is_write_turn() {
                return Err(Status::ChannelProtocol);
            }
            let message = hs.write_payload(&payload)?;
            give(&message, out, cap, written)?;
            Ok(n.finish_if_done()?)
        })
    })
}

/// Reads the peer's handshake message; its payload goes to `out` (`cap`
/// bytes). A message that fails to authenticate or parse is
/// HYBRIDKEM_ERR_CHANNEL_HANDSHAKE.
///
/// # Safety
/// As hybridkem_noise_write_message, with `message` of `message_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_read_message(
    h: *mut HybridkemNoise,
    message: *const u8,
    message_len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> i32 {
    boundary(&outs(out, cap, written), || {
        if h.is_null() {
            return Err(Status::NullPointer);
        }
        output_ok(out, cap, written)?;
        let message = input(message, message_len, MAX_MESSAGE)?.to_vec();
        (*h).run(|n| {
            let hs = n.handshake()?;
            if hs.is_write_turn() {
                return Err(Status::ChannelProtocol);
            }
            let mut payload = hs.read_payload(&message)?;
            let r = give(&payload, out, cap, written);
            payload.zeroize();
            r?;
            Ok(n.finish_if_done()?)
        })
    })
}

/// After the last handshake message: the handshake hash h (32 bytes for
/// SHA256, 64 for SHA512; `cap` 64 always fits). Before it: CHANNEL_CLOSED.
///
/// # Safety
/// `out` has `cap` writable bytes; `written` is writable.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_handshake_hash(h: *mut HybridkemNoise, out: *mut u8, cap: usize, written: *mut usize) -> i32 {
    boundary(&outs(out, cap, written), || {
        if h.is_null() {
            return Err(Status::NullPointer);
        }
        output_ok(out, cap, written)?;
        let hash = (*h).transport()?.handshake_hash();
        give(&hash, out, cap, written)
    })
}

/// After the handshake: ENCRYPT(k, n, "", plaintext) with our sending cipher
/// state (Noise §5.1; n counts from 0). `cap` ≥ plaintext_len + 16.
///
/// # Safety
/// As hybridkem_noise_write_message.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_encrypt(
    h: *mut HybridkemNoise,
    plaintext: *const u8,
    plaintext_len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> i32 {
    boundary(&outs(out, cap, written), || {
        if h.is_null() {
            return Err(Status::NullPointer);
        }
        output_ok(out, cap, written)?;
        let plaintext = Zeroizing::new(input(plaintext, plaintext_len, MAX_MESSAGE)?.to_vec());
        (*h).run(|n| {
            let ct = n.transport()?.seal(&plaintext)?;
            give(&ct, out, cap, written)
        })
    })
}

/// After the handshake: DECRYPT with our receiving cipher state. A message
/// that fails to authenticate is HYBRIDKEM_ERR_CHANNEL_DECRYPT.
/// `cap` ≥ ciphertext_len - 16.
///
/// # Safety
/// As hybridkem_noise_write_message.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_decrypt(
    h: *mut HybridkemNoise,
    ciphertext: *const u8,
    ciphertext_len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> i32 {
    boundary(&outs(out, cap, written), || {
        if h.is_null() {
            return Err(Status::NullPointer);
        }
        output_ok(out, cap, written)?;
        let ciphertext = input(ciphertext, ciphertext_len, MAX_MESSAGE)?.to_vec();
        (*h).run(|n| {
            let mut pt = n.transport()?.open(&ciphertext)?;
            let r = give(&pt, out, cap, written);
            pt.zeroize();
            r
        })
    })
}

/// Frees the handshake or transport state, wiping its keys. NULL is a no-op.
///
/// # Safety
/// `h` came from hybridkem_noise_new and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_noise_free(h: *mut HybridkemNoise) {
    if !h.is_null() {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(Box::from_raw(h))));
    }
}
