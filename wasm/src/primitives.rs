//! `hybridkem_suites::Primitives` over libcrux (ML-KEM, SHA-3/SHAKE, HKDF:
//! HACL*-derived or hax-verified code), curve25519-dalek (X25519) and
//! RustCrypto (P-256, P-384).
//! Seed expansion, RandomScalar and the combiners are not here: they live once
//! in `hybridkem-suites`. Every secret this file holds is wiped before it is
//! dropped; what the libraries keep in their own stack frames is scrubbed by
//! `crate::scrub_stack` after each call (see lib.rs).
use hybridkem_suites::{Error, Group, HkdfHash, MlKem, Primitives, Result};
use libcrux_ml_kem::{mlkem1024, mlkem768};
use zeroize::{Zeroize, Zeroizing};

pub struct Wasm;

fn array<'a, const N: usize>(bytes: &'a [u8], what: &'static str) -> Result<&'a [u8; N]> {
    bytes.try_into().map_err(|_| Error::Primitive(what))
}

// ML-KEM runs libcrux's portable code: libcrux has no wasm SIMD128 path (its
// `simd128` feature is ARM NEON), so the SIMD128 build only lets LLVM
// vectorize the portable code.
//
// Key pairs are libcrux's *unpacked* ones: they keep KeyGen's matrix Â and ŝ
// in NTT form, so decapsulation's re-encryption (FIPS 203 Algorithm 18, K-PKE
// Encrypt inside ML-KEM.Decaps_internal) neither samples Â again from ρ nor
// decodes dk, as the packed route (generate_key_pair, then decapsulate) does:
// an X-Wing decapsulation from the seed went from 6.7x to 8.4x noble. The
// packed keygen and decapsulate are then not linked at all. libcrux gives the
// unpacked pair no destructor, so it is generated in place in a heap block
// (`generate_key_pair_mut` into a `Box` of zeros) and never moved across the
// stack, where copies of it (several KiB each) would lie below the region
// `crate::scrub_stack` overwrites; the wiping allocator wipes the block when
// it is freed (packages/wasm/test/expanded-keys.test.ts scans memory for it).
pub(crate) enum MlKemKeyPair {
    MlKem768(Box<mlkem768::portable::unpacked::MlKem768KeyPairUnpacked>),
    MlKem1024(Box<mlkem1024::portable::unpacked::MlKem1024KeyPairUnpacked>),
}

impl MlKemKeyPair {
    /// ML-KEM.KeyGen_internal(d, z) (FIPS 203 Algorithm 16) from `seed` = d ‖ z.
    pub(crate) fn generate(set: MlKem, seed: &[u8; 64]) -> Self {
        match set {
            MlKem::MlKem768 => {
                use mlkem768::portable::unpacked;
                let mut key_pair = Box::new(unpacked::init_key_pair());
                unpacked::generate_key_pair_mut(*seed, &mut key_pair);
                MlKemKeyPair::MlKem768(key_pair)
            }
            MlKem::MlKem1024 => {
                use mlkem1024::portable::unpacked;
                let mut key_pair = Box::new(unpacked::init_key_pair());
                unpacked::generate_key_pair_mut(*seed, &mut key_pair);
                MlKemKeyPair::MlKem1024(key_pair)
            }
        }
    }

    /// The encapsulation key ek (FIPS 203's encoding) into `ek`, of its length.
    pub(crate) fn public_key(&self, ek: &mut [u8]) -> Result<()> {
        let pk = match self {
            MlKemKeyPair::MlKem768(kp) => mlkem768::portable::unpacked::key_pair_serialized_public_key(kp).as_slice().to_vec(),
            MlKemKeyPair::MlKem1024(kp) => mlkem1024::portable::unpacked::key_pair_serialized_public_key(kp).as_slice().to_vec(),
        };
        if ek.len() != pk.len() {
            return Err(Error::Primitive("ML-KEM ek length"));
        }
        ek.copy_from_slice(&pk);
        Ok(())
    }

    /// ML-KEM.Decaps_internal (FIPS 203 Algorithm 18), implicit rejection included.
    pub(crate) fn decapsulate(&self, ct: &[u8], ss: &mut [u8; 32]) -> Result<()> {
        let mut secret = match self {
            MlKemKeyPair::MlKem768(kp) => {
                let ct = mlkem768::MlKem768Ciphertext::try_from(ct).map_err(|_| Error::Primitive("ML-KEM-768 ct length"))?;
                mlkem768::portable::unpacked::decapsulate(kp, &ct)
            }
            MlKemKeyPair::MlKem1024(kp) => {
                let ct = mlkem1024::MlKem1024Ciphertext::try_from(ct).map_err(|_| Error::Primitive("ML-KEM-1024 ct length"))?;
                mlkem1024::portable::unpacked::decapsulate(kp, &ct)
            }
        };
        ss.copy_from_slice(&secret);
        secret.zeroize();
        Ok(())
    }
}

impl Primitives for Wasm {
    fn shake256(&self, input: &[u8], out: &mut [u8]) {
        libcrux_sha3::shake256_ema(out, input);
    }

    fn sha3_256(&self, input: &[u8], out: &mut [u8; 32]) {
        libcrux_sha3::sha256_ema(out, input);
    }

    fn hkdf(&self, hash: HkdfHash, salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<()> {
        let algorithm = match hash {
            HkdfHash::Sha256 => libcrux_hkdf::Algorithm::Sha256,
            HkdfHash::Sha512 => libcrux_hkdf::Algorithm::Sha512,
        };
        libcrux_hkdf::hkdf(algorithm, out, salt, ikm, info).map_err(|_| Error::Primitive("HKDF"))
    }

    fn mlkem_keygen(&self, set: MlKem, seed: &[u8; 64], ek: &mut [u8]) -> Result<()> {
        MlKemKeyPair::generate(set, seed).public_key(ek)
    }

    fn mlkem_encapsulate(&self, set: MlKem, ek: &[u8], m: &[u8; 32], ct: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        // FIPS 203 §7.2: libcrux's encapsulate does not run the modulus check itself.
        let invalid = Error::InvalidPublicKey { field: "publicKey" };
        let mut secret = match set {
            MlKem::MlKem768 => {
                let ek = mlkem768::MlKem768PublicKey::try_from(ek).map_err(|_| Error::Primitive("ML-KEM-768 ek length"))?;
                if !mlkem768::portable::validate_public_key(&ek) {
                    return Err(invalid);
                }
                let (c, s) = mlkem768::portable::encapsulate(&ek, *m);
                ct.copy_from_slice(c.as_slice());
                s
            }
            MlKem::MlKem1024 => {
                let ek = mlkem1024::MlKem1024PublicKey::try_from(ek).map_err(|_| Error::Primitive("ML-KEM-1024 ek length"))?;
                if !mlkem1024::portable::validate_public_key(&ek) {
                    return Err(invalid);
                }
                let (c, s) = mlkem1024::portable::encapsulate(&ek, *m);
                ct.copy_from_slice(c.as_slice());
                s
            }
        };
        ss.copy_from_slice(&secret);
        secret.zeroize();
        Ok(())
    }

    fn mlkem_decapsulate(&self, set: MlKem, seed: &[u8; 64], ct: &[u8], ek: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        let key_pair = MlKemKeyPair::generate(set, seed);
        key_pair.public_key(ek)?;
        key_pair.decapsulate(ct, ss)
    }

    fn is_valid_scalar(&self, group: Group, scalar: &[u8]) -> bool {
        match group {
            Group::X25519 => scalar.len() == 32,
            Group::P256 => nist::p256_scalar(scalar).is_some(),
            Group::P384 => nist::p384_scalar(scalar).is_some(),
        }
    }

    fn group_public_key(&self, group: Group, scalar: &[u8], out: &mut [u8]) -> Result<()> {
        match group {
            Group::X25519 => {
                let sk = array::<32>(scalar, "X25519 scalar length")?;
                let pk: &mut [u8; 32] = out.try_into().map_err(|_| Error::Primitive("X25519 output length"))?;
                *pk = x25519::base(sk);
                Ok(())
            }
            Group::P256 => nist::p256_public_key(scalar, out),
            Group::P384 => nist::p384_public_key(scalar, out),
        }
    }

    fn group_shared_secret(&self, group: Group, scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()> {
        match group {
            Group::X25519 => {
                let sk = array::<32>(scalar, "X25519 scalar length")?;
                let pk = array::<32>(element, "X25519 element length")?;
                let ss: &mut [u8; 32] = out.try_into().map_err(|_| Error::Primitive("X25519 output length"))?;
                if x25519::shared(sk, pk, ss) {
                    Ok(())
                } else {
                    Err(Error::InvalidGroupElement { field })
                }
            }
            Group::P256 => nist::p256_shared_secret(scalar, element, out, field),
            Group::P384 => nist::p384_shared_secret(scalar, element, out, field),
        }
    }

    /// No CSPRNG inside WebAssembly: the backend contract is deterministic and
    /// core's facade draws every random byte (crypto.getRandomValues) before
    /// calling in, so nothing exported here reaches `random`. Failing loudly
    /// keeps getrandom and its JavaScript import out of the module.
    fn random(&self, out: &mut [u8]) -> Result<()> {
        out.zeroize();
        Err(Error::Primitive("no CSPRNG in hybridkem-wasm: randomness comes from the caller"))
    }
}

/// X25519 (RFC 7748) over curve25519-dalek.
pub(crate) mod x25519 {
    use curve25519_dalek::montgomery::MontgomeryPoint;
    use subtle::ConstantTimeEq;
    use zeroize::Zeroize;

    /// X25519(k, 9): the fixed-base multiplication through dalek's precomputed
    /// Edwards base-point table, mapped to the Montgomery u-coordinate; equal to
    /// the ladder on u = 9 (RFC 7748 §6.1), several times faster. Clamps `k`
    /// (RFC 7748 §5).
    pub fn base(k: &[u8; 32]) -> [u8; 32] {
        MontgomeryPoint::mul_base_clamped(*k).to_bytes()
    }

    /// X25519(k, u) into `out`; false (and `out` zero) when the result is all
    /// zeros, i.e. `u` has small order, which RFC 7748 §6.1 and the TLS hybrid
    /// draft reject. The check is constant time. `u`'s top bit is ignored and
    /// non-canonical u (≥ p) are reduced, as RFC 7748 §5 says; `k` is clamped.
    pub fn shared(k: &[u8; 32], u: &[u8; 32], out: &mut [u8; 32]) -> bool {
        let mut r = MontgomeryPoint(*u).mul_clamped(*k);
        *out = r.to_bytes();
        r.zeroize();
        !bool::from(out.ct_eq(&[0u8; 32]))
    }
}

/// P-256 and P-384 over RustCrypto's `p256` / `p384` (complete addition
/// formulas, constant-time field and scalar arithmetic).
mod nist {
    use super::*;
    use p256::elliptic_curve::sec1::ToSec1Point;

    macro_rules! curve {
        ($scalar:ident, $public:ident, $shared:ident, $c:ident) => {
            /// The scalar if `bytes` (big-endian) is in [1, n-1] (SEC 1 §3.2.1), else None.
            pub fn $scalar(bytes: &[u8]) -> Option<Zeroizing<$c::NonZeroScalar>> {
                $c::NonZeroScalar::try_from(bytes).ok().map(Zeroizing::new)
            }

            /// Uncompressed SEC 1 encoding of scalar·G.
            pub fn $public(scalar: &[u8], out: &mut [u8]) -> Result<()> {
                let s = $scalar(scalar).ok_or(Error::Primitive("scalar out of range"))?;
                let pk = $c::PublicKey::from_secret_scalar(&s);
                let point = pk.to_sec1_point(false);
                out.copy_from_slice(point.as_bytes());
                Ok(())
            }

            /// The x-coordinate of scalar·element. `PublicKey::from_sec1_bytes`
            /// checks the encoding, that the point is on the curve and not the
            /// identity (SEC 1 §3.2.2.1); the curves have prime order, so a
            /// non-zero scalar cannot reach the identity.
            pub fn $shared(scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()> {
                let s = $scalar(scalar).ok_or(Error::Primitive("scalar out of range"))?;
                if element.first() != Some(&0x04) {
                    return Err(Error::InvalidGroupElement { field });
                }
                let pk = $c::PublicKey::from_sec1_bytes(element).map_err(|_| Error::InvalidGroupElement { field })?;
                let shared = $c::ecdh::diffie_hellman(&*s, pk.as_affine());
                out.copy_from_slice(shared.raw_secret_bytes());
                Ok(())
            }
        };
    }

    curve!(p256_scalar, p256_public_key, p256_shared_secret, p256);
    curve!(p384_scalar, p384_public_key, p384_shared_secret, p384);
}
