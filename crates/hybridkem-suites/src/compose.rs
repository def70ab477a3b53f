//! Whole suite operations over a backend's [`Primitives`], for every suite:
//! the hybrids (`hybrid`, spec/WIRE-FORMAT.md §1.1-§1.2) and the
//! single-algorithm suites (`single`, §1.4). Every function checks its
//! buffers' sizes first, and leaves its outputs zeroed when it fails; the
//! constructions wipe their intermediates.
use zeroize::{Zeroize, Zeroizing};

use crate::primitives::Primitives;
use crate::suites::{Kem, Suite, SHARED_SECRET_LEN};
use crate::{hybrid, single, Error, Result};

fn expect_len(field: &'static str, buf: &[u8], expected: usize) -> Result<()> {
    if buf.len() == expected {
        Ok(())
    } else {
        Err(Error::InvalidLength { field, expected, actual: buf.len() })
    }
}

/// Runs `f`; when it fails, zeroes every output so no partial result escapes.
fn all_or_nothing(outputs: &mut [&mut [u8]], f: impl FnOnce(&mut [&mut [u8]]) -> Result<()>) -> Result<()> {
    let result = f(outputs);
    if result.is_err() {
        for o in outputs.iter_mut() {
            o.zeroize();
        }
    }
    result
}

/// A fresh private key from the CSPRNG: the suite's `private_key_len()`
/// random bytes (a hybrid's 32-byte seed, ML-KEM's d ‖ z, an X25519 private
/// key — RFC 7748 §5 and RFC 9180 §7.1.2 take any 32 bytes).
pub fn generate_seed<P: Primitives + ?Sized>(p: &P, suite: &Suite, seed: &mut [u8]) -> Result<()> {
    expect_len("seed", seed, suite.private_key_len())?;
    all_or_nothing(&mut [seed], |o| p.random(o[0]))
}

/// The public key of a private key (which is also the keygen seed).
pub fn derive_public_key<P: Primitives + ?Sized>(p: &P, suite: &Suite, seed: &[u8], public_key: &mut [u8]) -> Result<()> {
    expect_len("seed", seed, suite.private_key_len())?;
    expect_len("publicKey", public_key, suite.public_key_len())?;
    all_or_nothing(&mut [public_key], |o| match suite.kem {
        Kem::Hybrid(ref h) => hybrid::derive_public_key(p, h, seed, o[0]),
        Kem::MlKem(set) => single::mlkem_derive_public_key(p, set, seed, o[0]),
        Kem::DhKemX25519HkdfSha256 => single::dhkem_derive_public_key(p, seed, o[0]),
    })
}

/// Derandomised encapsulation with the suite's `randomness_len()` bytes. For
/// test vectors; services use [`encapsulate`].
pub fn encapsulate_derand<P: Primitives + ?Sized>(
    p: &P,
    suite: &Suite,
    public_key: &[u8],
    randomness: &[u8],
    ciphertext: &mut [u8],
    shared_secret: &mut [u8],
) -> Result<()> {
    expect_len("publicKey", public_key, suite.public_key_len())?;
    expect_len("randomness", randomness, suite.randomness_len())?;
    expect_len("ciphertext", ciphertext, suite.ciphertext_len())?;
    expect_len("sharedSecret", shared_secret, SHARED_SECRET_LEN)?;
    all_or_nothing(&mut [ciphertext, shared_secret], |o| {
        let [ct, ss] = o else { unreachable!() };
        match suite.kem {
            Kem::Hybrid(ref h) => hybrid::encapsulate_derand(p, h, public_key, randomness, ct, ss),
            Kem::MlKem(set) => single::mlkem_encapsulate(p, set, public_key, randomness, ct, ss),
            Kem::DhKemX25519HkdfSha256 => single::dhkem_encapsulate(p, public_key, randomness, ct, ss),
        }
    })
}

/// Encapsulation with fresh randomness from the CSPRNG.
pub fn encapsulate<P: Primitives + ?Sized>(
    p: &P,
    suite: &Suite,
    public_key: &[u8],
    ciphertext: &mut [u8],
    shared_secret: &mut [u8],
) -> Result<()> {
    let mut randomness = Zeroizing::new(vec![0u8; suite.randomness_len()]);
    p.random(&mut randomness)?;
    encapsulate_derand(p, suite, public_key, &randomness, ciphertext, shared_secret)
}

/// Decapsulation with the private key. A wrong ML-KEM ciphertext gives the
/// implicit-rejection secret (FIPS 203 §7.3); an invalid or low-order
/// traditional ephemeral key fails with `Error::InvalidGroupElement`.
pub fn decapsulate<P: Primitives + ?Sized>(p: &P, suite: &Suite, seed: &[u8], ciphertext: &[u8], shared_secret: &mut [u8]) -> Result<()> {
    expect_len("seed", seed, suite.private_key_len())?;
    expect_len("ciphertext", ciphertext, suite.ciphertext_len())?;
    expect_len("sharedSecret", shared_secret, SHARED_SECRET_LEN)?;
    all_or_nothing(&mut [shared_secret], |o| match suite.kem {
        Kem::Hybrid(ref h) => hybrid::decapsulate(p, h, seed, ciphertext, o[0]),
        Kem::MlKem(set) => single::mlkem_decapsulate(p, set, seed, ciphertext, o[0]),
        Kem::DhKemX25519HkdfSha256 => single::dhkem_decapsulate(p, seed, ciphertext, o[0]),
    })
}
