//! Helpers shared by the integration tests: vector files, hex, and safe
//! wrappers over the C ABI (the tests go through the exact path C callers use).
#![allow(dead_code)]
use std::path::{Path, PathBuf};

use hybridkem_native::ffi::*;
use hybridkem_native::suites::{suite, Suite};

pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

pub fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn spec_vectors_dir() -> PathBuf {
    repo_root().join("spec").join("vectors")
}

/// ../shared/vectors beside the repository (or $HYBRIDKEM_SHARED_VECTORS), as
/// core's `sharedVectorsDir` finds it. Missing: a failure in CI, a skip elsewhere.
pub fn shared_vectors_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("HYBRIDKEM_SHARED_VECTORS") {
        return Some(PathBuf::from(dir));
    }
    let mut dir = repo_root();
    loop {
        let candidate = dir.join("shared").join("vectors");
        if candidate.is_dir() {
            return Some(candidate);
        }
        if !dir.pop() {
            break;
        }
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("shared/vectors not found (CI=true: missing vectors are a failure)");
    }
    eprintln!("skipped: shared/vectors not found (set HYBRIDKEM_SHARED_VECTORS)");
    None
}

pub fn suite_by_name(name: &str) -> &'static Suite {
    hybridkem_native::suites::SUITES.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no suite {name}"))
}

pub fn suite_by_id(id: u16) -> &'static Suite {
    suite(id).unwrap_or_else(|| panic!("no suite {id:#06x}"))
}

/// The header's all-or-nothing rule for an output filled with 0xaa before a
/// failed call: zeroed over min(its length, the suite's length for it) and
/// untouched after that; untouched altogether when the suite is unknown.
pub fn assert_failed_output(out: &[u8], suite_len: Option<usize>, what: &str) {
    let n = suite_len.map_or(0, |len| len.min(out.len()));
    assert!(
        out[..n].iter().all(|&b| b == 0) && out[n..].iter().all(|&b| b == 0xaa),
        "{what}: on failure, expected exactly the first {n} of {} bytes zeroed",
        out.len()
    );
}

pub fn derive(id: u16, sk: &[u8], pk_len: usize) -> Result<Vec<u8>, i32> {
    let mut pk = vec![0xaa; pk_len];
    let st = unsafe { hybridkem_derive_public_key(id, sk.as_ptr(), sk.len(), pk.as_mut_ptr(), pk.len()) };
    if st == HYBRIDKEM_OK {
        Ok(pk)
    } else {
        assert_failed_output(&pk, suite(id).map(|s| s.public_key_len()), "public key");
        Err(st)
    }
}

pub fn encaps_derand(id: u16, pk: &[u8], rand: &[u8], ct_len: usize) -> Result<(Vec<u8>, Vec<u8>), i32> {
    let mut ct = vec![0xaa; ct_len];
    let mut ss = vec![0xaa; 32];
    let st = unsafe {
        hybridkem_encapsulate_derand(
            id,
            pk.as_ptr(),
            pk.len(),
            rand.as_ptr(),
            rand.len(),
            ct.as_mut_ptr(),
            ct.len(),
            ss.as_mut_ptr(),
            ss.len(),
        )
    };
    if st == HYBRIDKEM_OK {
        Ok((ct, ss))
    } else {
        assert_failed_output(&ct, suite(id).map(|s| s.ciphertext_len()), "ciphertext");
        assert_failed_output(&ss, suite(id).map(|_| 32), "shared secret");
        Err(st)
    }
}

pub fn encaps(id: u16, pk: &[u8], ct_len: usize) -> Result<(Vec<u8>, Vec<u8>), i32> {
    let mut ct = vec![0xaa; ct_len];
    let mut ss = vec![0xaa; 32];
    let st = unsafe { hybridkem_encapsulate(id, pk.as_ptr(), pk.len(), ct.as_mut_ptr(), ct.len(), ss.as_mut_ptr(), ss.len()) };
    if st == HYBRIDKEM_OK {
        Ok((ct, ss))
    } else {
        assert_failed_output(&ct, suite(id).map(|s| s.ciphertext_len()), "ciphertext");
        assert_failed_output(&ss, suite(id).map(|_| 32), "shared secret");
        Err(st)
    }
}

pub fn decaps(id: u16, sk: &[u8], ct: &[u8]) -> Result<Vec<u8>, i32> {
    let mut ss = vec![0xaa; 32];
    let st = unsafe { hybridkem_decapsulate(id, sk.as_ptr(), sk.len(), ct.as_ptr(), ct.len(), ss.as_mut_ptr(), ss.len()) };
    if st == HYBRIDKEM_OK {
        Ok(ss)
    } else {
        assert_failed_output(&ss, suite(id).map(|_| 32), "shared secret");
        Err(st)
    }
}

/// Decapsulation through an expanded key (import, decapsulate, free), as a C caller does it.
pub fn decaps_with_key(id: u16, sk: &[u8], ct: &[u8]) -> Result<Vec<u8>, i32> {
    let mut key: *mut HybridkemPrivateKey = core::ptr::null_mut();
    let st = unsafe { hybridkem_private_key_import(id, sk.as_ptr(), sk.len(), &mut key) };
    if st != HYBRIDKEM_OK {
        assert!(key.is_null(), "import failed but left a key");
        return Err(st);
    }
    let mut ss = vec![0xaa; 32];
    let st = unsafe { hybridkem_decapsulate_with_key(key, ct.as_ptr(), ct.len(), ss.as_mut_ptr(), ss.len()) };
    unsafe { hybridkem_private_key_free(&mut key) };
    assert!(key.is_null(), "free leaves the pointer NULL");
    if st == HYBRIDKEM_OK {
        Ok(ss)
    } else {
        assert_failed_output(&ss, Some(32), "shared secret");
        Err(st)
    }
}

/// One known answer checked four ways: seed -> pk, (pk, randomness) -> (ct, ss), (seed, ct) -> ss, and (expanded key, ct) -> ss.
pub fn check_known_answer(source: &str, s: &Suite, seed: &str, randomness: &str, pk: &str, ct: &str, ss: &str) {
    let seed = hex(seed);
    let got_pk = derive(s.id, &seed, s.public_key_len()).unwrap_or_else(|st| panic!("{source}: derive status {st}"));
    assert_eq!(to_hex(&got_pk), pk, "{source}: public key");
    let (got_ct, got_ss) = encaps_derand(s.id, &hex(pk), &hex(randomness), s.ciphertext_len())
        .unwrap_or_else(|st| panic!("{source}: encapsulate status {st}"));
    assert_eq!(to_hex(&got_ct), ct, "{source}: ciphertext");
    assert_eq!(to_hex(&got_ss), ss, "{source}: shared secret (encapsulate)");
    let dec = decaps(s.id, &seed, &hex(ct)).unwrap_or_else(|st| panic!("{source}: decapsulate status {st}"));
    assert_eq!(to_hex(&dec), ss, "{source}: shared secret (decapsulate)");
    let dec = decaps_with_key(s.id, &seed, &hex(ct)).unwrap_or_else(|st| panic!("{source}: decapsulate_with_key status {st}"));
    assert_eq!(to_hex(&dec), ss, "{source}: shared secret (expanded key)");
}

/// include/hybridkem.h, as committed (cbindgen's output from src/:
/// scripts/generate-header.sh --check holds the two together).
pub fn header() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/hybridkem.h")).unwrap()
}

/// The value of the header's `#define {name} <value>` (exactly one), and the
/// text of the doc comment cbindgen wrote right above it ("" if none).
pub fn header_define(header: &str, name: &str) -> (String, String) {
    let lines: Vec<&str> = header.lines().collect();
    let prefix = format!("#define {name} ");
    let at: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].starts_with(&prefix)).collect();
    assert_eq!(at.len(), 1, "#define {name}: {} in the header", at.len());
    let value = lines[at[0]][prefix.len()..].to_string();
    let mut doc = Vec::new();
    if at[0] > 0 && lines[at[0] - 1].trim() == "*/" {
        let mut i = at[0] - 1;
        while i > 0 && lines[i].trim() != "/**" {
            i -= 1;
            doc.push(lines[i].trim().trim_start_matches("/**").trim_start_matches('*').trim());
        }
        doc.reverse();
    }
    (value, doc.join("\n").trim().to_string())
}
