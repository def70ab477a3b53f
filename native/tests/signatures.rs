//! Signatures through the C ABI (include/hybridkem.h, "Signatures"):
//! Wycheproof ML-DSA sign-from-seed (deterministic, plus the one hedged case
//! with its rnd) and verification, Ed25519 / Ed448 verification, the
//! published composite vectors of draft-ietf-lamps-pq-composite-sigs-19 for
//! the three EdDSA suites, and the header's constants against the code's
//! tables. The TypeScript conformance suite (packages/native/test) runs the
//! same files through the addon; this is the path C, C# and Java callers use.
mod common;
use common::*;

use hybridkem_native::ffi::*;
use hybridkem_native::sig::{Composite, EdDsa, MlDsa, COMPOSITES};

fn cases(dir: &std::path::Path, file: &str) -> Vec<(serde_json::Value, serde_json::Value)> {
    let f = read_json(&dir.join(file));
    f["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["tests"].as_array().unwrap().iter().map(move |t| (g.clone(), t.clone())))
        .collect()
}

fn h(v: &serde_json::Value, k: &str) -> Vec<u8> {
    hex(v[k].as_str().unwrap_or(""))
}

/// ML-DSA verify through the C ABI: Some(verdict), or None for a status other than OK.
fn mldsa_verify(alg: u16, pk: &[u8], msg: &[u8], sig: &[u8], ctx: &[u8]) -> Option<bool> {
    let mut valid = -1;
    let st = unsafe {
        hybridkem_mldsa_verify(
            alg,
            pk.as_ptr(),
            pk.len(),
            msg.as_ptr(),
            msg.len(),
            sig.as_ptr(),
            sig.len(),
            ctx.as_ptr(),
            ctx.len(),
            &mut valid,
        )
    };
    if st == HYBRIDKEM_OK {
        assert!(valid == 0 || valid == 1);
        Some(valid == 1)
    } else {
        assert_eq!(valid, 0, "verdict zeroed on an error");
        None
    }
}

fn eddsa_verify(alg: u16, pk: &[u8], msg: &[u8], sig: &[u8]) -> Option<bool> {
    let mut valid = -1;
    let st = unsafe { hybridkem_eddsa_verify(alg, pk.as_ptr(), pk.len(), msg.as_ptr(), msg.len(), sig.as_ptr(), sig.len(), &mut valid) };
    (st == HYBRIDKEM_OK).then_some(valid == 1)
}

#[test]
fn wycheproof_mldsa_verify() {
    let Some(dir) = shared_vectors_dir() else { return };
    for (alg, p) in [(44u16, MlDsa::P44), (65, MlDsa::P65), (87, MlDsa::P87)] {
        let all = cases(&dir, &format!("wycheproof/mldsa_{alg}_verify_test.json"));
        let (mut valid, mut invalid) = (0, 0);
        for (g, t) in &all {
            let (pk, msg, sig, ctx) = (h(g, "publicKey"), h(t, "msg"), h(t, "sig"), h(t, "ctx"));
            let got = mldsa_verify(alg, &pk, &msg, &sig, &ctx);
            let well_formed = pk.len() == p.public_key_len() && sig.len() == p.signature_len() && ctx.len() <= 255;
            match t["result"].as_str().unwrap() {
                "valid" => {
                    valid += 1;
                    assert_eq!(got, Some(true), "ML-DSA-{alg} tcId {}", t["tcId"]);
                }
                // A wrong size is INVALID_LENGTH in the C ABI; a well-formed bad signature is a verdict of 0.
                "invalid" => {
                    invalid += 1;
                    assert_eq!(got, if well_formed { Some(false) } else { None }, "ML-DSA-{alg} tcId {}", t["tcId"]);
                }
                other => panic!("tcId {}: result {other}", t["tcId"]),
            }
        }
        assert!(valid > 0 && invalid > 0, "ML-DSA-{alg}: {valid} valid, {invalid} invalid");
    }
}

#[test]
fn wycheproof_mldsa_sign_from_seed() {
    let Some(dir) = shared_vectors_dir() else { return };
    for (alg, p) in [(65u16, MlDsa::P65), (87, MlDsa::P87)] {
        let all = cases(&dir, &format!("wycheproof/mldsa_{alg}_sign_seed_test.json"));
        let (mut signed, mut rejected) = (0, 0);
        for (g, t) in all.iter().filter(|(_, t)| t.get("msg").is_some()) {
            let seed = h(g, "privateSeed");
            let (mut pk, mut sk) = (vec![0u8; p.public_key_len()], vec![0u8; p.secret_key_len()]);
            let st =
                unsafe { hybridkem_mldsa_keygen(alg, seed.as_ptr(), seed.len(), pk.as_mut_ptr(), pk.len(), sk.as_mut_ptr(), sk.len()) };
            if seed.len() != 32 {
                // The IncorrectPrivateKeyLength cases: refused before anything is signed.
                assert_eq!((st, t["result"].as_str()), (HYBRIDKEM_ERR_INVALID_LENGTH, Some("invalid")), "tcId {}", t["tcId"]);
                assert!(pk.iter().chain(&sk).all(|&b| b == 0));
                rejected += 1;
                continue;
            }
            assert_eq!(st, HYBRIDKEM_OK);
            assert_eq!(to_hex(&pk), g["publicKey"].as_str().unwrap(), "ML-DSA-{alg} keygen, tcId {}", t["tcId"]);
            let (msg, ctx) = (h(t, "msg"), h(t, "ctx"));
            let rnd = if t.get("rnd").is_some() { h(t, "rnd") } else { vec![0u8; 32] };
            let mut sig = vec![0xaau8; p.signature_len()];
            let st = unsafe {
                hybridkem_mldsa_sign(
                    alg,
                    sk.as_ptr(),
                    sk.len(),
                    msg.as_ptr(),
                    msg.len(),
                    ctx.as_ptr(),
                    ctx.len(),
                    rnd.as_ptr(),
                    rnd.len(),
                    sig.as_mut_ptr(),
                    sig.len(),
                )
            };
            if t["result"] == "valid" {
                assert_eq!(st, HYBRIDKEM_OK, "tcId {}", t["tcId"]);
                assert_eq!(to_hex(&sig), t["sig"].as_str().unwrap(), "ML-DSA-{alg} signature, tcId {}", t["tcId"]);
                signed += 1;
            } else {
                // The other invalid case: a context over 255 bytes.
                assert_eq!(st, HYBRIDKEM_ERR_INVALID_LENGTH, "tcId {} ({})", t["tcId"], t["comment"]);
                assert!(sig.iter().all(|&b| b == 0), "signature zeroed");
                rejected += 1;
            }
        }
        assert!(signed > 0);
        assert_eq!(rejected, all.iter().filter(|(_, t)| t["result"] == "invalid").count(), "ML-DSA-{alg}: every invalid case refused");
    }
}

#[test]
fn wycheproof_eddsa_verify() {
    let Some(dir) = shared_vectors_dir() else { return };
    for (alg, a, file) in [(25519u16, EdDsa::Ed25519, "ed25519_test.json"), (448, EdDsa::Ed448, "ed448_test.json")] {
        let all = cases(&dir, &format!("wycheproof/{file}"));
        assert!(!all.is_empty());
        for (g, t) in &all {
            let (pk, msg, sig) = (hex(g["publicKey"]["pk"].as_str().unwrap()), h(t, "msg"), h(t, "sig"));
            let got = eddsa_verify(alg, &pk, &msg, &sig);
            let well_formed = pk.len() == a.public_key_len() && sig.len() == a.signature_len();
            let want = match t["result"].as_str().unwrap() {
                "valid" => Some(true),
                "invalid" if well_formed => Some(false),
                "invalid" => None,
                other => panic!("tcId {}: result {other}", t["tcId"]),
            };
            assert_eq!(got, want, "{file} tcId {} ({:?})", t["tcId"], t["flags"]);
        }
    }
}

fn b64(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        acc = (acc << 6) | A.iter().position(|&x| x == c).expect("base64") as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn published_composite_vectors() {
    let Some(dir) = shared_vectors_dir() else { return };
    let f = read_json(&dir.join("composite-sigs/testvectors.json"));
    let (m, ctx) = (b64(f["m"].as_str().unwrap()), b64(f["ctx"].as_str().unwrap()));
    for c in COMPOSITES.iter() {
        let tc = format!("id-{}", c.name);
        let v = f["tests"].as_array().unwrap().iter().find(|t| t["tcId"] == tc.as_str()).unwrap_or_else(|| panic!("{tc}"));
        let (sk, pk) = (b64(v["sk"].as_str().unwrap()), b64(v["pk"].as_str().unwrap()));
        let mut got = vec![0u8; c.public_key_len()];
        assert_eq!(unsafe { hybridkem_sig_derive_public_key(c.id, sk.as_ptr(), sk.len(), got.as_mut_ptr(), got.len()) }, HYBRIDKEM_OK);
        assert_eq!(to_hex(&got), to_hex(&pk), "{tc}: public key");
        for (field, context) in [("s", &[][..]), ("sWithContext", &ctx[..])] {
            let s = b64(v[field].as_str().unwrap());
            let (mut mv, mut ev) = (-1, -1);
            let st = unsafe {
                hybridkem_sig_verify(
                    c.id,
                    pk.as_ptr(),
                    pk.len(),
                    m.as_ptr(),
                    m.len(),
                    context.as_ptr(),
                    context.len(),
                    s.as_ptr(),
                    s.len(),
                    &mut mv,
                    &mut ev,
                )
            };
            assert_eq!((st, mv, ev), (HYBRIDKEM_OK, 1, 1), "{tc}: {field} verifies");
            // EdDSA is deterministic: our EdDSA part is the published one.
            let mut ours = vec![0u8; c.signature_len()];
            let zeros = [0u8; 32];
            let st = unsafe {
                hybridkem_sig_sign_derand(
                    c.id,
                    sk.as_ptr(),
                    sk.len(),
                    m.as_ptr(),
                    m.len(),
                    context.as_ptr(),
                    context.len(),
                    zeros.as_ptr(),
                    32,
                    ours.as_mut_ptr(),
                    ours.len(),
                )
            };
            assert_eq!(st, HYBRIDKEM_OK);
            let split = c.mldsa.signature_len();
            assert_eq!(to_hex(&ours[split..]), to_hex(&s[split..]), "{tc}: {field}'s {:?} part", c.eddsa);
        }
    }
}

#[test]
fn header_matches_the_signature_tables() {
    let header = header();
    let has = |d: String| assert!(header.contains(&format!("{d}\n")), "header: {d}");
    for c in COMPOSITES.iter() {
        let n = c.name.replace('-', "_").to_uppercase();
        // cbindgen writes the id in decimal; its doc comment gives the name and wire id in hex.
        let (value, doc) = header_define(&header, &format!("HYBRIDKEM_SIG_{n}"));
        assert_eq!(value, c.id.to_string(), "header: HYBRIDKEM_SIG_{n}");
        let wire = format!("{}, wire id {:#06x}.", c.name, c.id);
        assert!(doc.contains(&wire), "header: HYBRIDKEM_SIG_{n}'s comment names {wire:?}: {doc:?}");
        has(format!("#define HYBRIDKEM_SIG_{n}_PRIVATE_KEY_LEN {}", c.private_key_len()));
        has(format!("#define HYBRIDKEM_SIG_{n}_PUBLIC_KEY_LEN {}", c.public_key_len()));
        has(format!("#define HYBRIDKEM_SIG_{n}_SIGNATURE_LEN {}", c.signature_len()));
        assert!(std::ptr::eq(Composite::find(c.id).unwrap(), c));
    }
    for (n, p) in [(44, MlDsa::P44), (65, MlDsa::P65), (87, MlDsa::P87)] {
        assert_eq!(MlDsa::from_id(n), Some(p));
        has(format!("#define HYBRIDKEM_MLDSA{n} {n}"));
        has(format!("#define HYBRIDKEM_MLDSA{n}_PUBLIC_KEY_LEN {}", p.public_key_len()));
        has(format!("#define HYBRIDKEM_MLDSA{n}_SECRET_KEY_LEN {}", p.secret_key_len()));
        has(format!("#define HYBRIDKEM_MLDSA{n}_SIGNATURE_LEN {}", p.signature_len()));
    }
    for (n, a) in [(25519, EdDsa::Ed25519), (448, EdDsa::Ed448)] {
        assert_eq!(EdDsa::from_id(n), Some(a));
        has(format!("#define HYBRIDKEM_ED{n} {n}"));
        has(format!("#define HYBRIDKEM_ED{n}_KEY_LEN {}", a.public_key_len()));
        has(format!("#define HYBRIDKEM_ED{n}_SIGNATURE_LEN {}", a.signature_len()));
    }
}
