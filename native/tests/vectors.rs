//! Every published known answer the TypeScript conformance suite checks
//! (packages/core/src/testing/known-answers.ts), and spec/vectors/*.json, through the C ABI.
mod common;
use common::*;

fn s(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str().unwrap_or_else(|| panic!("field {k}")).to_string()
}

#[test]
fn xwing_draft_vectors() {
    let Some(dir) = shared_vectors_dir() else { return };
    let all = read_json(&dir.join("xwing/test-vectors.json"));
    let all = all.as_array().unwrap();
    assert!(!all.is_empty());
    for (i, v) in all.iter().enumerate() {
        check_known_answer(
            &format!("xwing #{i}"),
            suite_by_name("X-Wing"),
            &s(v, "seed"),
            &s(v, "eseed"),
            &s(v, "pk"),
            &s(v, "ct"),
            &s(v, "ss"),
        );
    }
}

#[test]
fn kitchensink_vectors() {
    let Some(dir) = shared_vectors_dir() else { return };
    let all = read_json(&dir.join("hybrid-kems/kitchensink-mlkem768-x25519-hkdf-sha256.json"));
    let all = all.as_array().unwrap();
    assert!(!all.is_empty());
    for (i, v) in all.iter().enumerate() {
        let src = format!("hybrid-kems #{i}");
        check_known_answer(
            &src,
            suite_by_name("X25519-MLKEM768"),
            &s(v, "seed"),
            &s(v, "randomness"),
            &s(v, "pk"),
            &s(v, "ct"),
            &s(v, "ss"),
        );
    }
}

#[test]
fn concrete_hybrid_kems_vectors() {
    let Some(dir) = shared_vectors_dir() else { return };
    let file = read_json(&dir.join("concrete-hybrid-kems/test-vectors.json"));
    let mut n = 0;
    for (key, name) in [("mlkem768_x25519", "X-Wing"), ("mlkem768_p256", "MLKEM768-P256"), ("mlkem1024_p384", "MLKEM1024-P384")] {
        let all = file[key].as_array().unwrap_or_else(|| panic!("{key}"));
        assert!(!all.is_empty(), "{key}");
        for (i, v) in all.iter().enumerate() {
            let src = format!("concrete-hybrid-kems {key} #{i}");
            check_known_answer(
                &src,
                suite_by_name(name),
                &s(v, "seed"),
                &s(v, "randomness"),
                &s(v, "encapsulation_key"),
                &s(v, "ciphertext"),
                &s(v, "shared_secret"),
            );
            n += 1;
        }
    }
    assert!(n >= 3);
}

#[test]
fn hpke_pq_vectors() {
    let Some(dir) = shared_vectors_dir() else { return };
    let file = read_json(&dir.join("hpke-pq/test-vectors.json"));
    let mut seen = std::collections::BTreeSet::new();
    for (i, v) in file.as_array().unwrap().iter().enumerate() {
        let id = v["kem_id"].as_u64().unwrap() as u16;
        if ![0x647a, 0x0050, 0x0051, 0x0041, 0x0042, 0x0020].contains(&id) {
            continue;
        }
        seen.insert(id);
        // skRm is the private key (the 32-byte seed of a hybrid, ML-KEM's
        // 64-byte d ‖ z, DHKEM's X25519 private key); ikmE is exactly the
        // encapsulation randomness (spec/WIRE-FORMAT.md §1.1, §1.4).
        let src = format!("hpke-pq #{i} kem {id:#06x}");
        check_known_answer(&src, suite_by_id(id), &s(v, "skRm"), &s(v, "ikmE"), &s(v, "pkRm"), &s(v, "enc"), &s(v, "shared_secret"));
    }
    assert_eq!(seen.len(), 6, "hpke-pq: X-Wing, 0x0050, 0x0051, ML-KEM-768, ML-KEM-1024 and DHKEM(X25519) all present");
}

#[test]
fn spec_vectors_every_suite() {
    let dir = spec_vectors_dir();
    let mut suites = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".json") || name == "invalid.json" {
            continue;
        }
        let file = read_json(&path);
        let suite = suite_by_id(file["suiteId"].as_u64().unwrap() as u16);
        assert_eq!(file["suite"].as_str().unwrap(), suite.name, "{name}");
        let vectors = file["vectors"].as_array().unwrap();
        assert!(!vectors.is_empty(), "{name}");
        for (i, v) in vectors.iter().enumerate() {
            let src = format!("spec/vectors/{name} #{i}");
            check_known_answer(
                &src,
                suite,
                &s(v, "seed"),
                &s(v, "randomness"),
                &s(v, "publicKey"),
                &s(v, "ciphertext"),
                &s(v, "sharedSecret"),
            );
        }
        suites.insert(suite.id);
    }
    assert_eq!(suites.len(), hybridkem_native::suites::SUITES.len(), "spec/vectors covers every suite");
}
