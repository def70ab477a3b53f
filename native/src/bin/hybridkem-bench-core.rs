//! Times the native core through its C ABI — the same extern "C" functions the
//! N-API addon calls — so bench/ can put the addon's time beside the core's in
//! one run ("addon ≤ 1.15× Rust", issue #4). Prints one JSON line per suite
//! and operation with the median of per-call times:
//!   {"suite":"X-Wing","op":"encapsulate","medianNs":41234,"samples":2000}
//! Ops: derivePublicKey, encapsulate (hybridkem_encapsulate_derand: the
//! backend contract's deterministic encapsulation), encapsulateRandom
//! (hybridkem_encapsulate), decapsulate.
//! Usage: hybridkem-bench-core [--iterations N] [--warmup N] [--suite NAME]
use std::hint::black_box;
use std::time::Instant;

use hybridkem_native::ffi::*;
use hybridkem_native::suites::SUITES;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn median_ns(iterations: usize, warmup: usize, mut op: impl FnMut() -> i32) -> u128 {
    for _ in 0..warmup {
        assert_eq!(op(), HYBRIDKEM_OK);
    }
    let mut samples: Vec<u128> = (0..iterations)
        .map(|_| {
            let t = Instant::now();
            let st = black_box(op());
            let ns = t.elapsed().as_nanos();
            assert_eq!(st, HYBRIDKEM_OK);
            ns
        })
        .collect();
    samples.sort_unstable();
    let n = samples.len();
    if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let iterations: usize = arg(&args, "--iterations").map(|v| v.parse().expect("--iterations N")).unwrap_or(1000);
    let warmup: usize = arg(&args, "--warmup").map(|v| v.parse().expect("--warmup N")).unwrap_or(100);
    let only = arg(&args, "--suite");
    assert!(iterations > 0, "--iterations must be positive");

    for s in SUITES.iter().filter(|s| only.as_deref().map_or(true, |n| n == s.name)) {
        let id = s.id;
        let mut sk = vec![0u8; s.private_key_len()];
        let mut pk = vec![0u8; s.public_key_len()];
        let mut ct = vec![0u8; s.ciphertext_len()];
        let mut ss = [0u8; 32];
        let rnd = vec![0x5au8; s.randomness_len()];
        unsafe {
            assert_eq!(hybridkem_generate_private_key(id, sk.as_mut_ptr(), sk.len()), HYBRIDKEM_OK);
            assert_eq!(hybridkem_derive_public_key(id, sk.as_ptr(), sk.len(), pk.as_mut_ptr(), pk.len()), HYBRIDKEM_OK);
            assert_eq!(hybridkem_encapsulate(id, pk.as_ptr(), pk.len(), ct.as_mut_ptr(), ct.len(), ss.as_mut_ptr(), 32), HYBRIDKEM_OK);
        }
        let ct_fixed = ct.clone();
        let mut pk_out = vec![0u8; pk.len()];
        let results = [
            (
                "derivePublicKey",
                median_ns(iterations, warmup, || unsafe {
                    hybridkem_derive_public_key(id, sk.as_ptr(), sk.len(), pk_out.as_mut_ptr(), pk_out.len())
                }),
            ),
            (
                "encapsulate",
                median_ns(iterations, warmup, || unsafe {
                    hybridkem_encapsulate_derand(
                        id,
                        pk.as_ptr(),
                        pk.len(),
                        rnd.as_ptr(),
                        rnd.len(),
                        ct.as_mut_ptr(),
                        ct.len(),
                        ss.as_mut_ptr(),
                        32,
                    )
                }),
            ),
            (
                "encapsulateRandom",
                median_ns(iterations, warmup, || unsafe {
                    hybridkem_encapsulate(id, pk.as_ptr(), pk.len(), ct.as_mut_ptr(), ct.len(), ss.as_mut_ptr(), 32)
                }),
            ),
            (
                "decapsulate",
                median_ns(iterations, warmup, || unsafe {
                    hybridkem_decapsulate(id, sk.as_ptr(), sk.len(), ct_fixed.as_ptr(), ct_fixed.len(), ss.as_mut_ptr(), 32)
                }),
            ),
        ];
        for (op, median) in results {
            println!("{{\"suite\":\"{}\",\"op\":\"{op}\",\"medianNs\":{median},\"samples\":{iterations}}}", s.name);
        }
    }
}
