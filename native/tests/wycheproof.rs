//! Wycheproof component vectors through the AWS-LC primitives (ML-KEM keygen
//! from seed, encapsulation incl. the FIPS 203 modulus check, decapsulation;
//! X25519 incl. the all-zero rejection), as core's runWycheproofPrimitiveChecks;
//! then the same files through the C ABI's single-algorithm suites
//! (ML-KEM-768 / ML-KEM-1024 take d ‖ z and m as they are, spec/WIRE-FORMAT.md
//! §1.4; DHKEM(X25519) must refuse every all-zero Diffie-Hellman).
mod common;
use common::*;

use hybridkem_native::ffi::{HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT, HYBRIDKEM_ERR_INVALID_LENGTH, HYBRIDKEM_ERR_INVALID_PUBLIC_KEY};
use hybridkem_native::suites::{Error, Group, MlKem, Primitives};
use hybridkem_native::AwsLc;

fn cases(dir: &std::path::Path, file: &str) -> Vec<serde_json::Value> {
    let f = read_json(&dir.join("wycheproof").join(file));
    f["testGroups"].as_array().unwrap().iter().flat_map(|g| g["tests"].as_array().unwrap().clone()).collect()
}

fn h(v: &serde_json::Value, k: &str) -> Vec<u8> {
    hex(v[k].as_str().unwrap_or(""))
}

const SETS: [(MlKem, u32); 2] = [(MlKem::MlKem768, 768), (MlKem::MlKem1024, 1024)];

#[test]
fn mlkem_keygen_from_seed() {
    let Some(dir) = shared_vectors_dir() else { return };
    for (set, n) in SETS {
        let all = cases(&dir, &format!("mlkem_{n}_keygen_seed_test.json"));
        assert!(!all.is_empty());
        for c in &all {
            let seed: [u8; 64] = h(c, "seed").try_into().unwrap();
            let mut ek = vec![0; set.public_key_len()];
            AwsLc::new().mlkem_keygen(set, &seed, &mut ek).unwrap();
            assert_eq!(to_hex(&ek), c["ek"].as_str().unwrap(), "ML-KEM-{n} tcId {}", c["tcId"]);
        }
    }
}

#[test]
fn mlkem_encapsulation_and_modulus_check() {
    let Some(dir) = shared_vectors_dir() else { return };
    for (set, n) in SETS {
        let all = cases(&dir, &format!("mlkem_{n}_encaps_test.json"));
        let mut overflow = 0;
        for c in &all {
            let id = format!("ML-KEM-{n} tcId {}", c["tcId"]);
            let (ek, m) = (h(c, "ek"), h(c, "m"));
            let mut ct = vec![0; set.ciphertext_len()];
            let mut ss = [0u8; 32];
            let m: [u8; 32] = match m.try_into() {
                Ok(m) => m,
                Err(_) => {
                    assert_eq!(c["result"], "invalid", "{id}");
                    continue;
                }
            };
            if ek.len() != set.public_key_len() {
                assert_eq!(c["result"], "invalid", "{id}");
                assert!(AwsLc::new().mlkem_encapsulate(set, &ek, &m, &mut ct, &mut ss).is_err(), "{id}");
                continue;
            }
            let r = AwsLc::new().mlkem_encapsulate(set, &ek, &m, &mut ct, &mut ss);
            if c["result"] == "valid" {
                r.unwrap_or_else(|e| panic!("{id}: {e}"));
                assert_eq!(to_hex(&ct), c["c"].as_str().unwrap(), "{id}");
                assert_eq!(to_hex(&ss), c["K"].as_str().unwrap(), "{id}");
            } else {
                // Every invalid case of the right lengths is an unreduced
                // coefficient ("ModulusOverflow" / "Public key not reduced").
                assert_eq!(r, Err(Error::InvalidPublicKey { field: "publicKey" }), "{id}");
                overflow += 1;
            }
        }
        assert!(overflow > 0, "ML-KEM-{n}: ModulusOverflow cases present");
    }
}

#[test]
fn mlkem_decapsulation() {
    let Some(dir) = shared_vectors_dir() else { return };
    for (set, n) in SETS {
        let all = cases(&dir, &format!("mlkem_{n}_test.json"));
        let mut valid = 0;
        for c in &all {
            let id = format!("ML-KEM-{n} tcId {}", c["tcId"]);
            let (seed, ct) = (h(c, "seed"), h(c, "c"));
            let seed: Result<[u8; 64], _> = seed.try_into();
            let mut ek = vec![0; set.public_key_len()];
            let mut ss = [0u8; 32];
            let r = match seed {
                Ok(seed) => AwsLc::new().mlkem_decapsulate(set, &seed, &ct, &mut ek, &mut ss),
                Err(_) => Err(Error::Primitive("seed length")),
            };
            if c["result"] == "valid" {
                r.unwrap_or_else(|e| panic!("{id}: {e}"));
                assert_eq!(to_hex(&ek), c["ek"].as_str().unwrap(), "{id}");
                assert_eq!(to_hex(&ss), c["K"].as_str().unwrap(), "{id}");
                valid += 1;
            } else {
                assert!(r.is_err(), "{id}: invalid case accepted");
            }
        }
        assert!(valid > 0);
    }
}

#[test]
fn x25519() {
    let Some(dir) = shared_vectors_dir() else { return };
    let all = cases(&dir, "x25519_test.json");
    assert!(all.len() > 500);
    let mut zero = 0;
    for c in &all {
        let id = format!("X25519 tcId {}", c["tcId"]);
        let mut out = [0u8; 32];
        let r = AwsLc::new().group_shared_secret(Group::X25519, &h(c, "private"), &h(c, "public"), &mut out, "publicKey");
        if h(c, "shared").iter().all(|&b| b == 0) {
            assert_eq!(r, Err(Error::InvalidGroupElement { field: "publicKey" }), "{id}");
            zero += 1;
        } else {
            r.unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(to_hex(&out), c["shared"].as_str().unwrap(), "{id}");
        }
    }
    assert!(zero > 10);
}

const SUITE_SETS: [(u16, u32); 2] = [(0x0041, 768), (0x0042, 1024)];

#[test]
fn mlkem_suites_through_the_c_abi() {
    let Some(dir) = shared_vectors_dir() else { return };
    for (id, n) in SUITE_SETS {
        let s = suite_by_id(id);
        let mut counts = [0usize; 3];
        // Key generation from the seed: the suite's private key is the seed.
        for c in &cases(&dir, &format!("mlkem_{n}_keygen_seed_test.json")) {
            let pk = derive(id, &h(c, "seed"), s.public_key_len()).unwrap_or_else(|st| panic!("ML-KEM-{n} tcId {}: {st}", c["tcId"]));
            assert_eq!(to_hex(&pk), c["ek"].as_str().unwrap(), "ML-KEM-{n} tcId {}", c["tcId"]);
            counts[0] += 1;
        }
        // Encapsulation with m; an unreduced coefficient is INVALID_PUBLIC_KEY,
        // a wrong length INVALID_LENGTH.
        for c in &cases(&dir, &format!("mlkem_{n}_encaps_test.json")) {
            let tc = format!("ML-KEM-{n} tcId {}", c["tcId"]);
            let r = encaps_derand(id, &h(c, "ek"), &h(c, "m"), s.ciphertext_len());
            if c["result"] == "valid" {
                let (ct, ss) = r.unwrap_or_else(|st| panic!("{tc}: {st}"));
                assert_eq!(
                    (to_hex(&ct), to_hex(&ss)),
                    (c["c"].as_str().unwrap().to_string(), c["K"].as_str().unwrap().to_string()),
                    "{tc}"
                );
            } else {
                let st = r.expect_err(&tc);
                assert!([HYBRIDKEM_ERR_INVALID_PUBLIC_KEY, HYBRIDKEM_ERR_INVALID_LENGTH].contains(&st), "{tc}: status {st}");
            }
            counts[1] += 1;
        }
        // Decapsulation from the seed, and through an expanded key.
        for c in &cases(&dir, &format!("mlkem_{n}_test.json")) {
            let tc = format!("ML-KEM-{n} tcId {}", c["tcId"]);
            let (seed, ct) = (h(c, "seed"), h(c, "c"));
            let r = decaps(id, &seed, &ct);
            if c["result"] == "valid" {
                let ss = r.unwrap_or_else(|st| panic!("{tc}: {st}"));
                assert_eq!(to_hex(&ss), c["K"].as_str().unwrap(), "{tc}");
                assert_eq!(decaps_with_key(id, &seed, &ct).unwrap(), ss, "{tc}: expanded key");
                counts[2] += 1;
            } else {
                assert!(r.is_err(), "{tc}: invalid case accepted");
            }
        }
        assert!(counts.iter().all(|&k| k > 0), "ML-KEM-{n}: {counts:?}");
    }
}

#[test]
fn dhkem_x25519_refuses_every_all_zero_dh() {
    // RFC 9180 §7.1.4: DH() must reject an all-zero output; on encapsulation
    // the peer's key is pkR, on decapsulation it is enc.
    let Some(dir) = shared_vectors_dir() else { return };
    let s = suite_by_name("DHKEM-X25519-HKDF-SHA256");
    let mut zero = 0;
    for c in &cases(&dir, "x25519_test.json") {
        let tc = format!("X25519 tcId {}", c["tcId"]);
        let (private, public) = (h(c, "private"), h(c, "public"));
        if private.len() != 32 || public.len() != 32 {
            continue;
        }
        let dec = decaps(s.id, &private, &public);
        let enc = encaps_derand(s.id, &public, &[7u8; 32], s.ciphertext_len());
        if h(c, "shared").iter().all(|&b| b == 0) {
            assert_eq!(dec, Err(HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT), "{tc}: decapsulate");
            assert_eq!(decaps_with_key(s.id, &private, &public), Err(HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT), "{tc}: expanded key");
            assert_eq!(enc.map(|_| ()), Err(HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT), "{tc}: encapsulate");
            zero += 1;
        } else {
            assert!(dec.is_ok() && enc.is_ok(), "{tc}: a valid peer key refused");
        }
    }
    assert!(zero > 10);
}
