//! `hybridkem_suites::Primitives` on AWS-LC (through aws-lc-sys): every
//! arithmetic operation of every suite runs in AWS-LC. Seed expansion,
//! RandomScalar and the combiners are composed once in `hybridkem-suites`.
//!
//! Each AWS-LC object lives in a small owner whose `Drop` frees it, with the
//! clearing variant (`BN_clear_free`, `EC_POINT_clear_free`) for anything that
//! holds a secret; AWS-LC's own `OPENSSL_free` cleanses what it frees.
use core::ptr;
use std::sync::Once;

use aws_lc_sys as sys;
use hybridkem_suites::{Error, Group, HkdfHash, MlKem, Primitives, Result};

/// The `Error::Primitive` text of a CSPRNG failure; the C ABI maps it to
/// HYBRIDKEM_ERR_RANDOM.
pub const RANDOM_FAILURE: &str = "RAND_bytes";

/// The hybridkem primitives on AWS-LC. Stateless: safe to share between threads.
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsLc;

static INIT: Once = Once::new();

impl AwsLc {
    /// Runs AWS-LC's one-time initialisation (a no-op where AWS-LC uses a
    /// static initialiser, as aws-lc-rs also calls it) and returns the backend.
    pub fn new() -> Self {
        INIT.call_once(|| unsafe { sys::CRYPTO_library_init() });
        AwsLc
    }
}

fn fail(what: &'static str) -> Error {
    // Drop AWS-LC's thread-local error queue so it does not grow.
    unsafe { sys::ERR_clear_error() };
    Error::Primitive(what)
}

fn check(ok: core::ffi::c_int, what: &'static str) -> Result<()> {
    if ok == 1 {
        Ok(())
    } else {
        Err(fail(what))
    }
}

/// Owns a pointer and frees it with `free` on drop.
pub(crate) struct Owned<T> {
    ptr: *mut T,
    free: unsafe extern "C" fn(*mut T),
}

impl<T> Owned<T> {
    fn new(ptr: *mut T, free: unsafe extern "C" fn(*mut T), what: &'static str) -> Result<Self> {
        if ptr.is_null() {
            Err(fail(what))
        } else {
            Ok(Owned { ptr, free })
        }
    }
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        unsafe { (self.free)(self.ptr) }
    }
}

// ---------------------------------------------------------------- hashes

fn digest_xof(md: *const sys::EVP_MD, input: &[u8], out: &mut [u8]) -> Result<()> {
    unsafe {
        let ctx = Owned::new(sys::EVP_MD_CTX_new(), sys::EVP_MD_CTX_free, "EVP_MD_CTX_new")?;
        check(sys::EVP_DigestInit_ex(ctx.ptr, md, ptr::null_mut()), "EVP_DigestInit_ex")?;
        check(sys::EVP_DigestUpdate(ctx.ptr, input.as_ptr().cast(), input.len()), "EVP_DigestUpdate")?;
        check(sys::EVP_DigestFinalXOF(ctx.ptr, out.as_mut_ptr(), out.len()), "EVP_DigestFinalXOF")
    }
}

// ---------------------------------------------------------------- ML-KEM

fn mlkem_nid(set: MlKem) -> core::ffi::c_int {
    match set {
        MlKem::MlKem768 => sys::NID_MLKEM768,
        MlKem::MlKem1024 => sys::NID_MLKEM1024,
    }
}

/// ML-KEM.KeyGen_internal(d, z) through AWS-LC's deterministic keygen
/// (`EVP_PKEY_keygen_deterministic`, experimental in AWS-LC's API; the
/// arithmetic is mlkem-native's `crypto_kem_keypair_derand`).
pub(crate) fn mlkem_key_from_seed(set: MlKem, seed: &[u8; 64]) -> Result<Owned<sys::EVP_PKEY>> {
    unsafe {
        let ctx = Owned::new(sys::EVP_PKEY_CTX_new_id(sys::EVP_PKEY_KEM, ptr::null_mut()), sys::EVP_PKEY_CTX_free, "EVP_PKEY_CTX_new_id")?;
        check(sys::EVP_PKEY_CTX_kem_set_params(ctx.ptr, mlkem_nid(set)), "EVP_PKEY_CTX_kem_set_params")?;
        check(sys::EVP_PKEY_keygen_init(ctx.ptr), "EVP_PKEY_keygen_init")?;
        let mut pkey: *mut sys::EVP_PKEY = ptr::null_mut();
        let mut seed_len = seed.len();
        let ok = sys::EVP_PKEY_keygen_deterministic(ctx.ptr, &mut pkey, seed.as_ptr(), &mut seed_len);
        let pkey = Owned::new(pkey, sys::EVP_PKEY_free, "EVP_PKEY_keygen_deterministic")?;
        check(ok, "EVP_PKEY_keygen_deterministic")?;
        Ok(pkey)
    }
}

pub(crate) fn mlkem_public_key(pkey: &Owned<sys::EVP_PKEY>, ek: &mut [u8]) -> Result<()> {
    let mut len = ek.len();
    unsafe { check(sys::EVP_PKEY_get_raw_public_key(pkey.ptr, ek.as_mut_ptr(), &mut len), "EVP_PKEY_get_raw_public_key")? };
    if len == ek.len() {
        Ok(())
    } else {
        Err(fail("EVP_PKEY_get_raw_public_key length"))
    }
}

/// ML-KEM.Decaps_internal(dk, c) with a key from [`mlkem_key_from_seed`]
/// (AWS-LC keeps the expanded decapsulation key inside the EVP_PKEY).
pub(crate) fn mlkem_decapsulate_with(set: MlKem, pkey: &Owned<sys::EVP_PKEY>, ct: &[u8], ss: &mut [u8; 32]) -> Result<()> {
    if ct.len() != set.ciphertext_len() {
        return Err(Error::Primitive("ML-KEM ciphertext length"));
    }
    unsafe {
        let ctx = Owned::new(sys::EVP_PKEY_CTX_new(pkey.ptr, ptr::null_mut()), sys::EVP_PKEY_CTX_free, "EVP_PKEY_CTX_new")?;
        let mut ss_len = ss.len();
        // Implicit rejection: a wrong ciphertext of the right length gives
        // the rejection secret and succeeds (FIPS 203 §6.3).
        check(sys::EVP_PKEY_decapsulate(ctx.ptr, ss.as_mut_ptr(), &mut ss_len, ct.as_ptr(), ct.len()), "EVP_PKEY_decapsulate")?;
        if ss_len != ss.len() {
            return Err(fail("EVP_PKEY_decapsulate length"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- NIST curves

fn ec_group(group: Group) -> *const sys::EC_GROUP {
    match group {
        Group::P256 => unsafe { sys::EC_group_p256() },
        Group::P384 => unsafe { sys::EC_group_p384() },
        Group::X25519 => unreachable!("X25519 is not an EC_GROUP"),
    }
}

/// A big-endian scalar as a BIGNUM, cleared when dropped.
fn scalar_bn(scalar: &[u8]) -> Result<Owned<sys::BIGNUM>> {
    unsafe { Owned::new(sys::BN_bin2bn(scalar.as_ptr(), scalar.len(), ptr::null_mut()), sys::BN_clear_free, "BN_bin2bn") }
}

fn new_point(group: *const sys::EC_GROUP) -> Result<Owned<sys::EC_POINT>> {
    unsafe { Owned::new(sys::EC_POINT_new(group), sys::EC_POINT_clear_free, "EC_POINT_new") }
}

/// `scalar` is in [1, n-1], compared by AWS-LC against the group order.
fn nist_scalar_ok(group: Group, scalar: &[u8]) -> bool {
    if scalar.len() != group.scalar_len() {
        return false;
    }
    let Ok(k) = scalar_bn(scalar) else { return false };
    unsafe {
        let order = sys::EC_GROUP_get0_order(ec_group(group));
        // Runs on the secret scalar too (the accepted window, and every later
        // use). None of the three branches on the value in aws-lc-sys 0.47.0,
        // but AWS-LC does not document them as constant time; the `&&` and
        // the caller branch on the result only (README.md, "Constant time").
        sys::BN_is_zero(k.ptr) == 0 && sys::BN_cmp(k.ptr, order) < 0
    }
}

fn nist_public_key(group: Group, scalar: &[u8], out: &mut [u8]) -> Result<()> {
    if !nist_scalar_ok(group, scalar) || out.len() != group.element_len() {
        return Err(Error::Primitive("NIST scalar or output length"));
    }
    let g = ec_group(group);
    let k = scalar_bn(scalar)?;
    let point = new_point(g)?;
    unsafe {
        // Fixed-base multiplication, constant time in the scalar in AWS-LC.
        check(sys::EC_POINT_mul(g, point.ptr, k.ptr, ptr::null(), ptr::null(), ptr::null_mut()), "EC_POINT_mul")?;
        let n = sys::EC_POINT_point2oct(
            g,
            point.ptr,
            sys::point_conversion_form_t::POINT_CONVERSION_UNCOMPRESSED,
            out.as_mut_ptr(),
            out.len(),
            ptr::null_mut(),
        );
        if n == out.len() {
            Ok(())
        } else {
            Err(fail("EC_POINT_point2oct"))
        }
    }
}

fn nist_shared_secret(group: Group, scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()> {
    if !nist_scalar_ok(group, scalar) || out.len() != group.shared_secret_len() {
        return Err(Error::Primitive("NIST scalar or output length"));
    }
    // Only the uncompressed SEC1 form is an encoded element (spec/WIRE-FORMAT.md
    // §1; concrete-hybrid-kems: Nelem = 65 / 97); AWS-LC alone would also
    // accept other forms of other lengths.
    if element.len() != group.element_len() || element[0] != 0x04 {
        return Err(Error::InvalidGroupElement { field });
    }
    let g = ec_group(group);
    let peer = new_point(g)?;
    unsafe {
        // EC_POINT_oct2point rejects coordinates >= p and points off the curve.
        if sys::EC_POINT_oct2point(g, peer.ptr, element.as_ptr(), element.len(), ptr::null_mut()) != 1 {
            sys::ERR_clear_error();
            return Err(Error::InvalidGroupElement { field });
        }
        if sys::EC_POINT_is_at_infinity(g, peer.ptr) != 0 {
            return Err(Error::InvalidGroupElement { field });
        }
        let k = scalar_bn(scalar)?;
        let shared = new_point(g)?;
        // Variable-base multiplication, constant time in the scalar in AWS-LC.
        check(sys::EC_POINT_mul(g, shared.ptr, ptr::null(), peer.ptr, k.ptr, ptr::null_mut()), "EC_POINT_mul")?;
        // Prime-order curves and k in [1, n-1]: the identity cannot occur; checked anyway.
        if sys::EC_POINT_is_at_infinity(g, shared.ptr) != 0 {
            return Err(Error::InvalidGroupElement { field });
        }
        let x = Owned::new(sys::BN_new(), sys::BN_clear_free, "BN_new")?;
        check(
            sys::EC_POINT_get_affine_coordinates_GFp(g, shared.ptr, x.ptr, ptr::null_mut(), ptr::null_mut()),
            "EC_POINT_get_affine_coordinates_GFp",
        )?;
        check(sys::BN_bn2bin_padded(out.as_mut_ptr(), out.len(), x.ptr), "BN_bn2bin_padded")
    }
}

// ---------------------------------------------------------------- the trait

impl Primitives for AwsLc {
    fn shake256(&self, input: &[u8], out: &mut [u8]) {
        // The trait gives SHAKE no error channel; AWS-LC fails here only when
        // allocation fails. The C ABI catches the panic (HYBRIDKEM_ERR_INTERNAL).
        digest_xof(unsafe { sys::EVP_shake256() }, input, out).expect("SHAKE256");
    }

    fn sha3_256(&self, input: &[u8], out: &mut [u8; 32]) {
        let mut len: core::ffi::c_uint = 0;
        let ok = unsafe {
            sys::EVP_Digest(input.as_ptr().cast(), input.len(), out.as_mut_ptr(), &mut len, sys::EVP_sha3_256(), ptr::null_mut())
        };
        assert!(ok == 1 && len == 32, "SHA3-256");
    }

    fn hkdf(&self, hash: HkdfHash, salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<()> {
        let md = unsafe {
            match hash {
                HkdfHash::Sha256 => sys::EVP_sha256(),
                HkdfHash::Sha512 => sys::EVP_sha512(),
            }
        };
        unsafe {
            check(
                sys::HKDF(out.as_mut_ptr(), out.len(), md, ikm.as_ptr(), ikm.len(), salt.as_ptr(), salt.len(), info.as_ptr(), info.len()),
                "HKDF",
            )
        }
    }

    fn mlkem_keygen(&self, set: MlKem, seed: &[u8; 64], ek: &mut [u8]) -> Result<()> {
        let pkey = mlkem_key_from_seed(set, seed)?;
        mlkem_public_key(&pkey, ek)
    }

    fn mlkem_encapsulate(&self, set: MlKem, ek: &[u8], m: &[u8; 32], ct: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        if ek.len() != set.public_key_len() || ct.len() != set.ciphertext_len() {
            return Err(Error::Primitive("ML-KEM buffer length"));
        }
        unsafe {
            let pkey = sys::EVP_PKEY_kem_new_raw_public_key(mlkem_nid(set), ek.as_ptr(), ek.len());
            let pkey = Owned::new(pkey, sys::EVP_PKEY_free, "EVP_PKEY_kem_new_raw_public_key")?;
            let ctx = Owned::new(sys::EVP_PKEY_CTX_new(pkey.ptr, ptr::null_mut()), sys::EVP_PKEY_CTX_free, "EVP_PKEY_CTX_new")?;
            let (mut ct_len, mut ss_len, mut m_len) = (ct.len(), ss.len(), m.len());
            // mlkem-native's crypto_kem_enc_derand runs FIPS 203 §7.2's
            // modulus check first (mlkem/kem.c, "Modulus check") and fails
            // without output when it does not hold; the lengths are right, so
            // a failure here is that check.
            let ok = sys::EVP_PKEY_encapsulate_deterministic(
                ctx.ptr,
                ct.as_mut_ptr(),
                &mut ct_len,
                ss.as_mut_ptr(),
                &mut ss_len,
                m.as_ptr(),
                &mut m_len,
            );
            if ok != 1 {
                sys::ERR_clear_error();
                return Err(Error::InvalidPublicKey { field: "publicKey" });
            }
            if ct_len != ct.len() || ss_len != ss.len() {
                return Err(fail("EVP_PKEY_encapsulate_deterministic length"));
            }
        }
        Ok(())
    }

    fn mlkem_decapsulate(&self, set: MlKem, seed: &[u8; 64], ct: &[u8], ek: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        let pkey = mlkem_key_from_seed(set, seed)?;
        mlkem_public_key(&pkey, ek)?;
        mlkem_decapsulate_with(set, &pkey, ct, ss)
    }

    fn is_valid_scalar(&self, group: Group, scalar: &[u8]) -> bool {
        match group {
            Group::X25519 => scalar.len() == 32,
            Group::P256 | Group::P384 => nist_scalar_ok(group, scalar),
        }
    }

    fn group_public_key(&self, group: Group, scalar: &[u8], out: &mut [u8]) -> Result<()> {
        match group {
            Group::X25519 => {
                if scalar.len() != 32 || out.len() != 32 {
                    return Err(Error::Primitive("X25519 length"));
                }
                // RFC 7748 §5: clamps the scalar.
                unsafe { sys::X25519_public_from_private(out.as_mut_ptr(), scalar.as_ptr()) };
                Ok(())
            }
            Group::P256 | Group::P384 => nist_public_key(group, scalar, out),
        }
    }

    fn group_shared_secret(&self, group: Group, scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()> {
        match group {
            Group::X25519 => {
                if scalar.len() != 32 || element.len() != 32 || out.len() != 32 {
                    return Err(Error::Primitive("X25519 length"));
                }
                // X25519() returns 0 when the result is all zero: a low-order
                // u-coordinate (RFC 7748 §6.1 "MAY check"; we do).
                if unsafe { sys::X25519(out.as_mut_ptr(), scalar.as_ptr(), element.as_ptr()) } != 1 {
                    return Err(Error::InvalidGroupElement { field });
                }
                Ok(())
            }
            Group::P256 | Group::P384 => nist_shared_secret(group, scalar, element, out, field),
        }
    }

    fn random(&self, out: &mut [u8]) -> Result<()> {
        // AWS-LC's RAND_bytes: the OS entropy source behind AWS-LC's DRBG.
        check(unsafe { sys::RAND_bytes(out.as_mut_ptr(), out.len()) }, RANDOM_FAILURE)
    }
}

/// SHAKE256 with `out.len()` bytes of output (the composite MLDSA87-Ed448
/// suite's pre-hash).
pub(crate) fn shake256(input: &[u8], out: &mut [u8]) -> Result<()> {
    digest_xof(unsafe { sys::EVP_shake256() }, input, out)
}
