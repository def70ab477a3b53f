//! Expanded private keys: a seed expanded once into WebAssembly memory, so
//! that decapsulating many ciphertexts to one key does not run ML-KEM
//! KeyGen_internal (two thirds of an X-Wing decapsulation, README.md's
//! profile) and the traditional public-key multiplication on every call. A
//! suite without one of the two (ML-KEM alone, DHKEM alone,
//! spec/WIRE-FORMAT.md §1.4) keeps only the other.
//!
//! No combiner or seed expansion is written here, as in native/src/expanded.rs:
//! expansion runs `hybridkem_suites::derive_public_key` over [`Recorder`],
//! which keeps what the two expensive primitives produced (libcrux's ML-KEM
//! private key, the traditional scalar and both public values); decapsulation
//! runs `hybridkem_suites::decapsulate` over [`Replay`], which answers those
//! two primitives from the key. So a key's shared secret is its seed's by
//! construction: the composition is the same code as `decapsulate`.
//!
//! Keys live in a table here and JavaScript holds only their number: an
//! unknown or freed number is an error, never a dangling pointer. Every
//! secret field is `Zeroizing` but libcrux's unpacked ML-KEM key pair, which
//! has no destructor; the wiping allocator wipes every block, that one
//! included, as it is freed.
use core::cell::RefCell;
use std::collections::BTreeMap;

use hybridkem_suites::{Error, Group, HkdfHash, MlKem, Primitives, Result, Suite, MLKEM_SEED_LEN};
use zeroize::Zeroizing;

use crate::primitives::{MlKemKeyPair, Wasm};

/// A suite's private key, expanded.
pub struct PrivateKey {
    pub suite: &'static Suite,
    /// The private key as given (32 or 64 bytes, the suite's length).
    seed: Zeroizing<Vec<u8>>,
    /// The suite's ML-KEM key pair, if it has ML-KEM.
    mlkem: Option<ExpandedMlKem>,
    /// The suite's traditional scalar and public value, if it has a group.
    group: Option<ExpandedGroup>,
}

struct ExpandedMlKem {
    set: MlKem,
    /// d ‖ z, to recognise the ML-KEM decapsulation the composition asks for.
    seed: Zeroizing<[u8; MLKEM_SEED_LEN]>,
    key: MlKemKeyPair,
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

/// The crate's primitives, keeping the ML-KEM key and the traditional scalar
/// and public value that `derive_public_key` computes.
struct Recorder {
    mlkem: RefCell<Option<ExpandedMlKem>>,
    group: RefCell<Option<ExpandedGroup>>,
}

impl Primitives for Recorder {
    fn shake256(&self, input: &[u8], out: &mut [u8]) {
        Wasm.shake256(input, out)
    }
    fn sha3_256(&self, input: &[u8], out: &mut [u8; 32]) {
        Wasm.sha3_256(input, out)
    }
    fn hkdf(&self, hash: HkdfHash, salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<()> {
        Wasm.hkdf(hash, salt, ikm, info, out)
    }
    fn mlkem_keygen(&self, set: MlKem, seed: &[u8; 64], ek: &mut [u8]) -> Result<()> {
        let key = MlKemKeyPair::generate(set, seed);
        key.public_key(ek)?;
        *self.mlkem.borrow_mut() = Some(ExpandedMlKem { set, seed: Zeroizing::new(*seed), key, ek: ek.to_vec() });
        Ok(())
    }
    fn mlkem_encapsulate(&self, set: MlKem, ek: &[u8], m: &[u8; 32], ct: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        Wasm.mlkem_encapsulate(set, ek, m, ct, ss)
    }
    fn mlkem_decapsulate(&self, set: MlKem, seed: &[u8; 64], ct: &[u8], ek: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        Wasm.mlkem_decapsulate(set, seed, ct, ek, ss)
    }
    fn is_valid_scalar(&self, group: Group, scalar: &[u8]) -> bool {
        Wasm.is_valid_scalar(group, scalar)
    }
    fn group_public_key(&self, group: Group, scalar: &[u8], out: &mut [u8]) -> Result<()> {
        Wasm.group_public_key(group, scalar, out)?;
        *self.group.borrow_mut() = Some(ExpandedGroup { group, scalar: Zeroizing::new(scalar.to_vec()), element: out.to_vec() });
        Ok(())
    }
    fn group_shared_secret(&self, group: Group, scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()> {
        Wasm.group_shared_secret(group, scalar, element, out, field)
    }
    fn random(&self, out: &mut [u8]) -> Result<()> {
        Wasm.random(out)
    }
}

/// The crate's primitives, with ML-KEM decapsulation and the traditional
/// public key answered from `key` when the composition asks for them with the
/// key's own seed and scalar (always, as the composition expands `key.seed`;
/// any other input is computed as usual, so a mismatch could only cost time).
struct Replay<'a> {
    key: &'a PrivateKey,
}

impl Primitives for Replay<'_> {
    fn shake256(&self, input: &[u8], out: &mut [u8]) {
        Wasm.shake256(input, out)
    }
    fn sha3_256(&self, input: &[u8], out: &mut [u8; 32]) {
        Wasm.sha3_256(input, out)
    }
    fn hkdf(&self, hash: HkdfHash, salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<()> {
        Wasm.hkdf(hash, salt, ikm, info, out)
    }
    fn mlkem_keygen(&self, set: MlKem, seed: &[u8; 64], ek: &mut [u8]) -> Result<()> {
        Wasm.mlkem_keygen(set, seed, ek)
    }
    fn mlkem_encapsulate(&self, set: MlKem, ek: &[u8], m: &[u8; 32], ct: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        Wasm.mlkem_encapsulate(set, ek, m, ct, ss)
    }
    fn mlkem_decapsulate(&self, set: MlKem, seed: &[u8; 64], ct: &[u8], ek: &mut [u8], ss: &mut [u8; 32]) -> Result<()> {
        match &self.key.mlkem {
            Some(k) if k.set == set && same(seed, &k.seed[..]) && ek.len() == k.ek.len() => {
                k.key.decapsulate(ct, ss)?;
                ek.copy_from_slice(&k.ek);
                Ok(())
            }
            _ => Wasm.mlkem_decapsulate(set, seed, ct, ek, ss),
        }
    }
    fn is_valid_scalar(&self, group: Group, scalar: &[u8]) -> bool {
        Wasm.is_valid_scalar(group, scalar)
    }
    fn group_public_key(&self, group: Group, scalar: &[u8], out: &mut [u8]) -> Result<()> {
        match &self.key.group {
            Some(g) if g.group == group && same(scalar, &g.scalar) && out.len() == g.element.len() => {
                out.copy_from_slice(&g.element);
                Ok(())
            }
            _ => Wasm.group_public_key(group, scalar, out),
        }
    }
    fn group_shared_secret(&self, group: Group, scalar: &[u8], element: &[u8], out: &mut [u8], field: &'static str) -> Result<()> {
        Wasm.group_shared_secret(group, scalar, element, out, field)
    }
    fn random(&self, out: &mut [u8]) -> Result<()> {
        Wasm.random(out)
    }
}

impl PrivateKey {
    /// Expands `seed` (the suite's private key) for `suite`; fails as `derive_public_key` does.
    pub fn import(suite: &'static Suite, seed: &[u8]) -> Result<PrivateKey> {
        let rec = Recorder { mlkem: RefCell::new(None), group: RefCell::new(None) };
        let mut public_key = vec![0u8; suite.public_key_len()];
        hybridkem_suites::derive_public_key(&rec, suite, seed, &mut public_key)?;
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
        hybridkem_suites::decapsulate(&Replay { key: self }, self.suite, &self.seed[..], ciphertext, shared_secret)
    }
}

// WebAssembly here is single-threaded: the thread-local is one table.
thread_local! {
    static KEYS: RefCell<(u32, BTreeMap<u32, Box<PrivateKey>>)> = const { RefCell::new((0, BTreeMap::new())) };
}

/// Stores `key` and returns its number (never reused, so a stale number finds nothing).
pub fn store(key: PrivateKey) -> Result<u32> {
    KEYS.with(|k| {
        let mut k = k.borrow_mut();
        let id = k.0.checked_add(1).ok_or(Error::Primitive("expanded key: too many keys"))?;
        k.0 = id;
        k.1.insert(id, Box::new(key));
        Ok(id)
    })
}

/// Runs `f` with key `id`, if it is live.
pub fn with<T>(id: u32, f: impl FnOnce(&PrivateKey) -> T) -> Option<T> {
    KEYS.with(|k| k.borrow().1.get(&id).map(|key| f(key)))
}

/// Drops key `id` (wiping it); false if it was not live.
pub fn free(id: u32) -> bool {
    KEYS.with(|k| k.borrow_mut().1.remove(&id)).is_some()
}

/// How many keys are live (for the package's tests).
pub fn live() -> u32 {
    KEYS.with(|k| k.borrow().1.len() as u32)
}
