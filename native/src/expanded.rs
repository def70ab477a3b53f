//! Expanded private keys (`hybridkem_private_key` in the C ABI): a seed
//! imported once, so that decapsulating many ciphertexts to one key does not
//! run ML-KEM key generation and the traditional public-key multiplication on
//! every call. A suite without one of the two (ML-KEM alone, DHKEM alone,
//! spec/WIRE-FORMAT.md §1.4) keeps only the other.
//!
//! No combiner or seed expansion is written here. Import runs
//! `hybridkem_suites::derive_public_key` over [`Recorder`], which keeps what
//! the two expensive primitives produced (the AWS-LC ML-KEM key, the
//! traditional scalar and both public values); decapsulation runs
//! `hybridkem_suites::decapsulate` over [`Replay`], which answers those two
//! primitives from the key. So a handle's shared secret is the seed's by
//! construction: the composition is the same code as `hybridkem_decapsulate`.
use core::cell::RefCell;

use aws_lc_sys as sys;
use hybridkem_suites::{self as suites, Error, Group, HkdfHash, MlKem, Primitives, Result, Suite, MLKEM_SEED_LEN};
use zeroize::Zeroizing;

use crate::awslc::{mlkem_decapsulate_with, mlkem_key_from_seed, mlkem_public_key, AwsLc, Owned};

/// A suite's private key, expanded. Dropping it wipes every secret field
/// (`Zeroizing`) and frees the ML-KEM EVP_PKEY, which AWS-LC cleanses.
pub struct PrivateKey {
    pub(crate) suite: &'static Suite,
    /// The private key as given (32 or 64 bytes, the suite's length).
    seed: Zeroizing<Vec<u8>>,
    /// The suite's ML-KEM key, if it has ML-KEM.
    mlkem: Option<ExpandedMlKem>,
    /// The suite's traditional scalar and public value, if it has a group.
    group: Option<ExpandedGroup>,
}

struct ExpandedMlKem {
    set: MlKem,
    /// d ‖ z, to recognise the ML-KEM decapsulation the composition asks for.
    seed: Zeroizing<[u8; MLKEM_SEED_LEN]>,
    /// AWS-LC's ML-KEM key: the expanded decapsulation key and ek.
    key: Owned<sys::EVP_PKEY>,
    ek: Vec<u8>,
}

struct ExpandedGroup {
    group: Group,
    scalar: Zeroizing<Vec<u8>>,
    element: Vec<u8>,
}

/// Equality of two secrets without an early exit.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// AWS-LC's primitives, keeping the ML-KEM key and the traditional scalar and
/// public value that `derive_public_key` computes.
struct Recorder {
    inner: AwsLc,
    mlkem: RefCell<Option<ExpandedMlKem>>,
    group: RefCell<Option<ExpandedGroup>>,
}

impl Primitives for Recorder {
    fn shake256(&self, input: &[u8], out: &mut [u8]) {
        self.inner.shake256(input, out)
    }
    fn sha3_256(&self, input: &[u8], out: &mut [u8; 32]) {
        self.inner.sha3_256(input, out)
    }
    fn hkdf(&self, hash: HkdfHash, salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<()> {
        self.inner.hkdf(hash, salt, ikm, info, out)
    }
    fn mlkem_keygen(&self, set: MlKem, seed: &[u8; 64], ek: &mut [u8]) -> Result<()> {
        let key = mlkem_key_from_seed(set, seed)?;
        mlkem_public_key(&key, ek)?;
        *self.mlkem.borrow_mut() = Some(ExpandedMlKem { set, seed: Zeroizing::new(*seed), key, ek: ek.to_vec() });
        Ok(())
    }
    fn mlkem_encapsulate(&self, set: MlKem, ek: &[u8], m: &[u8; 32], ct: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        self.inner.mlkem_encapsulate(set, ek, m, ct, ss)
    }
    fn mlkem_decapsulate(&self, set: MlKem, seed: &[u8; 64], ct: &[u8], ek: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        self.inner.mlkem_decapsulate(set, seed, ct, ek, ss)
    }
    fn is_valid_scalar(&self, group: Group, scalar: &[u8]) -> bool {
        self.inner.is_valid_scalar(group, scalar)
    }
    fn group_public_key(&self, group: Group, scalar: &[u8], out: &mut [u8]) -> Result<()> {
        self.inner.group_public_key(group, scalar, out)?;
        *self.group.borrow_mut() = Some(ExpandedGroup { group, scalar: Zeroizing::new(scalar.to_vec()), element: out.to_vec() });
        Ok(())
    }
    fn group_shared_secret(&self, group: Group, scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()> {
        self.inner.group_shared_secret(group, scalar, element, out, field)
    }
    fn random(&self, out: &mut [u8]) -> Result<()> {
        self.inner.random(out)
    }
}

/// AWS-LC's primitives, with ML-KEM decapsulation and the traditional public
/// key answered from `key` when the composition asks for them with the key's
/// own seed and scalar (always, as the composition expands `key.seed`; any
/// other input is computed as usual, so a mismatch could only cost time).
struct Replay<'a> {
    inner: AwsLc,
    key: &'a PrivateKey,
}

impl Primitives for Replay<'_> {
    fn shake256(&self, input: &[u8], out: &mut [u8]) {
        self.inner.shake256(input, out)
    }
    fn sha3_256(&self, input: &[u8], out: &mut [u8; 32]) {
        self.inner.sha3_256(input, out)
    }
    fn hkdf(&self, hash: HkdfHash, salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<()> {
        self.inner.hkdf(hash, salt, ikm, info, out)
    }
    fn mlkem_keygen(&self, set: MlKem, seed: &[u8; 64], ek: &mut [u8]) -> Result<()> {
        self.inner.mlkem_keygen(set, seed, ek)
    }
    fn mlkem_encapsulate(&self, set: MlKem, ek: &[u8], m: &[u8; 32], ct: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        self.inner.mlkem_encapsulate(set, ek, m, ct, ss)
    }
    fn mlkem_decapsulate(&self, set: MlKem, seed: &[u8; 64], ct: &[u8], ek: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        match &self.key.mlkem {
            Some(k) if k.set == set && same(seed, &k.seed[..]) && ek.len() == k.ek.len() => {
                ek.copy_from_slice(&k.ek);
                mlkem_decapsulate_with(set, &k.key, ct, ss)
            }
            _ => self.inner.mlkem_decapsulate(set, seed, ct, ek, ss),
        }
    }
    fn is_valid_scalar(&self, group: Group, scalar: &[u8]) -> bool {
        self.inner.is_valid_scalar(group, scalar)
    }
    fn group_public_key(&self, group: Group, scalar: &[u8], out: &mut [u8]) -> Result<()> {
        match &self.key.group {
            Some(g) if g.group == group && same(scalar, &g.scalar) && out.len() == g.element.len() => {
                out.copy_from_slice(&g.element);
                Ok(())
            }
            _ => self.inner.group_public_key(group, scalar, out),
        }
    }
    fn group_shared_secret(&self, group: Group, scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()> {
        self.inner.group_shared_secret(group, scalar, element, out, field)
    }
    fn random(&self, out: &mut [u8]) -> Result<()> {
        self.inner.random(out)
    }
}

impl PrivateKey {
    /// Expands `seed` (the suite's private key) for `suite`; fails as `derive_public_key` does.
    pub fn import(suite: &'static Suite, seed: &[u8]) -> Result<PrivateKey> {
        let rec = Recorder { inner: AwsLc::new(), mlkem: RefCell::new(None), group: RefCell::new(None) };
        let mut public_key = vec![0u8; suite.public_key_len()];
        suites::derive_public_key(&rec, suite, seed, &mut public_key)?;
        let mlkem = rec.mlkem.into_inner();
        let group = rec.group.into_inner();
        if mlkem.is_some() != suite.mlkem().is_some() || group.is_some() != suite.group().is_some() {
            return Err(Error::Primitive("expanded key: not the suite's key generation"));
        }
        Ok(PrivateKey { suite, seed: Zeroizing::new(seed.to_vec()), mlkem, group })
    }

    /// `hybridkem_suites::decapsulate` with this key's seed, its expensive
    /// seed-dependent steps answered from the key.
    pub fn decapsulate(&self, ciphertext: &[u8], shared_secret: &mut [u8]) -> Result<()> {
        suites::decapsulate(&Replay { inner: AwsLc::new(), key: self }, self.suite, &self.seed[..], ciphertext, shared_secret)
    }
}
