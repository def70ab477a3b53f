//! clatter's PQNoise handshake and transport state behind two object-safe
//! traits, so the channel picks suite × cipher × hash at run time (the
//! responder's choice, spec/TRANSPORT.md §6.4) over clatter's generic types.
use clatter::bytearray::ByteArray;
use clatter::crypto::cipher::{AesGcm, ChaChaPoly};
use clatter::crypto::hash::{Sha256, Sha512};
use clatter::error::{HandshakeError, TransportError};
use clatter::handshakepattern::{noise_pqik, noise_pqnk, noise_pqxx, HandshakePattern};
use clatter::traits::{Cipher, Handshaker, Hash, Kem, Rng};
use clatter::transportstate::TransportState;
use clatter::{KeyPair, PqHandshakeCore};
use zeroize::Zeroize;

use super::error::ChannelError;
use super::kem;
use super::negotiation::{Entry, Pattern, CIPHER_AESGCM, CIPHER_CHACHAPOLY, HASH_SHA256, HASH_SHA512};

/// A handshake in progress. Payloads are empty in the channel (version 1,
/// §6.5); the payload-carrying calls serve the transcript vectors (§6.9,
/// `noise_ffi`), which exercise Noise below the channel.
pub(crate) trait Handshake {
    /// The next handshake message, carrying `payload` (EncryptAndHash).
    fn write_payload(&mut self, payload: &[u8]) -> Result<Vec<u8>, ChannelError>;
    /// Reads a handshake message and returns its authenticated payload.
    fn read_payload(&mut self, message: &[u8]) -> Result<Vec<u8>, ChannelError>;
    fn write(&mut self) -> Result<Vec<u8>, ChannelError> {
        self.write_payload(&[])
    }
    fn read(&mut self, message: &[u8]) -> Result<(), ChannelError> {
        let mut payload = self.read_payload(message)?;
        let empty = payload.is_empty();
        payload.zeroize();
        // §6.5: a payload that authenticated but is not empty.
        if empty {
            Ok(())
        } else {
            Err(ChannelError::Protocol)
        }
    }
    fn is_finished(&self) -> bool;
    fn is_write_turn(&self) -> bool;
    fn remote_static(&self) -> Option<Vec<u8>>;
    fn finish(self: Box<Self>) -> Result<Box<dyn Transport>, ChannelError>;
}

/// Noise transport messages (§6.5) after Split().
pub(crate) trait Transport {
    fn seal(&mut self, plaintext: &[u8]) -> Result<Vec<u8>, ChannelError>;
    fn open(&mut self, message: &[u8]) -> Result<Vec<u8>, ChannelError>;
    fn rekey_send(&mut self) -> Result<(), ChannelError>;
    fn rekey_receive(&mut self) -> Result<(), ChannelError>;
    fn handshake_hash(&self) -> Vec<u8>;
}

/// A static key pair in the KEM's own encoding (a suite's seed and public
/// key; for clatter's ML-KEM-768, its expanded decapsulation key).
#[derive(Clone)]
pub struct StaticKey {
    pub secret: Vec<u8>,
    pub public: Vec<u8>,
}

impl Drop for StaticKey {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

pub(crate) struct HandshakeParams<'a> {
    pub pattern: Pattern,
    pub initiator: bool,
    pub prologue: &'a [u8],
    pub local: Option<&'a StaticKey>,
    pub remote: Option<&'a [u8]>,
}

struct Hs<K: Kem, C: Cipher, H: Hash, R: Rng>(PqHandshakeCore<K, K, C, H, R>);

fn handshake_error(_: HandshakeError) -> ChannelError {
    ChannelError::Handshake
}

impl<K, C, H, R> Handshake for Hs<K, C, H, R>
where
    K: Kem + 'static,
    C: Cipher + 'static,
    H: Hash + 'static,
    R: Rng + 'static,
{
    fn write_payload(&mut self, payload: &[u8]) -> Result<Vec<u8>, ChannelError> {
        let len = self.0.get_next_message_overhead().map_err(handshake_error)? + payload.len();
        if len > clatter::constants::MAX_MESSAGE_LEN {
            return Err(ChannelError::Protocol);
        }
        let mut out = vec![0u8; len];
        let n = self.0.write_message(payload, &mut out).map_err(handshake_error)?;
        out.truncate(n);
        Ok(out)
    }

    fn read_payload(&mut self, message: &[u8]) -> Result<Vec<u8>, ChannelError> {
        let mut payload = vec![0u8; message.len()];
        match self.0.read_message(message, &mut payload) {
            Ok(n) => {
                payload.truncate(n);
                Ok(payload)
            }
            Err(e) => {
                payload.zeroize();
                Err(handshake_error(e))
            }
        }
    }

    fn is_finished(&self) -> bool {
        self.0.is_finished()
    }

    fn is_write_turn(&self) -> bool {
        self.0.is_write_turn()
    }

    fn remote_static(&self) -> Option<Vec<u8>> {
        self.0.get_remote_static().map(|k| k.as_slice().to_vec())
    }

    fn finish(self: Box<Self>) -> Result<Box<dyn Transport>, ChannelError> {
        Ok(Box::new(Tr(self.0.finalize().map_err(handshake_error)?)))
    }
}

struct Tr<C: Cipher, H: Hash>(TransportState<C, H>);

fn decrypt_error(_: TransportError) -> ChannelError {
    ChannelError::Decrypt
}

impl<C: Cipher + 'static, H: Hash + 'static> Transport for Tr<C, H> {
    fn seal(&mut self, plaintext: &[u8]) -> Result<Vec<u8>, ChannelError> {
        if plaintext.len() + C::tag_len() > clatter::constants::MAX_MESSAGE_LEN {
            return Err(ChannelError::Protocol);
        }
        // Only the nonce's exhaustion (2^64-1 messages) fails here.
        self.0.send_vec(plaintext).map_err(|_| ChannelError::Protocol)
    }

    fn open(&mut self, message: &[u8]) -> Result<Vec<u8>, ChannelError> {
        if message.len() < C::tag_len() || message.len() > clatter::constants::MAX_MESSAGE_LEN {
            return Err(ChannelError::Decrypt);
        }
        self.0.receive_vec(message).map_err(decrypt_error)
    }

    fn rekey_send(&mut self) -> Result<(), ChannelError> {
        self.0.rekey_sender().map_err(|_| ChannelError::Protocol)
    }

    fn rekey_receive(&mut self) -> Result<(), ChannelError> {
        self.0.rekey_receiver().map_err(decrypt_error)
    }

    fn handshake_hash(&self) -> Vec<u8> {
        self.0.get_handshake_hash().as_slice().to_vec()
    }
}

fn clatter_pattern(p: Pattern) -> HandshakePattern {
    match p {
        Pattern::PqNk => noise_pqnk(),
        Pattern::PqIk => noise_pqik(),
        Pattern::PqXx => noise_pqxx(),
    }
}

fn build<K, C, H, R>(p: &HandshakeParams) -> Result<Box<dyn Handshake>, ChannelError>
where
    K: Kem + 'static,
    C: Cipher + 'static,
    H: Hash + 'static,
    R: Rng + 'static,
{
    // ByteArray::from_slice panics on a wrong length: check first.
    let local = match p.local {
        Some(k) if k.secret.len() == K::SecretKey::LENGTH && k.public.len() == K::PubKey::LENGTH => {
            Some(KeyPair { public: K::PubKey::from_slice(&k.public), secret: K::SecretKey::from_slice(&k.secret) })
        }
        Some(_) => return Err(ChannelError::Negotiation),
        None => None,
    };
    let remote = match p.remote {
        Some(r) if r.len() == K::PubKey::LENGTH => Some(K::PubKey::from_slice(r)),
        Some(_) => return Err(ChannelError::Negotiation),
        None => None,
    };
    let hs = PqHandshakeCore::<K, K, C, H, R>::new(clatter_pattern(p.pattern), p.prologue, p.initiator, local, None, remote, None)
        .map_err(|_| ChannelError::Negotiation)?;
    Ok(Box::new(Hs(hs)))
}

fn with_cipher_hash<K, R>(entry: &Entry, p: &HandshakeParams) -> Result<Box<dyn Handshake>, ChannelError>
where
    K: Kem + 'static,
    R: Rng + 'static,
{
    match (entry.cipher, entry.hash) {
        (CIPHER_CHACHAPOLY, HASH_SHA256) => build::<K, ChaChaPoly, Sha256, R>(p),
        (CIPHER_CHACHAPOLY, HASH_SHA512) => build::<K, ChaChaPoly, Sha512, R>(p),
        (CIPHER_AESGCM, HASH_SHA256) => build::<K, AesGcm, Sha256, R>(p),
        (CIPHER_AESGCM, HASH_SHA512) => build::<K, AesGcm, Sha512, R>(p),
        _ => Err(ChannelError::Negotiation),
    }
}

/// Which ML-KEM-768 runs suite 0x0041: this crate's (AWS-LC, keys d ‖ z) or
/// clatter's own RustCrypto one (keys in its expanded encoding), the
/// implementation independent of core's for interop tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MlKem768Impl {
    #[default]
    Suite,
    Clatter,
}

/// Whether this build runs the entry's suite, cipher and hash.
pub(crate) fn supported(entry: &Entry) -> bool {
    matches!(entry.suite, 0x647a | 0xff01 | 0xff02 | 0xff03 | 0xff04 | 0x0050 | 0x0051 | 0x0041 | 0x0042 | 0x0020)
        && matches!(entry.cipher, CIPHER_CHACHAPOLY | CIPHER_AESGCM)
        && matches!(entry.hash, HASH_SHA256 | HASH_SHA512)
}

/// The handshake of `entry` (suite × cipher × hash).
pub(crate) fn new_handshake<R: Rng + 'static>(
    entry: &Entry,
    mlkem768: MlKem768Impl,
    p: &HandshakeParams,
) -> Result<Box<dyn Handshake>, ChannelError> {
    match entry.suite {
        0x647a => with_cipher_hash::<kem::XWing, R>(entry, p),
        0xff01 => with_cipher_hash::<kem::X25519MlKem768, R>(entry, p),
        0xff02 => with_cipher_hash::<kem::X25519MlKem1024, R>(entry, p),
        0xff03 => with_cipher_hash::<kem::MlKem768P256, R>(entry, p),
        0xff04 => with_cipher_hash::<kem::MlKem1024P384, R>(entry, p),
        0x0050 => with_cipher_hash::<kem::HpkeMlKem768P256, R>(entry, p),
        0x0051 => with_cipher_hash::<kem::HpkeMlKem1024P384, R>(entry, p),
        0x0041 if mlkem768 == MlKem768Impl::Clatter => with_cipher_hash::<clatter::crypto::kem::rust_crypto_ml_kem::MlKem768, R>(entry, p),
        0x0041 => with_cipher_hash::<kem::MlKem768, R>(entry, p),
        0x0042 => with_cipher_hash::<kem::MlKem1024, R>(entry, p),
        0x0020 => with_cipher_hash::<kem::DhKemX25519, R>(entry, p),
        _ => Err(ChannelError::Negotiation),
    }
}
