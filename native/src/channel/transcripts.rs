//! spec/vectors/transport/*.json (written by the TypeScript generator,
//! spec/scripts/generate-transport-vectors.mjs) replayed through clatter:
//! its PQNoise handshake with our Kem impls (and, for ML-KEM-768, clatter's
//! own RustCrypto ML-KEM as well) and a scripted RNG that hands out each
//! side's recorded randomness in order. Every handshake message, the
//! handshake hash and every transport ciphertext must come out byte-identical.
use std::cell::RefCell;
use std::collections::VecDeque;

use clatter::bytearray::ByteArray;
use clatter::crypto::cipher::{AesGcm, ChaChaPoly};
use clatter::crypto::hash::{Sha256, Sha512};
use clatter::handshakepattern::{noise_pqik, noise_pqnk, noise_pqxx};
use clatter::traits::{Cipher, Handshaker, Hash, Kem};
use clatter::{KeyPair, PqHandshakeCore};
use serde_json::Value;

use super::kem;

thread_local! {
    /// Scripts for the next `Scripted::default()` calls (clatter creates its
    /// RNG with Default inside PqHandshakeCore::new).
    static SCRIPTS: RefCell<VecDeque<Vec<u8>>> = const { RefCell::new(VecDeque::new()) };
}

#[derive(Clone)]
struct Scripted {
    bytes: Vec<u8>,
    at: usize,
}

impl Scripted {
    fn new(bytes: Vec<u8>) -> Self {
        Scripted { bytes, at: 0 }
    }
}

impl Default for Scripted {
    fn default() -> Self {
        Scripted::new(SCRIPTS.with(|s| s.borrow_mut().pop_front()).expect("a script for this handshake"))
    }
}

impl clatter::rand_core::RngCore for Scripted {
    fn next_u32(&mut self) -> u32 {
        unimplemented!("the KEMs draw bytes")
    }
    fn next_u64(&mut self) -> u64 {
        unimplemented!("the KEMs draw bytes")
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let end = self.at + dest.len();
        assert!(end <= self.bytes.len(), "the transcript's randomness is exhausted");
        dest.copy_from_slice(&self.bytes[self.at..end]);
        self.at = end;
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), clatter::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}
impl clatter::rand_core::CryptoRng for Scripted {}

fn unhex(v: &Value) -> Vec<u8> {
    let s = v.as_str().expect("a hex string");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// A static key pair from the vector's seed, through the KEM's own keygen.
fn static_pair<K: Kem>(key: &Value) -> KeyPair<K::PubKey, K::SecretKey> {
    let kp = K::genkey_rng(&mut Scripted::new(unhex(&key["seed"]))).unwrap();
    assert_eq!(kp.public.as_slice(), &unhex(&key["publicKey"])[..], "public key of the seed");
    kp
}

fn replay<K: Kem, C: Cipher, H: Hash>(file: &Value, v: &Value) {
    let name = v["protocolName"].as_str().unwrap();
    let pattern = match v["pattern"].as_str().unwrap() {
        "pqNK" => noise_pqnk(),
        "pqIK" => noise_pqik(),
        "pqXX" => noise_pqxx(),
        p => panic!("{p}"),
    };
    let prologue = unhex(&v["prologue"]);
    let i_static = v["initiatorStatic"].as_bool().unwrap().then(|| static_pair::<K>(&file["staticKeys"]["initiator"]));
    let r_static = static_pair::<K>(&file["staticKeys"]["responder"]);
    let rs = v["initiatorKnowsResponderStatic"].as_bool().unwrap().then(|| r_static.public.clone());
    let script = |side: &str| v["random"][side].as_array().unwrap().iter().flat_map(|r| unhex(&r["bytes"])).collect::<Vec<u8>>();
    SCRIPTS.with(|s| s.borrow_mut().push_back(script("initiator")));
    let mut ini = PqHandshakeCore::<K, K, C, H, Scripted>::new(pattern.clone(), &prologue, true, i_static, None, rs, None).unwrap();
    SCRIPTS.with(|s| s.borrow_mut().push_back(script("responder")));
    let mut res = PqHandshakeCore::<K, K, C, H, Scripted>::new(pattern, &prologue, false, Some(r_static), None, None, None).unwrap();
    assert_eq!(ini.get_name().as_str(), name);

    let mut out = vec![0u8; 65535];
    let mut payload = vec![0u8; 65535];
    for (n, m) in v["messages"].as_array().unwrap().iter().enumerate() {
        let (w, r) = if m["sender"] == "initiator" { (&mut ini, &mut res) } else { (&mut res, &mut ini) };
        let len = w.write_message(&unhex(&m["payload"]), &mut out).unwrap();
        assert_eq!(hex(&out[..len]), hex(&unhex(&m["message"])), "{name}: handshake message {n}");
        let plen = r.read_message(&out[..len], &mut payload).unwrap();
        assert_eq!(&payload[..plen], &unhex(&m["payload"])[..], "{name}: payload {n}");
    }
    assert!(ini.is_finished() && res.is_finished(), "{name}");
    let mut ti = ini.finalize().unwrap();
    let mut tr = res.finalize().unwrap();
    assert_eq!(hex(ti.get_handshake_hash().as_slice()), v["handshakeHash"].as_str().unwrap(), "{name}: handshake hash");
    assert_eq!(ti.get_handshake_hash().as_slice(), tr.get_handshake_hash().as_slice());
    for (n, m) in v["transport"].as_array().unwrap().iter().enumerate() {
        let (w, r) = if m["sender"] == "initiator" { (&mut ti, &mut tr) } else { (&mut tr, &mut ti) };
        let ct = w.send_vec(&unhex(&m["payload"])).unwrap();
        assert_eq!(hex(&ct), m["ciphertext"].as_str().unwrap(), "{name}: transport message {n}");
        assert_eq!(r.receive_vec(&ct).unwrap(), unhex(&m["payload"]), "{name}: transport payload {n}");
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn replay_kem<K: Kem>(file: &Value) -> usize {
    let vectors = file["vectors"].as_array().unwrap();
    for v in vectors {
        match (v["cipher"].as_str().unwrap(), v["hash"].as_str().unwrap()) {
            ("ChaChaPoly", "SHA256") => replay::<K, ChaChaPoly, Sha256>(file, v),
            ("ChaChaPoly", "SHA512") => replay::<K, ChaChaPoly, Sha512>(file, v),
            ("AESGCM", "SHA256") => replay::<K, AesGcm, Sha256>(file, v),
            ("AESGCM", "SHA512") => replay::<K, AesGcm, Sha512>(file, v),
            other => panic!("{other:?}"),
        }
    }
    vectors.len()
}

fn load(name: &str) -> Value {
    let path = format!("{}/../spec/vectors/transport/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

#[test]
fn xwing_transcripts_replay_through_clatter() {
    assert_eq!(replay_kem::<kem::XWing>(&load("x-wing.json")), 6);
}

#[test]
fn mlkem768_transcripts_replay_through_clatter_with_ours_and_with_rustcrypto_mlkem() {
    let file = load("ml-kem-768.json");
    assert_eq!(replay_kem::<kem::MlKem768>(&file), 6);
    assert_eq!(replay_kem::<clatter::crypto::kem::rust_crypto_ml_kem::MlKem768>(&file), 6);
}

#[test]
fn dhkem_transcripts_replay_through_clatter() {
    assert_eq!(replay_kem::<kem::DhKemX25519>(&load("dhkem-x25519-hkdf-sha256.json")), 6);
}
