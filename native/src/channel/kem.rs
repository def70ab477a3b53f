//! clatter's `Kem` trait over this crate's suites (spec/WIRE-FORMAT.md §1),
//! so clatter's PQNoise handshake runs with any hybridkem suite as its KEM.
//! A private key is the suite's keygen seed (§1, §1.4); key generation draws
//! that seed from clatter's RNG, encapsulation draws the suite's
//! encapsulation randomness from it and runs the derandomised encapsulation,
//! so a scripted RNG reproduces a handshake byte for byte (transcripts).
use clatter::bytearray::{ByteArray, HeapArray, SensitiveByteArray};
use clatter::error::{KemError, KemResult};
use clatter::rand_core::{CryptoRng, Error as RandError, RngCore};
use clatter::traits::{CryptoComponent, Kem, Rng};
use clatter::KeyPair;
use hybridkem_suites::{self as suites, Primitives};
use zeroize::Zeroizing;

use crate::AwsLc;

/// RngCore's next_u32 and next_u64 from the RNG's own fill_bytes (rand_core's
/// little-endian way), for the impl block of each of our RNGs: a macro, as
/// methods of a foreign trait cannot come from a helper function.
macro_rules! next_from_fill_bytes {
    () => {
        fn next_u32(&mut self) -> u32 {
            clatter::rand_core::impls::next_u32_via_fill(self)
        }
        fn next_u64(&mut self) -> u64 {
            clatter::rand_core::impls::next_u64_via_fill(self)
        }
    };
}
pub(super) use next_from_fill_bytes;

/// clatter's RNG on AWS-LC's RAND_bytes (the OS entropy source behind
/// AWS-LC's DRBG, as every other random draw of this crate).
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsLcRng;

impl RngCore for AwsLcRng {
    next_from_fill_bytes!();
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        // rand_core 0.6's infallible draw: a CSPRNG failure must not become
        // predictable bytes, so it panics (the C ABI's boundary turns the
        // panic into HYBRIDKEM_ERR_INTERNAL).
        AwsLc::new().random(dest).expect("RAND_bytes failed");
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandError> {
        AwsLc::new().random(dest).map_err(|_| draw_failed())
    }
}
impl CryptoRng for AwsLcRng {}

/// The error of a failed fallible draw (rand_core 0.6 has no kind for it;
/// the channel's KEMs turn any draw error into a KemError).
pub(super) fn draw_failed() -> RandError {
    RandError::from(core::num::NonZeroU32::new(RandError::CUSTOM_START).unwrap())
}

fn fill<R: Rng>(rng: &mut R, out: &mut [u8], err: KemError) -> KemResult<()> {
    rng.try_fill_bytes(out).map_err(|_| err)
}

fn the_suite(id: u16) -> &'static suites::Suite {
    suites::suite(id).expect("a suite of the table")
}

macro_rules! suite_kem {
    ($(#[$doc:meta])* $ty:ident, $id:expr, $name:literal, sk $sk:expr, pk $pk:expr, ct $ct:expr, rnd $rnd:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $ty;

        impl CryptoComponent for $ty {
            /// The Noise name of spec/TRANSPORT.md §6.1: the suite name without `-`.
            fn name() -> &'static str {
                $name
            }
        }

        impl Kem for $ty {
            type SecretKey = SensitiveByteArray<HeapArray<$sk>>;
            type PubKey = HeapArray<$pk>;
            type Ct = HeapArray<$ct>;
            type Ss = SensitiveByteArray<[u8; 32]>;

            fn genkey_rng<R: Rng>(rng: &mut R) -> KemResult<KeyPair<Self::PubKey, Self::SecretKey>> {
                let mut secret = Self::SecretKey::new_zero();
                fill(rng, secret.as_mut(), KemError::KeyGeneration)?;
                let mut public = Self::PubKey::new_zero();
                suites::derive_public_key(&AwsLc::new(), the_suite($id), secret.as_slice(), public.as_mut())
                    .map_err(|_| KemError::KeyGeneration)?;
                Ok(KeyPair { public, secret })
            }

            fn encapsulate<R: Rng>(pk: &[u8], rng: &mut R) -> KemResult<(Self::Ct, Self::Ss)> {
                if pk.len() != $pk {
                    return Err(KemError::Input);
                }
                let mut randomness = Zeroizing::new([0u8; $rnd]);
                fill(rng, &mut randomness[..], KemError::Encapsulation)?;
                let mut ct = Self::Ct::new_zero();
                let mut ss = Self::Ss::new_zero();
                suites::encapsulate_derand(&AwsLc::new(), the_suite($id), pk, &randomness[..], ct.as_mut(), ss.as_mut())
                    .map_err(|_| KemError::Encapsulation)?;
                Ok((ct, ss))
            }

            fn decapsulate(ct: &[u8], sk: &[u8]) -> KemResult<Self::Ss> {
                if ct.len() != $ct || sk.len() != $sk {
                    return Err(KemError::Input);
                }
                let mut ss = Self::Ss::new_zero();
                suites::decapsulate(&AwsLc::new(), the_suite($id), sk, ct, ss.as_mut()).map_err(|_| KemError::Decapsulation)?;
                Ok(ss)
            }
        }
    };
}

// Lengths as spec/WIRE-FORMAT.md §1 / §1.4 gives them (the test below checks
// each against the suite table): private key (seed), public key, ciphertext,
// encapsulation randomness.
suite_kem!(/// X-Wing (0x647a).
    XWing, 0x647a, "XWing", sk 32, pk 1216, ct 1120, rnd 64);
suite_kem!(/// X25519-MLKEM768 (0xff01).
    X25519MlKem768, 0xff01, "X25519MLKEM768", sk 32, pk 1216, ct 1120, rnd 64);
suite_kem!(/// X25519-MLKEM1024 (0xff02).
    X25519MlKem1024, 0xff02, "X25519MLKEM1024", sk 32, pk 1600, ct 1600, rnd 64);
suite_kem!(/// MLKEM768-P256 (0xff03).
    MlKem768P256, 0xff03, "MLKEM768P256", sk 32, pk 1249, ct 1153, rnd 64);
suite_kem!(/// MLKEM1024-P384 (0xff04).
    MlKem1024P384, 0xff04, "MLKEM1024P384", sk 32, pk 1665, ct 1665, rnd 80);
suite_kem!(/// HPKE-MLKEM768-P256 (0x0050).
    HpkeMlKem768P256, 0x0050, "HPKEMLKEM768P256", sk 32, pk 1249, ct 1153, rnd 128);
suite_kem!(/// HPKE-MLKEM1024-P384 (0x0051).
    HpkeMlKem1024P384, 0x0051, "HPKEMLKEM1024P384", sk 32, pk 1665, ct 1665, rnd 80);
suite_kem!(/// ML-KEM-768 (0x0041) on AWS-LC; the private key is d ‖ z.
    MlKem768, 0x0041, "MLKEM768", sk 64, pk 1184, ct 1088, rnd 32);
suite_kem!(/// ML-KEM-1024 (0x0042) on AWS-LC; the private key is d ‖ z.
    MlKem1024, 0x0042, "MLKEM1024", sk 64, pk 1568, ct 1568, rnd 32);
suite_kem!(/// DHKEM(X25519, HKDF-SHA256) (0x0020, RFC 9180).
    DhKemX25519, 0x0020, "DHKEMX25519HKDFSHA256", sk 32, pk 32, ct 32, rnd 32);

#[cfg(test)]
mod tests {
    use super::*;

    fn lengths<K: Kem>() -> [usize; 3] {
        [K::SecretKey::LENGTH, K::PubKey::LENGTH, K::Ct::LENGTH]
    }

    #[test]
    fn lengths_and_names_are_the_suite_tables() {
        let table: [(u16, [usize; 3], &str); 10] = [
            (0x647a, lengths::<XWing>(), XWing::name()),
            (0xff01, lengths::<X25519MlKem768>(), X25519MlKem768::name()),
            (0xff02, lengths::<X25519MlKem1024>(), X25519MlKem1024::name()),
            (0xff03, lengths::<MlKem768P256>(), MlKem768P256::name()),
            (0xff04, lengths::<MlKem1024P384>(), MlKem1024P384::name()),
            (0x0050, lengths::<HpkeMlKem768P256>(), HpkeMlKem768P256::name()),
            (0x0051, lengths::<HpkeMlKem1024P384>(), HpkeMlKem1024P384::name()),
            (0x0041, lengths::<MlKem768>(), MlKem768::name()),
            (0x0042, lengths::<MlKem1024>(), MlKem1024::name()),
            (0x0020, lengths::<DhKemX25519>(), DhKemX25519::name()),
        ];
        for (id, l, name) in table {
            let s = the_suite(id);
            assert_eq!(l, [s.private_key_len(), s.public_key_len(), s.ciphertext_len()], "{}", s.name);
            assert_eq!(name, s.name.replace('-', ""), "TRANSPORT.md §6.1 name of {}", s.name);
        }
    }

    /// The randomness lengths in the macro calls are the suite table's.
    #[test]
    fn randomness_lengths_are_the_suite_tables() {
        for (id, rnd) in [
            (0x647a, 64),
            (0xff01, 64),
            (0xff02, 64),
            (0xff03, 64),
            (0xff04, 80),
            (0x0050, 128),
            (0x0051, 80),
            (0x0041, 32),
            (0x0042, 32),
            (0x0020, 32),
        ] {
            assert_eq!(the_suite(id).randomness_len(), rnd, "{}", the_suite(id).name);
        }
    }

    /// Our ML-KEM-768 (AWS-LC) and clatter's (RustCrypto ml-kem) agree: the
    /// same d ‖ z gives the same public key, and each decapsulates the other's
    /// ciphertext to the same shared secret (FIPS 203 is deterministic given
    /// d, z and m, and ml-kem draws d then z then m from the RNG).
    #[test]
    fn mlkem768_agrees_with_clatters_rustcrypto_mlkem() {
        use clatter::crypto::kem::rust_crypto_ml_kem::MlKem768 as Theirs;
        #[derive(Clone, Default)]
        struct Counter(u8);
        impl clatter::rand_core::RngCore for Counter {
            fn next_u32(&mut self) -> u32 {
                unimplemented!()
            }
            fn next_u64(&mut self) -> u64 {
                unimplemented!()
            }
            fn fill_bytes(&mut self, d: &mut [u8]) {
                for b in d {
                    *b = self.0;
                    self.0 = self.0.wrapping_add(7);
                }
            }
            fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), clatter::rand_core::Error> {
                self.fill_bytes(d);
                Ok(())
            }
        }
        impl clatter::rand_core::CryptoRng for Counter {}
        let ours = MlKem768::genkey_rng(&mut Counter(1)).unwrap();
        let theirs = Theirs::genkey_rng(&mut Counter(1)).unwrap();
        assert_eq!(ours.public.as_slice(), theirs.public.as_slice());
        let (ct, ss) = Theirs::encapsulate(ours.public.as_slice(), &mut Counter(9)).unwrap();
        assert_eq!(MlKem768::decapsulate(ct.as_slice(), ours.secret.as_slice()).unwrap().as_slice(), ss.as_slice());
        let (ct2, ss2) = MlKem768::encapsulate(theirs.public.as_slice(), &mut Counter(9)).unwrap();
        assert_eq!(ct2.as_slice(), ct.as_slice());
        assert_eq!(Theirs::decapsulate(ct2.as_slice(), theirs.secret.as_slice()).unwrap().as_slice(), ss2.as_slice());
    }
}
