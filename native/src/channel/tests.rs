//! Initiator ↔ responder through the sans-IO channel, every pattern, the
//! four cipher × hash pairs, every suite; tamper, replay, reorder, truncate,
//! downgrade, wrong keys; and the same through the C ABI.
use super::negotiation::*;
use super::*;
use crate::AwsLc;
use hybridkem_suites::{self as suites, Primitives};

fn keypair(suite: u16) -> StaticKey {
    let s = suites::suite(suite).unwrap();
    let mut secret = vec![0u8; s.private_key_len()];
    AwsLc::new().random(&mut secret).unwrap();
    let mut public = vec![0u8; s.public_key_len()];
    suites::derive_public_key(&AwsLc::new(), s, &secret, &mut public).unwrap();
    StaticKey { secret, public }
}

struct Pair {
    i: Channel<AwsLcRng>,
    r: Channel<AwsLcRng>,
}

fn configs(pattern: Pattern, entries: &[Entry]) -> (Config, Config) {
    let mut ic = Config::new(true, vec![pattern], entries.to_vec());
    let mut rc = Config::new(false, vec![Pattern::PqNk, Pattern::PqIk, Pattern::PqXx], entries.to_vec());
    for e in entries {
        if ic.keys.iter().any(|k| k.suite == e.suite) {
            continue;
        }
        let server = keypair(e.suite);
        let client = keypair(e.suite);
        let (own, _) = pattern.needs(true);
        ic.keys.push(SuiteKeys { suite: e.suite, local: own.then(|| client.clone()), remote: Some(server.public.clone()) });
        rc.keys.push(SuiteKeys { suite: e.suite, local: Some(server), remote: own.then(|| client.public.clone()) });
    }
    (ic, rc)
}

fn pair(pattern: Pattern, entries: &[Entry]) -> Pair {
    let (ic, rc) = configs(pattern, entries);
    Pair { i: Channel::new(ic).unwrap(), r: Channel::new(rc).unwrap() }
}

/// Moves bytes both ways until neither side has anything to send.
fn pump(p: &mut Pair) -> Result<(), ChannelError> {
    loop {
        let a = p.i.take_all_output();
        let b = p.r.take_all_output();
        if a.is_empty() && b.is_empty() {
            return Ok(());
        }
        assert_eq!(p.r.feed(&a)?, a.len());
        assert_eq!(p.i.feed(&b)?, b.len());
    }
}

fn read_all(c: &mut Channel<AwsLcRng>) -> Vec<u8> {
    let mut buf = vec![0u8; c.plaintext_len()];
    let n = c.read(&mut buf);
    buf.truncate(n);
    buf
}

fn entry(suite: u16, cipher: u8, hash: u8) -> Entry {
    Entry::new(suite_mode(suite).unwrap(), suite, cipher, hash)
}

fn exchange(pattern: Pattern, e: Entry) {
    let mut p = pair(pattern, &[e]);
    p.i.write(b"hello from the initiator").unwrap();
    pump(&mut p).unwrap();
    assert!(p.i.is_established() && p.r.is_established());
    assert_eq!(p.i.handshake_hash(), p.r.handshake_hash());
    assert_eq!(p.i.handshake_hash().unwrap().len(), if e.hash == HASH_SHA256 { 32 } else { 64 });
    assert_eq!(p.i.chosen(), Some(e));
    assert_eq!(read_all(&mut p.r), b"hello from the initiator");
    let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7) as u8).collect();
    p.r.write(&big).unwrap();
    p.r.rekey().unwrap();
    p.r.write(b"after rekey").unwrap();
    p.r.close().unwrap();
    pump(&mut p).unwrap();
    let mut got = read_all(&mut p.i);
    assert_eq!(got.len(), big.len() + 11);
    assert_eq!(&got[..big.len()], &big[..]);
    assert_eq!(&got[big.len()..], b"after rekey");
    got.clear();
    assert!(p.i.peer_closed());
    p.i.feed_end().unwrap();
    assert_eq!(p.r.feed_end(), Err(ChannelError::Truncated));
}

#[test]
fn every_pattern_with_every_cipher_and_hash_over_xwing() {
    for pattern in [Pattern::PqNk, Pattern::PqIk, Pattern::PqXx] {
        for (c, h) in
            [(CIPHER_CHACHAPOLY, HASH_SHA256), (CIPHER_CHACHAPOLY, HASH_SHA512), (CIPHER_AESGCM, HASH_SHA256), (CIPHER_AESGCM, HASH_SHA512)]
        {
            exchange(pattern, entry(0x647a, c, h));
        }
    }
}

#[test]
fn every_suite_in_pqxx() {
    for s in suites::SUITES.iter() {
        exchange(Pattern::PqXx, entry(s.id, CIPHER_CHACHAPOLY, HASH_SHA256));
    }
}

#[test]
fn clatters_own_mlkem768_talks_to_ours() {
    // The initiator's ML-KEM-768 is clatter's RustCrypto one, the responder's
    // ours (AWS-LC): keys in each one's encoding, the same public keys.
    use clatter::crypto::kem::rust_crypto_ml_kem::MlKem768 as Theirs;
    use clatter::traits::Kem as _;
    let e = entry(0x0041, CIPHER_AESGCM, HASH_SHA512);
    let server = keypair(0x0041);
    let theirs = Theirs::genkey_rng(&mut AwsLcRng).unwrap();
    use clatter::bytearray::ByteArray;
    let client = StaticKey { secret: theirs.secret.as_slice().to_vec(), public: theirs.public.as_slice().to_vec() };
    let mut ic = Config::new(true, vec![Pattern::PqIk], vec![e]);
    ic.mlkem768 = MlKem768Impl::Clatter;
    ic.keys.push(SuiteKeys { suite: 0x0041, local: Some(client.clone()), remote: Some(server.public.clone()) });
    let mut rc = Config::new(false, vec![Pattern::PqIk], vec![e]);
    rc.keys.push(SuiteKeys { suite: 0x0041, local: Some(server), remote: Some(client.public.clone()) });
    let mut p = Pair { i: Channel::new(ic).unwrap(), r: Channel::new(rc).unwrap() };
    p.i.write(b"ping").unwrap();
    pump(&mut p).unwrap();
    assert_eq!(read_all(&mut p.r), b"ping");
    assert_eq!(p.r.remote_static(), Some(&client.public[..]));
}

#[test]
fn responder_picks_its_first_preference_that_the_offer_holds() {
    let a = entry(0x647a, CIPHER_CHACHAPOLY, HASH_SHA256);
    let b = entry(0x0041, CIPHER_AESGCM, HASH_SHA256);
    let (ic, mut rc) = configs(Pattern::PqXx, &[a, b]);
    rc.entries = vec![b, a];
    let mut p = Pair { i: Channel::new(ic).unwrap(), r: Channel::new(rc).unwrap() };
    pump(&mut p).unwrap();
    assert_eq!(p.i.chosen(), Some(b));
    assert!(p.i.is_established());
}

#[test]
fn no_common_parameters_or_pattern_is_refused() {
    let a = entry(0x647a, CIPHER_CHACHAPOLY, HASH_SHA256);
    let b = entry(0x647a, CIPHER_AESGCM, HASH_SHA256);
    let (ic, mut rc) = configs(Pattern::PqXx, &[a]);
    rc.entries = vec![b];
    let mut p = Pair { i: Channel::new(ic).unwrap(), r: Channel::new(rc).unwrap() };
    let offer = p.i.take_all_output();
    assert_eq!(p.r.feed(&offer), Err(ChannelError::Negotiation));
    let refusal = p.r.take_all_output();
    assert_eq!(refusal, [0, 2, MESSAGE_REFUSAL, REFUSAL_NO_COMMON]);
    assert_eq!(p.i.feed(&refusal), Err(ChannelError::Negotiation));
    assert_eq!(p.i.write(b"x"), Err(ChannelError::Closed));

    let (ic, mut rc) = configs(Pattern::PqIk, &[a]);
    rc.patterns = vec![Pattern::PqXx];
    let mut p = Pair { i: Channel::new(ic).unwrap(), r: Channel::new(rc).unwrap() };
    let offer = p.i.take_all_output();
    assert_eq!(p.r.feed(&offer), Err(ChannelError::Negotiation));
    assert_eq!(p.r.take_all_output(), [0, 2, MESSAGE_REFUSAL, REFUSAL_PATTERN]);
}

/// Drives the handshake one frame at a time, letting `tamper` change the
/// n-th frame (counting both directions from 0: offer, choice, messages...).
fn handshake_with(pattern: Pattern, n: usize, tamper: impl Fn(&mut Vec<u8>)) -> (Result<(), ChannelError>, Result<(), ChannelError>) {
    let e = entry(0x647a, CIPHER_CHACHAPOLY, HASH_SHA256);
    let mut p = pair(pattern, &[e]);
    let mut count = 0;
    let (mut ri, mut rr) = (Ok(()), Ok(()));
    for _ in 0..8 {
        for from_initiator in [true, false] {
            let bytes = if from_initiator { p.i.take_all_output() } else { p.r.take_all_output() };
            let mut at = 0;
            while at < bytes.len() {
                let len = 2 + u16::from_be_bytes([bytes[at], bytes[at + 1]]) as usize;
                let mut f = bytes[at..at + len].to_vec();
                at += len;
                if count == n {
                    tamper(&mut f);
                }
                count += 1;
                let target = if from_initiator { &mut p.r } else { &mut p.i };
                if target.failure().is_some() {
                    continue;
                }
                let r = target.feed(&f).map(|_| ());
                if from_initiator {
                    rr = rr.and(r)
                } else {
                    ri = ri.and(r)
                }
            }
        }
    }
    (ri, rr)
}

#[test]
fn a_flipped_bit_in_any_handshake_message_fails_the_handshake() {
    for (pattern, frames) in [(Pattern::PqNk, 4), (Pattern::PqIk, 4), (Pattern::PqXx, 6)] {
        for n in 2..frames {
            let (ri, rr) = handshake_with(pattern, n, |f| {
                let last = f.len() - 1;
                f[last] ^= 1;
            });
            let errs = [ri, rr];
            assert!(errs.contains(&Err(ChannelError::Handshake)), "{} message {n}: {errs:?}", pattern.name());
        }
    }
}

#[test]
fn a_changed_offer_or_choice_fails_the_handshake() {
    // Downgrade: the offer's entry count cut / the choice byte changed in
    // transit — both sides bind the bytes they saw into the prologue.
    let a = entry(0x647a, CIPHER_CHACHAPOLY, HASH_SHA256);
    let b = entry(0x647a, CIPHER_AESGCM, HASH_SHA256);
    let (ic, rc) = configs(Pattern::PqXx, &[a, b]);
    let mut p = Pair { i: Channel::new(ic).unwrap(), r: Channel::new(rc).unwrap() };
    let offer = p.i.take_all_output();
    let stripped = {
        let mut o = offer[..offer.len() - ENTRY_LEN].to_vec();
        o[1] -= ENTRY_LEN as u8;
        o[5] = 1;
        o
    };
    p.r.feed(&stripped).unwrap();
    let answer = p.r.take_all_output();
    p.i.feed(&answer).unwrap();
    let m1 = p.i.take_all_output();
    p.r.feed(&m1).unwrap();
    let m2 = p.r.take_all_output();
    assert_eq!(p.i.feed(&m2), Err(ChannelError::Handshake));
}

#[test]
fn tampered_replayed_reordered_transport_messages_fail() {
    let e = entry(0x647a, CIPHER_AESGCM, HASH_SHA256);
    for case in 0..4 {
        let mut p = pair(Pattern::PqNk, &[e]);
        pump(&mut p).unwrap();
        p.i.write(b"one").unwrap();
        let one = p.i.take_all_output();
        p.i.write(b"two").unwrap();
        let two = p.i.take_all_output();
        let (feed, want) = match case {
            0 => ([one.clone(), one.clone()].concat(), ChannelError::Decrypt), // replay
            1 => ([two.clone(), one.clone()].concat(), ChannelError::Decrypt), // reorder
            2 => {
                let mut t = one.clone();
                t[3] ^= 0x80;
                (t, ChannelError::Decrypt) // tamper
            }
            _ => (two.clone(), ChannelError::Decrypt), // drop
        };
        assert_eq!(p.r.feed(&feed), Err(want), "case {case}");
        assert_eq!(p.r.plaintext_len(), 0, "case {case}: nothing released");
        assert_eq!(p.r.feed(&one), Err(ChannelError::Closed));
    }
}

#[test]
fn a_truncated_stream_is_truncated() {
    let e = entry(0x647a, CIPHER_CHACHAPOLY, HASH_SHA256);
    let mut p = pair(Pattern::PqNk, &[e]);
    pump(&mut p).unwrap();
    p.i.write(b"data").unwrap();
    p.i.close().unwrap();
    let bytes = p.i.take_all_output();
    p.r.feed(&bytes[..bytes.len() - 1]).unwrap();
    assert_eq!(p.r.feed_end(), Err(ChannelError::Truncated));
    let mut q = pair(Pattern::PqNk, &[e]);
    let offer = q.i.take_all_output();
    q.r.feed(&offer).unwrap();
    assert_eq!(q.r.feed_end(), Err(ChannelError::Truncated));
}

#[test]
fn a_wrong_server_key_or_pinned_peer_key_fails() {
    let e = entry(0x647a, CIPHER_CHACHAPOLY, HASH_SHA256);
    // pqNK to the wrong server key: the responder cannot decapsulate → handshake.
    let (mut ic, rc) = configs(Pattern::PqNk, &[e]);
    ic.keys[0].remote = Some(keypair(0x647a).public.clone());
    let mut p = Pair { i: Channel::new(ic).unwrap(), r: Channel::new(rc).unwrap() };
    assert_eq!(pump(&mut p), Err(ChannelError::Handshake));
    // pqXX with a pinned server key that the server does not hold → peer key.
    let (mut ic, rc) = configs(Pattern::PqXx, &[e]);
    ic.keys[0].remote = Some(keypair(0x647a).public.clone());
    let mut p = Pair { i: Channel::new(ic).unwrap(), r: Channel::new(rc).unwrap() };
    assert_eq!(pump(&mut p), Err(ChannelError::PeerKey));
}

#[test]
fn rekey_policy_rekeys_before_the_limit() {
    let e = entry(0x647a, CIPHER_CHACHAPOLY, HASH_SHA256);
    let (mut ic, rc) = configs(Pattern::PqNk, &[e]);
    ic.rekey_after_messages = 2;
    let mut p = Pair { i: Channel::new(ic).unwrap(), r: Channel::new(rc).unwrap() };
    pump(&mut p).unwrap();
    let mut lens = Vec::new();
    for m in [b"a", b"b", b"c"] {
        p.i.write(m).unwrap();
        lens.push(p.i.output_len());
        let out = p.i.take_all_output();
        p.r.feed(&out).unwrap();
    }
    // The third write carries a rekey message (2 + 16 + 1) before its data.
    assert_eq!(lens, [2 + 17 + 1, 2 + 17 + 1, 2 * (2 + 17) + 1]);
    assert_eq!(read_all(&mut p.r), b"abc");
}

mod c_abi {
    use super::super::ffi::*;
    use super::*;
    use crate::ffi::*;

    unsafe fn drain(from: *mut HybridkemChannel, to: *mut HybridkemChannel) -> usize {
        let mut buf = vec![0u8; 70_000];
        let mut moved = 0;
        loop {
            let mut n = 0;
            assert_eq!(hybridkem_channel_take_output(from, buf.as_mut_ptr(), buf.len(), &mut n), HYBRIDKEM_OK);
            if n == 0 {
                return moved;
            }
            let mut used = 0;
            let st = hybridkem_channel_feed(to, buf.as_ptr(), n, &mut used);
            assert_eq!((st, used), (HYBRIDKEM_OK, n));
            moved += n;
        }
    }

    #[test]
    fn initiator_and_responder_through_the_c_abi() {
        unsafe {
            let e = entry(0x647a, CIPHER_CHACHAPOLY, HASH_SHA512).encode();
            let server = keypair(0x647a);
            let client = keypair(0x647a);
            let (mut i, mut r) = (core::ptr::null_mut(), core::ptr::null_mut());
            assert_eq!(hybridkem_channel_new(HYBRIDKEM_CHANNEL_INITIATOR, 2, e.as_ptr(), 6, &mut i), HYBRIDKEM_OK);
            assert_eq!(hybridkem_channel_new(HYBRIDKEM_CHANNEL_RESPONDER, 1 << 2, e.as_ptr(), 6, &mut r), HYBRIDKEM_OK);
            let p = core::ptr::null();
            assert_eq!(hybridkem_channel_set_keys(i, 0x647a, client.secret.as_ptr(), 32, server.public.as_ptr(), 1216), HYBRIDKEM_OK);
            assert_eq!(hybridkem_channel_set_keys(r, 0x647a, server.secret.as_ptr(), 32, p, 0), HYBRIDKEM_OK);
            assert_eq!(hybridkem_channel_set_keys(r, 0x647a, server.secret.as_ptr(), 31, p, 0), HYBRIDKEM_ERR_INVALID_LENGTH);
            assert_eq!(hybridkem_channel_start(i), HYBRIDKEM_OK);
            assert_eq!(hybridkem_channel_start(r), HYBRIDKEM_OK);
            assert_eq!(hybridkem_channel_write(i, b"over the C ABI".as_ptr(), 14), HYBRIDKEM_OK);
            while drain(i, r) + drain(r, i) > 0 {}
            let (mut flags, mut out_len, mut pt_len) = (0u32, 0usize, 0usize);
            assert_eq!(hybridkem_channel_state(r, &mut flags, &mut out_len, &mut pt_len), HYBRIDKEM_OK);
            assert_eq!((flags, out_len, pt_len), (HYBRIDKEM_CHANNEL_ESTABLISHED, 0, 14));
            let mut buf = [0u8; 64];
            let mut n = 0;
            assert_eq!(hybridkem_channel_read(r, buf.as_mut_ptr(), buf.len(), &mut n), HYBRIDKEM_OK);
            assert_eq!(&buf[..n], b"over the C ABI");
            let (mut ent, mut h1, mut h2, mut rs) = ([0u8; 6], [0u8; 64], [0u8; 64], vec![0u8; 1216]);
            let (mut hl, mut rl) = (0, 0);
            assert_eq!(
                hybridkem_channel_info(r, ent.as_mut_ptr(), h1.as_mut_ptr(), 64, &mut hl, rs.as_mut_ptr(), rs.len(), &mut rl),
                HYBRIDKEM_OK
            );
            assert_eq!((ent, hl, &rs[..rl]), (e, 64, &client.public[..]));
            assert_eq!(
                hybridkem_channel_info(i, ent.as_mut_ptr(), h2.as_mut_ptr(), 64, &mut hl, rs.as_mut_ptr(), rs.len(), &mut rl),
                HYBRIDKEM_OK
            );
            assert_eq!(h1, h2);
            assert_eq!(hybridkem_channel_close(r), HYBRIDKEM_OK);
            drain(r, i);
            assert_eq!(hybridkem_channel_feed_end(i), HYBRIDKEM_OK);
            assert_eq!(hybridkem_channel_feed_end(r), HYBRIDKEM_ERR_CHANNEL_TRUNCATED);
            assert_eq!(hybridkem_channel_write(r, b"x".as_ptr(), 1), HYBRIDKEM_ERR_CHANNEL_CLOSED);
            assert_eq!(hybridkem_channel_write(core::ptr::null_mut(), b"x".as_ptr(), 1), HYBRIDKEM_ERR_NULL_POINTER);
            hybridkem_channel_free(i);
            hybridkem_channel_free(r);
            hybridkem_channel_free(core::ptr::null_mut());
        }
    }

    #[test]
    fn bad_arguments_are_typed_statuses() {
        unsafe {
            let e = entry(0x647a, CIPHER_CHACHAPOLY, HASH_SHA256).encode();
            let mut c = core::ptr::null_mut();
            assert_eq!(hybridkem_channel_new(0, 2, e.as_ptr(), 5, &mut c), HYBRIDKEM_ERR_INVALID_LENGTH);
            assert_eq!(hybridkem_channel_new(0, 7, e.as_ptr(), 6, &mut c), HYBRIDKEM_ERR_CHANNEL_NEGOTIATION);
            assert_eq!(hybridkem_channel_new(1, 1, e.as_ptr(), 6, &mut c), HYBRIDKEM_ERR_CHANNEL_NEGOTIATION);
            let mut bad = e;
            bad[1] = MODE_PQ_ONLY; // X-Wing is not a pq-only suite (§6.2)
            assert_eq!(hybridkem_channel_new(0, 1, bad.as_ptr(), 6, &mut c), HYBRIDKEM_ERR_CHANNEL_NEGOTIATION);
            assert_eq!(hybridkem_channel_new(0, 1, e.as_ptr(), 6, core::ptr::null_mut()), HYBRIDKEM_ERR_NULL_POINTER);
            assert_eq!(hybridkem_channel_new(0, 1, e.as_ptr(), 6, &mut c), HYBRIDKEM_OK);
            // pqNK initiator without the server's key: not startable.
            assert_eq!(hybridkem_channel_start(c), HYBRIDKEM_ERR_CHANNEL_NEGOTIATION);
            assert_eq!(hybridkem_channel_start(c), HYBRIDKEM_ERR_CHANNEL_CLOSED);
            hybridkem_channel_free(c);
        }
    }
}
