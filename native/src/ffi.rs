//! The C ABI: `include/hybridkem.h` is its contract, this file (with
//! channel/ffi.rs and channel/noise_ffi.rs) its only implementation and the
//! source of the header: cbindgen (scripts/generate-header.sh, cbindgen.toml)
//! generates it from these items, each `///` doc becoming the item's comment
//! there, so those docs are written for C callers. Every entry point that takes a pointer runs its body
//! through [`boundary`], the one place that
//! - catches a panic (none crosses the boundary: it becomes ERR_INTERNAL),
//! - turns the body's `Result<(), Status>` into the status code, and
//! - on any failure zeroes every non-NULL output over the smaller of the
//!   length passed and the suite's length for it (the header's
//!   all-or-nothing rule), so a wrong length never leads to a write past the
//!   suite's length for that buffer.
//!
//! A body checks in the header's order: NULL pointers ([`require_non_null!`]),
//! the suite or algorithm id, then the lengths ([`expect_len`]), and only then
//! makes slices; every KEM and signature operation on an id does so through
//! [`operation`], from a list of its input and output buffers. The five entry
//! points that take no pointer and cannot fail (versions, names, the suite
//! count) need no boundary.
//!
//! Safety of every `unsafe extern "C" fn` here: each (pointer, length) pair
//! must describe memory the caller owns for the call, inputs and outputs not
//! overlapping — the header's CONVENTIONS, which are the one statement of it.
#![allow(clippy::missing_safety_doc)]
use core::ffi::{c_char, CStr};
use core::ptr;
use std::panic::{catch_unwind, AssertUnwindSafe};

use hybridkem_suites::{self as suites, Error, Suite, SHARED_SECRET_LEN, SUITES};
use zeroize::Zeroize;

use crate::awslc::{AwsLc, RANDOM_FAILURE};

/// The ABI version this header describes (see ABI VERSIONING).
pub const HYBRIDKEM_ABI_VERSION: u32 = 1;

// The header's status codes: these constants are the numbers (cbindgen emits
// them as the #defines), and `Status` below is the one enum of them.

/// ---- Status codes: ABI-stable numbers, never reused or renumbered. ----
///
/// Success; every output holds its result.
pub const HYBRIDKEM_OK: i32 = 0;
/// A pointer argument was NULL.
pub const HYBRIDKEM_ERR_NULL_POINTER: i32 = 1;
/// No suite (or signature algorithm) has this id (or hybridkem_suite_id_at:
/// index >= suite count).
pub const HYBRIDKEM_ERR_UNKNOWN_SUITE: i32 = 2;
/// A buffer length differs from the suite's length for that buffer.
pub const HYBRIDKEM_ERR_INVALID_LENGTH: i32 = 3;
/// Encapsulation: the ML-KEM encapsulation key inside the public key fails
/// FIPS 203 §7.2's modulus check (a coefficient is not reduced mod q).
pub const HYBRIDKEM_ERR_INVALID_PUBLIC_KEY: i32 = 4;
/// The traditional (X25519 / P-256 / P-384) element is invalid: encapsulation
/// — in the public key; decapsulation — in the ciphertext. A NIST point that
/// is not an uncompressed SEC1 point on the curve, or an X25519 u-coordinate
/// giving the all-zero shared secret (RFC 7748 §6.1, low-order points; for
/// DHKEM-X25519-HKDF-SHA256 the whole public key or ciphertext, RFC 9180
/// §7.1.4).
pub const HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT: i32 = 5;
/// RandomScalar found no scalar in [1, n-1] in the seed's or the randomness'
/// windows (P-256 / P-384 suites only). With a random seed or the library's
/// own randomness this does not happen in practice (probability < 2^-190);
/// hybridkem_encapsulate_derand can reach it with chosen randomness.
pub const HYBRIDKEM_ERR_NO_VALID_SCALAR: i32 = 6;
/// A struct's struct_size is not a size this library knows (STRUCT_SIZE RULE).
pub const HYBRIDKEM_ERR_STRUCT_SIZE: i32 = 7;
/// The operating system's CSPRNG failed (generate_private_key, encapsulate,
/// sig_generate_private_key, sig_sign).
pub const HYBRIDKEM_ERR_RANDOM: i32 = 8;
/// AWS-LC failed where it should not (e.g. out of memory), or an internal
/// panic was caught. Never expected; the call had no effect but zeroing.
pub const HYBRIDKEM_ERR_INTERNAL: i32 = 9;
/// Statuses 10-16: only the hybridkem_channel_* functions (and the test-only
/// hybridkem_noise_*) return them (the Noise channel, spec/TRANSPORT.md §6.6). After any of them the channel is
/// dead: every later call on it is HYBRIDKEM_ERR_CHANNEL_CLOSED.
///
/// No common parameters, a refusal from the peer (or one we sent), a pattern
/// not accepted, a malformed offer or choice, a choice not in our offer.
pub const HYBRIDKEM_ERR_CHANNEL_NEGOTIATION: i32 = 10;
/// A handshake message failed to authenticate or has the wrong length.
pub const HYBRIDKEM_ERR_CHANNEL_HANDSHAKE: i32 = 11;
/// The peer's static key is not the one given for its suite.
pub const HYBRIDKEM_ERR_CHANNEL_PEER_KEY: i32 = 12;
/// A transport message failed to authenticate (tampered, replayed, reordered,
/// dropped).
pub const HYBRIDKEM_ERR_CHANNEL_DECRYPT: i32 = 13;
/// The byte stream ended inside a frame, before the handshake completed, or
/// without the peer's close.
pub const HYBRIDKEM_ERR_CHANNEL_TRUNCATED: i32 = 14;
/// A frame over 65535 bytes, a non-empty handshake payload, an unknown
/// transport message type, data on a rekey/close, a frame after close.
pub const HYBRIDKEM_ERR_CHANNEL_PROTOCOL: i32 = 15;
/// The channel is closed or failed earlier.
pub const HYBRIDKEM_ERR_CHANNEL_CLOSED: i32 = 16;

/// The header's status codes, one enum: the discriminants are the ABI's
/// numbers (never reused or renumbered), the constants above.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok = HYBRIDKEM_OK,
    NullPointer = HYBRIDKEM_ERR_NULL_POINTER,
    UnknownSuite = HYBRIDKEM_ERR_UNKNOWN_SUITE,
    InvalidLength = HYBRIDKEM_ERR_INVALID_LENGTH,
    InvalidPublicKey = HYBRIDKEM_ERR_INVALID_PUBLIC_KEY,
    InvalidGroupElement = HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT,
    NoValidScalar = HYBRIDKEM_ERR_NO_VALID_SCALAR,
    StructSize = HYBRIDKEM_ERR_STRUCT_SIZE,
    Random = HYBRIDKEM_ERR_RANDOM,
    Internal = HYBRIDKEM_ERR_INTERNAL,
    // The hybridkem_channel_* functions (spec/TRANSPORT.md §6.6, WIRE-FORMAT.md §9).
    ChannelNegotiation = HYBRIDKEM_ERR_CHANNEL_NEGOTIATION,
    ChannelHandshake = HYBRIDKEM_ERR_CHANNEL_HANDSHAKE,
    ChannelPeerKey = HYBRIDKEM_ERR_CHANNEL_PEER_KEY,
    ChannelDecrypt = HYBRIDKEM_ERR_CHANNEL_DECRYPT,
    ChannelTruncated = HYBRIDKEM_ERR_CHANNEL_TRUNCATED,
    ChannelProtocol = HYBRIDKEM_ERR_CHANNEL_PROTOCOL,
    ChannelClosed = HYBRIDKEM_ERR_CHANNEL_CLOSED,
}

// The suite ids and lengths of the header (the suite table in
// crates/hybridkem-suites is the implementation; tests/c_abi.rs and the
// tests below hold these to it).

/// ---- Suites (wire ids, spec/WIRE-FORMAT.md §1). ----
///
/// X25519-MLKEM768, wire id 0xff01.
pub const HYBRIDKEM_SUITE_X25519_MLKEM768: u16 = 0xff01;
/// X25519-MLKEM1024, wire id 0xff02.
pub const HYBRIDKEM_SUITE_X25519_MLKEM1024: u16 = 0xff02;
/// X-Wing, wire id 0x647a.
pub const HYBRIDKEM_SUITE_X_WING: u16 = 0x647a;
/// MLKEM768-P256, wire id 0xff03.
pub const HYBRIDKEM_SUITE_MLKEM768_P256: u16 = 0xff03;
/// MLKEM1024-P384, wire id 0xff04.
pub const HYBRIDKEM_SUITE_MLKEM1024_P384: u16 = 0xff04;
/// HPKE-MLKEM768-P256, wire id 0x0050.
pub const HYBRIDKEM_SUITE_HPKE_MLKEM768_P256: u16 = 0x0050;
/// HPKE-MLKEM1024-P384, wire id 0x0051.
pub const HYBRIDKEM_SUITE_HPKE_MLKEM1024_P384: u16 = 0x0051;
/// Single-algorithm suites (spec/WIRE-FORMAT.md §1.4), with their HPKE KEM ids:
/// ML-KEM alone (FIPS 203; private key = the 64-byte seed d ‖ z, encapsulation
/// randomness = the 32-byte m) and DHKEM(X25519, HKDF-SHA256) of RFC 9180
/// (private key = the X25519 private key, randomness = 32 bytes of ikmE).
///
/// ML-KEM-768, wire id 0x0041.
pub const HYBRIDKEM_SUITE_ML_KEM_768: u16 = 0x0041;
/// ML-KEM-1024, wire id 0x0042.
pub const HYBRIDKEM_SUITE_ML_KEM_1024: u16 = 0x0042;
/// DHKEM-X25519-HKDF-SHA256, wire id 0x0020.
pub const HYBRIDKEM_SUITE_DHKEM_X25519_HKDF_SHA256: u16 = 0x0020;

/// A hybrid suite's private key is a 32-byte seed (so is DHKEM's X25519
/// private key); ML-KEM-768 and ML-KEM-1024 take the 64-byte d ‖ z
/// (HYBRIDKEM_MLKEM_PRIVATE_KEY_LEN). Read a suite's length from
/// hybridkem_suite_info.private_key_len. Every shared secret is 32 bytes.
pub const HYBRIDKEM_PRIVATE_KEY_LEN: usize = 32;
pub const HYBRIDKEM_MLKEM_PRIVATE_KEY_LEN: usize = 64;
pub const HYBRIDKEM_MAX_PRIVATE_KEY_LEN: usize = 64;
pub const HYBRIDKEM_SHARED_SECRET_LEN: usize = 32;

impl Status {
    const ALL: [Status; 17] = [
        Status::Ok,
        Status::NullPointer,
        Status::UnknownSuite,
        Status::InvalidLength,
        Status::InvalidPublicKey,
        Status::InvalidGroupElement,
        Status::NoValidScalar,
        Status::StructSize,
        Status::Random,
        Status::Internal,
        Status::ChannelNegotiation,
        Status::ChannelHandshake,
        Status::ChannelPeerKey,
        Status::ChannelDecrypt,
        Status::ChannelTruncated,
        Status::ChannelProtocol,
        Status::ChannelClosed,
    ];

    fn name(self) -> &'static CStr {
        match self {
            Status::Ok => c"HYBRIDKEM_OK",
            Status::NullPointer => c"HYBRIDKEM_ERR_NULL_POINTER",
            Status::UnknownSuite => c"HYBRIDKEM_ERR_UNKNOWN_SUITE",
            Status::InvalidLength => c"HYBRIDKEM_ERR_INVALID_LENGTH",
            Status::InvalidPublicKey => c"HYBRIDKEM_ERR_INVALID_PUBLIC_KEY",
            Status::InvalidGroupElement => c"HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT",
            Status::NoValidScalar => c"HYBRIDKEM_ERR_NO_VALID_SCALAR",
            Status::StructSize => c"HYBRIDKEM_ERR_STRUCT_SIZE",
            Status::Random => c"HYBRIDKEM_ERR_RANDOM",
            Status::Internal => c"HYBRIDKEM_ERR_INTERNAL",
            Status::ChannelNegotiation => c"HYBRIDKEM_ERR_CHANNEL_NEGOTIATION",
            Status::ChannelHandshake => c"HYBRIDKEM_ERR_CHANNEL_HANDSHAKE",
            Status::ChannelPeerKey => c"HYBRIDKEM_ERR_CHANNEL_PEER_KEY",
            Status::ChannelDecrypt => c"HYBRIDKEM_ERR_CHANNEL_DECRYPT",
            Status::ChannelTruncated => c"HYBRIDKEM_ERR_CHANNEL_TRUNCATED",
            Status::ChannelProtocol => c"HYBRIDKEM_ERR_CHANNEL_PROTOCOL",
            Status::ChannelClosed => c"HYBRIDKEM_ERR_CHANNEL_CLOSED",
        }
    }
}

/// The status of a suite error.
impl From<Error> for Status {
    fn from(e: Error) -> Status {
        match e {
            Error::UnknownSuite(_) => Status::UnknownSuite,
            Error::InvalidLength { .. } => Status::InvalidLength,
            Error::InvalidPublicKey { .. } => Status::InvalidPublicKey,
            Error::InvalidGroupElement { .. } => Status::InvalidGroupElement,
            Error::NoValidScalar { .. } => Status::NoValidScalar,
            Error::Primitive(what) if what == RANDOM_FAILURE => Status::Random,
            Error::Primitive(_) => Status::Internal,
        }
    }
}

/// One suite's sizes, in bytes. Layout is fixed for ABI version 1:
/// offsets 0, 4, 6, 8, 12, 16, 20, 24, then `name` at 32 (64-bit) or 28
/// (32-bit). In C#: [StructLayout(LayoutKind.Sequential)] with the same field
/// types (uint, ushort, ushort, 5 x uint, IntPtr for name).
#[repr(C)]
#[derive(Debug)]
pub struct HybridkemSuiteInfo {
    /// in: sizeof(hybridkem_suite_info)
    pub struct_size: u32,
    /// out: the suite's wire id
    pub suite_id: u16,
    /// out: 0
    pub reserved: u16,
    /// out: encapsulation key pk_M ‖ pk_T (ek alone; pk alone)
    pub public_key_len: u32,
    /// out: 32 (a hybrid's seed; DHKEM's X25519 key) or 64 (ML-KEM's d ‖ z)
    pub private_key_len: u32,
    /// out: ct_M ‖ ct_T (ML-KEM's c alone; DHKEM's enc)
    pub ciphertext_len: u32,
    /// out: 32
    pub shared_secret_len: u32,
    /// out: input length of hybridkem_encapsulate_derand
    pub randomness_len: u32,
    /// out: static, NUL-terminated, e.g. "X25519-MLKEM768"; do not free
    pub name: *const c_char,
}

unsafe impl InfoStruct for HybridkemSuiteInfo {}

/// The suite's name as a static C string (the suite table's names are Rust `&str`).
fn c_name(id: u16) -> &'static CStr {
    match id {
        0xff01 => c"X25519-MLKEM768",
        0xff02 => c"X25519-MLKEM1024",
        0x647a => c"X-Wing",
        0xff03 => c"MLKEM768-P256",
        0xff04 => c"MLKEM1024-P384",
        0x0050 => c"HPKE-MLKEM768-P256",
        0x0051 => c"HPKE-MLKEM1024-P384",
        0x0041 => c"ML-KEM-768",
        0x0042 => c"ML-KEM-1024",
        0x0020 => c"DHKEM-X25519-HKDF-SHA256",
        _ => c"",
    }
}

// ---------------------------------------------------------------- the boundary

/// An output the caller passed. On failure it is zeroed over
/// min(`len`, `expected`): the declared length alone may be wrong (that is
/// what HYBRIDKEM_ERR_INVALID_LENGTH reports), so it never decides how far we
/// write. `expected` is 0 where the suite, and so the length, is unknown:
/// such an output is left untouched.
pub(crate) struct Out {
    ptr: *mut u8,
    len: usize,
    expected: usize,
}

impl Out {
    pub(crate) fn new(ptr: *mut u8, len: usize, expected: usize) -> Out {
        Out { ptr, len, expected }
    }
    /// A value the caller passed a pointer to (a count, an id): zeroed whole
    /// on failure, whatever the suite.
    pub(crate) fn value<T>(ptr: *mut T) -> Out {
        let n = core::mem::size_of::<T>();
        Out::new(ptr.cast(), n, n)
    }
    fn zero(&self) {
        let n = self.len.min(self.expected);
        if !self.ptr.is_null() && n > 0 {
            unsafe { core::slice::from_raw_parts_mut(self.ptr, n) }.zeroize();
        }
    }
}

/// The one panic boundary and status conversion of the ABI: runs `body`
/// under `catch_unwind` (a panic is ERR_INTERNAL) and, on any status but OK,
/// zeroes `outs` (the all-or-nothing rule).
pub(crate) fn boundary(outs: &[Out], body: impl FnOnce() -> Result<(), Status>) -> i32 {
    let status = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => Status::Ok,
        Ok(Err(status)) => status,
        Err(_panic) => Status::Internal,
    };
    if status != Status::Ok {
        for o in outs {
            o.zero();
        }
    }
    status as i32
}

/// The first check of every body: any NULL pointer is ERR_NULL_POINTER,
/// whatever the lengths (the header's order: NULL, id, lengths, contents).
macro_rules! require_non_null {
    ($($p:expr),+ $(,)?) => {
        if $($p.is_null())||+ {
            return Err(Status::NullPointer);
        }
    };
}
pub(crate) use require_non_null;

/// Also sig.rs' check, so that no function there indexes past a slice.
pub(crate) fn expect_len(actual: usize, expected: usize) -> Result<(), Status> {
    if actual == expected {
        Ok(())
    } else {
        Err(Status::InvalidLength)
    }
}

/// Slices of checked (non-NULL, right-length) buffers.
unsafe fn input<'a>(p: *const u8, len: usize) -> &'a [u8] {
    core::slice::from_raw_parts(p, len)
}
unsafe fn output<'a>(p: *mut u8, len: usize) -> &'a mut [u8] {
    core::slice::from_raw_parts_mut(p, len)
}

fn find_suite(id: u16) -> Result<&'static Suite, Status> {
    suites::suite(id).ok_or(Status::UnknownSuite)
}

/// What an algorithm `A` (a KEM suite, an ML-DSA or EdDSA parameter set, a
/// composite signature suite) requires of an input's length.
#[derive(Clone, Copy)]
enum Need<A> {
    /// Exactly the algorithm's length for it.
    Exactly(fn(A) -> usize),
    /// At most this many bytes (a context: over 255 bytes is a wrong
    /// length, FIPS 204 Algorithm 2).
    AtMost(usize),
    /// Any length (a message).
    Any,
}

/// An input buffer as the caller passed it.
#[derive(Clone, Copy)]
struct Input<A> {
    ptr: *const u8,
    len: usize,
    need: Need<A>,
}

impl<A: Copy> Input<A> {
    fn exactly(ptr: *const u8, len: usize, need: fn(A) -> usize) -> Self {
        Input { ptr, len, need: Need::Exactly(need) }
    }
    fn message(ptr: *const u8, len: usize) -> Self {
        Input { ptr, len, need: Need::Any }
    }
    fn context(ptr: *const u8, len: usize) -> Self {
        Input { ptr, len, need: Need::AtMost(sig::MAX_CONTEXT_LEN) }
    }
    fn check_len(&self, alg: A) -> Result<(), Status> {
        match self.need {
            Need::Exactly(len) => expect_len(self.len, len(alg)),
            Need::AtMost(bound) if self.len > bound => Err(Status::InvalidLength),
            Need::AtMost(_) | Need::Any => Ok(()),
        }
    }
}

/// An output buffer as the caller passed it, and its length for the
/// algorithm (also how far it is zeroed on failure).
#[derive(Clone, Copy)]
struct Output<A> {
    ptr: *mut u8,
    len: usize,
    need: fn(A) -> usize,
}

impl<A: Copy> Output<A> {
    fn new(ptr: *mut u8, len: usize, need: fn(A) -> usize) -> Self {
        Output { ptr, len, need }
    }
    /// A verdict (`int32_t *valid`): 4 bytes for every algorithm, so zeroed
    /// on failure unless the id is unknown, and never a wrong length.
    fn verdict(ptr: *mut i32) -> Self {
        Output { ptr: ptr.cast(), len: core::mem::size_of::<i32>(), need: |_| core::mem::size_of::<i32>() }
    }
}

/// Writes a verdict (1 or 0) into its [`Output::verdict`] slice.
fn set_verdict(out: &mut [u8], valid: bool) {
    out.copy_from_slice(&i32::from(valid).to_ne_bytes());
}

/// The body of every KEM and signature operation on an id, in the header's
/// order: any NULL buffer is ERR_NULL_POINTER, then an unknown id (`find`)
/// ERR_UNKNOWN_SUITE, then each length in turn ERR_INVALID_LENGTH, and only
/// then `op` runs on the slices. On failure the boundary zeroes each output
/// over the smaller of its length and the id's length for it (nothing for an
/// unknown id).
unsafe fn operation<A: Copy, const I: usize, const O: usize>(
    id: u16,
    find: fn(u16) -> Option<A>,
    inputs: [Input<A>; I],
    outputs: [Output<A>; O],
    op: impl FnOnce(A, [&[u8]; I], [&mut [u8]; O]) -> Result<(), Status>,
) -> i32 {
    let found = find(id);
    let zero_on_failure = outputs.map(|o| Out::new(o.ptr, o.len, found.map_or(0, o.need)));
    boundary(&zero_on_failure, || {
        if inputs.iter().any(|i| i.ptr.is_null()) || outputs.iter().any(|o| o.ptr.is_null()) {
            return Err(Status::NullPointer);
        }
        let alg = found.ok_or(Status::UnknownSuite)?;
        for i in &inputs {
            i.check_len(alg)?;
        }
        for o in &outputs {
            expect_len(o.len, (o.need)(alg))?;
        }
        op(alg, inputs.map(|i| input(i.ptr, i.len)), outputs.map(|o| output(o.ptr, o.len)))
    })
}

/// [`operation`] on a KEM suite (`hybridkem_suite_info`'s ids).
unsafe fn kem_operation<const I: usize, const O: usize>(
    suite_id: u16,
    inputs: [Input<&'static Suite>; I],
    outputs: [Output<&'static Suite>; O],
    op: impl FnOnce(&'static Suite, [&[u8]; I], [&mut [u8]; O]) -> Result<(), Error>,
) -> i32 {
    operation(suite_id, suites::suite, inputs, outputs, |s, i, o| Ok(op(s, i, o)?))
}

/// Every suite's shared secret length.
fn shared_secret_len_of(_: &Suite) -> usize {
    SHARED_SECRET_LEN
}

/// An info struct of the header (`hybridkem_suite_info`,
/// `hybridkem_sig_suite_info`).
///
/// # Safety
/// The implementer is repr(C), its first field the uint32_t struct_size,
/// every other field an integer or a raw pointer, so that all zeros (a NULL
/// name) is a value of it (the layout tests below check the offsets).
unsafe trait InfoStruct: Sized {
    /// The struct for an unknown id: every field zero but struct_size.
    fn unknown(struct_size: u32) -> Self {
        // SAFETY: all zeros is a value of the struct (the trait's rule).
        let mut unknown: Self = unsafe { core::mem::zeroed() };
        unsafe { ptr::addr_of_mut!(unknown).cast::<u32>().write(struct_size) };
        unknown
    }
}

/// The body of both info getters: the struct has its own rule (STRUCT_SIZE
/// RULE; every field but struct_size zeroed for an unknown id), so no `Out`:
/// it is written once, at the end, `describe(struct_size)` for a known id.
unsafe fn write_info<T: InfoStruct>(info: *mut T, describe: impl FnOnce(u32) -> Option<T>) -> i32 {
    boundary(&[], || {
        require_non_null!(info);
        // Read the size field alone: the rest of the caller's struct may be of another size.
        let size = info.cast::<u32>().read_unaligned();
        if size as usize != core::mem::size_of::<T>() {
            return Err(Status::StructSize);
        }
        let found = describe(size);
        let status = if found.is_some() { Ok(()) } else { Err(Status::UnknownSuite) };
        info.write_unaligned(found.unwrap_or_else(|| T::unknown(size)));
        status
    })
}

// ---------------------------------------------------------------- library information

/// ---- Library information. ----
///
/// The ABI version of the loaded library; compare with HYBRIDKEM_ABI_VERSION.
#[no_mangle]
pub extern "C" fn hybridkem_abi_version() -> u32 {
    HYBRIDKEM_ABI_VERSION
}

/// A static, NUL-terminated name for a status code, e.g.
/// "HYBRIDKEM_ERR_INVALID_LENGTH"; "HYBRIDKEM_ERR_UNKNOWN_STATUS" for a number
/// this library does not define. Never NULL; do not free.
#[no_mangle]
pub extern "C" fn hybridkem_status_name(status: i32) -> *const c_char {
    let known = Status::ALL.into_iter().find(|s| *s as i32 == status);
    known.map_or(c"HYBRIDKEM_ERR_UNKNOWN_STATUS", Status::name).as_ptr()
}

/// A static, NUL-terminated version of this library, e.g. "0.1.0"; never NULL.
#[no_mangle]
pub extern "C" fn hybridkem_library_version() -> *const c_char {
    const V: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    V.as_ptr().cast()
}

/// A static, NUL-terminated description of the cryptographic implementation,
/// e.g. "AWS-LC (aws-lc-sys 0.47.0)"; never NULL.
#[no_mangle]
pub extern "C" fn hybridkem_implementation() -> *const c_char {
    c"AWS-LC (aws-lc-sys 0.47.0)".as_ptr()
}

/// ---- Suite table. ----
///
/// How many suites this library implements (10 in version 0.1.0).
#[no_mangle]
pub extern "C" fn hybridkem_suite_count() -> usize {
    SUITES.len()
}

/// The id of the suite at `index` (0 <= index < hybridkem_suite_count()), in
/// spec/WIRE-FORMAT.md §1's order.
/// NULL suite_id -> ERR_NULL_POINTER; index out of range -> ERR_UNKNOWN_SUITE
/// (and *suite_id = 0).
#[no_mangle]
pub unsafe extern "C" fn hybridkem_suite_id_at(index: usize, suite_id: *mut u16) -> i32 {
    // The header's own rule for this output: 0 for an index out of range.
    boundary(&[], || {
        require_non_null!(suite_id);
        let (id, result) = match SUITES.get(index) {
            Some(s) => (s.id, Ok(())),
            None => (0, Err(Status::UnknownSuite)),
        };
        suite_id.write_unaligned(id);
        result
    })
}

/// Fills *info for suite_id.
/// NULL info -> ERR_NULL_POINTER; wrong info->struct_size -> ERR_STRUCT_SIZE
/// (struct untouched); unknown suite -> ERR_UNKNOWN_SUITE (every field but
/// struct_size zeroed, name NULL).
#[no_mangle]
pub unsafe extern "C" fn hybridkem_suite_info_get(suite_id: u16, info: *mut HybridkemSuiteInfo) -> i32 {
    write_info(info, |size| {
        suites::suite(suite_id).map(|s| HybridkemSuiteInfo {
            struct_size: size,
            suite_id: s.id,
            reserved: 0,
            public_key_len: s.public_key_len() as u32,
            private_key_len: s.private_key_len() as u32,
            ciphertext_len: s.ciphertext_len() as u32,
            shared_secret_len: SHARED_SECRET_LEN as u32,
            randomness_len: s.randomness_len() as u32,
            name: c_name(s.id).as_ptr(),
        })
    })
}

// ---------------------------------------------------------------- KEM operations

/// ---- KEM operations. ----
///
/// A fresh private key from the OS CSPRNG (AWS-LC RAND_bytes): the suite's
/// private_key_len random bytes (32, or 64 for ML-KEM's d ‖ z).
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH (private_key_len is not
/// the suite's), RANDOM. Secret output.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_generate_private_key(suite_id: u16, private_key: *mut u8, private_key_len: usize) -> i32 {
    let private_key = Output::new(private_key, private_key_len, Suite::private_key_len);
    kem_operation(suite_id, [], [private_key], |s, [], [private_key]| suites::generate_seed(&AwsLc::new(), s, private_key))
}

/// The public key of a private key (deterministic: same seed, same key).
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, NO_VALID_SCALAR
/// (NIST suites; practically unreachable), INTERNAL.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_derive_public_key(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    public_key: *mut u8,
    public_key_len: usize,
) -> i32 {
    let private_key = Input::exactly(private_key, private_key_len, Suite::private_key_len);
    let public_key = Output::new(public_key, public_key_len, Suite::public_key_len);
    kem_operation(suite_id, [private_key], [public_key], |s, [private_key], [public_key]| {
        suites::derive_public_key(&AwsLc::new(), s, private_key, public_key)
    })
}

/// Encapsulation to public_key with fresh randomness from the OS CSPRNG.
/// Writes the ciphertext (public, send it) and the shared secret (secret).
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, INVALID_PUBLIC_KEY
/// (ML-KEM modulus check), INVALID_GROUP_ELEMENT (traditional part of the
/// public key), NO_VALID_SCALAR (practically unreachable), RANDOM, INTERNAL.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_encapsulate(
    suite_id: u16,
    public_key: *const u8,
    public_key_len: usize,
    ciphertext: *mut u8,
    ciphertext_len: usize,
    shared_secret: *mut u8,
    shared_secret_len: usize,
) -> i32 {
    let public_key = Input::exactly(public_key, public_key_len, Suite::public_key_len);
    let ciphertext = Output::new(ciphertext, ciphertext_len, Suite::ciphertext_len);
    let shared_secret = Output::new(shared_secret, shared_secret_len, shared_secret_len_of);
    kem_operation(suite_id, [public_key], [ciphertext, shared_secret], |s, [public_key], [ciphertext, shared_secret]| {
        suites::encapsulate(&AwsLc::new(), s, public_key, ciphertext, shared_secret)
    })
}

/// Deterministic encapsulation with caller-given randomness (randomness_len
/// from hybridkem_suite_info: ML-KEM's 32-byte m ‖ the ephemeral scalar's
/// bytes; m alone for ML-KEM-768/1024; ikmE for DHKEM). FOR TEST VECTORS ONLY: reusing randomness breaks security; use
/// hybridkem_encapsulate. Errors: as hybridkem_encapsulate but never RANDOM;
/// NO_VALID_SCALAR when no window of the randomness is a valid scalar.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_encapsulate_derand(
    suite_id: u16,
    public_key: *const u8,
    public_key_len: usize,
    randomness: *const u8,
    randomness_len: usize,
    ciphertext: *mut u8,
    ciphertext_len: usize,
    shared_secret: *mut u8,
    shared_secret_len: usize,
) -> i32 {
    let public_key = Input::exactly(public_key, public_key_len, Suite::public_key_len);
    let randomness = Input::exactly(randomness, randomness_len, Suite::randomness_len);
    let ciphertext = Output::new(ciphertext, ciphertext_len, Suite::ciphertext_len);
    let shared_secret = Output::new(shared_secret, shared_secret_len, shared_secret_len_of);
    kem_operation(
        suite_id,
        [public_key, randomness],
        [ciphertext, shared_secret],
        |s, [public_key, randomness], [ciphertext, shared_secret]| {
            suites::encapsulate_derand(&AwsLc::new(), s, public_key, randomness, ciphertext, shared_secret)
        },
    )
}

/// Decapsulation of ciphertext with private_key. A tampered ML-KEM ciphertext
/// is NOT an error: it yields ML-KEM's implicit-rejection secret (FIPS 203
/// §7.3), so the shared secret simply differs from the sender's.
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, INVALID_GROUP_ELEMENT
/// (traditional part of the ciphertext), NO_VALID_SCALAR (practically
/// unreachable), INTERNAL.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_decapsulate(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    ciphertext: *const u8,
    ciphertext_len: usize,
    shared_secret: *mut u8,
    shared_secret_len: usize,
) -> i32 {
    let private_key = Input::exactly(private_key, private_key_len, Suite::private_key_len);
    let ciphertext = Input::exactly(ciphertext, ciphertext_len, Suite::ciphertext_len);
    let shared_secret = Output::new(shared_secret, shared_secret_len, shared_secret_len_of);
    kem_operation(suite_id, [private_key, ciphertext], [shared_secret], |s, [private_key, ciphertext], [shared_secret]| {
        suites::decapsulate(&AwsLc::new(), s, private_key, ciphertext, shared_secret)
    })
}

// ---------------------------------------------------------------- expanded private keys
//
// `hybridkem_private_key` is a heap object owned by the caller between
// hybridkem_private_key_import and hybridkem_private_key_free (the one
// exception to "the library never allocates memory the caller must free").

use crate::expanded::PrivateKey;

/// An expanded private key (opaque; see hybridkem_private_key_import).
pub struct HybridkemPrivateKey(PrivateKey);

/// ---- Expanded private keys (a server decapsulating many ciphertexts to one
///      key). ----
///
/// hybridkem_decapsulate expands the private key on every call (SHAKE256,
/// ML-KEM key generation, the traditional public key). An expanded key does
/// that once: it holds AWS-LC's ML-KEM key (the expanded decapsulation key),
/// the traditional scalar, both public values and the seed, in memory the
/// library allocates. hybridkem_decapsulate_with_key then gives exactly the
/// shared secret hybridkem_decapsulate gives with the seed (the same
/// composition runs; only the two key-generation steps are answered from the
/// key), with the same statuses.
///
/// The CONVENTIONS hold, with these differences:
///   - This is the one place the library allocates memory the caller must
///     release: every key from hybridkem_private_key_import must be passed to
///     hybridkem_private_key_free exactly once (leaked otherwise).
///   - hybridkem_private_key_import writes *key_out (a pointer) on success and
///     sets it to NULL on any failure (when key_out is not NULL). The seed is
///     checked as hybridkem_derive_public_key checks it.
///   - hybridkem_decapsulate_with_key takes no suite id: the key knows it
///     (hybridkem_private_key_suite). ciphertext_len must be the key's suite's.
///     NULL key -> HYBRIDKEM_ERR_NULL_POINTER, shared_secret zeroed.
///   - hybridkem_private_key_free takes the ADDRESS of the caller's pointer:
///     it wipes the key (every secret field is zeroized; AWS-LC cleanses its
///     key when freeing it), frees it and sets the caller's pointer to NULL.
///     So with that variable, a second free is a no-op and a later
///     decapsulation is HYBRIDKEM_ERR_NULL_POINTER: free leaves nothing
///     reusable behind. NULL, or a pointer to NULL, is a no-op. Other COPIES
///     of the pointer are dangling after free, as with free(): using or
///     freeing one is undefined behaviour the library cannot detect.
///   - Threads: a key is read-only after import; any number of threads may
///     decapsulate with one key at once. Free must happen after every use has
///     returned.
///
///   hybridkem_private_key *key = NULL;
///   if (hybridkem_private_key_import(id, sk, sizeof sk, &key) != HYBRIDKEM_OK) ...;
///   hybridkem_decapsulate_with_key(key, ct, ct_len, ss, sizeof ss);   // many times
///   hybridkem_private_key_free(&key);                                 // key == NULL now
#[no_mangle]
pub unsafe extern "C" fn hybridkem_private_key_import(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    key_out: *mut *mut HybridkemPrivateKey,
) -> i32 {
    // The output is a pointer, set to NULL on any failure (when non-NULL),
    // whatever the suite: zeroing its bytes is writing NULL.
    boundary(&[Out::value(key_out)], || {
        require_non_null!(private_key, key_out);
        let s = find_suite(suite_id)?;
        expect_len(private_key_len, s.private_key_len())?;
        let key = PrivateKey::import(s, input(private_key, private_key_len))?;
        key_out.write_unaligned(Box::into_raw(Box::new(HybridkemPrivateKey(key))));
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_decapsulate_with_key(
    key: *const HybridkemPrivateKey,
    ciphertext: *const u8,
    ciphertext_len: usize,
    shared_secret: *mut u8,
    shared_secret_len: usize,
) -> i32 {
    // Every suite's shared secret has one length, so it is known even with a NULL key.
    let outs = [Out::new(shared_secret, shared_secret_len, SHARED_SECRET_LEN)];
    boundary(&outs, || {
        require_non_null!(key, ciphertext, shared_secret);
        let k = &(*key).0;
        expect_len(ciphertext_len, k.suite.ciphertext_len())?;
        expect_len(shared_secret_len, SHARED_SECRET_LEN)?;
        Ok(k.decapsulate(input(ciphertext, ciphertext_len), output(shared_secret, shared_secret_len))?)
    })
}

/// The key's suite id. NULL key or suite_id -> HYBRIDKEM_ERR_NULL_POINTER.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_private_key_suite(key: *const HybridkemPrivateKey, suite_id: *mut u16) -> i32 {
    boundary(&[], || {
        require_non_null!(key, suite_id);
        suite_id.write_unaligned((*key).0.suite.id);
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_private_key_free(key: *mut *mut HybridkemPrivateKey) {
    // No status to return: a NULL argument is a no-op, and so (caught) is a panic.
    let _ = boundary(&[], || {
        if key.is_null() {
            return Ok(());
        }
        let k = key.read_unaligned();
        // The caller's variable is cleared first: a second free of it, or a
        // decapsulation with it, then sees NULL.
        key.write_unaligned(ptr::null_mut());
        if !k.is_null() {
            // Dropping wipes the key (Zeroizing fields, AWS-LC's cleansing free).
            drop(Box::from_raw(k));
        }
        Ok(())
    });
}

// ---------------------------------------------------------------- signatures
//
// The same boundary and order as the KEM functions above. A verdict output
// (`int32_t *valid`) is 1 or 0, and 0 on any failure (untouched for an
// unknown id, like every output). Empty messages and contexts are a non-NULL
// pointer with length 0.

use crate::sig::{self, Composite, EdDsa, MlDsa, MAX_CONTEXT_LEN, MLDSA_RND_LEN, MLDSA_SEED_LEN};
use zeroize::Zeroizing;

/// ---- Signatures: ML-DSA (FIPS 204), EdDSA (RFC 8032) and composite
///      ML-DSA + EdDSA (draft-ietf-lamps-pq-composite-sigs-19). ----
///
/// The CONVENTIONS above hold: exact lengths, NULL checked first (an empty
/// message or context is a non-NULL pointer with length 0), then the
/// algorithm or suite id (unknown -> HYBRIDKEM_ERR_UNKNOWN_SUITE), then
/// lengths, and all-or-nothing outputs. A context is at most 255 bytes
/// (FIPS 204 Algorithm 2; the composite len(ctx) byte); longer ->
/// HYBRIDKEM_ERR_INVALID_LENGTH. A verdict output (`int32_t *valid`) is 1 when
/// the signature verifies and 0 when it does not, with status HYBRIDKEM_OK: a
/// bad signature, or a public key that does not decode, is a verdict of 0, not
/// an error. On any error every verdict output is set to 0 (left untouched for
/// an unknown id, as outputs are).
///
/// Secret: ML-DSA seeds and expanded secret keys, EdDSA private keys,
/// composite private keys, and the `rnd` of the _derand functions.
///
/// Example (composite; error handling shortened):
///   uint16_t s = HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512;
///   uint8_t sk[HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PRIVATE_KEY_LEN];
///   uint8_t pk[HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PUBLIC_KEY_LEN];
///   uint8_t sig[HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_SIGNATURE_LEN];
///   int32_t mldsa_ok, eddsa_ok;
///   hybridkem_sig_generate_private_key(s, sk, sizeof sk);
///   hybridkem_sig_derive_public_key(s, sk, sizeof sk, pk, sizeof pk);
///   hybridkem_sig_sign(s, sk, sizeof sk, msg, msg_len, ctx, ctx_len, sig, sizeof sig);
///   hybridkem_sig_verify(s, pk, sizeof pk, msg, msg_len, ctx, ctx_len, sig, sizeof sig,
///                        &mldsa_ok, &eddsa_ok);   // valid only if both are 1
/// ML-DSA-44/65/87 and Ed25519 run in AWS-LC (ML-DSA: mldsa-native); Ed448 in
/// the ed448-goldilocks crate.
///
/// Algorithm ids of the component functions.
pub const HYBRIDKEM_MLDSA44: u16 = 44;
pub const HYBRIDKEM_MLDSA65: u16 = 65;
pub const HYBRIDKEM_MLDSA87: u16 = 87;
pub const HYBRIDKEM_ED25519: u16 = 25519;
pub const HYBRIDKEM_ED448: u16 = 448;

/// ML-DSA lengths: the keygen seed (xi), the hedging randomness rnd.
pub const HYBRIDKEM_MLDSA_SEED_LEN: usize = 32;
pub const HYBRIDKEM_MLDSA_RND_LEN: usize = 32;
pub const HYBRIDKEM_SIG_MAX_CONTEXT_LEN: usize = 255;
/// public key / expanded secret key (FIPS 204 skEncode) / signature
pub const HYBRIDKEM_MLDSA44_PUBLIC_KEY_LEN: usize = 1312;
pub const HYBRIDKEM_MLDSA44_SECRET_KEY_LEN: usize = 2560;
pub const HYBRIDKEM_MLDSA44_SIGNATURE_LEN: usize = 2420;
pub const HYBRIDKEM_MLDSA65_PUBLIC_KEY_LEN: usize = 1952;
pub const HYBRIDKEM_MLDSA65_SECRET_KEY_LEN: usize = 4032;
pub const HYBRIDKEM_MLDSA65_SIGNATURE_LEN: usize = 3309;
pub const HYBRIDKEM_MLDSA87_PUBLIC_KEY_LEN: usize = 2592;
pub const HYBRIDKEM_MLDSA87_SECRET_KEY_LEN: usize = 4896;
pub const HYBRIDKEM_MLDSA87_SIGNATURE_LEN: usize = 4627;
/// EdDSA: private key (RFC 8032 seed) = public key length; signature twice that.
pub const HYBRIDKEM_ED25519_KEY_LEN: usize = 32;
pub const HYBRIDKEM_ED25519_SIGNATURE_LEN: usize = 64;
pub const HYBRIDKEM_ED448_KEY_LEN: usize = 57;
pub const HYBRIDKEM_ED448_SIGNATURE_LEN: usize = 114;

/// Composite suites (wire ids, spec/WIRE-FORMAT.md §6) and their lengths.
/// Private key = 32-byte ML-DSA seed ‖ EdDSA private key (it is also the
/// keygen seed); public key = ML-DSA pk ‖ EdDSA pk; signature = ML-DSA sig ‖
/// EdDSA sig. M' = "CompositeAlgorithmSignatures2025" ‖ Label ‖ len(ctx) ‖
/// ctx ‖ PH(M); ML-DSA signs M' with its context set to the Label, EdDSA signs
/// M'. PH is SHA-512 (0xfe01, 0xfe02) or SHAKE256 with 64 bytes (0xfe03).
///
/// MLDSA44-Ed25519-SHA512, wire id 0xfe01.
pub const HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512: u16 = 0xfe01;
/// MLDSA65-Ed25519-SHA512, wire id 0xfe02.
pub const HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512: u16 = 0xfe02;
/// MLDSA87-Ed448-SHAKE256, wire id 0xfe03.
pub const HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256: u16 = 0xfe03;
pub const HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512_PRIVATE_KEY_LEN: usize = 64;
pub const HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512_PUBLIC_KEY_LEN: usize = 1344;
pub const HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512_SIGNATURE_LEN: usize = 2484;
pub const HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PRIVATE_KEY_LEN: usize = 64;
pub const HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PUBLIC_KEY_LEN: usize = 1984;
pub const HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_SIGNATURE_LEN: usize = 3373;
pub const HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_PRIVATE_KEY_LEN: usize = 89;
pub const HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_PUBLIC_KEY_LEN: usize = 2649;
pub const HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_SIGNATURE_LEN: usize = 4741;

fn mldsa_seed_len(_: MlDsa) -> usize {
    MLDSA_SEED_LEN
}
fn mldsa_rnd_len(_: MlDsa) -> usize {
    MLDSA_RND_LEN
}
fn composite_rnd_len(_: &Composite) -> usize {
    MLDSA_RND_LEN
}

/// One composite suite's sizes, in bytes: what a client allocates for
/// hybridkem_sig_* instead of copying the #defines above. Layout is fixed for
/// ABI version 1 and is hybridkem_suite_info's: offsets 0, 4, 6, 8, 12, 16,
/// 20, 24, then `name` at 32 (64-bit) or 28 (32-bit); sizeof 40 (64-bit) or
/// 32 (32-bit). In C#: [StructLayout(LayoutKind.Sequential)] with uint,
/// ushort, ushort, 5 x uint, IntPtr.
// (The same offsets as `hybridkem_suite_info`, so the same struct_size values.)
#[repr(C)]
#[derive(Debug)]
pub struct HybridkemSigSuiteInfo {
    /// in: sizeof(hybridkem_sig_suite_info)
    pub struct_size: u32,
    /// out: the suite's wire id
    pub suite_id: u16,
    /// out: 0
    pub reserved: u16,
    /// out: ML-DSA pk ‖ EdDSA pk
    pub public_key_len: u32,
    /// out: 32-byte ML-DSA seed ‖ EdDSA private key
    pub private_key_len: u32,
    /// out: ML-DSA sig ‖ EdDSA sig
    pub signature_len: u32,
    /// out: 255 (HYBRIDKEM_SIG_MAX_CONTEXT_LEN)
    pub max_context_len: u32,
    /// out: 32, the rnd of hybridkem_sig_sign_derand
    pub rnd_len: u32,
    /// out: static, NUL-terminated, e.g. "MLDSA65-Ed25519-SHA512"; do not free
    pub name: *const c_char,
}

unsafe impl InfoStruct for HybridkemSigSuiteInfo {}

/// The composite suite's name as a static C string (the table's names are Rust `&str`).
fn c_sig_name(id: u16) -> &'static CStr {
    match id {
        0xfe01 => c"MLDSA44-Ed25519-SHA512",
        0xfe02 => c"MLDSA65-Ed25519-SHA512",
        0xfe03 => c"MLDSA87-Ed448-SHAKE256",
        _ => c"",
    }
}

/// Fills *info for a composite suite id, as hybridkem_suite_info_get does for
/// KEM suites. NULL info -> ERR_NULL_POINTER; wrong info->struct_size ->
/// ERR_STRUCT_SIZE (struct untouched); unknown suite -> ERR_UNKNOWN_SUITE
/// (every field but struct_size zeroed, name NULL).
#[no_mangle]
pub unsafe extern "C" fn hybridkem_sig_suite_info_get(suite_id: u16, info: *mut HybridkemSigSuiteInfo) -> i32 {
    write_info(info, |size| {
        Composite::find(suite_id).map(|c| HybridkemSigSuiteInfo {
            struct_size: size,
            suite_id: c.id,
            reserved: 0,
            public_key_len: c.public_key_len() as u32,
            private_key_len: c.private_key_len() as u32,
            signature_len: c.signature_len() as u32,
            max_context_len: MAX_CONTEXT_LEN as u32,
            rnd_len: MLDSA_RND_LEN as u32,
            name: c_sig_name(c.id).as_ptr(),
        })
    })
}

/// ML-DSA.KeyGen_internal(seed) (FIPS 204 Algorithm 6): the public key and the
/// expanded secret key. Deterministic. Errors: NULL_POINTER, UNKNOWN_SUITE,
/// INVALID_LENGTH, INTERNAL.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_mldsa_keygen(
    alg: u16,
    seed: *const u8,
    seed_len: usize,
    public_key: *mut u8,
    public_key_len: usize,
    secret_key: *mut u8,
    secret_key_len: usize,
) -> i32 {
    let seed = Input::exactly(seed, seed_len, mldsa_seed_len);
    let public_key = Output::new(public_key, public_key_len, MlDsa::public_key_len);
    let secret_key = Output::new(secret_key, secret_key_len, MlDsa::secret_key_len);
    operation(alg, MlDsa::from_id, [seed], [public_key, secret_key], |p, [seed], [public_key, secret_key]| {
        sig::mldsa_keygen(p, seed, public_key, secret_key)
    })
}

/// ML-DSA.Sign (FIPS 204 Algorithm 2, pure) with the context string `context`
/// and the 32-byte hedging randomness `rnd` (fresh random bytes for hedged
/// signing; all zeros gives the deterministic variant, for test vectors).
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH (incl. a context over
/// 255 bytes), INTERNAL.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_mldsa_sign(
    alg: u16,
    secret_key: *const u8,
    secret_key_len: usize,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len: usize,
    rnd: *const u8,
    rnd_len: usize,
    signature: *mut u8,
    signature_len: usize,
) -> i32 {
    let secret_key = Input::exactly(secret_key, secret_key_len, MlDsa::secret_key_len);
    let message = Input::message(message, message_len);
    let context = Input::context(context, context_len);
    let rnd = Input::exactly(rnd, rnd_len, mldsa_rnd_len);
    let signature = Output::new(signature, signature_len, MlDsa::signature_len);
    operation(
        alg,
        MlDsa::from_id,
        [secret_key, message, context, rnd],
        [signature],
        |p, [secret_key, message, context, rnd], [signature]| sig::mldsa_sign(p, secret_key, message, context, rnd, signature),
    )
}

/// ML-DSA.Verify (FIPS 204 Algorithm 3): *valid = 1 or 0.
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_mldsa_verify(
    alg: u16,
    public_key: *const u8,
    public_key_len: usize,
    message: *const u8,
    message_len: usize,
    signature: *const u8,
    signature_len: usize,
    context: *const u8,
    context_len: usize,
    valid: *mut i32,
) -> i32 {
    let public_key = Input::exactly(public_key, public_key_len, MlDsa::public_key_len);
    let message = Input::message(message, message_len);
    let signature = Input::exactly(signature, signature_len, MlDsa::signature_len);
    let context = Input::context(context, context_len);
    operation(
        alg,
        MlDsa::from_id,
        [public_key, message, signature, context],
        [Output::verdict(valid)],
        |p, [public_key, message, signature, context], [valid]| {
            set_verdict(valid, sig::mldsa_verify(p, public_key, message, signature, context));
            Ok(())
        },
    )
}

/// The EdDSA public key of a private key (RFC 8032 §5.1.5 / §5.2.5).
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_eddsa_public_key(
    alg: u16,
    private_key: *const u8,
    private_key_len: usize,
    public_key: *mut u8,
    public_key_len: usize,
) -> i32 {
    let private_key = Input::exactly(private_key, private_key_len, EdDsa::private_key_len);
    let public_key = Output::new(public_key, public_key_len, EdDsa::public_key_len);
    operation(alg, EdDsa::from_id, [private_key], [public_key], |a, [private_key], [public_key]| {
        sig::eddsa_public_key(a, private_key, public_key)
    })
}

/// Pure EdDSA (Ed25519 / Ed448, empty context), deterministic.
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, INTERNAL.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_eddsa_sign(
    alg: u16,
    private_key: *const u8,
    private_key_len: usize,
    message: *const u8,
    message_len: usize,
    signature: *mut u8,
    signature_len: usize,
) -> i32 {
    let private_key = Input::exactly(private_key, private_key_len, EdDsa::private_key_len);
    let message = Input::message(message, message_len);
    let signature = Output::new(signature, signature_len, EdDsa::signature_len);
    operation(alg, EdDsa::from_id, [private_key, message], [signature], |a, [private_key, message], [signature]| {
        sig::eddsa_sign(a, private_key, message, signature)
    })
}

/// Pure EdDSA verification with RFC 8032's strict decoding (S below the group
/// order, canonical encodings): *valid = 1 or 0.
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_eddsa_verify(
    alg: u16,
    public_key: *const u8,
    public_key_len: usize,
    message: *const u8,
    message_len: usize,
    signature: *const u8,
    signature_len: usize,
    valid: *mut i32,
) -> i32 {
    let public_key = Input::exactly(public_key, public_key_len, EdDsa::public_key_len);
    let message = Input::message(message, message_len);
    let signature = Input::exactly(signature, signature_len, EdDsa::signature_len);
    operation(
        alg,
        EdDsa::from_id,
        [public_key, message, signature],
        [Output::verdict(valid)],
        |a, [public_key, message, signature], [valid]| {
            set_verdict(valid, sig::eddsa_verify(a, public_key, message, signature));
            Ok(())
        },
    )
}

/// A fresh composite private key from the OS CSPRNG.
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, RANDOM.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_sig_generate_private_key(suite_id: u16, private_key: *mut u8, private_key_len: usize) -> i32 {
    let private_key = Output::new(private_key, private_key_len, Composite::private_key_len);
    operation(suite_id, Composite::find, [], [private_key], |_, [], [private_key]| sig::random(private_key))
}

/// The composite public key of a private key (deterministic).
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, INTERNAL.
#[no_mangle]
pub unsafe extern "C" fn hybridkem_sig_derive_public_key(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    public_key: *mut u8,
    public_key_len: usize,
) -> i32 {
    let private_key = Input::exactly(private_key, private_key_len, Composite::private_key_len);
    let public_key = Output::new(public_key, public_key_len, Composite::public_key_len);
    operation(suite_id, Composite::find, [private_key], [public_key], |c, [private_key], [public_key]| {
        c.public_key(private_key, public_key)
    })
}

/// Composite-ML-DSA.Sign, hedged: ML-DSA's rnd comes from the OS CSPRNG.
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, RANDOM, INTERNAL.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_sig_sign(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len: usize,
    signature: *mut u8,
    signature_len: usize,
) -> i32 {
    let private_key = Input::exactly(private_key, private_key_len, Composite::private_key_len);
    let message = Input::message(message, message_len);
    let context = Input::context(context, context_len);
    let signature = Output::new(signature, signature_len, Composite::signature_len);
    operation(suite_id, Composite::find, [private_key, message, context], [signature], |c, [private_key, message, context], [signature]| {
        // hybridkem_sig_sign_derand with rnd fresh from the CSPRNG.
        let mut rnd = Zeroizing::new([0u8; MLDSA_RND_LEN]);
        sig::random(&mut rnd[..])?;
        c.sign(private_key, message, context, &rnd[..], signature)
    })
}

/// Composite-ML-DSA.Sign with the caller's 32-byte ML-DSA rnd (all zeros: the
/// deterministic signature). FOR TEST VECTORS; use hybridkem_sig_sign.
/// Errors: as hybridkem_sig_sign but never RANDOM.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_sig_sign_derand(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len: usize,
    rnd: *const u8,
    rnd_len: usize,
    signature: *mut u8,
    signature_len: usize,
) -> i32 {
    let private_key = Input::exactly(private_key, private_key_len, Composite::private_key_len);
    let message = Input::message(message, message_len);
    let context = Input::context(context, context_len);
    let rnd = Input::exactly(rnd, rnd_len, composite_rnd_len);
    let signature = Output::new(signature, signature_len, Composite::signature_len);
    operation(
        suite_id,
        Composite::find,
        [private_key, message, context, rnd],
        [signature],
        |c, [private_key, message, context, rnd], [signature]| c.sign(private_key, message, context, rnd, signature),
    )
}

/// Composite-ML-DSA.Verify with both component verdicts: the signature is
/// valid only when *mldsa_valid and *eddsa_valid are both 1.
/// Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH (public key, context,
/// signature).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_sig_verify(
    suite_id: u16,
    public_key: *const u8,
    public_key_len: usize,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len: usize,
    signature: *const u8,
    signature_len: usize,
    mldsa_valid: *mut i32,
    eddsa_valid: *mut i32,
) -> i32 {
    let public_key = Input::exactly(public_key, public_key_len, Composite::public_key_len);
    let message = Input::message(message, message_len);
    let context = Input::context(context, context_len);
    let signature = Input::exactly(signature, signature_len, Composite::signature_len);
    operation(
        suite_id,
        Composite::find,
        [public_key, message, context, signature],
        [Output::verdict(mldsa_valid), Output::verdict(eddsa_valid)],
        |c, [public_key, message, context, signature], [mldsa_valid, eddsa_valid]| {
            let (mldsa, eddsa) = c.verify(public_key, message, context, signature)?;
            set_verdict(mldsa_valid, mldsa);
            set_verdict(eddsa_valid, eddsa);
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_names_match_the_suite_table() {
        for s in SUITES.iter() {
            assert_eq!(c_name(s.id).to_str().unwrap(), s.name);
        }
    }

    #[test]
    fn c_sig_names_match_the_composite_table() {
        for c in sig::COMPOSITES.iter() {
            assert_eq!(c_sig_name(c.id).to_str().unwrap(), c.name);
        }
    }

    #[test]
    fn sig_suite_info_layout_is_the_headers() {
        assert_eq!(core::mem::size_of::<HybridkemSigSuiteInfo>(), if cfg!(target_pointer_width = "64") { 40 } else { 32 });
        assert_eq!(core::mem::offset_of!(HybridkemSigSuiteInfo, rnd_len), 24);
        assert_eq!(core::mem::offset_of!(HybridkemSigSuiteInfo, struct_size), 0);
    }

    #[test]
    fn suite_info_layout_is_the_headers() {
        assert_eq!(core::mem::size_of::<HybridkemSuiteInfo>(), if cfg!(target_pointer_width = "64") { 40 } else { 32 });
        assert_eq!(core::mem::offset_of!(HybridkemSuiteInfo, randomness_len), 24);
        assert_eq!(core::mem::offset_of!(HybridkemSuiteInfo, struct_size), 0);
    }

    #[test]
    fn status_numbers_and_names_are_the_headers() {
        let header = include_str!("../include/hybridkem.h");
        for s in Status::ALL {
            let name = s.name().to_str().unwrap();
            assert!(header.contains(&format!("#define {name} {}\n", s as i32)), "{name}");
        }
    }

    /// The header's lengths (cbindgen emits these constants) are the tables'
    /// (tests/c_abi.rs and tests/signatures.rs check the ids, the status codes
    /// and the per-suite lengths in the header itself).
    #[test]
    fn header_lengths_are_the_tables() {
        let kem = |id| suites::suite(id).unwrap();
        assert_eq!(HYBRIDKEM_PRIVATE_KEY_LEN, kem(HYBRIDKEM_SUITE_X_WING).private_key_len());
        assert_eq!(HYBRIDKEM_PRIVATE_KEY_LEN, kem(HYBRIDKEM_SUITE_DHKEM_X25519_HKDF_SHA256).private_key_len());
        assert_eq!(HYBRIDKEM_MLKEM_PRIVATE_KEY_LEN, kem(HYBRIDKEM_SUITE_ML_KEM_768).private_key_len());
        assert_eq!(HYBRIDKEM_MLKEM_PRIVATE_KEY_LEN, kem(HYBRIDKEM_SUITE_ML_KEM_1024).private_key_len());
        assert_eq!(HYBRIDKEM_MAX_PRIVATE_KEY_LEN, SUITES.iter().map(|s| s.private_key_len()).max().unwrap());
        assert_eq!(HYBRIDKEM_SHARED_SECRET_LEN, SHARED_SECRET_LEN);
        for p in [HYBRIDKEM_MLDSA44, HYBRIDKEM_MLDSA65, HYBRIDKEM_MLDSA87] {
            assert!(MlDsa::from_id(p).is_some(), "{p}");
        }
        assert_eq!(EdDsa::from_id(HYBRIDKEM_ED25519).unwrap().private_key_len(), HYBRIDKEM_ED25519_KEY_LEN);
        assert_eq!(EdDsa::from_id(HYBRIDKEM_ED448).unwrap().private_key_len(), HYBRIDKEM_ED448_KEY_LEN);
        use crate::channel::{ffi as ch, Pattern};
        assert_eq!(Pattern::from_id(ch::HYBRIDKEM_CHANNEL_PATTERN_PQNK as u8), Some(Pattern::PqNk));
        assert_eq!(Pattern::from_id(ch::HYBRIDKEM_CHANNEL_PATTERN_PQIK as u8), Some(Pattern::PqIk));
        assert_eq!(Pattern::from_id(ch::HYBRIDKEM_CHANNEL_PATTERN_PQXX as u8), Some(Pattern::PqXx));
    }

    #[test]
    fn a_panic_is_internal_and_zeroes_the_outputs() {
        let mut buf = [0xaau8; 8];
        let outs = [Out::new(buf.as_mut_ptr(), 8, 4)];
        assert_eq!(boundary(&outs, || panic!("caught at the boundary")), HYBRIDKEM_ERR_INTERNAL);
        assert_eq!(buf, [0, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa]);
    }
}
