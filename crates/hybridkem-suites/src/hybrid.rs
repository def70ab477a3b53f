//! The hybrid suites' operations over a backend's [`Primitives`]: seed
//! expansion, RandomScalar and the combiners (spec/WIRE-FORMAT.md §1.1,
//! §1.2). The TypeScript reference is `packages/core/src/compose/`; both must
//! agree with the published vectors. `compose` has checked every buffer's
//! size and zeroes the outputs when these fail; these wipe their intermediates.
use zeroize::Zeroizing;

use crate::primitives::{HkdfHash, Primitives};
use crate::suites::{Combiner, Hybrid, ScalarDerivation, MLKEM_SEED_LEN, SHARED_SECRET_LEN};
use crate::{Error, Result};

/// Upper bound on RandomScalar's windows. A P-256 window is rejected with
/// probability < 2^-32 and a P-384 one < 2^-190: the bound only keeps the
/// loop finite (the same bound as core's `randomScalar`).
const MAX_SCALAR_WINDOWS: usize = 16;

/// info = I2OSP(32, 2) ‖ "shared_secret" (cfrg/draft-irtf-cfrg-hybrid-kems, KitchenSink).
const SHARED_SECRET_INFO: &[u8] = b"\x00\x20shared_secret";
const HYBRID_PRK: &[u8] = b"hybrid_prk";

/// RandomScalar by the suite's derivation. Returns the scalar, to be wiped by the caller (it is `Zeroizing`).
fn random_scalar<P: Primitives + ?Sized>(p: &P, suite: &Hybrid, bytes: &[u8], field: &'static str) -> Result<Zeroizing<Vec<u8>>> {
    let n = suite.group.scalar_len();
    let stream: Zeroizing<Vec<u8>> = match suite.derivation {
        ScalarDerivation::SeedIsScalar => return Ok(Zeroizing::new(bytes.to_vec())),
        ScalarDerivation::NestedShake => {
            let mut s = Zeroizing::new(vec![0u8; n * MAX_SCALAR_WINDOWS]);
            p.shake256(bytes, &mut s);
            s
        }
        ScalarDerivation::MainStream => Zeroizing::new(bytes.to_vec()),
    };
    let windows = core::cmp::min(MAX_SCALAR_WINDOWS, stream.len() / n);
    for w in stream.chunks_exact(n).take(windows) {
        if p.is_valid_scalar(suite.group, w) {
            return Ok(Zeroizing::new(w.to_vec()));
        }
    }
    Err(Error::NoValidScalar { field })
}

/// The two secret halves of a private key, expanded from its 32-byte seed.
struct ExpandedSeed {
    mlkem_seed: Zeroizing<[u8; MLKEM_SEED_LEN]>,
    scalar: Zeroizing<Vec<u8>>,
}

/// SHAKE256(seed) to 64 + Nseed_T bytes: ML-KEM d ‖ z, then the traditional seed.
fn expand_seed<P: Primitives + ?Sized>(p: &P, suite: &Hybrid, seed: &[u8]) -> Result<ExpandedSeed> {
    let mut out = Zeroizing::new(vec![0u8; MLKEM_SEED_LEN + suite.group_seed_len]);
    p.shake256(seed, &mut out);
    let mut mlkem_seed = Zeroizing::new([0u8; MLKEM_SEED_LEN]);
    mlkem_seed.copy_from_slice(&out[..MLKEM_SEED_LEN]);
    let scalar = random_scalar(p, suite, &out[MLKEM_SEED_LEN..], "seed")?;
    Ok(ExpandedSeed { mlkem_seed, scalar })
}

struct CombinerInput<'a> {
    ss_m: &'a [u8],
    ss_t: &'a [u8],
    ct_m: &'a [u8],
    pk_m: &'a [u8],
    ct_t: &'a [u8],
    pk_t: &'a [u8],
}

/// The suite's combiner. Every input has a fixed length per suite, so the
/// concatenations are injective.
fn combine<P: Primitives + ?Sized>(p: &P, suite: &Hybrid, x: &CombinerInput<'_>, out: &mut [u8; SHARED_SECRET_LEN]) -> Result<()> {
    match suite.combiner {
        Combiner::CgSha3_256 => {
            // SHA3-256(ss_M ‖ ss_T ‖ ct_T ‖ pk_T ‖ label): X-Wing §5.3 / concrete-hybrid-kems CG.
            let input = Zeroizing::new([x.ss_m, x.ss_t, x.ct_t, x.pk_t, suite.label].concat());
            p.sha3_256(&input, out);
            Ok(())
        }
        Combiner::KitchenSinkHkdfSha256 | Combiner::KitchenSinkHkdfSha512 => {
            let (hash, salt_len) = match suite.combiner {
                Combiner::KitchenSinkHkdfSha256 => (HkdfHash::Sha256, 32),
                _ => (HkdfHash::Sha512, 64),
            };
            // IKM = "hybrid_prk" ‖ ss_M ‖ ss_X ‖ ct_M ‖ pk_M ‖ ct_X ‖ pk_X ‖ label; salt = Nh zero bytes.
            let ikm = Zeroizing::new([HYBRID_PRK, x.ss_m, x.ss_t, x.ct_m, x.pk_m, x.ct_t, x.pk_t, suite.label].concat());
            let salt = [0u8; 64];
            p.hkdf(hash, &salt[..salt_len], &ikm, SHARED_SECRET_INFO, out)
        }
    }
}

/// The public key pk_M ‖ pk_T of a 32-byte seed.
pub(crate) fn derive_public_key<P: Primitives + ?Sized>(p: &P, suite: &Hybrid, seed: &[u8], public_key: &mut [u8]) -> Result<()> {
    let k = expand_seed(p, suite, seed)?;
    let (pk_m, pk_t) = public_key.split_at_mut(suite.mlkem.public_key_len());
    p.mlkem_keygen(suite.mlkem, &k.mlkem_seed, pk_m)?;
    p.group_public_key(suite.group, &k.scalar, pk_t)
}

/// Derandomised encapsulation: `randomness` = m (32 bytes) ‖ the ephemeral scalar's bytes.
pub(crate) fn encapsulate_derand<P: Primitives + ?Sized>(
    p: &P,
    suite: &Hybrid,
    public_key: &[u8],
    randomness: &[u8],
    ct: &mut [u8],
    ss: &mut [u8],
) -> Result<()> {
    let (pk_m, pk_t) = public_key.split_at(suite.mlkem.public_key_len());
    let mut m = Zeroizing::new([0u8; 32]);
    m.copy_from_slice(&randomness[..32]);
    let esk = random_scalar(p, suite, &randomness[32..], "randomness")?;
    let mut ss_t = Zeroizing::new(vec![0u8; suite.group.shared_secret_len()]);
    p.group_shared_secret(suite.group, &esk, pk_t, &mut ss_t, "publicKey")?;
    let mut ss_m = Zeroizing::new([0u8; 32]);
    let (ct_m, ct_t) = ct.split_at_mut(suite.mlkem.ciphertext_len());
    p.group_public_key(suite.group, &esk, ct_t)?;
    p.mlkem_encapsulate(suite.mlkem, pk_m, &m, ct_m, &mut ss_m)?;
    let mut out = Zeroizing::new([0u8; SHARED_SECRET_LEN]);
    combine(p, suite, &CombinerInput { ss_m: &ss_m[..], ss_t: &ss_t, ct_m, pk_m, ct_t, pk_t }, &mut out)?;
    ss.copy_from_slice(&out[..]);
    Ok(())
}

/// Decapsulation with the 32-byte seed. A wrong ML-KEM ciphertext gives the
/// implicit-rejection secret (FIPS 203 §7.3); an invalid traditional
/// ephemeral key fails with `Error::InvalidGroupElement`.
pub(crate) fn decapsulate<P: Primitives + ?Sized>(p: &P, suite: &Hybrid, seed: &[u8], ciphertext: &[u8], ss: &mut [u8]) -> Result<()> {
    let (ct_m, ct_t) = ciphertext.split_at(suite.mlkem.ciphertext_len());
    let k = expand_seed(p, suite, seed)?;
    let mut ss_t = Zeroizing::new(vec![0u8; suite.group.shared_secret_len()]);
    p.group_shared_secret(suite.group, &k.scalar, ct_t, &mut ss_t, "ciphertext")?;
    let mut pk_t = vec![0u8; suite.group.element_len()];
    p.group_public_key(suite.group, &k.scalar, &mut pk_t)?;
    let mut pk_m = vec![0u8; suite.mlkem.public_key_len()];
    let mut ss_m = Zeroizing::new([0u8; 32]);
    p.mlkem_decapsulate(suite.mlkem, &k.mlkem_seed, ct_m, &mut pk_m, &mut ss_m)?;
    let mut out = Zeroizing::new([0u8; SHARED_SECRET_LEN]);
    combine(p, suite, &CombinerInput { ss_m: &ss_m[..], ss_t: &ss_t, ct_m, pk_m: &pk_m, ct_t, pk_t: &pk_t }, &mut out)?;
    ss.copy_from_slice(&out[..]);
    Ok(())
}
