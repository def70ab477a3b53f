//! Bench-only (feature `profile`, never in the shipped module): `profile(what,
//! iterations)` runs one primitive `iterations` times inside WebAssembly, so
//! bench/src/wasm-profile.mjs can time each one's share of a suite operation
//! without the JavaScript boundary in the figure. Inputs are fixed and valid;
//! results go through `black_box` so the work is not optimised away.
use crate::primitives::{x25519, Wasm};
use core::hint::black_box;
use hybridkem_suites::{Group, HkdfHash, MlKem, Primitives};
use libcrux_ml_kem::{mlkem1024, mlkem768};
use wasm_bindgen::prelude::*;

/// The names `profile` accepts, in the order the bench prints them.
#[wasm_bindgen(js_name = profileNames)]
pub fn profile_names() -> Vec<String> {
    NAMES.iter().map(|s| s.to_string()).collect()
}

const NAMES: &[&str] = &[
    "mlkem768.keygen",
    "mlkem768.validate_public_key",
    "mlkem768.encapsulate",
    "mlkem768.decapsulate",
    "mlkem768.keygen+decapsulate",
    "mlkem1024.keygen",
    "mlkem1024.encapsulate",
    "mlkem1024.keygen+decapsulate",
    "x25519.base (dalek table)",
    "x25519.variable (dalek ladder)",
    "x25519.base table built at run time (dalek create)",
    "x25519.base (HACL)",
    "x25519.variable (HACL)",
    "p256.base",
    "p256.ecdh",
    "p384.base",
    "p384.ecdh",
    "shake256 32->96",
    "sha3_256 1200 B",
    "sha3_256 134 B",
    "hkdf-sha256 32->32",
    "hkdf-sha512 64->64",
    "scrub_stack 64 KiB",
    "alloc+free 1 KiB (wiping)",
    "alloc+free 1 KiB (System)",
];

/// Runs `body` `n` times after `setup`, which is outside the timed loop's
/// iterations but inside the call: it is made cheap next to n iterations by
/// the bench's calibration (about 20 ms per call), and only what the primitive
/// needs is set up.
macro_rules! times {
    ($n:expr, $body:expr) => {{
        for _ in 0..$n {
            $body;
        }
    }};
}

#[wasm_bindgen]
pub fn profile(what: &str, n: u32) -> Result<(), JsError> {
    let seed64 = [0x11u8; 64];
    let m = [0x22u8; 32];
    let k = [0x33u8; 32];
    let k48 = [0x33u8; 48];
    let long = [0x44u8; 1200];
    let p = Wasm;
    let mut ek = [0u8; 1568];
    let mut ss = [0u8; 32];
    let mut ct = [0u8; 1568];
    let mut out96 = [0u8; 96];
    let mut out64 = [0u8; 64];
    let mut out32 = [0u8; 32];
    let mut out48 = [0u8; 48];
    let e = |_| JsError::new("setup");
    match what {
        "mlkem768.keygen" => times!(n, black_box(p.mlkem_keygen(MlKem::MlKem768, black_box(&seed64), &mut ek[..1184]).ok())),
        "mlkem768.validate_public_key" => {
            let pk = mlkem768::portable::generate_key_pair(seed64).public_key().clone();
            times!(n, black_box(mlkem768::portable::validate_public_key(black_box(&pk))))
        }
        "mlkem768.encapsulate" => {
            let pk = mlkem768::portable::generate_key_pair(seed64).public_key().clone();
            times!(n, black_box(p.mlkem_encapsulate(MlKem::MlKem768, black_box(pk.as_slice()), &m, &mut ct[..1088], &mut ss).ok()))
        }
        "mlkem768.decapsulate" => {
            let (sk, pk) = mlkem768::portable::generate_key_pair(seed64).into_parts();
            let (c, _) = mlkem768::portable::encapsulate(&pk, m);
            times!(n, black_box(mlkem768::portable::decapsulate(black_box(&sk), &c)))
        }
        "mlkem768.keygen+decapsulate" => {
            let pk = mlkem768::portable::generate_key_pair(seed64).public_key().clone();
            let (c, _) = mlkem768::portable::encapsulate(&pk, m);
            times!(n, black_box(p.mlkem_decapsulate(MlKem::MlKem768, black_box(&seed64), c.as_slice(), &mut ek[..1184], &mut ss).ok()))
        }
        "mlkem1024.keygen" => times!(n, black_box(p.mlkem_keygen(MlKem::MlKem1024, black_box(&seed64), &mut ek).ok())),
        "mlkem1024.encapsulate" => {
            let pk = mlkem1024::portable::generate_key_pair(seed64).public_key().clone();
            times!(n, black_box(p.mlkem_encapsulate(MlKem::MlKem1024, black_box(pk.as_slice()), &m, &mut ct, &mut ss).ok()))
        }
        "mlkem1024.keygen+decapsulate" => {
            let pk = mlkem1024::portable::generate_key_pair(seed64).public_key().clone();
            let (c, _) = mlkem1024::portable::encapsulate(&pk, m);
            times!(n, black_box(p.mlkem_decapsulate(MlKem::MlKem1024, black_box(&seed64), c.as_slice(), &mut ek, &mut ss).ok()))
        }
        "x25519.base (dalek table)" => times!(n, black_box(x25519::base(black_box(&k)))),
        "x25519.variable (dalek ladder)" => {
            let u = x25519::base(&k);
            times!(n, black_box(x25519::shared(black_box(&k), &u, &mut ss)))
        }
        // What building the base-point table at run time (instead of shipping
        // its 28 KB gzipped) would cost once per instance.
        "x25519.base table built at run time (dalek create)" => times!(n, {
            use curve25519_dalek::traits::BasepointTable;
            black_box(curve25519_dalek::edwards::EdwardsBasepointTable::create(black_box(
                &curve25519_dalek::constants::ED25519_BASEPOINT_POINT,
            )))
        }),
        "x25519.base (HACL)" => times!(n, {
            libcrux_curve25519::secret_to_public(&mut ss, black_box(&k));
            black_box(&ss)
        }),
        "x25519.variable (HACL)" => {
            let u = x25519::base(&k);
            times!(n, black_box(libcrux_curve25519::ecdh(&mut ss, &u, black_box(&k)).ok()))
        }
        "p256.base" => times!(n, black_box(p.group_public_key(Group::P256, black_box(&k), &mut out96[..65]).ok())),
        "p256.ecdh" => {
            let mut pk = [0u8; 65];
            p.group_public_key(Group::P256, &k, &mut pk).map_err(e)?;
            times!(n, black_box(p.group_shared_secret(Group::P256, black_box(&k), &pk, &mut out32, "x").ok()))
        }
        "p384.base" => {
            let mut pk = [0u8; 97];
            times!(n, black_box(p.group_public_key(Group::P384, black_box(&k48), &mut pk).ok()))
        }
        "p384.ecdh" => {
            let mut pk = [0u8; 97];
            p.group_public_key(Group::P384, &k48, &mut pk).map_err(e)?;
            times!(n, black_box(p.group_shared_secret(Group::P384, black_box(&k48), &pk, &mut out48, "x").ok()))
        }
        "shake256 32->96" => times!(n, {
            p.shake256(black_box(&k), &mut out96);
            black_box(&out96)
        }),
        "sha3_256 1200 B" => times!(n, {
            p.sha3_256(black_box(&long), &mut out32);
            black_box(&out32)
        }),
        "sha3_256 134 B" => times!(n, {
            p.sha3_256(black_box(&long[..134]), &mut out32);
            black_box(&out32)
        }),
        "hkdf-sha256 32->32" => times!(n, black_box(p.hkdf(HkdfHash::Sha256, &k, black_box(&k), &k, &mut out32).ok())),
        "hkdf-sha512 64->64" => times!(n, black_box(p.hkdf(HkdfHash::Sha512, &seed64, black_box(&seed64), &k, &mut out64).ok())),
        "scrub_stack 64 KiB" => times!(n, crate::scrub_stack()),
        "alloc+free 1 KiB (wiping)" => times!(n, black_box(black_box(vec![0x55u8; 1024]))),
        "alloc+free 1 KiB (System)" => times!(n, unsafe {
            use core::alloc::GlobalAlloc;
            let layout = core::alloc::Layout::from_size_align_unchecked(1024, 1);
            let b = std::alloc::System.alloc(layout);
            core::ptr::write_bytes(b, 0x55, 1024);
            black_box(b);
            std::alloc::System.dealloc(b, layout);
        }),
        _ => return Err(JsError::new("unknown profile name")),
    }
    crate::scrub_stack();
    Ok(())
}
