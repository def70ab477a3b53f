//! hybridkem's suites in WebAssembly. Each export runs one whole suite
//! operation (seed expansion, ML-KEM, the group, the combiner) in a single
//! call, through `hybridkem-suites` over libcrux and RustCrypto
//! (`primitives.rs`).
//!
//! Memory: secret inputs arrive as an owned `Vec<u8>` (wasm-bindgen copies the
//! JavaScript bytes in once) and are wiped before they are freed; outputs are
//! copied out once into a new JavaScript `Uint8Array` and the wasm copy is
//! wiped. After every call the stack region the libraries used is overwritten
//! (`scrub_stack`), because their intermediates (expanded ML-KEM keys, scalar
//! copies) live in stack frames that no destructor wipes.
//!
//! Errors are JavaScript `Error`s whose message is machine-readable, one of
//!   `hybridkem-wasm:ERR_UNKNOWN_SUITE:<id>`
//!   `hybridkem-wasm:ERR_INVALID_LENGTH:<field>:<expected>:<actual>`
//!   `hybridkem-wasm:ERR_INVALID_MLKEM_KEY:<field>`
//!   `hybridkem-wasm:ERR_INVALID_GROUP_ELEMENT:<field>`
//!   `hybridkem-wasm:ERR_INVALID_SEED:<field>`
//!   `hybridkem-wasm:ERR_PRIMITIVE:<what>`
//! which `packages/wasm/src/errors.ts` maps to core's typed errors. They never
//! carry input bytes.
use hybridkem_suites::{Error, Suite, SHARED_SECRET_LEN, SUITES};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use zeroize::{Zeroize, Zeroizing};

mod expanded;
mod primitives;
#[cfg(feature = "profile")]
mod profile;

use primitives::Wasm;

/// The allocator, wiping every block before it is freed (or moved by
/// realloc): the libraries' own heap temporaries (libcrux-hkdf's, for one)
/// carry secrets and are freed without being wiped, and wasm-bindgen's
/// input copies are freed the same way. Shared with the signing module
/// (crates/wasm-scrub).
#[global_allocator]
static ALLOCATOR: wasm_scrub::WipeOnFree = wasm_scrub::WipeOnFree;

/// Bytes of stack overwritten after each call: above the deepest call here
/// (ML-KEM-1024 decapsulation with its key derivation), with room to spare.
const SCRUB_BYTES: usize = 64 * 1024;

/// The arithmetic's crates and versions, for `backend.implementation`
/// (checked against Cargo.lock by the package's tests).
const IMPLEMENTATION: &str = "libcrux-ml-kem 0.0.11 (portable), libcrux-sha3 0.0.11, libcrux-hkdf 0.0.9, \
curve25519-dalek 5.0.0 (32-bit serial), RustCrypto p256 0.14.0 / p384 0.14.0";

fn error(e: Error) -> JsError {
    let msg = match e {
        Error::UnknownSuite(id) => format!("ERR_UNKNOWN_SUITE:{id}"),
        Error::InvalidLength { field, expected, actual } => format!("ERR_INVALID_LENGTH:{field}:{expected}:{actual}"),
        Error::InvalidPublicKey { field } => format!("ERR_INVALID_MLKEM_KEY:{field}"),
        Error::InvalidGroupElement { field } => format!("ERR_INVALID_GROUP_ELEMENT:{field}"),
        Error::NoValidScalar { field } => format!("ERR_INVALID_SEED:{field}"),
        Error::Primitive(what) => format!("ERR_PRIMITIVE:{what}"),
    };
    JsError::new(&format!("hybridkem-wasm:{msg}"))
}

fn suite(id: u16) -> Result<&'static Suite, JsError> {
    hybridkem_suites::suite(id).ok_or_else(|| error(Error::UnknownSuite(id)))
}

/// Overwrites SCRUB_BYTES of the stack below the caller's frame, where the
/// operation just run kept its intermediates (crates/wasm-scrub). Called on
/// its own only by the profile build, which times it; `scrubbed` scrubs
/// after every export.
#[cfg(feature = "profile")]
fn scrub_stack() {
    wasm_scrub::scrub_stack::<SCRUB_BYTES>();
}

/// Runs `f` in a frame of its own, then scrubs the stack whatever it returned.
fn scrubbed<T>(f: impl FnOnce() -> T) -> T {
    wasm_scrub::scrubbed::<SCRUB_BYTES, T>(f)
}

/// Copies `bytes` out to a new JavaScript Uint8Array (one copy), then wipes them.
fn copy_out(mut bytes: Zeroizing<Vec<u8>>) -> Uint8Array {
    let out = Uint8Array::from(&bytes[..]);
    bytes.zeroize();
    out
}

/// The public key of a private key (a hybrid's 32-byte seed, ML-KEM's 64-byte
/// d ‖ z, DHKEM's X25519 private key: the suite's length).
#[wasm_bindgen(js_name = derivePublicKey)]
pub fn derive_public_key(suite_id: u16, seed: Vec<u8>) -> Result<Uint8Array, JsError> {
    let seed = Zeroizing::new(seed);
    let s = suite(suite_id)?;
    let mut pk = Zeroizing::new(vec![0u8; s.public_key_len()]);
    scrubbed(|| hybridkem_suites::derive_public_key(&Wasm, s, &seed, &mut pk)).map_err(error)?;
    Ok(copy_out(pk))
}

/// Derandomised encapsulation; returns ciphertext ‖ shared secret (32 bytes).
#[wasm_bindgen]
pub fn encapsulate(suite_id: u16, public_key: &[u8], randomness: Vec<u8>) -> Result<Uint8Array, JsError> {
    let randomness = Zeroizing::new(randomness);
    let s = suite(suite_id)?;
    let ct_len = s.ciphertext_len();
    let mut out = Zeroizing::new(vec![0u8; ct_len + SHARED_SECRET_LEN]);
    let (ct, ss) = out.split_at_mut(ct_len);
    scrubbed(|| hybridkem_suites::encapsulate_derand(&Wasm, s, public_key, &randomness, ct, ss)).map_err(error)?;
    Ok(copy_out(out))
}

/// Decapsulation with the private key; returns the shared secret.
#[wasm_bindgen]
pub fn decapsulate(suite_id: u16, seed: Vec<u8>, ciphertext: &[u8]) -> Result<Uint8Array, JsError> {
    let seed = Zeroizing::new(seed);
    let s = suite(suite_id)?;
    let mut ss = Zeroizing::new(vec![0u8; SHARED_SECRET_LEN]);
    scrubbed(|| hybridkem_suites::decapsulate(&Wasm, s, &seed, ciphertext, &mut ss)).map_err(error)?;
    Ok(copy_out(ss))
}

/// Expands a private key into one kept in WebAssembly memory (libcrux's
/// ML-KEM private key, the traditional scalar, both public values, as the suite has them);
/// returns its number, for `decapsulateExpanded` and `freeExpandedKey`.
#[wasm_bindgen(js_name = expandPrivateKey)]
pub fn expand_private_key(suite_id: u16, seed: Vec<u8>) -> Result<u32, JsError> {
    let seed = Zeroizing::new(seed);
    let s = suite(suite_id)?;
    scrubbed(|| expanded::PrivateKey::import(s, &seed).and_then(expanded::store)).map_err(error)
}

/// Decapsulation with expanded key `key` (which must be `suite_id`'s); returns the shared secret.
#[wasm_bindgen(js_name = decapsulateExpanded)]
pub fn decapsulate_expanded(suite_id: u16, key: u32, ciphertext: &[u8]) -> Result<Uint8Array, JsError> {
    let mut ss = Zeroizing::new(vec![0u8; SHARED_SECRET_LEN]);
    let result = scrubbed(|| {
        expanded::with(key, |k| {
            if k.suite.id != suite_id {
                return Err(Error::Primitive("expanded key: another suite's key"));
            }
            k.decapsulate(ciphertext, &mut ss)
        })
    });
    result.unwrap_or(Err(Error::Primitive("expanded key: not a live key"))).map_err(error)?;
    Ok(copy_out(ss))
}

/// Frees expanded key `key`, wiping it; false if it was not live.
#[wasm_bindgen(js_name = freeExpandedKey)]
pub fn free_expanded_key(key: u32) -> bool {
    expanded::free(key)
}

/// How many expanded keys are live (the package's tests check that keys are freed).
#[wasm_bindgen(js_name = liveExpandedKeys)]
pub fn live_expanded_keys() -> u32 {
    expanded::live()
}

/// The suite table as JSON: `[{id, name, family, publicKey, ciphertext, seed, randomness, sharedSecret}]`
/// (`seed` is the private key's length, which is also the keygen seed's),
/// compared with core's table by the package's tests.
#[wasm_bindgen]
pub fn suites() -> String {
    let rows: Vec<String> = SUITES
        .iter()
        .map(|s| {
            format!(
                r#"{{"id":{},"name":"{}","family":"{}","publicKey":{},"ciphertext":{},"seed":{},"randomness":{},"sharedSecret":{}}}"#,
                s.id,
                s.name,
                s.family().name(),
                s.public_key_len(),
                s.ciphertext_len(),
                s.private_key_len(),
                s.randomness_len(),
                SHARED_SECRET_LEN
            )
        })
        .collect();
    format!("[{}]", rows.join(","))
}

/// What does the arithmetic.
#[wasm_bindgen]
pub fn implementation() -> String {
    IMPLEMENTATION.to_string()
}
