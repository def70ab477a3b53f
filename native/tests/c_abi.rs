//! The C ABI's contract (include/hybridkem.h) from Rust: the suite table, every
//! status code a caller can provoke, and all-or-nothing outputs.
mod common;
use common::*;

use core::ffi::CStr;
use core::ptr;
use hybridkem_native::ffi::*;
use hybridkem_native::suites::{Group, Suite, SUITES};

fn info(id: u16) -> (i32, HybridkemSuiteInfo) {
    let mut i = HybridkemSuiteInfo {
        struct_size: core::mem::size_of::<HybridkemSuiteInfo>() as u32,
        suite_id: 0xdead,
        reserved: 7,
        public_key_len: 1,
        private_key_len: 1,
        ciphertext_len: 1,
        shared_secret_len: 1,
        randomness_len: 1,
        name: ptr::null(),
    };
    let st = unsafe { hybridkem_suite_info_get(id, &mut i) };
    (st, i)
}

fn keypair(s: &Suite) -> (Vec<u8>, Vec<u8>) {
    let mut sk = vec![0u8; s.private_key_len()];
    assert_eq!(unsafe { hybridkem_generate_private_key(s.id, sk.as_mut_ptr(), sk.len()) }, HYBRIDKEM_OK);
    let pk = derive(s.id, &sk, s.public_key_len()).unwrap();
    (sk, pk)
}

#[test]
fn version_and_status_names() {
    assert_eq!(hybridkem_abi_version(), 1);
    let names: Vec<String> =
        (0..=17).map(|st| unsafe { CStr::from_ptr(hybridkem_status_name(st)) }.to_str().unwrap().to_string()).collect();
    assert_eq!(names[0], "HYBRIDKEM_OK");
    assert_eq!(names[3], "HYBRIDKEM_ERR_INVALID_LENGTH");
    assert_eq!(names[9], "HYBRIDKEM_ERR_INTERNAL");
    assert_eq!(names[16], "HYBRIDKEM_ERR_CHANNEL_CLOSED");
    assert_eq!(names[17], "HYBRIDKEM_ERR_UNKNOWN_STATUS");
    assert_eq!(unsafe { CStr::from_ptr(hybridkem_status_name(-1)) }.to_str().unwrap(), "HYBRIDKEM_ERR_UNKNOWN_STATUS");
    assert_eq!(unsafe { CStr::from_ptr(hybridkem_library_version()) }.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    let implementation = unsafe { CStr::from_ptr(hybridkem_implementation()) }.to_str().unwrap();
    // The string names the pinned aws-lc-sys version: keep them in step.
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let version = implementation.trim_start_matches("AWS-LC (aws-lc-sys ").trim_end_matches(')');
    assert!(manifest.contains(&format!("aws-lc-sys = \"={version}\"")), "{implementation} vs Cargo.toml");
}

#[test]
fn suite_table() {
    assert_eq!(hybridkem_suite_count(), SUITES.len());
    for (i, s) in SUITES.iter().enumerate() {
        let mut id = 0u16;
        assert_eq!(unsafe { hybridkem_suite_id_at(i, &mut id) }, HYBRIDKEM_OK);
        assert_eq!(id, s.id);
        let (st, inf) = info(id);
        assert_eq!(st, HYBRIDKEM_OK);
        assert_eq!(inf.suite_id, s.id);
        assert_eq!(inf.reserved, 0);
        assert_eq!(inf.public_key_len as usize, s.public_key_len());
        assert_eq!(inf.private_key_len as usize, s.private_key_len());
        assert_eq!(inf.ciphertext_len as usize, s.ciphertext_len());
        assert_eq!(inf.shared_secret_len, 32);
        assert_eq!(inf.randomness_len as usize, s.randomness_len());
        assert_eq!(unsafe { CStr::from_ptr(inf.name) }.to_str().unwrap(), s.name);
    }
    // spec/WIRE-FORMAT.md §1's rows for the single-algorithm suites (§1.4):
    // (id, name, public key, private key, ciphertext, randomness).
    for (id, name, pk, sk, ct, rand) in [
        (0x0041u16, "ML-KEM-768", 1184u32, 64u32, 1088u32, 32u32),
        (0x0042, "ML-KEM-1024", 1568, 64, 1568, 32),
        (0x0020, "DHKEM-X25519-HKDF-SHA256", 32, 32, 32, 32),
    ] {
        let (st, inf) = info(id);
        assert_eq!(st, HYBRIDKEM_OK, "{name}");
        assert_eq!(unsafe { CStr::from_ptr(inf.name) }.to_str().unwrap(), name);
        assert_eq!(
            (inf.public_key_len, inf.private_key_len, inf.ciphertext_len, inf.shared_secret_len, inf.randomness_len),
            (pk, sk, ct, 32, rand),
            "{name}"
        );
    }
    let mut id = 0xbeef_u16;
    assert_eq!(unsafe { hybridkem_suite_id_at(SUITES.len(), &mut id) }, HYBRIDKEM_ERR_UNKNOWN_SUITE);
    assert_eq!(id, 0);
    assert_eq!(unsafe { hybridkem_suite_id_at(0, ptr::null_mut()) }, HYBRIDKEM_ERR_NULL_POINTER);
}

#[test]
fn suite_info_errors() {
    assert_eq!(unsafe { hybridkem_suite_info_get(0xff01, ptr::null_mut()) }, HYBRIDKEM_ERR_NULL_POINTER);
    let (st, inf) = info(0x1234);
    assert_eq!(st, HYBRIDKEM_ERR_UNKNOWN_SUITE);
    assert_eq!((inf.suite_id, inf.reserved, inf.public_key_len, inf.randomness_len), (0, 0, 0, 0));
    assert!(inf.name.is_null());
    assert_eq!(inf.struct_size as usize, core::mem::size_of::<HybridkemSuiteInfo>());
    for size in [0u32, 8, core::mem::size_of::<HybridkemSuiteInfo>() as u32 - 1, core::mem::size_of::<HybridkemSuiteInfo>() as u32 + 8] {
        let mut i = info(0xff01).1;
        i.struct_size = size;
        i.suite_id = 0xabcd;
        assert_eq!(unsafe { hybridkem_suite_info_get(0xff01, &mut i) }, HYBRIDKEM_ERR_STRUCT_SIZE);
        assert_eq!(i.suite_id, 0xabcd, "struct untouched");
    }
}

#[test]
fn round_trip_every_suite() {
    for s in SUITES.iter() {
        let (sk, pk) = keypair(s);
        let (ct, ss) = encaps(s.id, &pk, s.ciphertext_len()).unwrap();
        assert_eq!(decaps(s.id, &sk, &ct).unwrap(), ss, "{}", s.name);
        let (ct2, ss2) = encaps(s.id, &pk, s.ciphertext_len()).unwrap();
        assert_ne!(ct, ct2, "{}: fresh randomness", s.name);
        assert_ne!(ss, ss2);
        // Implicit rejection: a flipped ML-KEM ciphertext bit is not an error
        // (for DHKEM, a flipped bit of enc is another point: another secret).
        let mut bad = ct.clone();
        bad[0] ^= 1;
        let rej = decaps(s.id, &sk, &bad).unwrap();
        assert_ne!(rej, ss, "{}", s.name);
        // An expanded key gives the seed's secrets, the rejection one included.
        assert_eq!(decaps_with_key(s.id, &sk, &ct).unwrap(), ss, "{}: expanded key", s.name);
        assert_eq!(decaps_with_key(s.id, &sk, &bad).unwrap(), rej, "{}: expanded key, implicit rejection", s.name);
    }
}

#[test]
fn generate_private_key() {
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    unsafe {
        assert_eq!(hybridkem_generate_private_key(0xff01, a.as_mut_ptr(), 32), HYBRIDKEM_OK);
        assert_eq!(hybridkem_generate_private_key(0xff01, b.as_mut_ptr(), 32), HYBRIDKEM_OK);
        assert_ne!(a, b);
        // A wrong length: zeroed up to the 32 bytes a private key has, and not beyond.
        let mut c = [0xaau8; 33];
        assert_eq!(hybridkem_generate_private_key(0xff01, c.as_mut_ptr(), 33), HYBRIDKEM_ERR_INVALID_LENGTH);
        assert_eq!(c[..32], [0u8; 32]);
        assert_eq!(c[32], 0xaa);
        // An unknown suite defines no length: the output is left untouched.
        let mut c = [0xaau8; 32];
        assert_eq!(hybridkem_generate_private_key(0x9999, c.as_mut_ptr(), 32), HYBRIDKEM_ERR_UNKNOWN_SUITE);
        assert_eq!(c, [0xaau8; 32]);
        assert_eq!(hybridkem_generate_private_key(0xff01, ptr::null_mut(), 32), HYBRIDKEM_ERR_NULL_POINTER);
        // ML-KEM's private key is the 64-byte d ‖ z (spec/WIRE-FORMAT.md §1.4):
        // 32 bytes are a wrong length there, zeroed as such.
        let mut d = [0u8; 64];
        assert_eq!(hybridkem_generate_private_key(0x0041, d.as_mut_ptr(), 64), HYBRIDKEM_OK);
        assert_ne!(d[32..], [0u8; 32]);
        let mut c = [0xaau8; 32];
        assert_eq!(hybridkem_generate_private_key(0x0041, c.as_mut_ptr(), 32), HYBRIDKEM_ERR_INVALID_LENGTH);
        assert_eq!(c, [0u8; 32]);
        let mut e = [0xaau8; 64];
        assert_eq!(hybridkem_generate_private_key(0x0020, e.as_mut_ptr(), 64), HYBRIDKEM_ERR_INVALID_LENGTH);
        assert_eq!(e[..32], [0u8; 32]);
        assert_eq!(e[32..], [0xaau8; 32]);
    }
}

#[test]
fn a_hybrid_seed_is_not_an_mlkem_private_key() {
    // The 32-byte seed of a hybrid given to ML-KEM alone, and the reverse.
    for id in [0x0041u16, 0x0042] {
        let s = suite_by_id(id);
        assert_eq!(derive(id, &[7u8; 32], s.public_key_len()), Err(HYBRIDKEM_ERR_INVALID_LENGTH));
        assert_eq!(decaps_with_key(id, &[7u8; 32], &vec![0; s.ciphertext_len()]), Err(HYBRIDKEM_ERR_INVALID_LENGTH));
    }
    let x = suite_by_name("X-Wing");
    assert_eq!(derive(x.id, &[7u8; 64], x.public_key_len()), Err(HYBRIDKEM_ERR_INVALID_LENGTH));
}

#[test]
fn unknown_suite() {
    let s = &SUITES[0];
    let (sk, pk) = keypair(s);
    let (ct, _) = encaps(s.id, &pk, s.ciphertext_len()).unwrap();
    let rand = vec![1u8; s.randomness_len()];
    for id in [0x0000, 0xffff, 0x0010, 0xff05] {
        assert_eq!(derive(id, &sk, s.public_key_len()), Err(HYBRIDKEM_ERR_UNKNOWN_SUITE));
        assert_eq!(encaps(id, &pk, s.ciphertext_len()), Err(HYBRIDKEM_ERR_UNKNOWN_SUITE));
        assert_eq!(encaps_derand(id, &pk, &rand, s.ciphertext_len()), Err(HYBRIDKEM_ERR_UNKNOWN_SUITE));
        assert_eq!(decaps(id, &sk, &ct), Err(HYBRIDKEM_ERR_UNKNOWN_SUITE));
    }
}

#[test]
fn wrong_lengths() {
    for s in SUITES.iter() {
        let (sk, pk) = keypair(s);
        let (ct, _) = encaps(s.id, &pk, s.ciphertext_len()).unwrap();
        let rand = vec![1u8; s.randomness_len()];
        let e: Result<(), i32> = Err(HYBRIDKEM_ERR_INVALID_LENGTH);
        for d in [-1isize, 1] {
            let n = |len: usize| (len as isize + d) as usize;
            assert_eq!(derive(s.id, &vec![7; n(s.private_key_len())], s.public_key_len()).map(|_| ()), e);
            assert_eq!(derive(s.id, &sk, n(s.public_key_len())).map(|_| ()), e);
            assert_eq!(encaps(s.id, &vec![7; n(pk.len())], s.ciphertext_len()).map(|_| ()), e);
            assert_eq!(encaps(s.id, &pk, n(s.ciphertext_len())).map(|_| ()), e);
            assert_eq!(encaps_derand(s.id, &pk, &vec![1; n(rand.len())], s.ciphertext_len()).map(|_| ()), e);
            assert_eq!(decaps(s.id, &vec![7; n(s.private_key_len())], &ct).map(|_| ()), e);
            assert_eq!(decaps(s.id, &sk, &vec![7; n(ct.len())]).map(|_| ()), e);
            // The shared-secret buffer's length, checked with zeroing: over
            // min(length passed, 32), never past the 32 bytes a secret has.
            let mut ss = vec![0xaau8; n(32)];
            let mut ctb = vec![0xaau8; ct.len()];
            let zeroed = |ss: &[u8]| ss[..31].iter().all(|&b| b == 0) && ss[31..] == [0u8, 0xaa][..ss.len() - 31];
            unsafe {
                assert_eq!(
                    hybridkem_encapsulate(s.id, pk.as_ptr(), pk.len(), ctb.as_mut_ptr(), ctb.len(), ss.as_mut_ptr(), ss.len()),
                    HYBRIDKEM_ERR_INVALID_LENGTH
                );
                assert!(ctb.iter().all(|&b| b == 0) && zeroed(&ss), "{}: {:?}", s.name, &ss[28..]);
                ss.fill(0xaa);
                assert_eq!(
                    hybridkem_decapsulate(s.id, sk.as_ptr(), sk.len(), ct.as_ptr(), ct.len(), ss.as_mut_ptr(), ss.len()),
                    HYBRIDKEM_ERR_INVALID_LENGTH
                );
                assert!(zeroed(&ss));
            }
        }
    }
}

#[test]
fn a_declared_length_beyond_the_suites_is_never_written_past() {
    // A buffer of the suite's length followed by a canary, passed with a
    // larger length (a caller's mistake): only the suite's length is zeroed.
    let s = &SUITES[0];
    let (sk, pk) = keypair(s);
    let (ct, _) = encaps(s.id, &pk, s.ciphertext_len()).unwrap();
    let canary = [0xa5u8; 8];
    for declared in [8usize, 1 << 20, 1 << 62, usize::MAX] {
        unsafe {
            let mut pkb = [vec![0xaau8; s.public_key_len()], canary.to_vec()].concat();
            let st = hybridkem_derive_public_key(s.id, sk.as_ptr(), 32, pkb.as_mut_ptr(), s.public_key_len().saturating_add(declared));
            assert_eq!(st, HYBRIDKEM_ERR_INVALID_LENGTH);
            assert!(pkb[..s.public_key_len()].iter().all(|&b| b == 0) && pkb[s.public_key_len()..] == canary, "pk, {declared}");

            let mut ctb = [vec![0xaau8; s.ciphertext_len()], canary.to_vec()].concat();
            let mut ss = [vec![0xaau8; 32], canary.to_vec()].concat();
            let st = hybridkem_encapsulate(
                s.id,
                pk.as_ptr(),
                pk.len(),
                ctb.as_mut_ptr(),
                ct.len().saturating_add(declared),
                ss.as_mut_ptr(),
                32usize.saturating_add(declared),
            );
            assert_eq!(st, HYBRIDKEM_ERR_INVALID_LENGTH);
            assert!(ctb[..ct.len()].iter().all(|&b| b == 0) && ctb[ct.len()..] == canary, "ct, {declared}");
            assert!(ss[..32].iter().all(|&b| b == 0) && ss[32..] == canary, "ss, {declared}");
            ss[..32].fill(0xaa);
            let st = hybridkem_decapsulate(s.id, sk.as_ptr(), 32, ct.as_ptr(), ct.len(), ss.as_mut_ptr(), 32usize.saturating_add(declared));
            assert_eq!(st, HYBRIDKEM_ERR_INVALID_LENGTH);
            assert!(ss[..32].iter().all(|&b| b == 0) && ss[32..] == canary, "decapsulate ss, {declared}");
        }
    }
}

#[test]
fn null_pointers_zero_the_other_outputs() {
    let s = &SUITES[0];
    let (sk, pk) = keypair(s);
    let mut ct = vec![0xaau8; s.ciphertext_len()];
    let mut ss = [0xaau8; 32];
    let rand = vec![1u8; s.randomness_len()];
    let nul = HYBRIDKEM_ERR_NULL_POINTER;
    unsafe {
        let mut pkb = vec![0xaau8; pk.len()];
        assert_eq!(hybridkem_derive_public_key(s.id, ptr::null(), 32, pkb.as_mut_ptr(), pkb.len()), nul);
        assert!(pkb.iter().all(|&b| b == 0));
        assert_eq!(hybridkem_derive_public_key(s.id, sk.as_ptr(), 32, ptr::null_mut(), pk.len()), nul);
        ss.fill(0xaa);
        assert_eq!(hybridkem_encapsulate(s.id, ptr::null(), pk.len(), ct.as_mut_ptr(), ct.len(), ss.as_mut_ptr(), 32), nul);
        assert_eq!(ss, [0; 32]);
        assert_eq!(hybridkem_encapsulate(s.id, pk.as_ptr(), pk.len(), ptr::null_mut(), ct.len(), ss.as_mut_ptr(), 32), nul);
        ct.fill(0xaa);
        assert_eq!(hybridkem_encapsulate(s.id, pk.as_ptr(), pk.len(), ct.as_mut_ptr(), ct.len(), ptr::null_mut(), 32), nul);
        assert!(ct.iter().all(|&b| b == 0));
        assert_eq!(
            hybridkem_encapsulate_derand(
                s.id,
                pk.as_ptr(),
                pk.len(),
                ptr::null(),
                rand.len(),
                ct.as_mut_ptr(),
                ct.len(),
                ss.as_mut_ptr(),
                32
            ),
            nul
        );
        assert_eq!(
            hybridkem_encapsulate_derand(
                s.id,
                ptr::null(),
                pk.len(),
                rand.as_ptr(),
                rand.len(),
                ct.as_mut_ptr(),
                ct.len(),
                ss.as_mut_ptr(),
                32
            ),
            nul
        );
        ss.fill(0xaa);
        assert_eq!(hybridkem_decapsulate(s.id, ptr::null(), 32, ct.as_ptr(), ct.len(), ss.as_mut_ptr(), 32), nul);
        assert_eq!(ss, [0; 32]);
        assert_eq!(hybridkem_decapsulate(s.id, sk.as_ptr(), 32, ptr::null(), ct.len(), ss.as_mut_ptr(), 32), nul);
        assert_eq!(hybridkem_decapsulate(s.id, sk.as_ptr(), 32, ct.as_ptr(), ct.len(), ptr::null_mut(), 32), nul);
        // NULL wins over a wrong length and an unknown suite (the header's order of checks).
        assert_eq!(hybridkem_decapsulate(0x9999, sk.as_ptr(), 3, ptr::null(), 0, ss.as_mut_ptr(), 1), nul);
    }
}

/// A public key whose traditional part is replaced by `element`.
fn with_group_part(g: Group, full: &[u8], mlkem_len: usize, element: &[u8]) -> Vec<u8> {
    assert_eq!(element.len(), g.element_len());
    [&full[..mlkem_len], element].concat()
}

fn invalid_elements(g: Group, valid: &[u8]) -> Vec<Vec<u8>> {
    match g {
        // RFC 7748 §6.1: low-order u-coordinates give an all-zero secret.
        Group::X25519 => {
            vec![vec![0; 32], [vec![1], vec![0; 31]].concat(), hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
        }
        _ => {
            let n = g.element_len();
            let mut off_curve = valid.to_vec();
            off_curve[n - 1] ^= 1;
            let mut compressed_tag = valid.to_vec();
            compressed_tag[0] = 0x02;
            let mut hybrid_tag = valid.to_vec();
            hybrid_tag[0] = 0x06 | (valid[n - 1] & 1);
            let x_too_big = [vec![4u8], vec![0xff; n - 1]].concat();
            vec![vec![0; n], off_curve, compressed_tag, hybrid_tag, x_too_big]
        }
    }
}

#[test]
fn invalid_group_elements() {
    let mut checked = 0;
    // Every suite with a traditional group: the hybrids and DHKEM (whose
    // whole public key and ciphertext are the element, RFC 9180 §7.1.4).
    for s in SUITES.iter() {
        let Some(group) = s.group() else { continue };
        let (pk_m_len, ct_m_len) = s.mlkem().map_or((0, 0), |m| (m.public_key_len(), m.ciphertext_len()));
        let (sk, pk) = keypair(s);
        let (ct, _) = encaps(s.id, &pk, s.ciphertext_len()).unwrap();
        let pk_t = &pk[pk_m_len..];
        checked += 1;
        for (i, el) in invalid_elements(group, pk_t).iter().enumerate() {
            let bad_pk = with_group_part(group, &pk, pk_m_len, el);
            assert_eq!(encaps(s.id, &bad_pk, s.ciphertext_len()), Err(HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT), "{} pk #{i}", s.name);
            let rand = vec![1u8; s.randomness_len()];
            assert_eq!(
                encaps_derand(s.id, &bad_pk, &rand, s.ciphertext_len()),
                Err(HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT),
                "{} pk #{i}",
                s.name
            );
            let bad_ct = with_group_part(group, &ct, ct_m_len, el);
            assert_eq!(decaps(s.id, &sk, &bad_ct), Err(HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT), "{} ct #{i}", s.name);
            assert_eq!(decaps_with_key(s.id, &sk, &bad_ct), Err(HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT), "{} ct #{i}, expanded key", s.name);
        }
    }
    assert_eq!(checked, 8, "seven hybrids and DHKEM");
}

#[test]
fn mlkem_modulus_check() {
    // Every suite with ML-KEM, whose encapsulation key comes first (§1.1, §1.4).
    let with_mlkem: Vec<&Suite> = SUITES.iter().filter(|s| s.mlkem().is_some()).collect();
    assert_eq!(with_mlkem.len(), 9);
    for s in with_mlkem {
        let (_, pk) = keypair(s);
        // The first 12-bit coefficient of t-hat set to 4095 >= q = 3329 (FIPS 203 §7.2).
        let mut bad = pk.clone();
        bad[0] = 0xff;
        bad[1] |= 0x0f;
        assert_eq!(encaps(s.id, &bad, s.ciphertext_len()), Err(HYBRIDKEM_ERR_INVALID_PUBLIC_KEY), "{}", s.name);
        let rand = vec![1u8; s.randomness_len()];
        assert_eq!(encaps_derand(s.id, &bad, &rand, s.ciphertext_len()), Err(HYBRIDKEM_ERR_INVALID_PUBLIC_KEY), "{}", s.name);
        // 3328 = q - 1 is reduced: accepted.
        let mut edge = pk.clone();
        edge[0] = 0x00;
        edge[1] = (edge[1] & 0xf0) | 0x0d;
        assert!(encaps(s.id, &edge, s.ciphertext_len()).is_ok(), "{}", s.name);
    }
}

#[test]
fn no_valid_scalar_from_chosen_randomness() {
    // HPKE suites take the scalar from the randomness' own windows: all 0xff
    // (>= n) or all zero has no scalar in [1, n-1].
    for id in [0x0050u16, 0x0051] {
        let s = suite_by_id(id);
        let (_, pk) = keypair(s);
        for fill in [0xffu8, 0x00] {
            let rand = [vec![9u8; 32], vec![fill; s.randomness_len() - 32]].concat();
            assert_eq!(encaps_derand(id, &pk, &rand, s.ciphertext_len()), Err(HYBRIDKEM_ERR_NO_VALID_SCALAR), "{}", s.name);
        }
        // One valid window among invalid ones suffices (P-256 has three).
        if id == 0x0050 {
            let rand = [vec![9u8; 32], vec![0xff; 64], vec![1; 32]].concat();
            assert!(encaps_derand(id, &pk, &rand, s.ciphertext_len()).is_ok());
        }
    }
}

#[test]
fn status_names_match_the_header() {
    let header = header();
    for st in 0..=16 {
        let name = unsafe { CStr::from_ptr(hybridkem_status_name(st)) }.to_str().unwrap();
        assert!(header.contains(&format!("#define {name} {st}\n")), "{name} = {st} in the header");
    }
    // cbindgen writes an id in decimal; its doc comment gives the suite's name and wire id in hex.
    for s in SUITES.iter() {
        let name = format!("HYBRIDKEM_SUITE_{}", s.name.replace('-', "_").to_uppercase());
        let (value, doc) = header_define(&header, &name);
        assert_eq!(value, s.id.to_string(), "header: {name}");
        let wire = format!("{}, wire id {:#06x}.", s.name, s.id);
        assert!(doc.contains(&wire), "header: {name}'s comment names {wire:?}: {doc:?}");
    }
    assert_eq!(header.matches("#define HYBRIDKEM_SUITE_").count(), SUITES.len(), "a suite id in the header that the table lacks");
}
