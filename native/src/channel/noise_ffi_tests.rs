//! spec/vectors/transport/*.json through the C ABI of `noise_ffi` (what the
//! C# and Kotlin bindings call): both sides built from the vector's seeds and
//! randomness, every handshake message, payload, the handshake hash and every
//! transport ciphertext byte-identical; a flipped byte fails the handshake.
use serde_json::Value;

use super::noise_ffi::*;
use crate::ffi::Status;

fn unhex(v: &Value) -> Vec<u8> {
    let s = v.as_str().expect("a hex string");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn load(name: &str) -> Value {
    let path = format!("{}/../spec/vectors/transport/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

fn id(table: &[(&str, u32)], name: &str) -> u32 {
    table.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name}")).1
}

struct Side(*mut HybridkemNoise);

impl Drop for Side {
    fn drop(&mut self) {
        unsafe { hybridkem_noise_free(self.0) }
    }
}

fn side(file: &Value, v: &Value, initiator: bool) -> Side {
    let who = if initiator { "initiator" } else { "responder" };
    let has_static = !initiator || v["initiatorStatic"].as_bool().unwrap();
    let sk = if has_static { unhex(&file["staticKeys"][who]["seed"]) } else { vec![] };
    let rpk = if initiator && v["initiatorKnowsResponderStatic"].as_bool().unwrap() {
        unhex(&file["staticKeys"]["responder"]["publicKey"])
    } else {
        vec![]
    };
    let random: Vec<u8> = v["random"][who].as_array().unwrap().iter().flat_map(|r| unhex(&r["bytes"])).collect();
    let prologue = unhex(&v["prologue"]);
    let mut h = core::ptr::null_mut();
    let st = unsafe {
        hybridkem_noise_new(
            id(&[("pqNK", 1), ("pqIK", 2), ("pqXX", 3)], v["pattern"].as_str().unwrap()),
            file["suiteId"].as_u64().unwrap() as u16,
            id(&[("ChaChaPoly", 1), ("AESGCM", 2)], v["cipher"].as_str().unwrap()),
            id(&[("SHA256", 1), ("SHA512", 2)], v["hash"].as_str().unwrap()),
            initiator as u32,
            prologue.as_ptr(),
            prologue.len(),
            sk.as_ptr(),
            sk.len(),
            rpk.as_ptr(),
            rpk.len(),
            random.as_ptr(),
            random.len(),
            &mut h,
        )
    };
    assert_eq!(st, 0, "{}: new {who}", v["protocolName"]);
    Side(h)
}

type Op = unsafe extern "C" fn(*mut HybridkemNoise, *const u8, usize, *mut u8, usize, *mut usize) -> i32;

fn call(op: Op, h: &Side, input: &[u8]) -> Result<Vec<u8>, i32> {
    let mut out = vec![0u8; MAX_MESSAGE];
    let mut n = 0usize;
    let st = unsafe { op(h.0, input.as_ptr(), input.len(), out.as_mut_ptr(), out.len(), &mut n) };
    if st != 0 {
        return Err(st);
    }
    out.truncate(n);
    Ok(out)
}

fn hash(h: &Side) -> Result<Vec<u8>, i32> {
    let mut out = [0u8; 64];
    let mut n = 0usize;
    match unsafe { hybridkem_noise_handshake_hash(h.0, out.as_mut_ptr(), out.len(), &mut n) } {
        0 => Ok(out[..n].to_vec()),
        st => Err(st),
    }
}

fn replay(file: &Value, v: &Value) {
    let name = v["protocolName"].as_str().unwrap();
    let (ini, res) = (side(file, v, true), side(file, v, false));
    for (n, m) in v["messages"].as_array().unwrap().iter().enumerate() {
        let (w, r) = if m["sender"] == "initiator" { (&ini, &res) } else { (&res, &ini) };
        assert_eq!(hash(w), Err(Status::ChannelClosed as i32), "{name}: no hash before the end");
        let msg = call(hybridkem_noise_write_message, w, &unhex(&m["payload"])).unwrap();
        assert_eq!(msg, unhex(&m["message"]), "{name}: handshake message {n}");
        assert_eq!(call(hybridkem_noise_read_message, r, &msg).unwrap(), unhex(&m["payload"]), "{name}: payload {n}");
    }
    assert_eq!(hash(&ini).unwrap(), unhex(&v["handshakeHash"]), "{name}: handshake hash (initiator)");
    assert_eq!(hash(&res).unwrap(), unhex(&v["handshakeHash"]), "{name}: handshake hash (responder)");
    for (n, m) in v["transport"].as_array().unwrap().iter().enumerate() {
        let (w, r) = if m["sender"] == "initiator" { (&ini, &res) } else { (&res, &ini) };
        let ct = call(hybridkem_noise_encrypt, w, &unhex(&m["payload"])).unwrap();
        assert_eq!(ct, unhex(&m["ciphertext"]), "{name}: transport message {n}");
        assert_eq!(call(hybridkem_noise_decrypt, r, &ct).unwrap(), unhex(&m["payload"]), "{name}: transport payload {n}");
    }
}

#[test]
fn every_transport_transcript_replays_through_the_noise_c_abi() {
    let mut count = 0;
    for f in ["x-wing.json", "ml-kem-768.json", "dhkem-x25519-hkdf-sha256.json"] {
        let file = load(f);
        for v in file["vectors"].as_array().unwrap() {
            replay(&file, v);
            count += 1;
        }
    }
    assert_eq!(count, 18);
}

#[test]
fn a_flipped_byte_in_each_authenticated_handshake_message_fails_with_channel_handshake() {
    let file = load("x-wing.json");
    for v in file["vectors"].as_array().unwrap() {
        let msgs = v["messages"].as_array().unwrap();
        // pqXX's first message (`e` and a payload in clear, no key yet) has
        // nothing to authenticate (Noise §7.4); every later one does.
        let first = if v["pattern"] == "pqXX" { 1 } else { 0 };
        for bad in first..msgs.len() {
            let (ini, res) = (side(&file, v, true), side(&file, v, false));
            for (n, m) in msgs.iter().enumerate().take(bad + 1) {
                let (w, r) = if m["sender"] == "initiator" { (&ini, &res) } else { (&res, &ini) };
                let mut msg = call(hybridkem_noise_write_message, w, &unhex(&m["payload"])).unwrap();
                if n == bad {
                    // The last byte is in the payload's AEAD tag: every message authenticates it.
                    *msg.last_mut().unwrap() ^= 0x01;
                    assert_eq!(
                        call(hybridkem_noise_read_message, r, &msg),
                        Err(Status::ChannelHandshake as i32),
                        "{} #{n}",
                        v["protocolName"]
                    );
                    // The failed side is dead.
                    assert_eq!(call(hybridkem_noise_read_message, r, &msg), Err(Status::ChannelClosed as i32));
                } else {
                    call(hybridkem_noise_read_message, r, &msg).unwrap();
                }
            }
        }
    }
}

#[test]
fn exhausted_randomness_and_wrong_turns_fail_cleanly() {
    let file = load("x-wing.json");
    let v = &file["vectors"][0];
    let mut short = v.clone();
    short["random"]["initiator"] = serde_json::json!([]);
    let ini = side(&file, &short, true);
    assert_eq!(call(hybridkem_noise_write_message, &ini, b""), Err(Status::ChannelHandshake as i32));
    let res = side(&file, v, false);
    assert_eq!(call(hybridkem_noise_write_message, &res, b""), Err(Status::ChannelProtocol as i32), "the responder reads first");
    let mut h = core::ptr::null_mut();
    let st = unsafe {
        hybridkem_noise_new(
            9,
            0x647a,
            1,
            1,
            1,
            core::ptr::null(),
            0,
            core::ptr::null(),
            0,
            core::ptr::null(),
            0,
            core::ptr::null(),
            0,
            &mut h,
        )
    };
    assert_eq!(st, Status::ChannelNegotiation as i32);
    assert!(h.is_null());
    let big = vec![0u8; MAX_RANDOM + 1];
    let st = unsafe {
        hybridkem_noise_new(
            1,
            0x647a,
            1,
            1,
            1,
            core::ptr::null(),
            0,
            core::ptr::null(),
            0,
            core::ptr::null(),
            0,
            big.as_ptr(),
            big.len(),
            &mut h,
        )
    };
    assert_eq!(st, Status::InvalidLength as i32);
}
