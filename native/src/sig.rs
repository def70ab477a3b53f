//! Signatures: ML-DSA-44/65/87 (FIPS 204) and Ed25519 (RFC 8032) from
//! AWS-LC, Ed448 (RFC 8032) from `ed448-goldilocks` (signing) and `crrl`
//! (verification, variable time over public data), and the three composite
//! ML-DSA + EdDSA suites of draft-ietf-lamps-pq-composite-sigs-19 built on
//! them. The byte formats are @hybridkem/signing's (packages/signing/src/backend.ts):
//! an ML-DSA key pair comes from a 32-byte seed (FIPS 204 KeyGen_internal) and
//! its secret key is FIPS 204's expanded encoding (sk of Algorithm 24,
//! skEncode); signing is pure ML-DSA.Sign with a context and a caller-given
//! 32-byte `rnd` (all zeros: the deterministic variant); EdDSA is pure, with
//! an empty context, and its private key is RFC 8032's 32- or 57-byte seed.
//!
//! Errors are the C ABI's statuses (`crate::ffi::Status`): lengths
//! are checked here too, so that no function below indexes past a slice.
use aws_lc_sys as sys;
use core::ffi::c_int;
use zeroize::{Zeroize, Zeroizing};

use crate::ffi::{expect_len as len, Status};

/// The ML-DSA keygen seed, ML-DSA's `rnd` (FIPS 204 §3.6.1: 256 bits) and the
/// longest context string (FIPS 204 Algorithm 2: |ctx| ≤ 255).
/// (The header's HYBRIDKEM_MLDSA_SEED_LEN, HYBRIDKEM_MLDSA_RND_LEN and
/// HYBRIDKEM_SIG_MAX_CONTEXT_LEN: one copy, in src/ffi.rs.)
pub use crate::ffi::{
    HYBRIDKEM_MLDSA_RND_LEN as MLDSA_RND_LEN, HYBRIDKEM_MLDSA_SEED_LEN as MLDSA_SEED_LEN, HYBRIDKEM_SIG_MAX_CONTEXT_LEN as MAX_CONTEXT_LEN,
};

// AWS-LC's ML-DSA entry points (aws-lc-sys 0.47.0,
// aws-lc/crypto/fipsmodule/ml_dsa/ml_dsa.h). They are OPENSSL_EXPORT symbols
// of the library (prefixed like every AWS-LC symbol in this build), but
// aws-lc-sys' generated bindings do not include that internal header, so they
// are declared here. The EVP interface cannot be used instead: it draws the
// hedging randomness itself, and the SignatureBackend contract passes `rnd`
// in (the deterministic variant is rnd = 0^32, which Wycheproof and the
// cross-checks with noble use). Signatures, from ml_dsa.h:
//   int ml_dsa_NN_keypair_internal(uint8_t *pk, uint8_t *sk, const uint8_t *seed);
//   int ml_dsa_NN_sign_internal(const uint8_t *sk, uint8_t *sig, size_t *sig_len,
//         const uint8_t *msg, size_t msg_len, const uint8_t *pre, size_t pre_len, const uint8_t *rnd);
//   int ml_dsa_NN_verify(const uint8_t *pk, const uint8_t *sig, size_t sig_len,
//         const uint8_t *msg, size_t msg_len, const uint8_t *ctx, size_t ctx_len);
// All return 1 on success (ML_DSA_SUCCESS) and 0 on failure.
type KeypairFn = unsafe extern "C" fn(*mut u8, *mut u8, *const u8) -> c_int;
type SignFn = unsafe extern "C" fn(*const u8, *mut u8, *mut usize, *const u8, usize, *const u8, usize, *const u8) -> c_int;
type VerifyFn = unsafe extern "C" fn(*const u8, *const u8, usize, *const u8, usize, *const u8, usize) -> c_int;

/// Declares one parameter set's three functions in a module of their own,
/// from their common symbol prefix (e.g. "aws_lc_0_47_0_ml_dsa_44_").
macro_rules! mldsa_functions {
    ($module:ident, $prefix:literal) => {
        mod $module {
            use core::ffi::c_int;
            extern "C" {
                #[link_name = concat!($prefix, "keypair_internal")]
                pub fn keypair(pk: *mut u8, sk: *mut u8, seed: *const u8) -> c_int;
                #[link_name = concat!($prefix, "sign_internal")]
                pub fn sign(
                    sk: *const u8,
                    sig: *mut u8,
                    sig_len: *mut usize,
                    m: *const u8,
                    m_len: usize,
                    pre: *const u8,
                    pre_len: usize,
                    rnd: *const u8,
                ) -> c_int;
                #[link_name = concat!($prefix, "verify")]
                pub fn verify(
                    pk: *const u8,
                    sig: *const u8,
                    sig_len: usize,
                    m: *const u8,
                    m_len: usize,
                    ctx: *const u8,
                    ctx_len: usize,
                ) -> c_int;
            }
        }
    };
}
mldsa_functions!(mldsa44, "aws_lc_0_47_0_ml_dsa_44_");
mldsa_functions!(mldsa65, "aws_lc_0_47_0_ml_dsa_65_");
mldsa_functions!(mldsa87, "aws_lc_0_47_0_ml_dsa_87_");

/// One row of the ML-DSA table: the C ABI's id, FIPS 204's sizes (Table 2)
/// and AWS-LC's functions.
struct MlDsaParams {
    id: u16,
    public_key_len: usize,
    /// The expanded secret key (FIPS 204 skEncode).
    secret_key_len: usize,
    signature_len: usize,
    keypair: KeypairFn,
    sign: SignFn,
    verify: VerifyFn,
}

/// Indexed by `MlDsa as usize`.
static MLDSA_PARAMS: [MlDsaParams; 3] = [
    MlDsaParams {
        id: 44,
        public_key_len: 1312,
        secret_key_len: 2560,
        signature_len: 2420,
        keypair: mldsa44::keypair,
        sign: mldsa44::sign,
        verify: mldsa44::verify,
    },
    MlDsaParams {
        id: 65,
        public_key_len: 1952,
        secret_key_len: 4032,
        signature_len: 3309,
        keypair: mldsa65::keypair,
        sign: mldsa65::sign,
        verify: mldsa65::verify,
    },
    MlDsaParams {
        id: 87,
        public_key_len: 2592,
        secret_key_len: 4896,
        signature_len: 4627,
        keypair: mldsa87::keypair,
        sign: mldsa87::sign,
        verify: mldsa87::verify,
    },
];

/// An ML-DSA parameter set (FIPS 204, Table 1 and Table 2): a row of `MLDSA_PARAMS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MlDsa {
    P44 = 0,
    P65 = 1,
    P87 = 2,
}

impl MlDsa {
    const ALL: [MlDsa; 3] = [MlDsa::P44, MlDsa::P65, MlDsa::P87];

    fn params(self) -> &'static MlDsaParams {
        &MLDSA_PARAMS[self as usize]
    }
    /// The C ABI's algorithm id: 44, 65 or 87.
    pub fn from_id(id: u16) -> Option<Self> {
        MlDsa::ALL.into_iter().find(|p| p.params().id == id)
    }
    pub fn public_key_len(self) -> usize {
        self.params().public_key_len
    }
    /// The expanded secret key (FIPS 204 skEncode).
    pub fn secret_key_len(self) -> usize {
        self.params().secret_key_len
    }
    pub fn signature_len(self) -> usize {
        self.params().signature_len
    }
}

fn internal() -> Status {
    // Drop AWS-LC's thread-local error queue so it does not grow.
    unsafe { sys::ERR_clear_error() };
    Status::Internal
}

/// ML-DSA.KeyGen_internal(ξ) (FIPS 204 Algorithm 6): `pk` and the expanded `sk`.
pub fn mldsa_keygen(p: MlDsa, seed: &[u8], pk: &mut [u8], sk: &mut [u8]) -> Result<(), Status> {
    len(seed.len(), MLDSA_SEED_LEN)?;
    len(pk.len(), p.public_key_len())?;
    len(sk.len(), p.secret_key_len())?;
    crate::AwsLc::new();
    if unsafe { (p.params().keypair)(pk.as_mut_ptr(), sk.as_mut_ptr(), seed.as_ptr()) } == 1 {
        Ok(())
    } else {
        Err(internal())
    }
}

/// ML-DSA.Sign (FIPS 204 Algorithm 2, pure) with the caller's `rnd`: the
/// domain-separated M' = 0 ‖ |ctx| ‖ ctx ‖ M is formed by Sign_internal from
/// the prefix `pre` = 0 ‖ |ctx| ‖ ctx (Algorithm 2, line 10), as AWS-LC's own
/// ml_dsa_NN_sign does, but with our `rnd` instead of fresh randomness.
pub fn mldsa_sign(p: MlDsa, sk: &[u8], message: &[u8], context: &[u8], rnd: &[u8], sig: &mut [u8]) -> Result<(), Status> {
    len(sk.len(), p.secret_key_len())?;
    len(rnd.len(), MLDSA_RND_LEN)?;
    len(sig.len(), p.signature_len())?;
    if context.len() > MAX_CONTEXT_LEN {
        return Err(Status::InvalidLength);
    }
    crate::AwsLc::new();
    let mut pre = [0u8; 2 + MAX_CONTEXT_LEN];
    pre[1] = context.len() as u8;
    pre[2..2 + context.len()].copy_from_slice(context);
    let mut sig_len = 0usize;
    let ok = unsafe {
        (p.params().sign)(
            sk.as_ptr(),
            sig.as_mut_ptr(),
            &mut sig_len,
            message.as_ptr(),
            message.len(),
            pre.as_ptr(),
            2 + context.len(),
            rnd.as_ptr(),
        )
    };
    if ok == 1 && sig_len == p.signature_len() {
        Ok(())
    } else {
        Err(internal())
    }
}

/// ML-DSA.Verify (FIPS 204 Algorithm 3). False for any wrong length or a
/// context over 255 bytes: verification never fails otherwise.
pub fn mldsa_verify(p: MlDsa, pk: &[u8], message: &[u8], sig: &[u8], context: &[u8]) -> bool {
    if pk.len() != p.public_key_len() || sig.len() != p.signature_len() || context.len() > MAX_CONTEXT_LEN {
        return false;
    }
    crate::AwsLc::new();
    let ok = unsafe {
        (p.params().verify)(pk.as_ptr(), sig.as_ptr(), sig.len(), message.as_ptr(), message.len(), context.as_ptr(), context.len())
    };
    if ok != 1 {
        unsafe { sys::ERR_clear_error() };
    }
    ok == 1
}

/// An EdDSA instance (RFC 8032 §5.1 Ed25519, §5.2 Ed448), pure, empty context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdDsa {
    Ed25519,
    Ed448,
}

type Ed448SecretKey = ed448_goldilocks::SecretKey;

impl EdDsa {
    /// The C ABI's algorithm id: 25519 or 448.
    pub fn from_id(id: u16) -> Option<Self> {
        match id {
            25519 => Some(EdDsa::Ed25519),
            448 => Some(EdDsa::Ed448),
            _ => None,
        }
    }
    pub fn private_key_len(self) -> usize {
        match self {
            EdDsa::Ed25519 => 32,
            EdDsa::Ed448 => 57,
        }
    }
    pub fn public_key_len(self) -> usize {
        self.private_key_len()
    }
    pub fn signature_len(self) -> usize {
        2 * self.private_key_len()
    }
}

fn ed448_signing_key(private_key: &[u8]) -> ed448_goldilocks::SigningKey {
    let mut secret = Ed448SecretKey::default();
    secret.copy_from_slice(private_key);
    let key = ed448_goldilocks::SigningKey::from(&secret);
    secret.zeroize();
    key
}

/// The Ed25519 public key and AWS-LC's 64-byte private key (seed ‖ public
/// key, wiped on drop) of a 32-byte RFC 8032 seed.
fn ed25519_key_pair(seed: &[u8]) -> ([u8; 32], Zeroizing<[u8; 64]>) {
    crate::AwsLc::new();
    let mut public = [0u8; 32];
    let mut expanded = Zeroizing::new([0u8; 64]);
    unsafe { sys::ED25519_keypair_from_seed(public.as_mut_ptr(), expanded.as_mut_ptr(), seed.as_ptr()) };
    (public, expanded)
}

/// The public key of an EdDSA private key (RFC 8032 §5.1.5 / §5.2.5).
pub fn eddsa_public_key(a: EdDsa, private_key: &[u8], pk: &mut [u8]) -> Result<(), Status> {
    len(private_key.len(), a.private_key_len())?;
    len(pk.len(), a.public_key_len())?;
    match a {
        EdDsa::Ed25519 => pk.copy_from_slice(&ed25519_key_pair(private_key).0),
        EdDsa::Ed448 => pk.copy_from_slice(ed448_signing_key(private_key).verifying_key().as_bytes()),
    }
    Ok(())
}

/// Pure EdDSA signing (RFC 8032 §5.1.6 / §5.2.6); deterministic.
pub fn eddsa_sign(a: EdDsa, private_key: &[u8], message: &[u8], sig: &mut [u8]) -> Result<(), Status> {
    len(private_key.len(), a.private_key_len())?;
    len(sig.len(), a.signature_len())?;
    match a {
        EdDsa::Ed25519 => {
            let (_, expanded) = ed25519_key_pair(private_key);
            if unsafe { sys::ED25519_sign(sig.as_mut_ptr(), message.as_ptr(), message.len(), expanded.as_ptr()) } != 1 {
                return Err(internal());
            }
        }
        EdDsa::Ed448 => {
            let key = ed448_signing_key(private_key);
            sig.copy_from_slice(&key.sign_raw(message).to_bytes());
        }
    }
    Ok(())
}

/// Pure EdDSA verification (RFC 8032 §5.1.7 / §5.2.7) with strict decoding:
/// S must be below the group order and the encodings canonical. False for
/// any wrong length or malformed key or signature.
pub fn eddsa_verify(a: EdDsa, pk: &[u8], message: &[u8], sig: &[u8]) -> bool {
    if pk.len() != a.public_key_len() || sig.len() != a.signature_len() {
        return false;
    }
    match a {
        EdDsa::Ed25519 => {
            crate::AwsLc::new();
            let ok = unsafe { sys::ED25519_verify(message.as_ptr(), message.len(), sig.as_ptr(), pk.as_ptr()) } == 1;
            if !ok {
                unsafe { sys::ERR_clear_error() };
            }
            ok
        }
        EdDsa::Ed448 => {
            // crrl decodes R and the public key strictly (RFC 8032 §5.2.3:
            // canonical y < p, no x = 0 with the sign bit set), refuses
            // S >= L and a non-zero 57th byte of S, and checks the cofactored
            // equation [4][S]B = [4]R + [4][k]A' (§5.2.7), as noble does.
            let Some(key) = crrl::ed448::PublicKey::decode(pk) else { return false };
            key.verify_raw(sig, message)
        }
    }
}

// ---------------------------------------------------------------- composite

/// The composite prefix (draft-ietf-lamps-pq-composite-sigs-19, "Prefix, Label and CTX").
const PREFIX: &[u8] = b"CompositeAlgorithmSignatures2025";
/// Both pre-hashes give 64 bytes (SHA-512; SHAKE256 with 64 bytes of output).
const DIGEST_LEN: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prehash {
    Sha512,
    Shake256,
}

/// A composite suite (packages/signing/src/suites.ts, spec/WIRE-FORMAT.md §6).
#[derive(Debug)]
pub struct Composite {
    pub id: u16,
    pub name: &'static str,
    label: &'static [u8],
    prehash: Prehash,
    pub mldsa: MlDsa,
    pub eddsa: EdDsa,
}

pub static COMPOSITES: [Composite; 3] = [
    Composite {
        id: 0xfe01,
        name: "MLDSA44-Ed25519-SHA512",
        label: b"COMPSIG-MLDSA44-Ed25519-SHA512",
        prehash: Prehash::Sha512,
        mldsa: MlDsa::P44,
        eddsa: EdDsa::Ed25519,
    },
    Composite {
        id: 0xfe02,
        name: "MLDSA65-Ed25519-SHA512",
        label: b"COMPSIG-MLDSA65-Ed25519-SHA512",
        prehash: Prehash::Sha512,
        mldsa: MlDsa::P65,
        eddsa: EdDsa::Ed25519,
    },
    Composite {
        id: 0xfe03,
        name: "MLDSA87-Ed448-SHAKE256",
        label: b"COMPSIG-MLDSA87-Ed448-SHAKE256",
        prehash: Prehash::Shake256,
        mldsa: MlDsa::P87,
        eddsa: EdDsa::Ed448,
    },
];

impl Composite {
    pub fn find(id: u16) -> Option<&'static Composite> {
        COMPOSITES.iter().find(|c| c.id == id)
    }
    /// 32-byte ML-DSA seed ‖ EdDSA private key (also the keygen seed).
    pub fn private_key_len(&self) -> usize {
        MLDSA_SEED_LEN + self.eddsa.private_key_len()
    }
    /// mldsaPK ‖ tradPK
    pub fn public_key_len(&self) -> usize {
        self.mldsa.public_key_len() + self.eddsa.public_key_len()
    }
    /// mldsaSig ‖ tradSig
    pub fn signature_len(&self) -> usize {
        self.mldsa.signature_len() + self.eddsa.signature_len()
    }

    /// M' = Prefix ‖ Label ‖ len(ctx) ‖ ctx ‖ PH(M) (draft-19, "Composite-ML-DSA.Sign", step 2).
    fn message_representative(&self, message: &[u8], context: &[u8]) -> Result<Vec<u8>, Status> {
        if context.len() > MAX_CONTEXT_LEN {
            return Err(Status::InvalidLength);
        }
        let mut digest = [0u8; DIGEST_LEN];
        crate::AwsLc::new();
        match self.prehash {
            Prehash::Sha512 => {
                unsafe { sys::SHA512(message.as_ptr(), message.len(), digest.as_mut_ptr()) };
            }
            Prehash::Shake256 => crate::awslc::shake256(message, &mut digest).map_err(|_| internal())?,
        }
        let mut out = Vec::with_capacity(PREFIX.len() + self.label.len() + 1 + context.len() + DIGEST_LEN);
        out.extend_from_slice(PREFIX);
        out.extend_from_slice(self.label);
        out.push(context.len() as u8);
        out.extend_from_slice(context);
        out.extend_from_slice(&digest);
        Ok(out)
    }

    pub fn public_key(&self, private_key: &[u8], pk: &mut [u8]) -> Result<(), Status> {
        len(private_key.len(), self.private_key_len())?;
        len(pk.len(), self.public_key_len())?;
        let (seed, ed_key) = private_key.split_at(MLDSA_SEED_LEN);
        let (m_pk, e_pk) = pk.split_at_mut(self.mldsa.public_key_len());
        let mut sk = Zeroizing::new(vec![0u8; self.mldsa.secret_key_len()]);
        mldsa_keygen(self.mldsa, seed, m_pk, &mut sk)?;
        eddsa_public_key(self.eddsa, ed_key, e_pk)
    }

    /// Composite-ML-DSA.Sign (draft-19): ML-DSA signs M' with its context set
    /// to the Label and the given `rnd`; the EdDSA part signs M'.
    pub fn sign(&self, private_key: &[u8], message: &[u8], context: &[u8], rnd: &[u8], sig: &mut [u8]) -> Result<(), Status> {
        len(private_key.len(), self.private_key_len())?;
        len(rnd.len(), MLDSA_RND_LEN)?;
        len(sig.len(), self.signature_len())?;
        let m_prime = self.message_representative(message, context)?;
        let (seed, ed_key) = private_key.split_at(MLDSA_SEED_LEN);
        let (m_sig, e_sig) = sig.split_at_mut(self.mldsa.signature_len());
        let mut pk = vec![0u8; self.mldsa.public_key_len()];
        let mut sk = Zeroizing::new(vec![0u8; self.mldsa.secret_key_len()]);
        mldsa_keygen(self.mldsa, seed, &mut pk, &mut sk)?;
        mldsa_sign(self.mldsa, &sk, &m_prime, self.label, rnd, m_sig)?;
        eddsa_sign(self.eddsa, ed_key, &m_prime, e_sig)
    }

    /// Composite-ML-DSA.Verify's two component verdicts (ML-DSA, EdDSA); the
    /// composite signature is valid only when both are true.
    pub fn verify(&self, pk: &[u8], message: &[u8], context: &[u8], sig: &[u8]) -> Result<(bool, bool), Status> {
        len(pk.len(), self.public_key_len())?;
        len(sig.len(), self.signature_len())?;
        let m_prime = self.message_representative(message, context)?;
        let (m_pk, e_pk) = pk.split_at(self.mldsa.public_key_len());
        let (m_sig, e_sig) = sig.split_at(self.mldsa.signature_len());
        Ok((mldsa_verify(self.mldsa, m_pk, &m_prime, m_sig, self.label), eddsa_verify(self.eddsa, e_pk, &m_prime, e_sig)))
    }
}

/// Fresh bytes from AWS-LC's CSPRNG.
pub fn random(out: &mut [u8]) -> Result<(), Status> {
    crate::AwsLc::new();
    if unsafe { sys::RAND_bytes(out.as_mut_ptr(), out.len()) } == 1 {
        Ok(())
    } else {
        unsafe { sys::ERR_clear_error() };
        Err(Status::Random)
    }
}
