//! The hybridkem suites in Rust, for the native (AWS-LC) and WebAssembly
//! (libcrux / RustCrypto) backends: the suite table, and every suite operation
//! composed once over a backend's [`Primitives`]. The TypeScript reference is
//! `packages/core/src/suites.ts` and `packages/core/src/compose/`;
//! spec/WIRE-FORMAT.md §1 is normative for both.
#![forbid(unsafe_code)]

mod compose;
mod error;
mod hybrid;
mod primitives;
mod single;
mod suites;

pub use compose::{decapsulate, derive_public_key, encapsulate, encapsulate_derand, generate_seed};
pub use error::{Error, Result};
pub use primitives::{HkdfHash, Primitives};
pub use suites::{
    suite, Combiner, Family, Group, Hybrid, Kem, MlKem, ScalarDerivation, Suite, MAX_PRIVATE_KEY_LEN, MLKEM_RANDOMNESS_LEN, MLKEM_SEED_LEN,
    SEED_LEN, SHARED_SECRET_LEN, SUITES, X25519_LEN,
};
