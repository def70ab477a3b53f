use crate::{Group, MlKem, Result};

/// The hash behind a KitchenSink combiner's HKDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HkdfHash {
    Sha256,
    Sha512,
}

/// What a backend brings: ML-KEM, the three groups, the hashes and a CSPRNG.
/// Seed expansion, RandomScalar and the combiners live in this crate once
/// (`compose`), over these, exactly as core's `composeBackend` does in
/// TypeScript. Every output buffer has the exact size named in the docs; the
/// callers in this crate guarantee it.
pub trait Primitives {
    /// SHAKE256(input) into `out` (FIPS 202).
    fn shake256(&self, input: &[u8], out: &mut [u8]);
    /// SHA3-256(input) (FIPS 202).
    fn sha3_256(&self, input: &[u8], out: &mut [u8; 32]);
    /// HKDF-Expand(HKDF-Extract(salt, ikm), info, out.len()) (RFC 5869).
    fn hkdf(&self, hash: HkdfHash, salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<()>;

    /// ML-KEM.KeyGen_internal(d, z) with `seed` = d ‖ z; writes the encapsulation key.
    fn mlkem_keygen(&self, set: MlKem, seed: &[u8; 64], ek: &mut [u8]) -> Result<()>;
    /// ML-KEM.Encaps_internal(ek, m). Must run FIPS 203 §7.2's input check and
    /// fail with `Error::InvalidPublicKey` when it does not hold.
    fn mlkem_encapsulate(&self, set: MlKem, ek: &[u8], m: &[u8; 32], ct: &mut [u8], ss: &mut [u8; 32]) -> Result<()>;
    /// KeyGen_internal(d, z) then Decaps_internal(dk, c): writes the
    /// encapsulation key (the combiners need it) and the shared secret. A
    /// wrong ciphertext gives the implicit-rejection secret, not an error.
    fn mlkem_decapsulate(&self, set: MlKem, seed: &[u8; 64], ct: &[u8], ek: &mut [u8], ss: &mut [u8; 32]) -> Result<()>;

    /// True when `scalar` (big-endian for NIST curves) is in [1, n-1]; X25519 accepts any 32 bytes.
    fn is_valid_scalar(&self, group: Group, scalar: &[u8]) -> bool;
    /// Exp(g, scalar), encoded (X25519 clamps as RFC 7748 says).
    fn group_public_key(&self, group: Group, scalar: &[u8], out: &mut [u8]) -> Result<()>;
    /// ElementToSharedSecret(Exp(element, scalar)). Fails with
    /// `Error::InvalidGroupElement` for an invalid element or an all-zero /
    /// identity result.
    fn group_shared_secret(&self, group: Group, scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()>;

    /// Bytes from the platform CSPRNG.
    fn random(&self, out: &mut [u8]) -> Result<()>;
}
