//! hybridkem's native core: every hybridkem suite on AWS-LC
//! ([`AwsLc`] implements `hybridkem_suites::Primitives`), ML-DSA / EdDSA and
//! the composite ML-DSA + EdDSA signatures ([`sig`]), and the C ABI of
//! `include/hybridkem.h` ([`ffi`]) that the N-API addon (packages/native) and
//! C#/Kotlin clients call. See README.md.
// The C ABI's module first: cbindgen (scripts/generate-header.sh) writes
// include/hybridkem.h's constants and functions in the order it reads them,
// src/ffi.rs's (library, suites, KEM, signatures), then the channel's.
pub mod ffi;

mod awslc;
pub mod channel;
pub mod expanded;
pub mod sig;

pub use awslc::AwsLc;
pub use hybridkem_suites as suites;
