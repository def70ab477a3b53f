//! The Noise channel of spec/TRANSPORT.md §6 in the native core, on clatter
//! 2.x (PQNoise patterns pqNK / pqIK / pqXX, any hybridkem suite as the KEM):
//! a sans-IO [`Channel`] and its C ABI (`hybridkem_channel_*`, [`ffi`]), and
//! a Noise-level C ABI for the transcript vectors (`hybridkem_noise_*`,
//! [`noise_ffi`], tests only).
mod engine;
mod error;
pub mod ffi;
mod ffi_support;
pub mod kem;
pub mod negotiation;
pub mod noise_ffi;
mod state;

pub use engine::{MlKem768Impl, StaticKey};
pub use error::ChannelError;
pub use kem::AwsLcRng;
pub use negotiation::{Entry, Pattern};
pub use state::{Channel, Config, SuiteKeys, MAX_DATA_PER_MESSAGE, MAX_FRAME_BODY, MAX_PENDING_PLAINTEXT};

#[cfg(test)]
mod noise_ffi_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod transcripts;
