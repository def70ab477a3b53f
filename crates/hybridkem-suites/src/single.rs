//! The single-algorithm suites of spec/WIRE-FORMAT.md §1.4 over a backend's
//! [`Primitives`]: ML-KEM alone (FIPS 203, as draft-ietf-hpke-pq-04 uses it)
//! and DHKEM(X25519, HKDF-SHA256) (RFC 9180 §4.1, §7.1). No primitive is
//! written here: ML-KEM, X25519 and HKDF are the backend's. `compose` has
//! checked every buffer's size and zeroes the outputs when these fail.
use zeroize::Zeroizing;

use crate::primitives::{HkdfHash, Primitives};
use crate::suites::{Group, MlKem, MLKEM_SEED_LEN, X25519_LEN};
use crate::{Error, Result};

// ---------------------------------------------------------------- ML-KEM

fn mlkem_seed(private_key: &[u8]) -> Result<Zeroizing<[u8; MLKEM_SEED_LEN]>> {
    let mut seed = Zeroizing::new([0u8; MLKEM_SEED_LEN]);
    if private_key.len() != MLKEM_SEED_LEN {
        return Err(Error::InvalidLength { field: "seed", expected: MLKEM_SEED_LEN, actual: private_key.len() });
    }
    seed.copy_from_slice(private_key);
    Ok(seed)
}

/// ek = ML-KEM.KeyGen_internal(d, z) with the private key d ‖ z.
pub(crate) fn mlkem_derive_public_key<P: Primitives + ?Sized>(p: &P, set: MlKem, private_key: &[u8], public_key: &mut [u8]) -> Result<()> {
    p.mlkem_keygen(set, &*mlkem_seed(private_key)?, public_key)
}

/// ML-KEM.Encaps_internal(ek, m) with its FIPS 203 §7.2 modulus check (the
/// backend's `mlkem_encapsulate` runs it).
pub(crate) fn mlkem_encapsulate<P: Primitives + ?Sized>(
    p: &P,
    set: MlKem,
    public_key: &[u8],
    randomness: &[u8],
    ct: &mut [u8],
    ss: &mut [u8],
) -> Result<()> {
    let mut m = Zeroizing::new([0u8; 32]);
    m.copy_from_slice(randomness);
    let mut k = Zeroizing::new([0u8; 32]);
    p.mlkem_encapsulate(set, public_key, &m, ct, &mut k)?;
    ss.copy_from_slice(&k[..]);
    Ok(())
}

/// ML-KEM.Decaps_internal with the key of d ‖ z; a wrong ciphertext gives the
/// implicit-rejection secret (FIPS 203 §7.3), not an error.
pub(crate) fn mlkem_decapsulate<P: Primitives + ?Sized>(p: &P, set: MlKem, private_key: &[u8], ct: &[u8], ss: &mut [u8]) -> Result<()> {
    let mut ek = vec![0u8; set.public_key_len()];
    let mut k = Zeroizing::new([0u8; 32]);
    p.mlkem_decapsulate(set, &*mlkem_seed(private_key)?, ct, &mut ek, &mut k)?;
    ss.copy_from_slice(&k[..]);
    Ok(())
}

// ---------------------------------------------------------------- DHKEM(X25519, HKDF-SHA256)

/// suite_id = "KEM" ‖ I2OSP(kem_id, 2) (RFC 9180 §4.1), kem_id 0x0020 (§7.1).
const SUITE_ID: &[u8] = b"KEM\x00\x20";
/// RFC 9180 §4: the labeled functions' version prefix.
const HPKE_V1: &[u8] = b"HPKE-v1";

/// LabeledExpand(LabeledExtract("", extract_label, ikm), expand_label, info, out.len())
/// (RFC 9180 §4): one HKDF-SHA256 call, as Extract's output is Expand's PRK.
/// An empty salt is HKDF's default salt (RFC 5869 §2.2: HashLen zeros; HMAC
/// pads the key with zeros either way).
fn labeled_extract_and_expand<P: Primitives + ?Sized>(
    p: &P,
    extract_label: &[u8],
    ikm: &[u8],
    expand_label: &[u8],
    info: &[u8],
    out: &mut [u8],
) -> Result<()> {
    let labeled_ikm = Zeroizing::new([HPKE_V1, SUITE_ID, extract_label, ikm].concat());
    let len = u16::try_from(out.len()).map_err(|_| Error::Primitive("LabeledExpand length"))?.to_be_bytes();
    let labeled_info = [&len[..], HPKE_V1, SUITE_ID, expand_label, info].concat();
    p.hkdf(HkdfHash::Sha256, &[], &labeled_ikm, &labeled_info, out)
}

/// ExtractAndExpand(dh, enc ‖ pkR) (RFC 9180 §4.1), Nsecret = 32.
fn extract_and_expand<P: Primitives + ?Sized>(p: &P, dh: &[u8], enc: &[u8], pk_r: &[u8], ss: &mut [u8]) -> Result<()> {
    let kem_context = [enc, pk_r].concat();
    let mut out = Zeroizing::new([0u8; 32]);
    labeled_extract_and_expand(p, b"eae_prk", dh, b"shared_secret", &kem_context, &mut out[..])?;
    ss.copy_from_slice(&out[..]);
    Ok(())
}

/// pk = X25519(sk, 9): the private key is the X25519 private key itself
/// (SerializePrivateKey, RFC 9180 §7.1.2), clamped by X25519 (RFC 7748 §5).
pub(crate) fn dhkem_derive_public_key<P: Primitives + ?Sized>(p: &P, private_key: &[u8], public_key: &mut [u8]) -> Result<()> {
    p.group_public_key(Group::X25519, private_key, public_key)
}

/// Encap(pkR) with skE = DeriveKeyPair(ikmE) (RFC 9180 §4.1, §7.1.3:
/// dkp_prk = LabeledExtract("", "dkp_prk", ikmE), skE = LabeledExpand(dkp_prk,
/// "sk", "", 32)); enc = pkE. An all-zero dh (low-order pkR, RFC 7748 §6.1,
/// RFC 9180 §7.1.4) fails with `Error::InvalidGroupElement`.
pub(crate) fn dhkem_encapsulate<P: Primitives + ?Sized>(
    p: &P,
    public_key: &[u8],
    ikm_e: &[u8],
    enc: &mut [u8],
    ss: &mut [u8],
) -> Result<()> {
    let mut sk_e = Zeroizing::new([0u8; X25519_LEN]);
    labeled_extract_and_expand(p, b"dkp_prk", ikm_e, b"sk", b"", &mut sk_e[..])?;
    let mut dh = Zeroizing::new([0u8; X25519_LEN]);
    p.group_shared_secret(Group::X25519, &sk_e[..], public_key, &mut dh[..], "publicKey")?;
    p.group_public_key(Group::X25519, &sk_e[..], enc)?;
    extract_and_expand(p, &dh[..], enc, public_key, ss)
}

/// Decap(enc, skR): dh = X25519(skR, enc), all-zero rejected; pkR from skR.
pub(crate) fn dhkem_decapsulate<P: Primitives + ?Sized>(p: &P, private_key: &[u8], enc: &[u8], ss: &mut [u8]) -> Result<()> {
    let mut dh = Zeroizing::new([0u8; X25519_LEN]);
    p.group_shared_secret(Group::X25519, private_key, enc, &mut dh[..], "ciphertext")?;
    let mut pk_r = [0u8; X25519_LEN];
    p.group_public_key(Group::X25519, private_key, &mut pk_r)?;
    extract_and_expand(p, &dh[..], enc, &pk_r, ss)
}
