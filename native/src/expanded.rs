//! Expanded private keys (`hybridkem_private_key` in the C ABI): a seed
//! imported once, so that decapsulating many ciphertexts to one key does not
//! run ML-KEM key generation and the traditional public-key multiplication on
//! every call.
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
use hybridkem_suites::{self as suites, Error, Group, HkdfHash, MlKem, Primitives, Result, Suite, MLKEM_SEED_LEN, SEED_LEN};
use zeroize::Zeroizing;

use crate::awslc::{mlkem_decapsulate_with, mlkem_key_from_seed, mlkem_public_key, AwsLc, Owned};

/// A suite's private key, expanded. Dropping it wipes every secret field
/// (`Zeroizing`) and frees the ML-KEM EVP_PKEY, which AWS-LC cleanses.
pub struct PrivateKey {
    pub(crate) suite: &'static Suite,
    seed: Zeroizing<[u8; SEED_LEN]>,
    /// d ‖ z, to recognise the ML-KEM key generation the composition asks for.
    mlkem_seed: Zeroizing<[u8; MLKEM_SEED_LEN]>,
    /// AWS-LC's ML-KEM key: the expanded decapsulation key and ek.
    mlkem: Owned<sys::EVP_PKEY>,
    pk_m: Vec<u8>,
    scalar: Zeroizing<Vec<u8>>,
    pk_t: Vec<u8>,
}

/// Equality of two secrets without an early exit.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// AWS-LC's primitives, keeping the ML-KEM key and the traditional scalar and
/// public value that `derive_public_key` computes.
struct Recorder {
    inner: AwsLc,
    mlkem: RefCell<Option<(Zeroizing<[u8; MLKEM_SEED_LEN]>, Owned<sys::EVP_PKEY>)>>,
    group: RefCell<Option<(Zeroizing<Vec<u8>>, Vec<u8>)>>,
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
        let pkey = mlkem_key_from_seed(set, seed)?;
        mlkem_public_key(&pkey, ek)?;
        *self.mlkem.borrow_mut() = Some((Zeroizing::new(*seed), pkey));
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
        *self.group.borrow_mut() = Some((Zeroizing::new(scalar.to_vec()), out.to_vec()));
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
        if set != self.key.suite.mlkem || !same(seed, &self.key.mlkem_seed[..]) || ek.len() != self.key.pk_m.len() {
            return self.inner.mlkem_decapsulate(set, seed, ct, ek, ss);
        }
        ek.copy_from_slice(&self.key.pk_m);
        mlkem_decapsulate_with(set, &self.key.mlkem, ct, ss)
    }
    fn is_valid_scalar(&self, group: Group, scalar: &[u8]) -> bool {
        self.inner.is_valid_scalar(group, scalar)
    }
    fn group_public_key(&self, group: Group, scalar: &[u8], out: &mut [u8]) -> Result<()> {
        if group != self.key.suite.group || !same(scalar, &self.key.scalar) || out.len() != self.key.pk_t.len() {
            return self.inner.group_public_key(group, scalar, out);
        }
        out.copy_from_slice(&self.key.pk_t);
        Ok(())
    }
    fn group_shared_secret(&self, group: Group, scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()> {
        self.inner.group_shared_secret(group, scalar, element, out, field)
    }
    fn random(&self, out: &mut [u8]) -> Result<()> {
        self.inner.random(out)
    }
}

impl PrivateKey {
    /// Expands `seed` (32 bytes) for `suite`; fails as `derive_public_key` does.
    pub fn import(suite: &'static Suite, seed: &[u8]) -> Result<PrivateKey> {
        let rec = Recorder { inner: AwsLc::new(), mlkem: RefCell::new(None), group: RefCell::new(None) };
        let mut public_key = vec![0u8; suite.public_key_len()];
        suites::derive_public_key(&rec, suite, seed, &mut public_key)?;
        let (mlkem_seed, mlkem) = rec.mlkem.into_inner().ok_or(Error::Primitive("expanded key: no ML-KEM key"))?;
        let (scalar, pk_t) = rec.group.into_inner().ok_or(Error::Primitive("expanded key: no traditional key"))?;
        let pk_m = public_key[..suite.mlkem.public_key_len()].to_vec();
        let mut s = Zeroizing::new([0u8; SEED_LEN]);
        s.copy_from_slice(seed);
        Ok(PrivateKey { suite, seed: s, mlkem_seed, mlkem, pk_m, scalar, pk_t })
    }

    /// `hybridkem_suites::decapsulate` with this key's seed, its expensive
    /// seed-dependent steps answered from the key.
    pub fn decapsulate(&self, ciphertext: &[u8], shared_secret: &mut [u8]) -> Result<()> {
        suites::decapsulate(&Replay { inner: AwsLc::new(), key: self }, self.suite, &self.seed[..], ciphertext, shared_secret)
    }
}
