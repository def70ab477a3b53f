//! What the channel's two C ABIs (`hybridkem_channel_*` in [`super::ffi`],
//! `hybridkem_noise_*` in [`super::noise_ffi`]) check and copy alike: inputs
//! and output buffers that may be NULL with length 0, one suite's static
//! keys, and freeing an opaque handle. Both run behind the crate's one panic
//! boundary (`crate::ffi::boundary`); these are pieces of their bodies.
use hybridkem_suites::{self as suites, Suite};

use super::engine::StaticKey;
use crate::ffi::Status;
use crate::AwsLc;

/// An input of any length; NULL only with length 0 (a binding may pass an
/// empty array as NULL).
pub(super) fn input<'a>(p: *const u8, len: usize) -> Result<&'a [u8], Status> {
    bounded_input(p, len, usize::MAX)
}

/// An input of at most `bound` bytes (longer is INVALID_LENGTH, checked
/// after NULL); NULL only with length 0.
pub(super) fn bounded_input<'a>(p: *const u8, len: usize, bound: usize) -> Result<&'a [u8], Status> {
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

/// An output buffer of `cap` bytes and the count of bytes written to it:
/// `written` is never NULL, `out` only with `cap` 0.
pub(super) fn check_output(out: *mut u8, cap: usize, written: *mut usize) -> Result<(), Status> {
    if written.is_null() || (out.is_null() && cap > 0) {
        return Err(Status::NullPointer);
    }
    Ok(())
}

/// The output buffer [`check_output`] accepted, as a slice.
pub(super) unsafe fn output<'a>(out: *mut u8, cap: usize) -> &'a mut [u8] {
    if cap == 0 {
        &mut []
    } else {
        core::slice::from_raw_parts_mut(out, cap)
    }
}

/// One suite's static keys as passed: each absent (length 0) or of the
/// suite's length, else INVALID_LENGTH.
pub(super) fn check_static_key_lens(suite: &Suite, private_key: &[u8], remote_public_key: &[u8]) -> Result<(), Status> {
    let private_ok = private_key.is_empty() || private_key.len() == suite.private_key_len();
    let remote_ok = remote_public_key.is_empty() || remote_public_key.len() == suite.public_key_len();
    if private_ok && remote_ok {
        Ok(())
    } else {
        Err(Status::InvalidLength)
    }
}

/// Our static key pair from its private key (the suite's seed,
/// spec/WIRE-FORMAT.md §1; the public key is derived), or None for an
/// absent (empty) one.
pub(super) fn local_static_key(suite: &Suite, private_key: &[u8]) -> Result<Option<StaticKey>, Status> {
    if private_key.is_empty() {
        return Ok(None);
    }
    let mut public = vec![0u8; suite.public_key_len()];
    suites::derive_public_key(&AwsLc::new(), suite, private_key, &mut public)?;
    Ok(Some(StaticKey { secret: private_key.to_vec(), public }))
}

/// Frees a handle made by `Box::into_raw`, wiping what its drop wipes. NULL
/// is a no-op; a panic while dropping is caught (there is no status to
/// return it with).
pub(super) unsafe fn free<T>(handle: *mut T) {
    if !handle.is_null() {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(Box::from_raw(handle))));
    }
}
