//! The C ABI: `include/hybridkem.h` is its contract, this file its only
//! implementation. Every function checks NULL pointers, the suite, then the
//! lengths before it makes a slice, runs inside `catch_unwind` (no panic
//! crosses the boundary), and on failure zeroes every non-NULL output over
//! the smaller of the length passed and the suite's length for it (the
//! header's all-or-nothing rule), so a wrong length never leads to a write
//! past the suite's length for that buffer.
//!
//! Safety of every `unsafe extern "C" fn` here: each (pointer, length) pair
//! must describe memory the caller owns for the call, inputs and outputs not
//! overlapping — the header's CONVENTIONS, which are the one statement of it.
#![allow(clippy::missing_safety_doc)]
use core::ffi::{c_char, CStr};
use core::ptr;
use std::panic::{catch_unwind, AssertUnwindSafe};

use hybridkem_suites::{self as suites, Error, Suite, SEED_LEN, SHARED_SECRET_LEN, SUITES};
use zeroize::Zeroize;

use crate::awslc::{AwsLc, RANDOM_FAILURE};

pub const HYBRIDKEM_ABI_VERSION: u32 = 1;

pub const HYBRIDKEM_OK: i32 = 0;
pub const HYBRIDKEM_ERR_NULL_POINTER: i32 = 1;
pub const HYBRIDKEM_ERR_UNKNOWN_SUITE: i32 = 2;
pub const HYBRIDKEM_ERR_INVALID_LENGTH: i32 = 3;
pub const HYBRIDKEM_ERR_INVALID_PUBLIC_KEY: i32 = 4;
pub const HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT: i32 = 5;
pub const HYBRIDKEM_ERR_NO_VALID_SCALAR: i32 = 6;
pub const HYBRIDKEM_ERR_STRUCT_SIZE: i32 = 7;
pub const HYBRIDKEM_ERR_RANDOM: i32 = 8;
pub const HYBRIDKEM_ERR_INTERNAL: i32 = 9;

/// `hybridkem_suite_info` of ABI version 1 (the header's layout).
#[repr(C)]
#[derive(Debug)]
pub struct HybridkemSuiteInfo {
    pub struct_size: u32,
    pub suite_id: u16,
    pub reserved: u16,
    pub public_key_len: u32,
    pub private_key_len: u32,
    pub ciphertext_len: u32,
    pub shared_secret_len: u32,
    pub randomness_len: u32,
    pub name: *const c_char,
}

/// The status code of a suite error.
pub fn status_of(e: &Error) -> i32 {
    match e {
        Error::UnknownSuite(_) => HYBRIDKEM_ERR_UNKNOWN_SUITE,
        Error::InvalidLength { .. } => HYBRIDKEM_ERR_INVALID_LENGTH,
        Error::InvalidPublicKey { .. } => HYBRIDKEM_ERR_INVALID_PUBLIC_KEY,
        Error::InvalidGroupElement { .. } => HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT,
        Error::NoValidScalar { .. } => HYBRIDKEM_ERR_NO_VALID_SCALAR,
        Error::Primitive(what) if *what == RANDOM_FAILURE => HYBRIDKEM_ERR_RANDOM,
        Error::Primitive(_) => HYBRIDKEM_ERR_INTERNAL,
    }
}

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
        _ => c"",
    }
}

/// An output the caller passed. On failure it is zeroed over
/// min(`len`, `expected`): the declared length alone may be wrong (that is
/// what HYBRIDKEM_ERR_INVALID_LENGTH reports), so it never decides how far we
/// write. `expected` is 0 where the suite, and so the length, is unknown.
struct Out {
    ptr: *mut u8,
    len: usize,
    expected: usize,
}

impl Out {
    fn zero(&self) {
        let n = self.len.min(self.expected);
        if !self.ptr.is_null() && n > 0 {
            unsafe { core::slice::from_raw_parts_mut(self.ptr, n) }.zeroize();
        }
    }
}

/// The suite's length for an output, or 0 for an unknown suite.
fn suite_len(suite_id: u16, len: fn(&Suite) -> usize) -> usize {
    suites::suite(suite_id).map_or(0, len)
}

/// Runs `f` under `catch_unwind`; on a failure or a panic, zeroes `outs`.
fn guarded(outs: &[Out], f: impl FnOnce() -> i32) -> i32 {
    let status = catch_unwind(AssertUnwindSafe(f)).unwrap_or(HYBRIDKEM_ERR_INTERNAL);
    if status != HYBRIDKEM_OK {
        for o in outs {
            o.zero();
        }
    }
    status
}

fn find_suite(id: u16) -> Result<&'static Suite, i32> {
    suites::suite(id).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)
}

fn expect_len(actual: usize, expected: usize) -> Result<(), i32> {
    if actual == expected {
        Ok(())
    } else {
        Err(HYBRIDKEM_ERR_INVALID_LENGTH)
    }
}

fn status(r: hybridkem_suites::Result<()>) -> i32 {
    match r {
        Ok(()) => HYBRIDKEM_OK,
        Err(e) => status_of(&e),
    }
}

/// Slices of checked (non-NULL, right-length) buffers.
unsafe fn input<'a>(p: *const u8, len: usize) -> &'a [u8] {
    core::slice::from_raw_parts(p, len)
}
unsafe fn output<'a>(p: *mut u8, len: usize) -> &'a mut [u8] {
    core::slice::from_raw_parts_mut(p, len)
}

fn flatten(r: Result<i32, i32>) -> i32 {
    r.unwrap_or_else(|e| e)
}

#[no_mangle]
pub extern "C" fn hybridkem_abi_version() -> u32 {
    HYBRIDKEM_ABI_VERSION
}

#[no_mangle]
pub extern "C" fn hybridkem_status_name(status: i32) -> *const c_char {
    let name: &'static CStr = match status {
        HYBRIDKEM_OK => c"HYBRIDKEM_OK",
        HYBRIDKEM_ERR_NULL_POINTER => c"HYBRIDKEM_ERR_NULL_POINTER",
        HYBRIDKEM_ERR_UNKNOWN_SUITE => c"HYBRIDKEM_ERR_UNKNOWN_SUITE",
        HYBRIDKEM_ERR_INVALID_LENGTH => c"HYBRIDKEM_ERR_INVALID_LENGTH",
        HYBRIDKEM_ERR_INVALID_PUBLIC_KEY => c"HYBRIDKEM_ERR_INVALID_PUBLIC_KEY",
        HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT => c"HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT",
        HYBRIDKEM_ERR_NO_VALID_SCALAR => c"HYBRIDKEM_ERR_NO_VALID_SCALAR",
        HYBRIDKEM_ERR_STRUCT_SIZE => c"HYBRIDKEM_ERR_STRUCT_SIZE",
        HYBRIDKEM_ERR_RANDOM => c"HYBRIDKEM_ERR_RANDOM",
        HYBRIDKEM_ERR_INTERNAL => c"HYBRIDKEM_ERR_INTERNAL",
        _ => c"HYBRIDKEM_ERR_UNKNOWN_STATUS",
    };
    name.as_ptr()
}

#[no_mangle]
pub extern "C" fn hybridkem_library_version() -> *const c_char {
    const V: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    V.as_ptr().cast()
}

#[no_mangle]
pub extern "C" fn hybridkem_implementation() -> *const c_char {
    c"AWS-LC (aws-lc-sys 0.47.0)".as_ptr()
}

#[no_mangle]
pub extern "C" fn hybridkem_suite_count() -> usize {
    SUITES.len()
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_suite_id_at(index: usize, suite_id: *mut u16) -> i32 {
    if suite_id.is_null() {
        return HYBRIDKEM_ERR_NULL_POINTER;
    }
    let (id, status) = match SUITES.get(index) {
        Some(s) => (s.id, HYBRIDKEM_OK),
        None => (0, HYBRIDKEM_ERR_UNKNOWN_SUITE),
    };
    suite_id.write_unaligned(id);
    status
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_suite_info_get(suite_id: u16, info: *mut HybridkemSuiteInfo) -> i32 {
    // Nothing here can panic (table lookups and u32 lengths); still guarded,
    // like every entry point. The struct is written once, at the end.
    catch_unwind(AssertUnwindSafe(|| suite_info_get(suite_id, info))).unwrap_or(HYBRIDKEM_ERR_INTERNAL)
}

unsafe fn suite_info_get(suite_id: u16, info: *mut HybridkemSuiteInfo) -> i32 {
    if info.is_null() {
        return HYBRIDKEM_ERR_NULL_POINTER;
    }
    // Read the size field alone: the rest of the caller's struct may be of another size.
    let size = ptr::addr_of!((*info).struct_size).read_unaligned();
    if size as usize != core::mem::size_of::<HybridkemSuiteInfo>() {
        return HYBRIDKEM_ERR_STRUCT_SIZE;
    }
    let filled = match suites::suite(suite_id) {
        Some(s) => HybridkemSuiteInfo {
            struct_size: size,
            suite_id: s.id,
            reserved: 0,
            public_key_len: s.public_key_len() as u32,
            private_key_len: SEED_LEN as u32,
            ciphertext_len: s.ciphertext_len() as u32,
            shared_secret_len: SHARED_SECRET_LEN as u32,
            randomness_len: s.randomness_len() as u32,
            name: c_name(s.id).as_ptr(),
        },
        None => HybridkemSuiteInfo {
            struct_size: size,
            suite_id: 0,
            reserved: 0,
            public_key_len: 0,
            private_key_len: 0,
            ciphertext_len: 0,
            shared_secret_len: 0,
            randomness_len: 0,
            name: ptr::null(),
        },
    };
    let found = !filled.name.is_null();
    info.write_unaligned(filled);
    if found {
        HYBRIDKEM_OK
    } else {
        HYBRIDKEM_ERR_UNKNOWN_SUITE
    }
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_generate_private_key(suite_id: u16, private_key: *mut u8, private_key_len: usize) -> i32 {
    let outs = [Out { ptr: private_key, len: private_key_len, expected: suite_len(suite_id, |_| SEED_LEN) }];
    guarded(&outs, || {
        flatten((|| {
            if private_key.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            find_suite(suite_id)?;
            expect_len(private_key_len, SEED_LEN)?;
            Ok(status(suites::generate_seed(&AwsLc::new(), output(private_key, private_key_len))))
        })())
    })
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_derive_public_key(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    public_key: *mut u8,
    public_key_len: usize,
) -> i32 {
    let outs = [Out { ptr: public_key, len: public_key_len, expected: suite_len(suite_id, Suite::public_key_len) }];
    guarded(&outs, || {
        flatten((|| {
            if private_key.is_null() || public_key.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let s = find_suite(suite_id)?;
            expect_len(private_key_len, SEED_LEN)?;
            expect_len(public_key_len, s.public_key_len())?;
            Ok(status(suites::derive_public_key(&AwsLc::new(), s, input(private_key, private_key_len), output(public_key, public_key_len))))
        })())
    })
}

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
    let outs = [
        Out { ptr: ciphertext, len: ciphertext_len, expected: suite_len(suite_id, Suite::ciphertext_len) },
        Out { ptr: shared_secret, len: shared_secret_len, expected: suite_len(suite_id, |_| SHARED_SECRET_LEN) },
    ];
    guarded(&outs, || {
        flatten((|| {
            if public_key.is_null() || ciphertext.is_null() || shared_secret.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let s = find_suite(suite_id)?;
            expect_len(public_key_len, s.public_key_len())?;
            expect_len(ciphertext_len, s.ciphertext_len())?;
            expect_len(shared_secret_len, SHARED_SECRET_LEN)?;
            Ok(status(suites::encapsulate(
                &AwsLc::new(),
                s,
                input(public_key, public_key_len),
                output(ciphertext, ciphertext_len),
                output(shared_secret, shared_secret_len),
            )))
        })())
    })
}

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
    let outs = [
        Out { ptr: ciphertext, len: ciphertext_len, expected: suite_len(suite_id, Suite::ciphertext_len) },
        Out { ptr: shared_secret, len: shared_secret_len, expected: suite_len(suite_id, |_| SHARED_SECRET_LEN) },
    ];
    guarded(&outs, || {
        flatten((|| {
            if public_key.is_null() || randomness.is_null() || ciphertext.is_null() || shared_secret.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let s = find_suite(suite_id)?;
            expect_len(public_key_len, s.public_key_len())?;
            expect_len(randomness_len, s.randomness_len())?;
            expect_len(ciphertext_len, s.ciphertext_len())?;
            expect_len(shared_secret_len, SHARED_SECRET_LEN)?;
            Ok(status(suites::encapsulate_derand(
                &AwsLc::new(),
                s,
                input(public_key, public_key_len),
                input(randomness, randomness_len),
                output(ciphertext, ciphertext_len),
                output(shared_secret, shared_secret_len),
            )))
        })())
    })
}

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
    let outs = [Out { ptr: shared_secret, len: shared_secret_len, expected: suite_len(suite_id, |_| SHARED_SECRET_LEN) }];
    guarded(&outs, || {
        flatten((|| {
            if private_key.is_null() || ciphertext.is_null() || shared_secret.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let s = find_suite(suite_id)?;
            expect_len(private_key_len, SEED_LEN)?;
            expect_len(ciphertext_len, s.ciphertext_len())?;
            expect_len(shared_secret_len, SHARED_SECRET_LEN)?;
            Ok(status(suites::decapsulate(
                &AwsLc::new(),
                s,
                input(private_key, private_key_len),
                input(ciphertext, ciphertext_len),
                output(shared_secret, shared_secret_len),
            )))
        })())
    })
}

// ---------------------------------------------------------------- expanded private keys
//
// `hybridkem_private_key` is a heap object owned by the caller between
// hybridkem_private_key_import and hybridkem_private_key_free (the one
// exception to "the library never allocates memory the caller must free").

use crate::expanded::PrivateKey;

/// The opaque `hybridkem_private_key` of the header.
pub struct HybridkemPrivateKey(PrivateKey);

#[no_mangle]
pub unsafe extern "C" fn hybridkem_private_key_import(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    key_out: *mut *mut HybridkemPrivateKey,
) -> i32 {
    // The output is a pointer: on failure it is set to NULL (when non-NULL).
    let status = catch_unwind(AssertUnwindSafe(|| {
        flatten((|| {
            if private_key.is_null() || key_out.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let s = find_suite(suite_id)?;
            expect_len(private_key_len, SEED_LEN)?;
            let key = PrivateKey::import(s, input(private_key, private_key_len)).map_err(|e| status_of(&e))?;
            key_out.write_unaligned(Box::into_raw(Box::new(HybridkemPrivateKey(key))));
            Ok(HYBRIDKEM_OK)
        })())
    }))
    .unwrap_or(HYBRIDKEM_ERR_INTERNAL);
    if status != HYBRIDKEM_OK && !key_out.is_null() {
        key_out.write_unaligned(ptr::null_mut());
    }
    status
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_decapsulate_with_key(
    key: *const HybridkemPrivateKey,
    ciphertext: *const u8,
    ciphertext_len: usize,
    shared_secret: *mut u8,
    shared_secret_len: usize,
) -> i32 {
    let outs = [Out { ptr: shared_secret, len: shared_secret_len, expected: SHARED_SECRET_LEN }];
    guarded(&outs, || {
        flatten((|| {
            if key.is_null() || ciphertext.is_null() || shared_secret.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let k = &(*key).0;
            expect_len(ciphertext_len, k.suite.ciphertext_len())?;
            expect_len(shared_secret_len, SHARED_SECRET_LEN)?;
            Ok(status(k.decapsulate(input(ciphertext, ciphertext_len), output(shared_secret, shared_secret_len))))
        })())
    })
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_private_key_suite(key: *const HybridkemPrivateKey, suite_id: *mut u16) -> i32 {
    if key.is_null() || suite_id.is_null() {
        return HYBRIDKEM_ERR_NULL_POINTER;
    }
    suite_id.write_unaligned((*key).0.suite.id);
    HYBRIDKEM_OK
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_private_key_free(key: *mut *mut HybridkemPrivateKey) {
    if key.is_null() {
        return;
    }
    let k = key.read_unaligned();
    // The caller's variable is cleared first: a second free of it, or a
    // decapsulation with it, then sees NULL.
    key.write_unaligned(ptr::null_mut());
    if !k.is_null() {
        // Dropping wipes the key (Zeroizing fields, AWS-LC's cleansing free).
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(k))));
    }
}

// ---------------------------------------------------------------- signatures
//
// The same rules as the KEM functions above: NULL pointers, then the
// algorithm or suite id, then lengths, then contents; outputs zeroed on any
// failure over min(length passed, the algorithm's length); everything under
// catch_unwind. A verdict output (`int32_t *valid`) is 1 or 0, and 0 on any
// failure. Empty messages and contexts are passed as a non-NULL pointer with
// length 0.

use crate::sig::{self, Composite, EdDsa, MlDsa, MAX_CONTEXT_LEN, MLDSA_RND_LEN, MLDSA_SEED_LEN};

const VERDICT_LEN: usize = core::mem::size_of::<i32>();

fn mldsa_len(alg: u16, len: fn(MlDsa) -> usize) -> usize {
    MlDsa::from_id(alg).map_or(0, len)
}
fn eddsa_len(alg: u16, len: fn(EdDsa) -> usize) -> usize {
    EdDsa::from_id(alg).map_or(0, len)
}
fn composite_len(suite: u16, len: fn(&Composite) -> usize) -> usize {
    Composite::find(suite).map_or(0, len)
}
fn verdict_out(p: *mut i32, known: bool) -> Out {
    Out { ptr: p.cast(), len: VERDICT_LEN, expected: if known { VERDICT_LEN } else { 0 } }
}
fn context_len(len: usize) -> Result<(), i32> {
    if len <= MAX_CONTEXT_LEN {
        Ok(())
    } else {
        Err(HYBRIDKEM_ERR_INVALID_LENGTH)
    }
}
fn done(r: Result<(), i32>) -> i32 {
    match r {
        Ok(()) => HYBRIDKEM_OK,
        Err(e) => e,
    }
}

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
    let outs = [
        Out { ptr: public_key, len: public_key_len, expected: mldsa_len(alg, MlDsa::public_key_len) },
        Out { ptr: secret_key, len: secret_key_len, expected: mldsa_len(alg, MlDsa::secret_key_len) },
    ];
    guarded(&outs, || {
        flatten((|| {
            if seed.is_null() || public_key.is_null() || secret_key.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let p = MlDsa::from_id(alg).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(seed_len, MLDSA_SEED_LEN)?;
            expect_len(public_key_len, p.public_key_len())?;
            expect_len(secret_key_len, p.secret_key_len())?;
            Ok(done(sig::mldsa_keygen(p, input(seed, seed_len), output(public_key, public_key_len), output(secret_key, secret_key_len))))
        })())
    })
}

#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_mldsa_sign(
    alg: u16,
    secret_key: *const u8,
    secret_key_len: usize,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len_: usize,
    rnd: *const u8,
    rnd_len: usize,
    signature: *mut u8,
    signature_len: usize,
) -> i32 {
    let outs = [Out { ptr: signature, len: signature_len, expected: mldsa_len(alg, MlDsa::signature_len) }];
    guarded(&outs, || {
        flatten((|| {
            if secret_key.is_null() || message.is_null() || context.is_null() || rnd.is_null() || signature.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let p = MlDsa::from_id(alg).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(secret_key_len, p.secret_key_len())?;
            context_len(context_len_)?;
            expect_len(rnd_len, MLDSA_RND_LEN)?;
            expect_len(signature_len, p.signature_len())?;
            Ok(done(sig::mldsa_sign(
                p,
                input(secret_key, secret_key_len),
                input(message, message_len),
                input(context, context_len_),
                input(rnd, rnd_len),
                output(signature, signature_len),
            )))
        })())
    })
}

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
    context_len_: usize,
    valid: *mut i32,
) -> i32 {
    let outs = [verdict_out(valid, MlDsa::from_id(alg).is_some())];
    guarded(&outs, || {
        flatten((|| {
            if public_key.is_null() || message.is_null() || signature.is_null() || context.is_null() || valid.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let p = MlDsa::from_id(alg).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(public_key_len, p.public_key_len())?;
            expect_len(signature_len, p.signature_len())?;
            context_len(context_len_)?;
            let ok = sig::mldsa_verify(
                p,
                input(public_key, public_key_len),
                input(message, message_len),
                input(signature, signature_len),
                input(context, context_len_),
            );
            valid.write_unaligned(i32::from(ok));
            Ok(HYBRIDKEM_OK)
        })())
    })
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_eddsa_public_key(
    alg: u16,
    private_key: *const u8,
    private_key_len: usize,
    public_key: *mut u8,
    public_key_len: usize,
) -> i32 {
    let outs = [Out { ptr: public_key, len: public_key_len, expected: eddsa_len(alg, EdDsa::public_key_len) }];
    guarded(&outs, || {
        flatten((|| {
            if private_key.is_null() || public_key.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let a = EdDsa::from_id(alg).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(private_key_len, a.private_key_len())?;
            expect_len(public_key_len, a.public_key_len())?;
            Ok(done(sig::eddsa_public_key(a, input(private_key, private_key_len), output(public_key, public_key_len))))
        })())
    })
}

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
    let outs = [Out { ptr: signature, len: signature_len, expected: eddsa_len(alg, EdDsa::signature_len) }];
    guarded(&outs, || {
        flatten((|| {
            if private_key.is_null() || message.is_null() || signature.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let a = EdDsa::from_id(alg).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(private_key_len, a.private_key_len())?;
            expect_len(signature_len, a.signature_len())?;
            Ok(done(sig::eddsa_sign(a, input(private_key, private_key_len), input(message, message_len), output(signature, signature_len))))
        })())
    })
}

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
    let outs = [verdict_out(valid, EdDsa::from_id(alg).is_some())];
    guarded(&outs, || {
        flatten((|| {
            if public_key.is_null() || message.is_null() || signature.is_null() || valid.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let a = EdDsa::from_id(alg).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(public_key_len, a.public_key_len())?;
            expect_len(signature_len, a.signature_len())?;
            let ok = sig::eddsa_verify(a, input(public_key, public_key_len), input(message, message_len), input(signature, signature_len));
            valid.write_unaligned(i32::from(ok));
            Ok(HYBRIDKEM_OK)
        })())
    })
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_sig_generate_private_key(suite_id: u16, private_key: *mut u8, private_key_len: usize) -> i32 {
    let outs = [Out { ptr: private_key, len: private_key_len, expected: composite_len(suite_id, Composite::private_key_len) }];
    guarded(&outs, || {
        flatten((|| {
            if private_key.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let c = Composite::find(suite_id).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(private_key_len, c.private_key_len())?;
            Ok(done(sig::random(output(private_key, private_key_len))))
        })())
    })
}

#[no_mangle]
pub unsafe extern "C" fn hybridkem_sig_derive_public_key(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    public_key: *mut u8,
    public_key_len: usize,
) -> i32 {
    let outs = [Out { ptr: public_key, len: public_key_len, expected: composite_len(suite_id, Composite::public_key_len) }];
    guarded(&outs, || {
        flatten((|| {
            if private_key.is_null() || public_key.is_null() {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let c = Composite::find(suite_id).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(private_key_len, c.private_key_len())?;
            expect_len(public_key_len, c.public_key_len())?;
            Ok(done(c.public_key(input(private_key, private_key_len), output(public_key, public_key_len))))
        })())
    })
}

#[allow(clippy::too_many_arguments)]
unsafe fn composite_sign(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len_: usize,
    rnd: Option<(*const u8, usize)>,
    signature: *mut u8,
    signature_len: usize,
) -> i32 {
    let outs = [Out { ptr: signature, len: signature_len, expected: composite_len(suite_id, Composite::signature_len) }];
    guarded(&outs, || {
        flatten((|| {
            if private_key.is_null()
                || message.is_null()
                || context.is_null()
                || signature.is_null()
                || rnd.is_some_and(|(p, _)| p.is_null())
            {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let c = Composite::find(suite_id).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(private_key_len, c.private_key_len())?;
            context_len(context_len_)?;
            if let Some((_, n)) = rnd {
                expect_len(n, MLDSA_RND_LEN)?;
            }
            expect_len(signature_len, c.signature_len())?;
            let mut fresh = zeroize::Zeroizing::new([0u8; MLDSA_RND_LEN]);
            let rnd: &[u8] = match rnd {
                Some((p, n)) => input(p, n),
                None => {
                    sig::random(&mut fresh[..])?;
                    &fresh[..]
                }
            };
            Ok(done(c.sign(
                input(private_key, private_key_len),
                input(message, message_len),
                input(context, context_len_),
                rnd,
                output(signature, signature_len),
            )))
        })())
    })
}

#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_sig_sign(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len_: usize,
    signature: *mut u8,
    signature_len: usize,
) -> i32 {
    composite_sign(suite_id, private_key, private_key_len, message, message_len, context, context_len_, None, signature, signature_len)
}

#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_sig_sign_derand(
    suite_id: u16,
    private_key: *const u8,
    private_key_len: usize,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len_: usize,
    rnd: *const u8,
    rnd_len: usize,
    signature: *mut u8,
    signature_len: usize,
) -> i32 {
    composite_sign(
        suite_id,
        private_key,
        private_key_len,
        message,
        message_len,
        context,
        context_len_,
        Some((rnd, rnd_len)),
        signature,
        signature_len,
    )
}

#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hybridkem_sig_verify(
    suite_id: u16,
    public_key: *const u8,
    public_key_len: usize,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len_: usize,
    signature: *const u8,
    signature_len: usize,
    mldsa_valid: *mut i32,
    eddsa_valid: *mut i32,
) -> i32 {
    let known = Composite::find(suite_id).is_some();
    let outs = [verdict_out(mldsa_valid, known), verdict_out(eddsa_valid, known)];
    guarded(&outs, || {
        flatten((|| {
            if public_key.is_null()
                || message.is_null()
                || context.is_null()
                || signature.is_null()
                || mldsa_valid.is_null()
                || eddsa_valid.is_null()
            {
                return Err(HYBRIDKEM_ERR_NULL_POINTER);
            }
            let c = Composite::find(suite_id).ok_or(HYBRIDKEM_ERR_UNKNOWN_SUITE)?;
            expect_len(public_key_len, c.public_key_len())?;
            context_len(context_len_)?;
            expect_len(signature_len, c.signature_len())?;
            let (m, e) = c.verify(
                input(public_key, public_key_len),
                input(message, message_len),
                input(context, context_len_),
                input(signature, signature_len),
            )?;
            mldsa_valid.write_unaligned(i32::from(m));
            eddsa_valid.write_unaligned(i32::from(e));
            Ok(HYBRIDKEM_OK)
        })())
    })
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
    fn suite_info_layout_is_the_headers() {
        assert_eq!(core::mem::size_of::<HybridkemSuiteInfo>(), if cfg!(target_pointer_width = "64") { 40 } else { 32 });
        assert_eq!(core::mem::offset_of!(HybridkemSuiteInfo, randomness_len), 24);
    }
}
