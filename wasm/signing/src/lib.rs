//! hybridkem's signature primitives in WebAssembly, for the `signatureBackend`
//! of @hybridkem/wasm (packages/wasm/src/signing.ts). A module of its own,
//! separate from the KEM module (../src), so that KEM users neither download
//! nor compile it: the package loads it on the first signature operation.
//!
//! Byte formats are @hybridkem/signing's `SignatureBackend` contract
//! (packages/signing/src/backend.ts), the same as the noble and native
//! backends: an ML-DSA key pair comes from a 32-byte seed (FIPS 204
//! KeyGen_internal) and its secret key is FIPS 204's expanded encoding
//! (skEncode); signing is pure ML-DSA.Sign with a context and a caller-given
//! 32-byte `rnd` (all zeros: the deterministic variant); EdDSA is pure, with an
//! empty context, and its private key is RFC 8032's 32- or 57-byte seed.
//!
//! No primitive is written here: ML-DSA is libcrux-ml-dsa's (portable code),
//! Ed25519 ed25519-dalek's, Ed448 ed448-goldilocks'. This file only checks
//! lengths, adds RFC 8032 §5.2.3's decoding check that ed448-goldilocks skips,
//! and wipes what it copied.
//!
//! Errors are JavaScript `Error`s with a machine-readable message, one of
//!   `hybridkem-wasm-signing:ERR_UNKNOWN_ALGORITHM:<id>`
//!   `hybridkem-wasm-signing:ERR_INVALID_LENGTH:<field>:<expected>:<actual>`
//!   `hybridkem-wasm-signing:ERR_PRIMITIVE:<what>`
//! never carrying input bytes. Verification never throws: it answers false.
use ed25519_dalek::Signer as _;
use js_sys::Uint8Array;
use libcrux_ml_dsa::{ml_dsa_44, ml_dsa_65, ml_dsa_87, MLDSASignature, MLDSASigningKey, MLDSAVerificationKey};
use wasm_bindgen::prelude::*;
use zeroize::{Zeroize, Zeroizing};

/// The allocator, wiping every block before it is freed (or moved by
/// realloc): wasm-bindgen's copies of secret inputs, and the libraries' heap
/// temporaries, are freed without being wiped otherwise. Shared with the KEM
/// module (crates/wasm-scrub).
#[global_allocator]
static ALLOCATOR: wasm_scrub::WipeOnFree = wasm_scrub::WipeOnFree;

/// Bytes of stack overwritten after each operation on a secret: libcrux
/// keeps ML-DSA-87's expanded matrix and secret vectors in stack frames
/// (well over 100 KiB), which no destructor wipes.
const SCRUB_BYTES: usize = 384 * 1024;

/// The crates and versions doing the arithmetic, for `implementation` (exact
/// pins in Cargo.toml and Cargo.lock).
const IMPLEMENTATION: &str = "libcrux-ml-dsa 0.0.11 (portable), ed25519-dalek 3.0.0, ed448-goldilocks 0.14.0-pre.15";

const PREFIX: &str = "hybridkem-wasm-signing:";
const SEED_LEN: usize = 32;
const RND_LEN: usize = 32;
/// FIPS 204 Algorithm 2: |ctx| ≤ 255.
const MAX_CONTEXT_LEN: usize = 255;

fn err(msg: String) -> JsError {
    JsError::new(&format!("{PREFIX}{msg}"))
}

fn check_len(field: &str, expected: usize, actual: usize) -> Result<(), JsError> {
    if expected == actual {
        Ok(())
    } else {
        Err(err(format!("ERR_INVALID_LENGTH:{field}:{expected}:{actual}")))
    }
}

/// Runs `f` in a frame of its own, then overwrites SCRUB_BYTES of the stack
/// below the caller, where it kept its intermediates (crates/wasm-scrub).
fn scrubbed<T>(f: impl FnOnce() -> T) -> T {
    wasm_scrub::scrubbed::<SCRUB_BYTES, T>(f)
}

/// Copies `bytes` out to a new JavaScript Uint8Array (one copy); the
/// `Zeroizing` wipes the wasm copy when it drops.
fn copy_out(bytes: Zeroizing<Vec<u8>>) -> Uint8Array {
    Uint8Array::from(&bytes[..])
}

/// Wipes an owned secret input when it goes out of scope, whatever happens.
fn owned(bytes: Vec<u8>) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(bytes)
}

/// Sizes of one ML-DSA parameter set (FIPS 204 Table 2).
struct MlDsaSizes {
    public_key: usize,
    secret_key: usize,
    signature: usize,
}

fn mldsa_sizes(level: u32) -> Result<MlDsaSizes, JsError> {
    match level {
        44 => Ok(MlDsaSizes { public_key: 1312, secret_key: 2560, signature: 2420 }),
        65 => Ok(MlDsaSizes { public_key: 1952, secret_key: 4032, signature: 3309 }),
        87 => Ok(MlDsaSizes { public_key: 2592, secret_key: 4896, signature: 4627 }),
        _ => Err(err(format!("ERR_UNKNOWN_ALGORITHM:{level}"))),
    }
}

macro_rules! mldsa_ops {
    ($module:ident, $keygen:ident, $sign:ident, $verify:ident) => {
        fn $keygen(seed: &[u8; SEED_LEN]) -> Zeroizing<Vec<u8>> {
            let mut pair = $module::generate_key_pair(*seed);
            let mut out = Zeroizing::new(Vec::with_capacity(pair.verification_key.as_slice().len() + pair.signing_key.as_slice().len()));
            out.extend_from_slice(pair.verification_key.as_slice());
            out.extend_from_slice(pair.signing_key.as_slice());
            pair.signing_key.as_ref_mut().zeroize();
            out
        }
        fn $sign(sk: &[u8], message: &[u8], context: &[u8], rnd: &[u8; RND_LEN]) -> Option<Vec<u8>> {
            let mut key = MLDSASigningKey::new(sk.try_into().ok()?);
            let signed = $module::sign(&key, message, context, *rnd);
            key.as_ref_mut().zeroize();
            signed.ok().map(|s| s.as_slice().to_vec())
        }
        fn $verify(pk: &[u8], message: &[u8], signature: &[u8], context: &[u8]) -> bool {
            let (Ok(pk), Ok(sig)) = (pk.try_into(), signature.try_into()) else { return false };
            $module::verify(&MLDSAVerificationKey::new(pk), message, context, &MLDSASignature::new(sig)).is_ok()
        }
    };
}

mldsa_ops!(ml_dsa_44, keygen44, sign44, verify44);
mldsa_ops!(ml_dsa_65, keygen65, sign65, verify65);
mldsa_ops!(ml_dsa_87, keygen87, sign87, verify87);

/// ML-DSA.KeyGen_internal(seed) (FIPS 204 Algorithm 6): public key ‖ expanded secret key.
#[wasm_bindgen(js_name = mldsaKeygen)]
pub fn mldsa_keygen(level: u32, seed: Vec<u8>) -> Result<Uint8Array, JsError> {
    let seed = owned(seed);
    mldsa_sizes(level)?;
    check_len("seed", SEED_LEN, seed.len())?;
    let mut s = Zeroizing::new([0u8; SEED_LEN]);
    s.copy_from_slice(&seed);
    let out = scrubbed(|| match level {
        44 => keygen44(&s),
        65 => keygen65(&s),
        _ => keygen87(&s),
    });
    Ok(copy_out(out))
}

/// ML-DSA.Sign (FIPS 204 Algorithm 2, pure, with a context), `rnd` given.
#[wasm_bindgen(js_name = mldsaSign)]
pub fn mldsa_sign(level: u32, secret_key: Vec<u8>, message: &[u8], context: &[u8], rnd: Vec<u8>) -> Result<Uint8Array, JsError> {
    let secret_key = owned(secret_key);
    let rnd = owned(rnd);
    let sizes = mldsa_sizes(level)?;
    check_len("secretKey", sizes.secret_key, secret_key.len())?;
    check_len("rnd", RND_LEN, rnd.len())?;
    if context.len() > MAX_CONTEXT_LEN {
        return Err(err(format!("ERR_INVALID_LENGTH:context:{MAX_CONTEXT_LEN}:{}", context.len())));
    }
    let mut r = Zeroizing::new([0u8; RND_LEN]);
    r.copy_from_slice(&rnd);
    let signature = scrubbed(|| match level {
        44 => sign44(&secret_key, message, context, &r),
        65 => sign65(&secret_key, message, context, &r),
        _ => sign87(&secret_key, message, context, &r),
    });
    let signature = signature.ok_or_else(|| err("ERR_PRIMITIVE:ML-DSA signing failed".into()))?;
    Ok(Uint8Array::from(&signature[..]))
}

/// ML-DSA.Verify (FIPS 204 Algorithm 3). False for anything that does not
/// verify, wrong lengths and an over-long context included.
#[wasm_bindgen(js_name = mldsaVerify)]
pub fn mldsa_verify(level: u32, public_key: &[u8], message: &[u8], signature: &[u8], context: &[u8]) -> bool {
    let Ok(sizes) = mldsa_sizes(level) else { return false };
    if public_key.len() != sizes.public_key || signature.len() != sizes.signature || context.len() > MAX_CONTEXT_LEN {
        return false;
    }
    match level {
        44 => verify44(public_key, message, signature, context),
        65 => verify65(public_key, message, signature, context),
        _ => verify87(public_key, message, signature, context),
    }
}

/// Ed25519 (25519) or Ed448 (448); its key length (public and private).
fn eddsa_key_len(curve: u32) -> Result<usize, JsError> {
    match curve {
        25519 => Ok(32),
        448 => Ok(57),
        _ => Err(err(format!("ERR_UNKNOWN_ALGORITHM:{curve}"))),
    }
}

fn ed25519_key(private_key: &[u8]) -> ed25519_dalek::SigningKey {
    let mut secret = Zeroizing::new([0u8; 32]);
    secret.copy_from_slice(private_key);
    // SigningKey zeroizes itself on drop (the `zeroize` feature).
    ed25519_dalek::SigningKey::from_bytes(&secret)
}

fn ed448_key(private_key: &[u8]) -> ed448_goldilocks::SigningKey {
    let mut secret = ed448_goldilocks::SecretKey::default();
    secret.copy_from_slice(private_key);
    let key = ed448_goldilocks::SigningKey::from(&secret);
    secret.zeroize();
    key
}

/// The public key of an EdDSA private key (RFC 8032 §5.1.5 / §5.2.5).
#[wasm_bindgen(js_name = eddsaPublicKey)]
pub fn eddsa_public_key(curve: u32, private_key: Vec<u8>) -> Result<Uint8Array, JsError> {
    let private_key = owned(private_key);
    check_len("privateKey", eddsa_key_len(curve)?, private_key.len())?;
    let pk = scrubbed(|| match curve {
        25519 => ed25519_key(&private_key).verifying_key().to_bytes().to_vec(),
        _ => ed448_key(&private_key).verifying_key().as_bytes().to_vec(),
    });
    Ok(Uint8Array::from(&pk[..]))
}

/// Pure EdDSA signing, empty context (RFC 8032 §5.1.6 / §5.2.6); deterministic.
#[wasm_bindgen(js_name = eddsaSign)]
pub fn eddsa_sign(curve: u32, private_key: Vec<u8>, message: &[u8]) -> Result<Uint8Array, JsError> {
    let private_key = owned(private_key);
    check_len("privateKey", eddsa_key_len(curve)?, private_key.len())?;
    let sig = scrubbed(|| match curve {
        25519 => ed25519_key(&private_key).sign(message).to_bytes().to_vec(),
        _ => ed448_key(&private_key).sign_raw(message).to_bytes().to_vec(),
    });
    Ok(Uint8Array::from(&sig[..]))
}

/// Pure EdDSA verification (RFC 8032 §5.1.7 / §5.2.7) with strict decoding.
/// False for any wrong length or malformed key or signature.
#[wasm_bindgen(js_name = eddsaVerify)]
pub fn eddsa_verify(curve: u32, public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let Ok(len) = eddsa_key_len(curve) else { return false };
    if public_key.len() != len || signature.len() != 2 * len {
        return false;
    }
    if curve == 25519 {
        let (Ok(pk), Ok(sig)) = (<[u8; 32]>::try_from(public_key), <[u8; 64]>::try_from(signature)) else { return false };
        let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&pk) else { return false };
        // from_bytes checks S < L (RFC 8032 §5.1.7 step 1); verify_strict also
        // refuses small-order A and R, which honest keys never are.
        let sig = ed25519_dalek::Signature::from_bytes(&sig);
        return key.verify_strict(message, &sig).is_ok();
    }
    // RFC 8032 §5.2.3: the y-coordinate is the encoding with bit 455 (x_0)
    // cleared, and decoding fails when it is ≥ p; bits 448..454 set make it
    // so. ed448-goldilocks 0.14.0-pre.15 ignores those bits when
    // decompressing (Wycheproof ed448_test.json tcId 63-65 verify with them
    // set in R), so both encodings are checked here, as the native core does.
    if public_key[56] & 0x7f != 0 || signature[56] & 0x7f != 0 {
        return false;
    }
    let mut point = [0u8; 57];
    point.copy_from_slice(public_key);
    let Ok(key) = ed448_goldilocks::VerifyingKey::from_bytes(&point) else { return false };
    let Ok(sig) = ed448_goldilocks::Signature::from_slice(signature) else { return false };
    key.verify_raw(&sig, message).is_ok()
}

/// The crates and versions doing the arithmetic.
#[wasm_bindgen]
pub fn implementation() -> String {
    IMPLEMENTATION.to_string()
}
